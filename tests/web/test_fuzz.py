"""Schemathesis fuzzes the JSON API from its OpenAPI schema (bounded: a few examples per verb,
a fixed seed, a 2-second engine limit): no 500s, every error has the JSON error shape."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, settings
from schemathesis.core import NotSet

from calcml.web import WebConfig, create_app

DATA = tempfile.mkdtemp(prefix="calcml-fuzz-")
CONFIG = WebConfig(
    engine_workers=1,
    time_limit=2.0,
    rate_per_minute=10_000,
    database_url=f"sqlite:///{DATA}/progress.sqlite3",
)
APP = create_app(CONFIG)
schema = schemathesis.openapi.from_dict(APP.openapi())


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(APP) as c:  # one lifespan: the engines start once and stop at the end
        yield c


@schema.parametrize()
@settings(
    max_examples=3,
    derandomize=True,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_api_never_fails_internally(client: TestClient, case: schemathesis.Case) -> None:
    headers = {k: str(v) for k, v in (case.headers or {}).items()}
    body = None
    if not isinstance(case.body, NotSet):  # generated bodies may hold bytes: send them as text
        body = json.dumps(case.body, default=lambda b: bytes(b).decode("latin-1"))
        headers["content-type"] = "application/json"
    response = client.request(case.method, case.formatted_path, content=body, headers=headers)
    assert response.status_code != 500, (case.path, case.body, response.text)
    if response.status_code >= 400:
        body = response.json()
        assert isinstance(body.get("error"), str) and body["error"], body
    if response.status_code == 503:
        assert "retry-after" in {k.lower() for k in response.headers}
