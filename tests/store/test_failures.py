"""Store failures end in a StoreError that names the file and says what to do (never SQL, never
the learner's answer); a damaged SQLite file is moved aside unchanged and a new file starts
with every row that could be read; invalid UTF-8 in an answer is stored, not a crash."""

from __future__ import annotations

import random
import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from calcml.learn.grader import Verdict
from calcml.store import Progress, StoreError, connect
from calcml.store.db import forget
from calcml.store.opening import forget_schema
from calcml.store.recovery import aside_name, move_aside

RIGHT = Verdict(True, 1.0, "right.")
FIXTURE = Path(__file__).parent / "fixtures" / "progress-0.1.0.sqlite"
SECRET = "3x^2 + secret-answer"


def make_db(path: Path, n: int = 1500) -> list[tuple]:
    """A progress file with n attempts on many pages; returns its attempts rows."""
    url = f"sqlite:///{path}"
    progress = Progress(url)
    with progress.engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO attempts (learner, skill, seed, difficulty, answer, correct, score, "
            "counted, hints, at) VALUES "
            + ",".join(f"('default', 'power-rule', {i}, 1, '{SECRET} {i}', 1, 1.0, 1, 0, "
                       "'2026-01-01 00:00:00')" for i in range(n))
        )  # fmt: skip
    forget(url)
    forget_schema(url)
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return db.execute("SELECT * FROM attempts ORDER BY id").fetchall()


def damage(path: Path, row: int, seed: int = 0) -> bytes:
    """Overwrite the table page holding attempt `row` with random bytes; returns the file."""
    data = bytearray(path.read_bytes())
    size = int.from_bytes(data[16:18], "big")
    page = data.index(f"{SECRET} {row}".encode()) // size
    rng = random.Random(seed)
    data[page * size : (page + 1) * size] = bytes(rng.randrange(256) for _ in range(size))
    path.write_bytes(bytes(data))
    return bytes(data)


def recovered_rows(path: Path) -> list[tuple]:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT * FROM attempts ORDER BY id").fetchall()


@pytest.mark.parametrize("where", [0.3, 0.6, 0.9])
def test_partly_damaged_file_is_set_aside_and_readable_rows_kept(
    tmp_path: Path, where: float
) -> None:
    path = tmp_path / "progress.sqlite3"
    before = make_db(path)
    damaged = damage(path, int(len(before) * where))
    notes: list[str] = []
    progress = Progress(f"sqlite:///{path}", notify=notes.append)
    aside = [p for p in tmp_path.iterdir() if p.name.startswith("progress.sqlite3.damaged-")]
    aside = [p for p in aside if not p.name.endswith(("-wal", "-shm"))]
    assert len(aside) == 1 and aside[0].read_bytes() == damaged  # kept as it was
    assert len(notes) == 1 and str(path) in notes[0] and str(aside[0]) in notes[0]
    after = recovered_rows(path)
    assert set(after) <= set(before)  # nothing invented
    assert len(after) >= len(before) - 100  # only the rows of one page are missing
    assert progress.record("power-rule", 1, 1, "x", RIGHT) in {"familiar", "mastered"}


def test_damage_found_by_a_query_is_repaired_and_the_query_retried(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    url = f"sqlite:///{path}"
    before = make_db(path)
    progress = Progress(url)  # checked and ready: the damage comes later
    forget(url)
    damage(path, len(before) // 2)
    progress.engine = connect(url)
    notes: list[str] = []
    progress.notify = notes.append
    assert progress.overview(["power-rule"]) == {"power-rule": "familiar"}  # reads every row
    assert len(notes) == 1 and "moved to" in notes[0]
    progress.record("chain-rule", 7, 1, "x", RIGHT)
    assert [h["seed"] for h in progress.history("chain-rule")] == [7]
    assert len(recovered_rows(path)) >= len(before) - 100


def test_fully_corrupt_file_is_set_aside_and_a_new_one_started(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    junk = bytes(random.Random(1).randrange(256) for _ in range(50_000))
    path.write_bytes(junk)
    notes: list[str] = []
    Progress(f"sqlite:///{path}", notify=notes.append).record("power-rule", 1, 1, "x", RIGHT)
    (aside,) = [p for p in tmp_path.glob("*.damaged-*") if not p.name.endswith(("-wal", "-shm"))]
    assert aside.read_bytes() == junk
    assert "0 rows" in notes[0] and str(aside) in notes[0]
    assert len(recovered_rows(path)) == 1


def test_moving_aside_never_overwrites(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    taken = aside_name(path)
    taken.write_text("an older damaged file")
    path.write_text("now damaged")
    target = move_aside(path)
    assert target != taken and taken.read_text() == "an older damaged file"
    assert target.read_text() == "now damaged" and not path.exists()


def test_read_only_database_names_the_file_and_hides_the_sql(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    make_db(path, 10)
    before = recovered_rows(path)
    progress = Progress(f"sqlite:///file:{path}?mode=ro&uri=true")
    with pytest.raises(StoreError) as caught:
        progress.record("power-rule", 1, 1, SECRET, RIGHT)
    message = caught.value.message
    assert str(path) in message and "read-only" in message and "CALCML_DATA_DIR" in message
    assert "INSERT" not in message and SECRET not in message and "[SQL" not in message
    assert recovered_rows(path) == before


def test_a_data_dir_that_cannot_be_created(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "file").write_text("")
    monkeypatch.setenv("CALCML_DATA_DIR", str(tmp_path / "file" / "calcml"))
    monkeypatch.delenv("CALCML_DATABASE_URL", raising=False)
    with pytest.raises(StoreError) as caught:
        Progress()
    assert str(tmp_path / "file" / "calcml") in caught.value.message


def test_invalid_utf8_in_an_answer_is_stored_replaced(tmp_path: Path) -> None:
    progress = Progress(f"sqlite:///{tmp_path / 'p.db'}")
    answer = b"3x\xff^2 \xc3".decode("utf-8", "surrogateescape")  # what argv/stdin give
    progress.record("power-rule", 1, 1, answer, RIGHT)
    assert progress.history()[0]["answer"] == "3x\ufffd^2 \ufffd"


def test_the_0_1_0_fixture_with_a_missing_table_gets_it_back(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    shutil.copyfile(FIXTURE, path)
    with sqlite3.connect(path) as db:
        db.execute("DROP TABLE skill_cards")
    progress = Progress(f"sqlite:///{path}", learner="ada")
    assert len(progress.history()) == 12
    progress.record("power-rule", 99, 1, "x", RIGHT)
    assert "power-rule" in progress.due()


def cut_file(path: Path, seed: int) -> set[int]:
    """Cut the progress file at `path` in the middle of a page of attempts chosen at random
    (the end of a page, where its first cells lie, is lost); the seeds of the rows wholly
    before the cut (the reference: where each row's bytes lie in the original file, not what
    recovery reads)."""
    data = path.read_bytes()
    size = int.from_bytes(data[16:18], "big")
    where = {
        int(m.group(1)): m.start() for m in re.finditer(rb"secret-answer (\d+?)2026-01-01", data)
    }
    rng = random.Random(seed)
    page = where[rng.choice(sorted(where))] // size
    cut = page * size + rng.randrange(size // 8, size)
    path.write_bytes(data[:cut])
    return {i for i, at in where.items() if (at // size + 1) * size <= cut}


@pytest.mark.parametrize("seed", range(6))
def test_truncated_file_keeps_every_row_on_its_intact_pages(tmp_path: Path, seed: int) -> None:
    """Cut in the middle of a page of attempts: its blanked cells read as rowid 0, which once
    sent the reader back to the table's start once per probe (gigabytes, minutes; rows on
    intact pages lost when the worker died); rows are now read once, in rowid order."""
    path = tmp_path / "progress.sqlite3"
    original = make_db(path)
    whole = cut_file(path, seed)
    cut = path.read_bytes()
    notes: list[str] = []
    Progress(f"sqlite:///{path}", notify=notes.append)
    (aside,) = [p for p in tmp_path.glob("*.damaged-*") if not p.name.endswith(("-wal", "-shm"))]
    assert aside.read_bytes() == cut  # kept as it was
    kept = recovered_rows(path)
    assert len(kept) == len(set(kept)) and set(kept) <= set(original)  # nothing invented
    assert whole - {r[3] for r in kept} == set(), sorted(whole - {r[3] for r in kept})[:5]
    assert whole and len(notes) == 1 and str(aside) in notes[0]
    assert f"{len(kept)} rows" in notes[0]


def test_a_file_cut_inside_its_schema_is_set_aside_not_reset(tmp_path: Path) -> None:
    """Cut before the first page of attempts (the tables' list itself is cut): nothing can be
    read, and the learner is told so; the file is kept aside as it was, never overwritten."""
    path = tmp_path / "progress.sqlite3"
    make_db(path, 300)
    data = path.read_bytes()
    size = int.from_bytes(data[16:18], "big")
    cut = (data.index(f"{SECRET} 0".encode()) // size - 3) * size + size // 2
    path.write_bytes(data[:cut])
    notes: list[str] = []
    Progress(f"sqlite:///{path}", notify=notes.append).record("power-rule", 1, 1, "x", RIGHT)
    (aside,) = [p for p in tmp_path.glob("*.damaged-*") if not p.name.endswith(("-wal", "-shm"))]
    assert aside.read_bytes() == data[:cut]
    assert len(notes) == 1 and str(aside) in notes[0] and str(path) in notes[0]
    assert len(recovered_rows(path)) == 1  # the new file works
