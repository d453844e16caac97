"""The store on a database server as well as on a file: a database from a newer calcml and a
read-only database are refused on both backends; PostgreSQL away (refused, restarting) is a
transient StoreError raised at once, naming the URL without its password, and the same engine
reconnects by itself when the server is back; servers starting on a new database migrate it
once (an advisory lock)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from sqlalchemy import text

from calcml.learn.grader import Verdict
from calcml.store import Progress, StoreError, connect
from calcml.store.db import engine_for, forget
from calcml.store.migrate import check_writable, head
from calcml.store.opening import forget_schema
from pg import Cluster, free_port

RIGHT = Verdict(True, 1.0, "right.")


def test_a_database_from_a_newer_calcml_is_refused(db_url: str) -> None:
    with connect(db_url).begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    forget_schema(db_url)
    with pytest.raises(StoreError) as caught:
        connect(db_url)
    assert "newer calcml" in caught.value.message
    with engine_for(db_url).connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == (
            "9999"
        )


def test_a_read_only_database_fails_the_write_probe(db_url: str) -> None:
    check_writable(connect(db_url), db_url)  # writable: no error
    if db_url.startswith("sqlite"):
        read_only = f"sqlite:///file:{db_url.removeprefix('sqlite:///')}?mode=ro&uri=true"
    else:
        name = db_url.rsplit("/", 1)[1]
        with connect(db_url).connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.execute(text(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on'))
        forget(db_url)
        forget_schema(db_url)
        read_only = db_url
    with pytest.raises(StoreError) as caught:
        check_writable(connect(read_only), read_only)
    assert caught.value.kind == "read-only"
    assert "UPDATE" not in caught.value.message and "alembic" not in caught.value.message
    forget(read_only)


def test_an_unreachable_server_is_a_transient_error_naming_the_url_not_the_password() -> None:
    url = f"postgresql+psycopg://calcml:s3cret@127.0.0.1:{free_port()}/calcml"
    with pytest.raises(StoreError) as caught:
        Progress(url)
    assert caught.value.transient
    assert "127.0.0.1" in caught.value.message and "s3cret" not in caught.value.message
    forget(url)


@pytest.mark.xdist_group("serial")
def test_a_restarted_server_is_reconnected_by_the_same_engine(pg_cluster: Cluster) -> None:
    url = pg_cluster.create_database()
    progress = Progress(url, learner="ada")
    progress.record("power-rule", 1, 1, "x", RIGHT)
    try:
        pg_cluster.stop_server("fast")
        with pytest.raises(StoreError) as caught:
            progress.record("power-rule", 2, 1, "x", RIGHT)
        assert caught.value.transient
    finally:
        pg_cluster.start()
    progress.record("power-rule", 3, 1, "x", RIGHT)  # the pool's dead connections are replaced
    assert [h["seed"] for h in progress.history()] == [1, 3]
    forget(url)


MIGRATE = """
import sys
from calcml.store import Progress
Progress(sys.argv[1]).mastery("power-rule")
"""


@pytest.mark.xdist_group("serial")
def test_servers_starting_at_once_migrate_a_new_database_once(pg_cluster: Cluster) -> None:
    url = pg_cluster.create_database()
    starts = [
        subprocess.Popen([sys.executable, "-c", MIGRATE, url], stderr=subprocess.PIPE)
        for _ in range(4)
    ]
    errors = [p.communicate(timeout=300)[1] for p in starts]
    assert [p.returncode for p in starts] == [0] * 4, errors
    with engine_for(url).connect() as connection:
        versions = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    assert versions == [(head(),)]
    forget(url)
