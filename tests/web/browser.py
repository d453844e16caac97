"""Helpers for the browser tests: a live `calcml serve`, Debian's Chromium under Playwright,
and a page that records console errors and CSP violations."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
OUTPUT = Path(os.environ.get("CALCML_TEST_OUTPUT", Path(__file__).parents[2] / "test-output"))
WATCH = """
window.__problems = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__problems.push("CSP: " + e.violatedDirective + " " + e.blockedURI);
});
"""


@contextmanager
def live_server(data_dir: Path, *options: str, python: str = sys.executable) -> Iterator[str]:
    """`calcml serve --port 0` in a fresh data dir (more `options` for serve); yields its base
    URL, stops it with SIGINT. `python` is the interpreter that runs it (another venv's, for
    the installed wheel)."""
    env = {**os.environ, "CALCML_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1"}
    args = ["serve", "--port", "0", "--engine-workers", "2", "--rate", "10000", *options]
    proc = subprocess.Popen(
        [python, "-m", "calcml", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=data_dir,  # never the repo: `-m calcml` must find the interpreter's own calcml
    )
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        assert "serving on" in line, line + (proc.stderr.read() if proc.stderr else "")
        url = line.split("serving on ", 1)[1].split()[0].rstrip("/")
        _wait_until_up(url)
        yield url
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _wait_until_up(url: str, seconds: float = 300.0) -> None:
    """Wait for /health and a first engine answer (the workers start cold on a busy machine)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url + "/calc/preview?q=x", timeout=60) as r:
                if r.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def launch(playwright):  # type: ignore[no-untyped-def]
    """Debian's Chromium (never a downloaded browser), background networking off."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)


def watch(page, errors: list[str]) -> None:  # type: ignore[no-untyped-def]
    """Record console errors, page errors and CSP violations of `page` into `errors`."""
    page.add_init_script(WATCH)
    page.on("console", lambda m: errors.append(f"console: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))


def problems(page) -> list[str]:  # type: ignore[no-untyped-def]
    return list(page.evaluate("window.__problems || []"))
