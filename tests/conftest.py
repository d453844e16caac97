"""Test-wide settings: hypothesis derandomized (reproducible in CI), no per-example deadline;
the xdist groups; the PostgreSQL cluster and the `db_url` fixture (every backend)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import matplotlib
import pytest
from hypothesis import HealthCheck, settings

from pg import Cluster

matplotlib.use("Agg")
os.environ.setdefault("MPLBACKEND", "Agg")

settings.register_profile(
    "calcml",
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("calcml")


# ---------------------------------------------------------------- xdist groups, PostgreSQL

# Tests that must not share the machine with each other (browsers, the PostgreSQL cluster and
# the app servers started on it) run in this one xdist group, i.e. on one worker, one by one.
SERIAL = "serial"
serial = pytest.mark.xdist_group(SERIAL)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Keep `--dist loadgroup` working on pytest 9: pytest-xdist 3.8 tags a grouped test by
    setting `item._nodeid`, which pytest 9 no longer reads (the id lives in `item._id`), so
    the group would be ignored and a group's tests split over workers. Tags every test with an
    `xdist_group` mark (module or parameter) as xdist would."""
    if not getattr(config.option, "loadgroup", False):  # set in xdist's workers
        return
    try:
        from _pytest.nodeid import coerce_node_id
    except ImportError:  # an older pytest, where xdist's own tagging works
        return
    for item in items:
        mark = item.get_closest_marker("xdist_group")
        if mark is None or "@" in item.nodeid:
            continue
        item._id = coerce_node_id(f"{item.nodeid}@{mark.args[0]}")  # type: ignore[attr-defined]


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """One throwaway PostgreSQL per test session (on the serial worker), removed afterwards."""
    cluster = Cluster()
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=serial)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty progress database on each backend: a SQLite file, a PostgreSQL database
    in the session's cluster (its engine disposed afterwards)."""
    from calcml.store.db import forget

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'progress.sqlite3'}"
    else:
        url = request.getfixturevalue("pg_cluster").create_database()
    yield url
    forget(url)
