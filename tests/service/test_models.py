"""The service's request/response models and the inline service: every verb answers with what
the engines (and the CLI's --json) give, bad fields are named, bad math becomes InputError."""

from __future__ import annotations

import json
from typing import Any

import pydantic
import pytest

from aio import run as run_coroutine
from calcml.service import EngineService, InputError, ServiceConfig, models
from calcml.service.cache import cache_key
from calcml.service.errors import BusyError, LimitExceeded, ServiceError

# One request per verb, with the engine call that must give the same dict.
EXAMPLES: dict[str, dict[str, Any]] = {
    "parse": {"expr": "2x sin x"},
    "derive": {"expr": "sigmoid(w*x + b)", "wrt": ["w"]},
    "gradient": {"expr": "x^2*y + y^3", "wrt": ["x", "y"]},
    "jacobian": {"exprs": ["x*y", "x + y^2"]},
    "hessian": {"expr": "x^2*y + y^3"},
    "directional": {"expr": "x^2 + y^2", "direction": ["3", "4"]},
    "limit": {"expr": "(sqrt(x + 4) - 2)/x", "at": "0"},
    "continuity": {"expr": "abs(x)/x"},
    "differentiable": {"expr": "relu(x)"},
    "taylor": {"expr": "exp(x)*cos(y)", "var": ["x", "y"], "at": "0,0", "order": 2},
    "critical": {"expr": "x^3 - 3*x + y^2"},
    "descend": {"expr": "x^2 + 10y^2", "start": [1, 1], "lr": 0.09},
    "newton": {"expr": "(x - 1)^2 + 10(y + 2)^2", "start": [5, 5]},
    "train": {"model": "linear"},
    "pca": {"components": 2},
    "backprop": {"layers": [3, 4, 3], "activation": "relu", "loss": "softmax_ce", "seed": 2},
    "practice": {"skill": "sigmoid-derivative", "seed": 3},
    "check": {"skill": "sigmoid-derivative", "seed": 3, "answer": "sigmoid(z)(1 - sigmoid(z))"},
    "lesson": {"topic": "1"},
    "figure": {"kind": "tangent", "expr": "x^2", "at": "1"},
    "course": {"part": "interactive", "name": "secant"},
}


def engine_answer(verb: str, fields: dict[str, Any]) -> dict[str, Any]:
    """What calling the engines directly gives (as the CLI's --json prints it)."""
    import calcml as cm
    from calcml import optim
    from calcml.symbolic import directional_derivative, jacobian

    calls = {
        "derive": lambda: cm.derive(fields["expr"], fields["wrt"][0]),
        "gradient": lambda: cm.gradient(fields["expr"], fields["wrt"]),
        "jacobian": lambda: jacobian(fields["exprs"]),
        "hessian": lambda: cm.hessian(fields["expr"]),
        "directional": lambda: directional_derivative(fields["expr"], None, fields["direction"]),
        "limit": lambda: cm.limit(fields["expr"], None, fields["at"]),
        "continuity": lambda: cm.continuity(fields["expr"]),
        "taylor": lambda: cm.taylor(fields["expr"], fields["var"], (0, 0), order=2),
        "critical": lambda: cm.critical_points(fields["expr"]),
        "descend": lambda: optim.gradient_descent(fields["expr"], fields["start"], lr=0.09),
        "newton": lambda: optim.newton(fields["expr"], fields["start"]),
    }
    return json.loads(json.dumps(calls[verb]().to_dict(), default=str))


@pytest.fixture(scope="module")
def svc() -> EngineService:
    return EngineService(ServiceConfig(inline=True))


def test_every_verb_has_a_request_and_an_example() -> None:
    expected = {
        "parse", "derive", "gradient", "jacobian", "hessian", "directional", "limit",
        "continuity", "differentiable", "taylor", "critical", "descend", "newton", "train",
        "pca", "backprop", "practice", "check", "lesson", "figure", "course",
    }  # fmt: skip
    assert set(models.REQUESTS) == expected == set(EXAMPLES)
    assert set(models.RESPONSES) == expected
    assert not set(models.TEST_REQUESTS) & expected


@pytest.mark.parametrize("verb", sorted(EXAMPLES))
def test_every_verb_answers_with_valid_json(svc: EngineService, verb: str) -> None:
    response = svc.call(models.request(verb, EXAMPLES[verb]))
    assert isinstance(response, models.RESPONSES[verb])
    payload = json.loads(response.to_json())
    assert payload == response.payload()
    assert json.loads(json.dumps(payload, allow_nan=False)) == payload


@pytest.mark.parametrize(
    "verb",
    "derive gradient jacobian hessian directional limit continuity taylor critical descend "
    "newton".split(),
)
def test_answers_equal_the_engines(svc: EngineService, verb: str) -> None:
    response = svc.call(models.request(verb, EXAMPLES[verb]))
    assert json.loads(response.to_json()) == engine_answer(verb, EXAMPLES[verb])


@pytest.mark.parametrize(
    ("verb", "fields", "field"),
    [
        ("derive", {"expr": "x^2", "wrt": ["x", "y"]}, "wrt"),
        ("derive", {"expr": "x^2", "colour": "red"}, "colour"),
        ("derive", {}, "expr"),
        ("limit", {"expr": "x", "side": "up"}, "side"),
        ("taylor", {"expr": "exp(x)", "order": 10_000}, "order"),
        ("descend", {"expr": "x^2", "start": [1], "steps": 10**9}, "steps"),
        ("backprop", {"layers": [2, 100, 1]}, "layers.1"),
        ("check", {"skill": "s", "answer": "x" * 10_000}, "answer"),
        ("jacobian", {"exprs": ["x"] * 100}, "exprs"),
    ],
)
def test_validation_errors_name_the_field(verb: str, fields: dict[str, Any], field: str) -> None:
    with pytest.raises(pydantic.ValidationError) as info:
        models.request(verb, fields)
    locations = {".".join(str(p) for p in e["loc"]) for e in info.value.errors()}
    assert field in locations


def test_bad_math_is_an_input_error_with_its_column(svc: EngineService) -> None:
    with pytest.raises(InputError) as info:
        svc.call(models.DeriveRequest(expr="2 * (x + 1"))
    assert info.value.status == 400
    assert info.value.column is not None and info.value.column >= 1
    assert info.value.to_dict()["column"] == info.value.column
    with pytest.raises(InputError) as unknown:
        svc.call(models.PracticeRequest(skill="no-such-skill"))
    assert unknown.value.column is None


def test_errors_carry_their_status() -> None:
    assert BusyError(3).status == 503 and BusyError(3).retry_after == 3
    assert LimitExceeded("time").status == 504 and LimitExceeded("memory").kind == "memory"
    assert issubclass(InputError, ServiceError)


def test_test_hooks_are_unreachable_without_the_flag(svc: EngineService) -> None:
    assert "_spin" not in models.REQUESTS
    with pytest.raises(InputError):
        svc.call(models.SpinRequest())


def test_acall_and_the_cache(svc: EngineService) -> None:
    request = models.GradientRequest(expr="x*y^3 + cos(x)")
    before = svc.stats()["cache_hits"]
    first = run_coroutine(svc.acall(request))
    second = svc.call(request)
    assert second.to_json() == first.to_json()
    assert svc.stats()["cache_hits"] == before + 1


def test_failures_are_never_cached(svc: EngineService) -> None:
    request = models.DeriveRequest(expr="sin(")
    for _ in range(2):
        with pytest.raises(InputError):
            svc.call(request)
    assert svc.cache.lru.get(cache_key(request)) is None


def test_backprop_with_given_weights_matches_finite_differences(svc: EngineService) -> None:
    import numpy as np

    W1 = [[0.5, -0.3], [0.2, 0.8]]
    W2 = [[1.0], [-1.5]]
    x = [0.4, -0.7]
    fields = {"layers": [2, 2, 1], "activation": "tanh", "loss": "mse", "x": x, "target": [0.3]}
    response = svc.call(models.BackpropRequest(**fields, weights=[W1, W2], biases=[[0, 0], [0]]))
    nodes = {n["name"]: n for n in response.nodes}

    def loss(w1: np.ndarray) -> float:
        h = np.tanh(np.array(x) @ w1)
        return float(np.sum(((h @ np.array(W2)) - 0.3) ** 2))

    eps = 1e-6
    w = np.array(W1)
    numeric = np.zeros_like(w)
    for i in range(2):
        for j in range(2):
            d = np.zeros_like(w)
            d[i, j] = eps
            numeric[i, j] = (loss(w + d) - loss(w - d)) / (2 * eps)
    assert np.allclose(nodes["W1"]["grad"], numeric, atol=1e-6)
    assert response.value == pytest.approx(loss(w))
