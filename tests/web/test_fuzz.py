"""Schemathesis fuzzes the JSON API from its OpenAPI schema (bounded: 4 generated requests per
operation, valid and invalid, a fixed seed, a 1-second engine limit, so the module stays well
under 2 minutes on a loaded 2-core machine): no 500s, every error has the JSON error shape, and
every operation of the schema was exercised."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.core import NotSet
from schemathesis.schemas import APIOperation

from calcml.web import WebConfig, create_app

DATA = tempfile.mkdtemp(prefix="calcml-fuzz-")
CONFIG = WebConfig(
    engine_workers=1,
    time_limit=1.0,  # a request that hits it costs a worker restart: MLP training does often
    rate_per_minute=10_000,
    database_url=f"sqlite:///{DATA}/progress.sqlite3",
)
APP = create_app(CONFIG)
schema = schemathesis.openapi.from_dict(APP.openapi())
pytestmark = pytest.mark.xdist_group("fuzz")  # one worker: the last test reads what ran
EXERCISED: set[tuple[str, str]] = set()


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(APP) as c:  # one lifespan: the engines start once and stop at the end
        yield c


OPERATIONS = [result.ok() for result in schema.get_all_operations()]


def _cases(operation: APIOperation) -> st.SearchStrategy[schemathesis.Case]:
    """Valid and invalid requests for one operation, as schemathesis generates them."""
    return st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    )


# One pytest item per operation, each with its own id: schemathesis's own `parametrize` gives
# every operation the same node id, and pytest-xdist runs only one item of a repeated id.
@pytest.mark.parametrize("operation", OPERATIONS, ids=[op.label for op in OPERATIONS])
def test_api_never_fails_internally(client: TestClient, operation: APIOperation) -> None:
    @given(case=_cases(operation))
    @settings(
        max_examples=4,
        derandomize=True,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def one_request(case: schemathesis.Case) -> None:
        _check_one_request(client, case)

    one_request()


def _check_one_request(client: TestClient, case: schemathesis.Case) -> None:
    headers = {k: str(v) for k, v in (case.headers or {}).items()}
    body = None
    if not isinstance(case.body, NotSet):  # generated bodies may hold bytes: send them as text
        body = json.dumps(case.body, default=lambda b: bytes(b).decode("latin-1"))
        headers["content-type"] = "application/json"
    response = client.request(case.method, case.formatted_path, content=body, headers=headers)
    EXERCISED.add((case.method.upper(), case.path))
    assert response.status_code != 500, (case.path, case.body, response.text)
    if response.status_code >= 400:
        body = response.json()
        assert isinstance(body.get("error"), str) and body["error"], body
    if response.status_code == 503:
        assert "retry-after" in {k.lower() for k in response.headers}


def test_every_operation_of_the_schema_was_exercised() -> None:
    operations = {
        (method.upper(), path)
        for path, methods in APP.openapi()["paths"].items()
        for method in methods
    }
    assert operations and operations <= EXERCISED, operations - EXERCISED
