"""The store's plumbing: one SQLAlchemy engine per database per process, migrations run once,
SQLite in WAL mode with a busy timeout and foreign keys; overview() in one query; due(now)
honours now."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import event

from calcml.learn.grader import Verdict
from calcml.store import Progress, connect
from calcml.store.db import BUSY_TIMEOUT_MS

RIGHT = Verdict(True, 1.0, "right.")
WRONG = Verdict(False, 0.0, "no.")


@pytest.fixture
def url(db_url: str) -> str:
    """Each test runs on SQLite and on PostgreSQL (tests/conftest.py: db_url)."""
    return db_url


def test_one_engine_per_url_shared_by_every_progress(url: str) -> None:
    a, b = Progress(url, learner="a"), Progress(url, learner="b")
    assert a.engine is b.engine is connect(url)


def test_schema_is_checked_once_per_process(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    Progress(url)
    import calcml.store.migrate as migrate

    calls: list[object] = []
    monkeypatch.setattr(migrate, "upgrade", lambda engine: calls.append(engine))
    for _ in range(3):
        Progress(url).mastery("power-rule")
    assert calls == []


def test_sqlite_runs_wal_with_busy_timeout_and_foreign_keys(tmp_path: Path) -> None:
    with connect(f"sqlite:///{tmp_path / 'p.db'}").connect() as connection:
        pragma = connection.exec_driver_sql
        assert pragma("PRAGMA journal_mode").scalar() == "wal"
        assert pragma("PRAGMA busy_timeout").scalar() == BUSY_TIMEOUT_MS
        assert pragma("PRAGMA foreign_keys").scalar() == 1


def test_overview_is_one_query_whatever_the_number_of_skills(url: str) -> None:
    progress = Progress(url)
    skills = [f"skill-{i}" for i in range(30)]
    for i, s in enumerate(skills[:10]):
        progress.record(s, i, 1, "x", RIGHT if i % 2 else WRONG)
    statements: list[str] = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(progress.engine, "before_cursor_execute", listener)
    try:
        levels = progress.overview(skills)
    finally:
        event.remove(progress.engine, "before_cursor_execute", listener)
    queries = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(queries) == 1
    assert levels == {s: progress.mastery(s) for s in skills}


def test_due_with_now_lists_only_reviews_due_by_then(url: str) -> None:
    progress = Progress(url)
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    progress.record("power-rule", 1, 1, "x", RIGHT, now=t0)
    progress.record("chain-rule", 1, 1, "x", WRONG, now=t0)
    every = progress.due()
    assert set(every) == {"power-rule", "chain-rule"}
    assert all(when > t0 for when in every.values())
    assert progress.due(t0) == {}
    first = min(every.values())
    assert set(progress.due(first)) == {s for s, when in every.items() if when <= first}
    assert progress.due(t0 + timedelta(days=365)) == every
