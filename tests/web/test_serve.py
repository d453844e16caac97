"""`calcml serve`: starts, answers /health, stops on SIGINT with exit 0 and no worker left;
a busy port is one clear line naming --port."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import psutil


def _serve(tmp_path: Path, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "CALCML_DATA_DIR": str(tmp_path), "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "calcml", "serve", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def test_serve_port_0_health_then_sigint_exits_0_with_no_worker_left(tmp_path: Path) -> None:
    proc = _serve(tmp_path, "--port", "0", "--engine-workers", "1")
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        assert line.startswith("calcml: serving on http://127.0.0.1:"), line
        url = line.split("serving on ", 1)[1].split()[0]
        with urllib.request.urlopen(url + "health", timeout=300) as r:
            assert r.status == 200 and json.load(r)["status"] == "ok"
        with urllib.request.urlopen(url + "calc?op=derive&q=x%5E3", timeout=300) as r:
            assert "3 x^{2}" in r.read().decode()  # computed by an engine worker process
        family = psutil.Process(proc.pid).children(recursive=True)
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=120) == 0, proc.stderr.read() if proc.stderr else ""
        _, alive = psutil.wait_procs(family, timeout=30)
        assert not alive, [p.pid for p in alive]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_a_busy_port_is_reported_naming_port(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        proc = _serve(tmp_path, "--port", str(port))
        _, err = proc.communicate(timeout=120)
    assert proc.returncode == 2
    assert f"port {port}" in err and "--port" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) <= 2
