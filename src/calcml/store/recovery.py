"""A damaged SQLite progress file: move it aside (never overwritten, never deleted), start a new
file at the newest schema, and carry over every row that can still be read.

Rows are read in rowid order; where a damaged page stops the scan, the next rowids are probed one
by one (at most MAX_PROBES), so rows after the damage are kept too. The engine cache is not
carried over (it is only a cache)."""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import MetaData, Table
from sqlalchemy.exc import SQLAlchemyError

from calcml.store.db import engine_for, forget, sqlite_path
from calcml.store.errors import StoreError

KEPT_TABLES = ("attempts", "skill_cards")
MAX_PROBES = 100_000  # rowids tried one by one past a damaged page, per table
SIDECARS = ("", "-wal", "-shm", "-journal")

log = logging.getLogger("calcml.store")


def aside_name(path: Path, when: datetime | None = None) -> Path:
    """progress.sqlite3 -> progress.sqlite3.damaged-20261129T181500 (-2, -3 ... if taken)."""
    stamp = (when or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S")
    candidate = path.with_name(f"{path.name}.damaged-{stamp}")
    n = 2
    while any(Path(f"{candidate}{s}").exists() for s in SIDECARS):
        candidate = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
        n += 1
    return candidate


def move_aside(path: Path) -> Path:
    """Rename `path` and its -wal/-shm/-journal files to a new name; never replaces a file."""
    target = aside_name(path)
    for suffix in SIDECARS:
        source = Path(f"{path}{suffix}")
        if source.exists():
            destination = Path(f"{target}{suffix}")
            os.link(source, destination)  # fails if destination exists: nothing is overwritten
            source.unlink()
    return target


def readable_rows(db: sqlite3.Connection, table: str, columns: list[str]) -> Iterator[tuple]:
    """Every row of `table` that can be read, in rowid order, stepping over damaged pages."""
    names = ", ".join(f'"{c}"' for c in columns)
    last, probes = 0, 0
    while probes <= MAX_PROBES:
        try:
            for row in db.execute(
                f'SELECT rowid, {names} FROM "{table}" WHERE rowid > ? ORDER BY rowid', (last,)
            ):
                last = row[0]
                yield tuple(row[1:])
            return
        except sqlite3.DatabaseError:
            last += 1
            probes += 1


def _columns(db: sqlite3.Connection, table: str) -> list[str]:
    try:
        return [r[1] for r in db.execute(f'PRAGMA table_info("{table}")')]
    except sqlite3.DatabaseError:
        return []


def salvage(source: Path, url: str) -> tuple[int, dict[str, int]]:
    """Copy the readable rows of `source` into the database at `url`; (rows, per table)."""
    engine = engine_for(url)
    copied: dict[str, int] = {}
    try:
        db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    except sqlite3.Error:
        return 0, copied
    try:
        with engine.begin() as connection:
            for name in KEPT_TABLES:
                table = Table(name, MetaData(), autoload_with=connection)
                wanted = [c for c in _columns(db, name) if c in table.c]
                if not wanted:
                    continue
                rows = list(readable_rows(db, name, wanted))
                if rows:  # the values as stored (no type conversion on the way)
                    columns = ", ".join(f'"{c}"' for c in wanted)
                    marks = ", ".join("?" for _ in wanted)
                    connection.exec_driver_sql(
                        f'INSERT INTO "{name}" ({columns}) VALUES ({marks})', rows
                    )
                copied[name] = len(rows)
    finally:
        db.close()
    return sum(copied.values()), copied


def recover(url: str, notify: Callable[[str], Any] | None = None) -> Path:
    """Move the damaged file behind `url` aside, start a new one, carry rows over; returns
    where the damaged file now is. Says what happened through `notify` (default: a log
    warning)."""
    from calcml.store.migrate import upgrade

    path = sqlite_path(url)
    assert path is not None
    forget(url)
    try:
        aside = move_aside(path)
    except OSError as error:
        raise StoreError(
            f"the progress file is damaged and cannot be moved aside ({error.strerror or error})",
            str(path),
            "Rename it yourself (calcml will start a new one), or set CALCML_DATA_DIR to "
            "another folder.",
        ) from None
    upgrade(engine_for(url))
    try:
        total, _ = salvage(aside, url)
        carried = f"the {total} rows that could be read"
    except (SQLAlchemyError, sqlite3.Error):
        carried = "no rows (they could not be copied; they are still in the damaged file)"
    message = (
        f"the progress file {path} was damaged; it was moved to {aside} (kept as it was) and "
        f"a new file was started with {carried}."
    )
    (notify or log.warning)(message)
    return aside
