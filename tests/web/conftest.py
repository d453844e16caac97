"""Web test fixtures: the app with an inline engine service and a fresh SQLite store; for the
browser tests (all in the serial xdist group, so on one worker) ONE live `calcml serve`, one
Playwright and one Chromium per test session: starting them cost ~30 s a module on a busy
machine."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One `calcml serve` for every browser test. A lesson figure is matplotlib work of seconds;
    on a machine running many suites at once it may pass the default 10 s hard limit, so this
    server allows more (what a learner is shown does not depend on it)."""
    from web.browser import live_server

    with live_server(tmp_path_factory.mktemp("data"), "--time-limit", "120") as url:
        yield url


@pytest.fixture(scope="session")
def playwright() -> Iterator[Any]:
    """One Playwright per session (a second sync_playwright in the same thread is refused)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Any) -> Iterator[Any]:
    """Debian's Chromium, launched once (`web.browser.launch`)."""
    from web.browser import launch

    b = launch(playwright)
    yield b
    b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh context (cookies, storage) and page at 1280 × 900."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()
