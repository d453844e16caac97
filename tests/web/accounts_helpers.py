"""Helpers for the account and class tests: fast argon2id, sign-up / log-in through the forms,
and reading the store behind a test app."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from httpx import Response

PASSWORD = "correct horse battery"


def csrf(client: TestClient) -> str:
    if "calcml_csrf" not in client.cookies:
        client.get("/login")
    return client.cookies["calcml_csrf"]


def post(client: TestClient, url: str, **data: object) -> Response:
    return client.post(url, data={"csrf": csrf(client), **data})


def signup(client: TestClient, name: str, password: str = PASSWORD) -> None:
    r = post(client, "/signup", name=name, password=password)
    assert r.status_code == 200 and f"Account: {name}" in r.text, r.text


def login(client: TestClient, name: str, password: str = PASSWORD) -> Response:
    return post(client, "/login", name=name, password=password)


def engine_of(client: TestClient) -> object:
    return client.app.state.web.learners.engine  # type: ignore[attr-defined]


def class_id_from(url: str) -> str:
    found = re.search(r"/classes/([0-9a-f]{16})", url)
    assert found, url
    return found.group(1)
