"""Opening a database: the process-wide engine for a URL with its schema checked and brought up
to date once per process (`connect`); a damaged SQLite file moved aside and a new one started
with its readable rows.

Above the three pieces it joins, so none of them imports another back: `db` (engines,
transactions), `migrate` (the Alembic upgrade) and `recovery` (salvaging a damaged file).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from calcml.store import migrate
from calcml.store.db import default_url, engine_for, location, sqlite_path
from calcml.store.errors import StoreError
from calcml.store.failures import classify, store_error
from calcml.store.recovery import recover

_ready: set[str] = set()
_lock = threading.Lock()


class DamagedFile(Exception):
    """SQLite's integrity check failed (the message reads like SQLite's own)."""


def _check_integrity(engine: Engine) -> None:
    with engine.connect() as connection:
        verdict = connection.exec_driver_sql("PRAGMA quick_check").scalar()
    if verdict != "ok":
        raise DamagedFile(f"database disk image is malformed ({verdict})")


def ensure_schema(engine: Engine, url: str, notify: Any = None) -> None:
    """Check (SQLite: integrity too) and upgrade the database behind `url`, once per process.

    A damaged SQLite file is moved aside and a new one started with its readable rows
    (calcml.store.recovery); any other failure becomes a StoreError naming the file."""
    with _lock:
        if url in _ready:
            return
        try:
            if sqlite_path(url) is not None:
                _check_integrity(engine)
            migrate.upgrade(engine)
        except (SQLAlchemyError, DamagedFile, OSError) as error:
            if classify(error).kind == "corrupt" and sqlite_path(url) is not None:
                recover(url, notify)
            else:
                raise store_error(error, location(url)) from None
        except Exception as error:  # alembic's own errors (a revision it cannot find, ...)
            if isinstance(error, StoreError):
                raise
            raise store_error(error, location(url)) from None
        _ready.add(url)


def forget_schema(url: str) -> None:
    """Check `url` again on next use (after its file was replaced)."""
    with _lock:
        _ready.discard(url)


def replace_damaged(url: str, notify: Any = None) -> None:
    """A query found the SQLite file behind `url` damaged: move it aside, start a new file with
    the rows that can be read (calcml.store.recovery), and mark it ready."""
    with _lock:
        _ready.discard(url)
        recover(url, notify)
        _ready.add(url)


def connect(url: str | None = None, notify: Callable[[str], Any] | None = None) -> Engine:
    """The process-wide engine for `url`, its schema migrated to the newest revision (once).

    Raises StoreError (file named, advice given) when the database cannot be opened or
    upgraded; a damaged SQLite file is moved aside and its readable rows carried over
    (see calcml.store.recovery) and `notify` told so (default: a log warning)."""
    url = url or default_url()
    engine = engine_for(url)
    ensure_schema(engine, url, notify)
    return engine_for(url)  # a new one if the file was replaced
