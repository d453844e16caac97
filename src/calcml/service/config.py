"""`ServiceConfig`: the engine service's settings, each with a default and a bound."""

from __future__ import annotations

import os
from dataclasses import dataclass


def default_workers() -> int:
    """The pool size: one worker per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class ServiceConfig:
    """Settings of an `EngineService`.

    workers: worker processes (default: the number of cores). time_limit: hard wall-clock
    seconds per request, after which the worker is killed and replaced. memory_mb: address
    space a worker may add on top of its size after its imports (RLIMIT_AS), beyond which the
    request is "too large". queue_size: requests that may wait for a worker; one more is refused
    at once with BusyError. cache_entries / cache_bytes: bounds of the in-process result cache
    (0 entries: no cache). inline: run in the calling process (tests, CLI) — same models and
    errors, no isolation. database_url: a shared result cache in the store's database (None: off).
    test_hooks: enables the test-only verbs (`_spin`, `_allocate`); never set in production.
    hash_seed: PYTHONHASHSEED of the workers. soft_time_limits: keep the engines' own soft limits
    (CPU time of the working thread) inside the workers, for faster give-ups on slow SymPy paths;
    off by default: the hard limit is the one net.
    """

    workers: int = 0
    time_limit: float = 10.0
    memory_mb: int = 1536
    queue_size: int = 64
    cache_entries: int = 2048
    cache_bytes: int = 64_000_000
    inline: bool = False
    database_url: str | None = None
    database_cache: bool = True
    test_hooks: bool = False
    hash_seed: int = 0
    soft_time_limits: bool = False

    def __post_init__(self) -> None:
        if self.workers <= 0:
            object.__setattr__(self, "workers", default_workers())
        checks = [
            (1 <= self.workers <= 256, "workers must be between 1 and 256"),
            (0 < self.time_limit <= 3600, "time_limit must be between 0 and 3600 seconds"),
            (64 <= self.memory_mb <= 1 << 20, "memory_mb must be at least 64"),
            (0 <= self.queue_size <= 100_000, "queue_size must be between 0 and 100000"),
            (self.cache_entries >= 0 and self.cache_bytes >= 0, "cache sizes must be >= 0"),
        ]
        for ok, message in checks:
            if not ok:
                raise ValueError(message)
