"""`calcml admin` on the store of --database-url / CALCML_DATABASE_URL: create, disable and
enable accounts, set a password (every session ends), issue a reset code, clean up stale
anonymous learners; bad input exits 2 with a message and no traceback."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

from calcml.cli import main
from calcml.store import accounts
from calcml.store.opening import connect
from calcml.store.progress import Progress
from hashing import fast_hashes


@pytest.fixture(autouse=True)
def fast_hash(monkeypatch: pytest.MonkeyPatch) -> None:
    fast_hashes(monkeypatch)


@pytest.fixture
def url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("CALCML_DATA_DIR", str(tmp_path / "local"))
    return f"sqlite:///{tmp_path}/server.db"


def run(monkeypatch: pytest.MonkeyPatch, *args: str, stdin: str = "") -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(list(args))


def test_create_disable_enable_and_reset(
    url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    assert (
        run(
            monkeypatch,
            "admin",
            "create",
            "Ada",
            "--password-stdin",
            "--database-url",
            url,
            stdin="first password\n",
        )
        == 0
    )
    engine = connect(url)
    ada = accounts.authenticate(engine, "ada", "first password", "c")
    token = accounts.open_session(engine, ada.id)
    assert run(monkeypatch, "admin", "disable", "ada", "--database-url", url) == 0
    assert accounts.session_account(engine, token) is None
    with pytest.raises(accounts.AccountError):
        accounts.authenticate(engine, "ada", "first password", "c")
    assert run(monkeypatch, "admin", "enable", "ada", "--database-url", url) == 0
    token = accounts.open_session(engine, ada.id)
    monkeypatch.setenv("CALCML_DATABASE_URL", url)  # the environment variable works too
    assert (
        run(
            monkeypatch,
            "admin",
            "reset-password",
            "ada",
            "--password-stdin",
            stdin="second password\n",
        )
        == 0
    )
    assert accounts.session_account(engine, token) is None
    assert accounts.authenticate(engine, "ada", "second password", "c").id == ada.id
    capsys.readouterr()
    assert run(monkeypatch, "admin", "reset-code", "ada") == 0
    code = capsys.readouterr().out.strip()
    assert "second password" not in code and len(code) == 20
    accounts.redeem_reset_code(engine, "ada", code, "third password", "c")
    assert accounts.authenticate(engine, "ada", "third password", "c").id == ada.id


def test_bad_input_exits_2_without_traceback(
    url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    assert run(monkeypatch, "admin", "disable", "nobody", "--database-url", url) == 2
    assert (
        run(
            monkeypatch,
            "admin",
            "create",
            "x",
            "--password-stdin",
            "--database-url",
            url,
            stdin="long enough\n",
        )
        == 2
    )
    assert (
        run(
            monkeypatch,
            "admin",
            "create",
            "ada",
            "--password-stdin",
            "--database-url",
            url,
            stdin="short\n",
        )
        == 2
    )
    err = capsys.readouterr().err
    assert "Traceback" not in err and "no account named 'nobody'" in err
    assert "short" not in err  # the password is not echoed


def test_cleanup_removes_stale_anonymous_learners(
    url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    right = SimpleNamespace(correct=True, score=1.0, mistake=None, counted=True)
    now = datetime.now(UTC)
    for learner, age in (("web:old", 400), ("web:recent", 10), ("default", 400)):
        Progress(url, learner=learner).record(
            "power-rule", 1, 1, "x", right, now=now - timedelta(days=age)
        )
    assert run(monkeypatch, "admin", "cleanup", "--database-url", url) == 0
    assert "removed 1 anonymous learners" in capsys.readouterr().out
    assert Progress(url, learner="web:old").history() == []
    assert len(Progress(url, learner="web:recent").history()) == 1
    assert len(Progress(url, learner="default").history()) == 1
    assert run(monkeypatch, "admin", "cleanup", "--days", "5", "--database-url", url) == 0
    assert Progress(url, learner="web:recent").history() == []
    assert run(monkeypatch, "admin", "cleanup", "--days", "0", "--database-url", url) == 2


def test_progress_export_writes_the_local_store(
    url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    import json

    right = SimpleNamespace(correct=True, score=1.0, mistake=None, counted=True)
    Progress().record("gd-step", 3, 2, "0.5", right)
    assert run(monkeypatch, "progress", "export") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["format"] == "calcml-progress-1"
    assert [(a["skill"], a["seed"]) for a in data["attempts"]] == [("gd-step", 3)]
    assert data["cards"][0]["skill"] == "gd-step"
