"""Observability: one structured log line per request and process-wide counters.

The log line (logger "calcml.service", level INFO) is JSON: verb, input hash (the cache key's
first 16 hex digits), duration in ms, cache ("memory", "shared" or "" for a miss) and outcome
("ok", "input", "busy", "time", "memory", "internal").
"""

from __future__ import annotations

import json
import logging
import threading
from collections import Counter

log = logging.getLogger("calcml.service")

COUNTERS = (
    "requests",
    "ok",
    "input_errors",
    "timeouts",
    "memory_kills",
    "rejections",
    "internal_errors",
    "cache_hits",
    "cache_misses",
)
OUTCOME_COUNTER = {
    "ok": "ok",
    "input": "input_errors",
    "busy": "rejections",
    "time": "timeouts",
    "memory": "memory_kills",
    "internal": "internal_errors",
}


class Counters:
    """Thread-safe counters of one service; every increment also counts process-wide."""

    def __init__(self, parent: Counters | None = None) -> None:
        self._counts: Counter[str] = Counter({name: 0 for name in COUNTERS})
        self._lock = threading.Lock()
        self._parent = parent

    def add(self, name: str, n: int = 1) -> None:
        with self._lock:
            self._counts[name] += n
        if self._parent is not None:
            self._parent.add(name, n)

    def snapshot(self) -> dict[str, int]:
        with self._lock:
            return dict(self._counts)


PROCESS = Counters()


def record(
    counters: Counters, verb: str, key: str, seconds: float, cache: str, outcome: str
) -> None:
    """Count the request and write its one log line."""
    counters.add("requests")
    counters.add(OUTCOME_COUNTER[outcome])
    if outcome != "busy":
        counters.add("cache_hits" if cache else "cache_misses")
    if log.isEnabledFor(logging.INFO):
        line = {
            "verb": verb,
            "input": key[:16],
            "ms": round(seconds * 1000, 2),
            "cache": cache,
            "outcome": outcome,
        }
        log.info(json.dumps(line, sort_keys=True))
