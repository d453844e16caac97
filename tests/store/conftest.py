"""Fixtures of the store's account and class tests: a cheap argon2id, and a fresh database on
each backend (`url`, from tests/conftest.py's `db_url`: SQLite and PostgreSQL) with its
schema migrated (`engine`)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from calcml.store.opening import connect
from hashing import fast_hashes


@pytest.fixture(autouse=True)
def fast_hash(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2id still, with small parameters (the production ones cost 64 MiB per hash)."""
    fast_hashes(monkeypatch)


@pytest.fixture
def url(db_url: str) -> str:
    """A fresh, empty database on each backend (a test module may override it)."""
    return db_url


@pytest.fixture
def engine(url: str) -> Engine:
    """The migrated engine of `url`."""
    return connect(url)
