"""The SQLite progress file in trouble, seen from the web app: `calcml serve` refuses a read-only
or locked file (exit 2, the file named), sets a garbage or truncated file aside untouched and
says so (the readable rows carried over, never a silent reset); while serving, a locked file is
a 503 with Retry-After and a read-only one a 500 that names neither the file nor the SQL."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from appserver import CALCML, AppServer

FIXTURE = Path(__file__).parents[1] / "store" / "fixtures" / "progress-0.1.0.sqlite"


def csrf_of(client) -> str:
    client.get("/calc")
    return client.cookies["calcml_csrf"]


SERVE = ["serve", "--port", "0", "--engine-workers", "1", "--database-url"]


@dataclass
class Refusal:
    returncode: int
    stdout: str
    stderr: str


def serve_fails(url: str, how: str, capsys: pytest.CaptureFixture, monkeypatch) -> Refusal:
    """`calcml serve` on `url` that must refuse to start: a real process (`make soak`), or
    in this process through calcml.cli.main, the same exit code and message path without a
    second start-up of calcml (uvicorn is replaced: serving at all fails the test)."""
    if how == "process":
        done = subprocess.run([CALCML, *SERVE, url], capture_output=True, text=True, timeout=120)
        return Refusal(done.returncode, done.stdout, done.stderr)
    import uvicorn

    from calcml.cli import main
    from calcml.store.db import forget

    def served(*_: object, **__: object) -> None:
        raise AssertionError("calcml serve started on a database it must refuse")

    monkeypatch.setattr(uvicorn, "run", served)
    capsys.readouterr()
    try:
        code = main([*SERVE, url])
    finally:
        forget(url)
    out, err = capsys.readouterr()
    return Refusal(code, out, err)


RUNS = ["in-process", pytest.param("process", marks=pytest.mark.soak)]


@pytest.mark.parametrize("how", RUNS)
def test_serve_refuses_a_read_only_file(
    tmp_path: Path, how: str, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "progress.sqlite3"
    shutil.copyfile(FIXTURE, path)
    before = path.read_bytes()
    done = serve_fails(f"sqlite:///file:{path}?mode=ro&uri=true", how, capsys, monkeypatch)
    assert done.returncode == 2, done.stderr
    assert "read-only" in done.stderr and str(path) in done.stderr
    assert "serving on" not in done.stdout and "Traceback" not in done.stderr
    assert path.read_bytes() == before


@pytest.mark.parametrize("how", RUNS)
def test_serve_refuses_a_locked_file(
    tmp_path: Path, how: str, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "progress.sqlite3"
    shutil.copyfile(FIXTURE, path)
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        done = serve_fails(f"sqlite:///{path}", how, capsys, monkeypatch)
    finally:
        holder.close()
    assert done.returncode == 2, done.stderr
    assert "busy" in done.stderr and str(path) in done.stderr
    assert "Traceback" not in done.stderr


def _damage(path: Path, how: str) -> None:
    data = path.read_bytes()
    if how == "truncated":
        path.write_bytes(data[: len(data) * 2 // 3])
    else:
        path.write_bytes(bytes((b * 7 + 13) % 256 for b in data))


@pytest.mark.parametrize("how", ["garbage", pytest.param("truncated", marks=pytest.mark.soak)])
def test_serve_sets_a_damaged_file_aside_and_says_so(tmp_path: Path, how: str) -> None:
    path = tmp_path / "progress.sqlite3"
    shutil.copyfile(FIXTURE, path)
    with sqlite3.connect(FIXTURE) as db:
        original = db.execute("SELECT count(*) FROM attempts").fetchone()[0]
    _damage(path, how)
    damaged = path.read_bytes()
    server = AppServer(f"sqlite:///{path}")
    try:
        log = server.stderr()
    finally:
        server.stop()
    (aside,) = [p for p in tmp_path.glob("progress.sqlite3.damaged-*") if p.suffix != ".log"]
    assert aside.read_bytes() == damaged  # kept as it was
    assert str(path) in log and str(aside) in log and "damaged" in log
    with sqlite3.connect(path) as db:
        kept = db.execute("SELECT count(*) FROM attempts").fetchone()[0]
    assert f"the {kept} rows" in log or "no rows" in log
    assert kept <= original


def test_a_locked_file_while_serving_is_a_503_then_saves(make_client, tmp_path: Path) -> None:
    client = make_client()
    page = client.get("/practice", follow_redirects=False)
    query = dict(p.split("=") for p in page.headers["location"].split("?")[1].split("&"))
    form = {**query, "answer": "x + 41", "csrf": csrf_of(client)}
    holder = sqlite3.connect(tmp_path / "progress.sqlite3", isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        busy = client.post("/practice/answer", data=form)
    finally:
        holder.close()
    saved = client.post("/practice/answer", data={**form, "answer": "x + 42"})
    assert busy.status_code == 503 and busy.headers["retry-after"].isdigit()
    assert "busy" in busy.text and "progress.sqlite3" not in busy.text
    assert saved.status_code == 200
    with sqlite3.connect(tmp_path / "progress.sqlite3") as db:
        answers = [r[0] for r in db.execute("SELECT answer FROM attempts")]
    assert answers.count("x + 42") == 1 and answers.count("x + 41") <= 1


def test_a_read_only_file_while_serving_is_a_500_naming_no_file(
    make_client, tmp_path: Path
) -> None:
    path = tmp_path / "progress.sqlite3"
    make_client(database_url=f"sqlite:///{path}").get("/")  # made and migrated
    client = make_client(database_url=f"sqlite:///file:{path}?mode=ro&uri=true")
    assert client.get("/").status_code == 200  # reading still works
    page = client.get("/practice", follow_redirects=False)
    query = dict(p.split("=") for p in page.headers["location"].split("?")[1].split("&"))
    reply = client.post("/practice/answer", data={**query, "answer": "x", "csrf": csrf_of(client)})
    assert reply.status_code == 500
    assert "read-only" in reply.text
    assert str(tmp_path) not in reply.text and "INSERT" not in reply.text
