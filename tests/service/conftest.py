"""One worker pool for the process-heavy service tests (they run in one xdist group, tagged by
the hook in tests/conftest.py); this folder and tests/symbolic on sys.path so tests import
their helpers (`servicepool`) and the limit corpus (`limit_corpus`)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
for folder in (str(HERE), str(HERE.parent / "symbolic")):
    if folder not in sys.path:
        sys.path.insert(0, folder)

from servicepool import LIMIT, WORKERS, settle, worker_pids  # noqa: E402

from calcml.service import EngineService, ServiceConfig, models  # noqa: E402


@pytest.fixture(scope="session")
def pool() -> Iterator[EngineService]:
    """Workers with a 3 s limit, a small memory cap, no cache (every call computes)."""
    before = worker_pids()
    config = ServiceConfig(workers=WORKERS, time_limit=LIMIT, memory_mb=96, queue_size=64,
                           cache_entries=0, test_hooks=True)  # fmt: skip
    with EngineService(config) as svc:
        svc.call(models.ParseRequest(expr="x"))  # wait for the workers to start
        assert settle(lambda: len(worker_pids() - before) == WORKERS)
        yield svc
    assert settle(lambda: not (worker_pids() - before)), "workers left running after close()"
