"""A damaged SQLite progress file: move it aside (never overwritten, never deleted), start a new
file at the newest schema, and carry over every row that can still be read.

A truncated file is read through a copy padded back to its size (its intact pages readable).
Rows are read in rowid order; where a damaged page stops the scan, the next rowids are probed one
by one (at most MAX_PROBES), so rows after the damage are kept too. The engine cache is not
carried over (it is only a cache)."""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import MetaData, Table
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from calcml.store.db import engine_for, forget, sqlite_path
from calcml.store.errors import StoreError
from calcml.store.migrate import upgrade

KEPT_TABLES = ("attempts", "skill_cards")
MAX_PROBES = 100_000  # rowids tried one by one past a damaged page, per table
MAX_PADDED_BYTES = 4 * 1024**3  # a truncated file is padded back to at most this size
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
    """Every row of `table` that can be read, in rowid order, stepping over damaged pages;
    no rowid twice.

    A scan that fails is resumed by looking rowids up one at a time (`rowid = ?` reads one
    row and touches no other page; a scan's cursor reads ahead, so the row before a damaged
    page would otherwise be lost with it). Rowids only go up: a page partly blanked (a file
    cut in its middle) reads as cells of rowid 0, and letting those move the resume point back
    re-read the whole table once per probe (millions of rows, gigabytes, for one cut file)."""
    names = ", ".join(f'"{c}"' for c in columns)
    scan = f'SELECT rowid, {names} FROM "{table}" WHERE rowid > ? ORDER BY rowid'
    point = f'SELECT rowid, {names} FROM "{table}" WHERE rowid = ?'
    last, probes = 0, 0
    while True:
        try:
            for row in db.execute(scan, (last,)):
                if row[0] <= last or not _sane(row):  # a damaged page's cell
                    continue
                last = row[0]
                yield tuple(row[1:])
            return
        except (sqlite3.DatabaseError, MemoryError):  # a damaged record may claim gigabytes
            pass
        found = None
        while found is None:
            if probes >= MAX_PROBES:
                return
            probes, last = probes + 1, last + 1
            try:
                found = db.execute(point, (last,)).fetchone()
            except (sqlite3.DatabaseError, MemoryError):
                continue
            if found is not None and not _sane(found):
                found = None
        yield tuple(found[1:])


MAX_CELL = 1 << 16  # bytes: no value calcml stores is longer (answers are cut at 4,000 chars)


def _sane(row: tuple) -> bool:
    """False for a row a damaged page turned into huge values: it is not carried over (kept
    rows stay bounded in memory however the file was damaged)."""
    return all(not isinstance(v, (str, bytes)) or len(v) <= MAX_CELL for v in row)


def _columns(db: sqlite3.Connection, table: str) -> list[str]:
    try:
        return [r[1] for r in db.execute(f'PRAGMA table_info("{table}")')]
    except sqlite3.DatabaseError:
        return []


def _page_count_size(path: Path) -> int:
    """The size the SQLite header says the file has (0 when the header is unreadable)."""
    with path.open("rb") as f:
        header = f.read(100)
    if len(header) < 100 or not header.startswith(b"SQLite format 3\0"):
        return 0
    page = int.from_bytes(header[16:18], "big")
    page = 65536 if page == 1 else page
    return page * int.from_bytes(header[28:32], "big")


@contextlib.contextmanager
def readable_copy(source: Path) -> Iterator[Path]:
    """`source`, or for a truncated file a temporary copy padded with zeros to the size its
    header gives: SQLite refuses every page of a file cut short, but reads the intact pages of
    one whose missing pages are blank (only they are then unreadable). `source` is not
    touched."""
    size = _page_count_size(source)
    if size <= source.stat().st_size or size > MAX_PADDED_BYTES:
        yield source
        return
    with tempfile.TemporaryDirectory(prefix="calcml-salvage-") as folder:
        copy = Path(folder) / source.name
        shutil.copyfile(source, copy)
        with copy.open("r+b") as f:
            f.truncate(size)  # the missing tail reads as zeros
        wal = Path(f"{source}-wal")
        if wal.exists():
            shutil.copyfile(wal, Path(f"{copy}-wal"))
        yield copy


def intact(row: tuple) -> bool:
    """False for a row read from a blanked part of a page (NUL bytes in its text)."""
    return not any(isinstance(v, str) and "\x00" in v for v in row)


def salvage(source: Path, url: str) -> tuple[int, dict[str, int]]:
    """Copy the readable rows of `source` into the database at `url`; (rows, per table)."""
    with readable_copy(source) as readable:
        return _salvage(readable, url)


def _salvage(source: Path, url: str) -> tuple[int, dict[str, int]]:
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
                rows = [r for r in readable_rows(db, name, wanted) if intact(r)]
                columns = ", ".join(f'"{c}"' for c in wanted)
                marks = ", ".join("?" for _ in wanted)
                insert = f'INSERT INTO "{name}" ({columns}) VALUES ({marks})'
                copied[name] = 0
                for row in rows:  # the values as stored (no type conversion on the way)
                    try:
                        with connection.begin_nested():
                            connection.exec_driver_sql(insert, row)
                        copied[name] += 1
                    except IntegrityError:  # a damaged row breaking a constraint: skipped
                        continue
    finally:
        db.close()
    return sum(copied.values()), copied


def recover(url: str, notify: Callable[[str], Any] | None = None) -> Path:
    """Move the damaged file behind `url` aside, start a new one, carry rows over; returns
    where the damaged file now is. Says what happened through `notify` (default: a log
    warning)."""
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
