"""Migrations: a database made by calcml 0.1.0 (the committed fixture) upgrades to the newest
schema with every row kept, byte for byte; a fresh database matches the models; a database
from a newer calcml is refused and left untouched; migrations ship in the package."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from calcml.store import Progress, StoreError, connect
from calcml.store.migrate import MIGRATIONS, current, head
from calcml.store.models import Base

FIXTURE = Path(__file__).parent / "fixtures" / "progress-0.1.0.sqlite"
TABLES = ("attempts", "skill_cards")
COLUMNS_0_1_0 = {  # the columns of 0.1.0 (later revisions add columns, never change these)
    "attempts": "id, learner, skill, seed, difficulty, answer, correct, score, mistake, counted, "
    "hints, at",
    "skill_cards": "learner, skill, card, due",
}


def rows(path: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(path) as db:
        return {
            t: db.execute(f"SELECT {COLUMNS_0_1_0[t]} FROM {t} ORDER BY rowid").fetchall()
            for t in TABLES
        }


@pytest.fixture
def old_db(tmp_path: Path) -> Path:
    path = tmp_path / "progress.sqlite3"
    shutil.copyfile(FIXTURE, path)
    return path


def test_the_fixture_is_a_0_1_0_database_without_version_table() -> None:
    with sqlite3.connect(FIXTURE) as db:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert tables == set(TABLES)
    assert len(rows(FIXTURE)["attempts"]) == 36 and len(rows(FIXTURE)["skill_cards"]) == 12


def test_upgrading_the_0_1_0_fixture_keeps_every_row(old_db: Path) -> None:
    before = rows(old_db)
    engine = connect(f"sqlite:///{old_db}")
    assert current(engine) == head()
    assert rows(old_db) == before
    with sqlite3.connect(old_db) as db:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"engine_cache", "alembic_version"} <= tables


def test_upgraded_fixture_answers_like_0_1_0(old_db: Path) -> None:
    with sqlite3.connect(old_db) as db:
        expected = db.execute(
            "SELECT skill, answer, correct, counted FROM attempts WHERE learner='ada' ORDER BY id"
        ).fetchall()
    history = Progress(f"sqlite:///{old_db}", learner="ada").history()
    assert [(h["skill"], h["answer"], h["correct"], h["counted"]) for h in history] == [
        (s, a, bool(c), bool(n)) for s, a, c, n in expected
    ]


def test_an_older_layout_gets_its_missing_column_and_keeps_rows(old_db: Path) -> None:
    with sqlite3.connect(old_db) as db:
        db.execute("ALTER TABLE attempts DROP COLUMN hints")
    before = named_rows(old_db)
    connect(f"sqlite:///{old_db}")
    after = named_rows(old_db)
    assert len(after) == len(before) == 36
    assert [{k: v for k, v in r.items() if k not in ("hints", "client_id")} for r in after] == [
        {k: v for k, v in r.items() if k != "client_id"} for r in before
    ]
    assert {r["hints"] for r in after} == {0}  # the missing column, added with its default


def named_rows(path: Path) -> list[dict[str, object]]:
    with sqlite3.connect(path) as db:
        db.row_factory = sqlite3.Row
        return [dict(r) for r in db.execute("SELECT * FROM attempts ORDER BY id")]


def test_a_fresh_database_matches_the_models(db_url: str) -> None:
    engine = connect(db_url)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []


def test_a_database_from_a_newer_calcml_is_refused_untouched(old_db: Path) -> None:
    connect(f"sqlite:///{old_db}")
    with sqlite3.connect(old_db) as db:
        db.execute("UPDATE alembic_version SET version_num = '9999'")
    data = old_db.read_bytes()
    from calcml.store.opening import forget_schema

    forget_schema(f"sqlite:///{old_db}")
    with pytest.raises(StoreError) as caught:
        connect(f"sqlite:///{old_db}")
    assert str(old_db) in caught.value.message and "newer calcml" in caught.value.message
    assert old_db.read_bytes() == data


def test_migrations_ship_as_package_data() -> None:
    import tomllib

    root = Path(__file__).parents[2]
    assert (MIGRATIONS / "env.py").exists()
    assert len(list((MIGRATIONS / "versions").glob("0*.py"))) >= 2
    # the versions folder is a package, so setuptools' packages.find puts it in the wheel
    assert (MIGRATIONS / "versions" / "__init__.py").exists()
    config = tomllib.loads((root / "pyproject.toml").read_text())
    assert "alembic>=1.13" in config["project"]["dependencies"]
