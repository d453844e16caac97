"""The CLI when the progress store fails: the result is shown, then one message naming the file
and what to do (no SQL, no answer echoed, no traceback); `--save` exits 2 when nothing was
saved; a damaged file is moved aside and the session goes on."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from calcml.learn.problems import problem

ANSWER = problem("power-rule", 0, 1).answer.input()


def calcml(*args: str, env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "calcml", *args],
        input=stdin.encode(),
        capture_output=True,
        env={**os.environ, **env},
        timeout=300,
    )


def assert_clean(stderr: bytes) -> str:
    text = stderr.decode()
    for leak in ("Traceback", "[SQL", "INSERT", "SELECT", "OperationalError", "sqlalchemy"):
        assert leak not in text, text
    return text


def test_check_save_in_a_data_dir_that_cannot_exist_exits_2(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    where = tmp_path / "file" / "calcml"
    done = calcml("check", "power-rule", "--answer", ANSWER, "--save",
                  env={"CALCML_DATA_DIR": str(where)})  # fmt: skip
    assert done.returncode == 2
    assert "correct" in done.stdout.decode()  # the verdict is shown first
    err = assert_clean(done.stderr)
    assert "progress not saved" in err and str(where) in err and "CALCML_DATA_DIR" in err


def test_check_save_to_a_read_only_database_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    ok = calcml("check", "power-rule", "--answer", ANSWER, "--save",
                env={"CALCML_DATA_DIR": str(tmp_path)})  # fmt: skip
    assert ok.returncode == 0
    read_only = {"CALCML_DATABASE_URL": f"sqlite:///file:{path}?mode=ro&uri=true"}
    done = calcml("check", "power-rule", "--answer", "3x^2 + secret", "--save", env=read_only)
    assert done.returncode == 2
    err = assert_clean(done.stderr)
    assert "read-only" in err and str(path) in err and "secret" not in err


def test_check_save_on_a_fully_corrupt_file_keeps_it_aside_and_saves(tmp_path: Path) -> None:
    junk = bytes(random.Random(3).randrange(256) for _ in range(30_000))
    (tmp_path / "progress.sqlite3").write_bytes(junk)
    done = calcml("check", "power-rule", "--answer", ANSWER, "--save",
                  env={"CALCML_DATA_DIR": str(tmp_path)})  # fmt: skip
    assert done.returncode == 0  # saved, into a new file
    err = assert_clean(done.stderr)
    (aside,) = [p for p in tmp_path.glob("*.damaged-*") if not p.name.endswith(("-wal", "-shm"))]
    assert aside.read_bytes() == junk and str(aside) in err and "damaged" in err


def test_invalid_utf8_answer_is_graded_and_saved(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "calcml", "check", "power-rule", "--answer", b"3x\xff", "--save"],
        capture_output=True,
        env={**os.environ, "CALCML_DATA_DIR": str(tmp_path)},
        timeout=300,
    )
    assert done.returncode == 2  # unreadable answer, as before; but no crash
    assert_clean(done.stderr)
    assert "could not read" in done.stdout.decode()


def test_practice_with_a_broken_store_goes_on_and_exits_2(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    done = calcml("practice", "power-rule", "--seed", "0", "--count", "1",
                  env={"CALCML_DATA_DIR": str(tmp_path / "file" / "x")},
                  stdin=ANSWER + "\n")  # fmt: skip
    assert "correct" in done.stdout.decode()
    err = assert_clean(done.stderr)
    assert err.count("progress not saved") == 1
    assert done.returncode == 2


@pytest.mark.parametrize("verb", [["roadmap"], ["roadmap", "--json"]])
def test_roadmap_with_a_broken_store_still_shows_the_course(tmp_path: Path, verb: list) -> None:
    (tmp_path / "file").write_text("")
    done = calcml(*verb, env={"CALCML_DATA_DIR": str(tmp_path / "file" / "x")})
    assert done.returncode == 0 and "power-rule" in done.stdout.decode()
    assert "progress not saved" in assert_clean(done.stderr)
