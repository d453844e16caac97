"""The JSON API gives the library's answers (derivatives checked against SymPy's diff, limits
against the hand-checked corpus, grading against the grader) and the documented error shapes."""

from __future__ import annotations

import random

import pytest
import sympy as sp
from fastapi.testclient import TestClient

import calcml as cm
from calcml.expr import to_input
from calcml.learn.grader import check
from calcml.learn.problems import problem
from calcml.learn.skills import SKILLS
from calcml.service import models
from calcml.service.errors import BusyError, LimitExceeded
from calcml.web.errors import as_web_error
from randexpr import random_exprs
from symbolic.limit_corpus import CORPUS


def test_every_service_verb_has_a_documented_api_route(client: TestClient) -> None:
    schema = client.get("/api/openapi.json").json()
    for verb, model in models.REQUESTS.items():
        op = schema["paths"][f"/api/{verb}"]["post"]
        ref = op["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        assert ref.endswith(model.__name__)
        assert {"400", "422", "503", "504"} <= set(op["responses"])
    assert "/health" in schema["paths"]


@pytest.mark.parametrize("seed", range(3))
def test_derivatives_match_sympy_diff(client: TestClient, seed: int) -> None:
    x = sp.Symbol("x", real=True)
    for e in random_exprs(seed=seed, n=8, nvars=1, depth=3):
        text = to_input(e)
        r = client.post("/api/derive", json={"expr": text, "wrt": ["x"]})
        if r.status_code == 400:  # outside the engine's domain: a short message with a column
            assert set(r.json()) <= {"error", "column"}
            continue
        assert r.status_code == 200, r.text
        got = cm.parse(r.json()["result"]["expr"])
        want = sp.diff(cm.parse(text), x)
        point = {s: sp.Rational(3, 7) for s in want.free_symbols}
        a, b = complex(got.subs(point).evalf()), complex(want.subs(point).evalf())
        assert abs(a - b) <= 1e-9 * max(1.0, abs(b)), (text, a, b)
        assert r.json() == cm.derive(text, "x").to_dict()


def test_limits_match_the_hand_checked_corpus(client: TestClient) -> None:
    for case in random.Random(0).sample(CORPUS, 12):
        r = client.post("/api/limit", json={"expr": case.expr, "at": case.at, "side": case.side})
        assert r.status_code == 200, r.text
        got, want = r.json()["value"], case.expected
        if want in {"oo", "-oo", "DNE"}:
            assert got in {want, {"oo": "∞", "-oo": "-∞"}.get(want, want)}, case
        else:
            assert sp.simplify(cm.parse(got) - cm.parse(want)) == 0, (case, got)


def test_grading_matches_the_grader(client: TestClient) -> None:
    rng = random.Random(1)
    for skill in rng.sample([s.id for s in SKILLS], 6):
        p = problem(skill, 7, 1)
        for answer in (p.answer_text(), "0", "x"):
            body = {"skill": skill, "seed": 7, "difficulty": 1, "answer": answer}
            r = client.post("/api/check", json=body)
            assert r.status_code == 200, r.text
            verdict = check(p, answer)
            assert r.json()["correct"] == verdict.correct
            assert r.json()["feedback"] == verdict.feedback
            assert "answer" not in r.json()["problem"]  # not revealed unless asked


def test_bad_math_is_400_with_column(client: TestClient) -> None:
    r = client.post("/api/derive", json={"expr": "sin(x"})
    assert r.status_code == 400
    body = r.json()
    assert set(body) == {"error", "column"} and isinstance(body["column"], int)


def test_bad_fields_are_422_naming_the_field(client: TestClient) -> None:
    r = client.post("/api/taylor", json={"expr": "exp(x)", "order": 10_000})
    assert r.status_code == 422
    assert r.json()["field"] == "order" and r.json()["error"].startswith("order")
    r = client.post("/api/derive", json={"expr": "x", "bogus": 1})
    assert r.status_code == 422 and r.json()["field"] == "bogus"


def test_busy_and_limit_map_to_503_with_retry_after_and_504() -> None:
    busy = as_web_error(BusyError(2.4))
    assert busy.status == 503 and busy.headers["Retry-After"] == "2"
    assert busy.body()["retry_after"] == 2.4
    limit = as_web_error(LimitExceeded("time"))
    assert limit.status == 504 and limit.body() == {"error": limit.message, "limit": "time"}


def test_health(client: TestClient) -> None:
    r = client.get("/health")
    assert r.status_code == 200 and r.json()["status"] == "ok"
