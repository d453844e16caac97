"""Web test fixtures: the app with an inline engine service and a fresh SQLite store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from calcml.web import WebConfig, create_app


@pytest.fixture
def make_client(tmp_path: Path) -> Iterator:
    """A factory of TestClients over fresh apps (keyword arguments go to WebConfig)."""
    clients: list[TestClient] = []

    def make(**options: object) -> TestClient:
        options.setdefault("database_url", f"sqlite:///{tmp_path}/progress.sqlite3")
        config = WebConfig(inline=True, **options)  # type: ignore[arg-type]
        client = TestClient(create_app(config), base_url="http://127.0.0.1")
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for c in clients:
        c.__exit__(None, None, None)


@pytest.fixture
def client(make_client) -> TestClient:
    return make_client()


def csrf_of(client: TestClient) -> str:
    """The client's CSRF token (a page visit sets the cookie)."""
    if "calcml_csrf" not in client.cookies:
        client.get("/calc")
    return client.cookies["calcml_csrf"]
