"""Migration 0003 (accounts and classes): the 0.1.0 fixture and a database at 0002 (with
engine-cache rows) upgrade to it with every row kept, every old attempt without a client id;
the fresh tables work at once; and 0003 downgrades to 0002 with the rows still there."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine

from calcml.store import connect
from calcml.store.migrate import _config, current, head

FIXTURE = Path(__file__).parent / "fixtures" / "progress-0.1.0.sqlite"
NEW_TABLES = {
    "users",
    "sessions",
    "login_attempts",
    "reset_codes",
    "classes",
    "memberships",
    "problem_sets",
}


def dump(path: Path, skip: tuple[str, ...] = ()) -> dict[str, list[dict]]:
    """Every row of every table (but alembic's), as dicts, minus the `skip` columns."""
    with sqlite3.connect(path) as db:
        db.row_factory = sqlite3.Row
        tables = [
            r[0]
            for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")
            if r[0] != "alembic_version"
        ]
        return {
            t: [
                {k: r[k] for k in r.keys() if k not in skip}  # noqa: SIM118 (a Row)
                for r in db.execute(f"SELECT * FROM {t} ORDER BY rowid")
            ]
            for t in tables
        }


def to_revision(path: Path, revision: str) -> None:
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        command.upgrade(_config(connection), revision)
    engine.dispose()


def test_0_1_0_fixture_upgrades_with_every_row_and_no_client_ids(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    shutil.copyfile(FIXTURE, path)
    before = dump(path)
    engine = connect(f"sqlite:///{path}")
    assert current(engine) == head() == "0003"
    after = dump(path, skip=("client_id",))
    assert {t: after[t] for t in before} == before
    assert set(after) >= NEW_TABLES and all(after[t] == [] for t in NEW_TABLES)
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT COUNT(*) FROM attempts WHERE client_id IS NULL").fetchone() == (
            36,
        )


def test_a_0002_database_with_cache_rows_upgrades_with_every_row(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    shutil.copyfile(FIXTURE, path)
    to_revision(path, "0002")
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT version_num FROM alembic_version").fetchone() == ("0002",)
        db.executemany(
            "INSERT INTO engine_cache (key, value, size, created) VALUES (?, ?, ?, ?)",
            [(f"k{i}", f'{{"v": {i}}}', 9, "2026-11-02 10:00:00.000000") for i in range(25)],
        )
    before = dump(path)
    assert len(before["engine_cache"]) == 25 and len(before["attempts"]) == 36
    connect(f"sqlite:///{path}")
    after = dump(path, skip=("client_id",))
    assert {t: after[t] for t in before} == before
    # the unique client id works on the upgraded table: NULLs many, a value once
    with sqlite3.connect(path) as db:
        db.execute("UPDATE attempts SET client_id = 'x1' WHERE id = 1")
        try:
            db.execute("UPDATE attempts SET client_id = 'x1' WHERE id = 2")
            raise AssertionError("a duplicate client id was accepted")
        except sqlite3.IntegrityError:
            pass


def test_0003_downgrades_to_0002_keeping_rows(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    shutil.copyfile(FIXTURE, path)
    to_revision(path, "head")
    before = dump(path, skip=("client_id",))
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        command.downgrade(_config(connection), "0002")
    engine.dispose()
    after = dump(path)
    assert set(after) == {"attempts", "skill_cards", "engine_cache"}
    assert {t: before[t] for t in after} == after
