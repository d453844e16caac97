"""Bring a database to the newest schema with the Alembic migrations shipped in the package.

Run programmatically (no alembic.ini); `calcml.store.opening.ensure_schema` runs it once per
process and URL.
A database made by calcml 0.1.0 (no version table) is adopted by the baseline revision; one made
by a newer calcml (an unknown revision) is refused, never touched. The upgrade runs in one
transaction holding the write lock (SQLite: BEGIN IMMEDIATE; PostgreSQL: an advisory lock), so
two processes starting at once do not race.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from calcml.store.db import location
from calcml.store.errors import StoreError
from calcml.store.failures import store_error

MIGRATIONS = Path(__file__).with_name("migrations")

MIGRATION_LOCK = 0x63616C636D6C  # PostgreSQL advisory lock held while migrating ("calcml")


def _config(connection: Any = None) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head() -> str:
    """The newest revision shipped with this calcml."""
    from alembic.script import ScriptDirectory

    revision = ScriptDirectory.from_config(_config()).get_current_head()
    assert revision is not None
    return revision


def current(engine: Engine) -> str | None:
    """The database's revision (None: made before migrations, or empty)."""
    from alembic.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine) -> None:
    """Run every migration the database lacks (no-op when it is at head)."""
    from alembic import command
    from alembic.script import ScriptDirectory

    newest = head()
    known = {s.revision for s in ScriptDirectory.from_config(_config()).walk_revisions()}
    revision = current(engine)
    if revision == newest:
        return
    if revision is not None and revision not in known:
        raise StoreError(
            f"the progress database was made by a newer calcml (schema {revision})",
            location(str(engine.url)),
            "Upgrade calcml (pip install -U calcml), or set CALCML_DATA_DIR to another folder.",
        )
    with (
        engine.connect().execution_options(sqlite_begin="IMMEDIATE") as connection,
        connection.begin(),
    ):
        if connection.dialect.name == "postgresql":  # servers starting at once take turns
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
        command.upgrade(_config(connection), "head")


def check_writable(engine: Engine, url: str) -> None:
    """Prove that a write would succeed (a no-op UPDATE of the version row, rolled back): a
    server refuses to start on a read-only or locked database rather than failing later."""
    from sqlalchemy import text

    try:
        with (
            engine.connect().execution_options(sqlite_begin="IMMEDIATE") as connection,
            connection.begin() as transaction,
        ):
            connection.execute(text("UPDATE alembic_version SET version_num = version_num"))
            transaction.rollback()
    except SQLAlchemyError as error:
        raise store_error(error, location(url)) from None
