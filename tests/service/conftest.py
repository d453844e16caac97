"""One worker pool for the process-heavy service tests (they run in one xdist group); this
folder and tests/symbolic on sys.path so tests import their helpers (`servicepool`) and the
limit corpus (`limit_corpus`)."""

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


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Keep `--dist loadgroup` working for the tests here on pytest 9: pytest-xdist 3.8 tags a
    grouped test by setting `item._nodeid`, which pytest 9 no longer reads (the id lives in
    `item._id`), so the group would be ignored and the process-heavy tests split over workers."""
    if not getattr(config.option, "loadgroup", False):  # set in xdist's workers
        return
    try:
        from _pytest.nodeid import coerce_node_id
    except ImportError:  # an older pytest, where xdist's own tagging works
        return
    for item in items:
        mark = item.get_closest_marker("xdist_group")
        if mark is None or not str(item.path).startswith(str(HERE)) or "@" in item.nodeid:
            continue
        item._id = coerce_node_id(f"{item.nodeid}@{mark.args[0]}")  # type: ignore[attr-defined]
