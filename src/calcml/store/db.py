"""Where progress lives, and the one SQLAlchemy engine per database URL in this process.

SQLite in the user's data directory by default, any SQLAlchemy URL otherwise.
`CALCML_DATA_DIR` overrides the directory (tests point it at a temporary one);
`CALCML_DATABASE_URL` overrides the whole URL (e.g. PostgreSQL).

`engine_for(url)` is the process-wide engine for `url` (`calcml.store.opening.connect` also
brings its schema up to date with the packaged Alembic migrations, never `create_all`). Units
of work open their own short `Session(engine)`. SQLite connections run in WAL mode with a busy
timeout and foreign keys on, so several processes (CLI, service workers) can share one file.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from calcml.store.errors import StoreError
from calcml.store.failures import classify

DB_FILE = "progress.sqlite3"
BUSY_TIMEOUT_MS = 5000  # how long a writer waits for another process's lock
# a server database (PostgreSQL): connections checked before use (a restarted server is
# reconnected by itself), a refused or unreachable server fails in seconds rather than hanging
SERVER_POOL: dict[str, Any] = {
    "pool_pre_ping": True,
    "pool_size": 10,
    "max_overflow": 10,
    "pool_timeout": 10,  # seconds a request waits for a free connection
    "pool_recycle": 1800,
}
CONNECT_TIMEOUT_S = 5  # libpq's connect_timeout
CONFLICT_TRIES = 5  # runs of a write unit that keeps losing races to concurrent ones
T = TypeVar("T")

_engines: dict[str, Engine] = {}
_lock = threading.Lock()


def data_dir() -> Path:
    """The directory for calcml's data (created on first use)."""
    override = os.environ.get("CALCML_DATA_DIR")
    if override:
        path = Path(override)
    else:
        import platformdirs

        path = Path(platformdirs.user_data_dir("calcml", appauthor=False))
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StoreError(
            f"cannot create calcml's data folder ({error.strerror or error})",
            str(path),
            "Make it writable, or set CALCML_DATA_DIR to a folder you can write.",
        ) from None
    return path


def default_url() -> str:
    """CALCML_DATABASE_URL, else SQLite in data_dir()."""
    return os.environ.get("CALCML_DATABASE_URL") or f"sqlite:///{data_dir() / DB_FILE}"


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL (None for other databases and in-memory SQLite)."""
    parsed = make_url(url)
    database = parsed.database or ""
    if database.startswith("file:"):  # a SQLite URI (uri=true): file:/path?mode=ro
        database = database.removeprefix("file:").split("?")[0]
    if parsed.get_backend_name() != "sqlite" or database in ("", ":memory:"):
        return None
    return Path(database)


def location(url: str) -> str:
    """How to name a database to a user: its file, or its URL without the password."""
    path = sqlite_path(url)
    return str(path) if path else make_url(url).render_as_string(hide_password=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # transactions begin where SQLAlchemy says (below)
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
    finally:
        cursor.close()


def _sqlite_begin(connection: Any) -> None:
    """Real transactions, DDL included; `sqlite_begin="IMMEDIATE"` takes the write lock first."""
    mode = connection.get_execution_options().get("sqlite_begin", "")
    connection.exec_driver_sql(f"BEGIN {mode}".strip())


def _engine_options(url: str) -> dict[str, Any]:
    if make_url(url).get_backend_name() != "postgresql":
        return {}
    return {**SERVER_POOL, "connect_args": {"connect_timeout": CONNECT_TIMEOUT_S}}


def engine_for(url: str | None = None) -> Engine:
    """The process-wide engine for `url` (default: default_url()), schema not checked."""
    url = url or default_url()
    with _lock:
        engine = _engines.get(url)
        if engine is None:
            engine = create_engine(url, **_engine_options(url))
            if engine.dialect.name == "sqlite":
                event.listen(engine, "connect", _sqlite_pragmas)
                event.listen(engine, "begin", _sqlite_begin)
            _engines[url] = engine
        return engine


def writer(engine: Engine) -> Engine:
    """`engine` for a unit of work that writes: SQLite takes the write lock at BEGIN
    (IMMEDIATE), so a read-then-write unit never fails half-way on another writer's lock."""
    if engine.dialect.name != "sqlite":
        return engine
    return engine.execution_options(sqlite_begin="IMMEDIATE")


def transaction(engine: Engine, unit: Callable[[Session], T]) -> T:
    """Run `unit` in one write transaction (`writer(engine)`) and commit; its result.

    A unit that loses a race to a concurrent one is run again from the start in a new
    transaction, which sees the winner's committed rows. On PostgreSQL (read committed) two
    transactions can each find no row for a key and both insert it — the same submission id,
    the first review card of a skill — and the second fails on the unique key when the first
    commits (or a lock order ends in a deadlock); SQLite serializes writers at BEGIN IMMEDIATE.
    So a unit reads what it depends on (an id already stored, a row `with_for_update`) and must
    not commit itself. After CONFLICT_TRIES runs the last error is raised."""
    for tries in range(1, CONFLICT_TRIES + 1):
        with Session(writer(engine)) as session:
            try:
                result = unit(session)
                session.commit()
                return result
            except SQLAlchemyError as error:
                if tries == CONFLICT_TRIES or classify(error).kind != "conflict":
                    raise
    raise AssertionError("unreachable")


def utcnow() -> datetime:
    """Now, in UTC (every time the store writes is UTC)."""
    return datetime.now(UTC)


def aware(when: datetime) -> datetime:
    """SQLite drops time zones: read naive times as UTC."""
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def forget(url: str) -> None:
    """Dispose of the engine for `url` (before its file is moved aside)."""
    with _lock:
        engine = _engines.pop(url, None)
    if engine is not None:
        engine.dispose()


def _after_fork() -> None:  # a forked child must not share its parent's connections
    for engine in list(_engines.values()):
        engine.dispose(close=False)
    _engines.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork)
