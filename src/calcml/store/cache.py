"""The engine service's shared result cache: answers by the hex digest of their request, in the
store's database (SQLite by default, PostgreSQL for several servers), so many processes compute
each distinct question once.

Writes are insert-or-ignore in one transaction (a key keeps its first value; two processes
putting the same key both succeed). Bounded: at most MAX_ENTRIES entries and MAX_BYTES bytes of
values; past either, the oldest entries are evicted (down to 90 %, so eviction is rare).
A value over MAX_VALUE_BYTES is not stored.

>>> import tempfile
>>> cache = EngineCache(f"sqlite:///{tempfile.mkdtemp()}/c.db")
>>> cache.put("ab12", '{"result": 1}'); cache.get("ab12")
'{"result": 1}'
>>> cache.stats()
{'entries': 1, 'bytes': 13}
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, func, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from calcml.store.db import default_url, location
from calcml.store.failures import store_error
from calcml.store.models import CacheEntry
from calcml.store.opening import connect

MAX_ENTRIES = 100_000  # entries kept in the shared cache
MAX_BYTES = 256 * 1024 * 1024  # total size of the cached values (UTF-8 bytes)
MAX_VALUE_BYTES = 4 * 1024 * 1024  # a bigger answer is not cached
EVICT_TO = 0.9  # eviction keeps this fraction of each limit
KEY = re.compile(r"[0-9a-f]{1,128}")


class EngineCache:
    """The shared, bounded result cache of the engine service (see the module docstring)."""

    def __init__(
        self,
        database_url: str | None = None,
        max_entries: int = MAX_ENTRIES,
        max_bytes: int = MAX_BYTES,
    ) -> None:
        """None = the default SQLite store (the same file the CLI's progress uses)."""
        self.url = database_url or default_url()
        self.engine = connect(self.url)
        self.max_entries = max_entries
        self.max_bytes = max_bytes

    def get(self, key: str) -> str | None:
        """The value stored under `key`, or None."""
        _check_key(key)
        try:
            with self.engine.connect() as connection:
                return connection.scalar(select(CacheEntry.value).where(CacheEntry.key == key))
        except SQLAlchemyError as error:
            raise store_error(error, location(self.url)) from None

    def put(self, key: str, value: str) -> None:
        """Store `value` under `key` unless the key is there already (insert-or-ignore),
        then evict the oldest entries if the cache is over a limit; one transaction."""
        _check_key(key)
        size = len(value.encode("utf-8", "surrogatepass"))
        if size > MAX_VALUE_BYTES or size > self.max_bytes:
            return
        row = {"key": key, "value": value, "size": size, "created": datetime.now(UTC)}
        try:
            with self.engine.begin() as connection:
                connection.execute(_insert_or_ignore(self.engine.dialect.name, row))
                self._evict(connection)
        except IntegrityError:
            return  # another process stored the key first (dialects without ON CONFLICT)
        except SQLAlchemyError as error:
            raise store_error(error, location(self.url)) from None

    def stats(self) -> dict[str, int]:
        """{"entries": n, "bytes": total size of the values}."""
        try:
            with self.engine.connect() as connection:
                entries, size = connection.execute(
                    select(func.count(CacheEntry.id), func.coalesce(func.sum(CacheEntry.size), 0))
                ).one()
        except SQLAlchemyError as error:
            raise store_error(error, location(self.url)) from None
        return {"entries": int(entries), "bytes": int(size)}

    def _evict(self, connection: Connection) -> None:
        entries, size = connection.execute(
            select(func.count(CacheEntry.id), func.coalesce(func.sum(CacheEntry.size), 0))
        ).one()
        if entries <= self.max_entries and size <= self.max_bytes:
            return
        keep_entries = int(self.max_entries * EVICT_TO)
        keep_bytes = int(self.max_bytes * EVICT_TO)
        kept, total, cutoff = 0, 0, None
        newest_first = connection.execute(
            select(CacheEntry.id, CacheEntry.size).order_by(CacheEntry.id.desc())
        )
        for entry_id, entry_size in newest_first:
            if kept + 1 > keep_entries or total + entry_size > keep_bytes:
                cutoff = entry_id
                break
            kept, total = kept + 1, total + entry_size
        if cutoff is not None:
            connection.execute(delete(CacheEntry).where(CacheEntry.id <= cutoff))


def _check_key(key: str) -> None:
    if not isinstance(key, str) or not KEY.fullmatch(key):
        raise ValueError("a cache key is a lower-case hex digest of at most 128 characters")


def _insert_or_ignore(dialect: str, row: dict[str, Any]) -> Any:
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(CacheEntry).values(**row).on_conflict_do_nothing(index_elements=["key"])
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        return (
            sqlite_insert(CacheEntry).values(**row).on_conflict_do_nothing(index_elements=["key"])
        )
    from sqlalchemy import insert

    return insert(CacheEntry).values(**row)
