"""The result cache: keys that name everything a response depends on, a bounded LRU, and an
optional shared layer (the store's database) behind it.

Only successful answers are cached (never a killed, timed-out or failed request), as the JSON
text the service returns, so a hit is byte-identical to the computed answer.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from typing import Any, Protocol

from calcml.service.models import Request


def versions() -> str:
    """The versions an answer depends on: calcml's and SymPy's."""
    from importlib.metadata import PackageNotFoundError, version

    import sympy

    try:
        ours = version("calcml")
    except PackageNotFoundError:  # running from a source tree
        ours = "source"
    return f"calcml {ours}; sympy {sympy.__version__}"


_VERSIONS: list[str] = []


def cache_key(request: Request) -> str:
    """A hex digest of the verb, every field (raw text as typed) and the versions."""
    if not _VERSIONS:
        _VERSIONS.append(versions())
    fields = request.model_dump(mode="json")
    text = json.dumps([request.verb, fields, _VERSIONS[0]], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class SharedCache(Protocol):
    """A cache shared by server processes (calcml.store.cache.EngineCache)."""

    def get(self, key: str) -> str | None: ...

    def put(self, key: str, value: str) -> None: ...

    def stats(self) -> dict[str, int]: ...


class LRUCache:
    """A thread-safe least-recently-used map of key -> JSON text, bounded in entries and bytes."""

    def __init__(self, max_entries: int, max_bytes: int) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._items: OrderedDict[str, str] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0
        self.evictions = 0

    @staticmethod
    def _size(key: str, value: str) -> int:
        return len(key) + len(value.encode("utf-8"))

    def get(self, key: str) -> str | None:
        with self._lock:
            value = self._items.get(key)
            if value is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return value

    def put(self, key: str, value: str) -> None:
        size = self._size(key, value)
        if self.max_entries <= 0 or size > self.max_bytes:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= self._size(key, old)
            self._items[key] = value
            self._bytes += size
            while len(self._items) > self.max_entries or self._bytes > self.max_bytes:
                k, v = self._items.popitem(last=False)
                self._bytes -= self._size(k, v)
                self.evictions += 1

    def stats(self) -> dict[str, int]:
        with self._lock:
            return {
                "entries": len(self._items),
                "bytes": self._bytes,
                "max_entries": self.max_entries,
                "max_bytes": self.max_bytes,
                "hits": self.hits,
                "misses": self.misses,
                "evictions": self.evictions,
            }


class TieredCache:
    """The LRU first, then the shared cache (a shared hit is copied into the LRU).

    A failing shared cache (database down) is skipped, never fatal: `shared_errors` counts it.
    """

    def __init__(self, lru: LRUCache, shared: SharedCache | None = None) -> None:
        self.lru = lru
        self.shared = shared
        self.shared_hits = 0
        self.shared_errors = 0

    def get(self, key: str) -> tuple[str | None, str]:
        """(value, where): where is "memory", "shared" or "" on a miss."""
        value = self.lru.get(key)
        if value is not None:
            return value, "memory"
        if self.shared is not None:
            try:
                value = self.shared.get(key)
            except Exception:
                self.shared_errors += 1
                value = None
            if value is not None:
                self.shared_hits += 1
                self.lru.put(key, value)
                return value, "shared"
        return None, ""

    def put(self, key: str, value: str) -> None:
        self.lru.put(key, value)
        if self.shared is not None:
            try:
                self.shared.put(key, value)
            except Exception:
                self.shared_errors += 1

    def stats(self) -> dict[str, Any]:
        out: dict[str, Any] = {"memory": self.lru.stats()}
        if self.shared is not None:
            shared: dict[str, Any] = {"hits": self.shared_hits, "errors": self.shared_errors}
            try:
                shared.update(self.shared.stats())
            except Exception:
                self.shared_errors += 1
            out["shared"] = shared
        return out
