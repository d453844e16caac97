"""The playgrounds through the in-process client: the descent page's path equals calcml.optim
run with the same settings, the backprop verb's per-layer activations and gradient check
against finite differences and HIPS autograd (tests/web/netref.py), and every bound and bad
input answered with a short message naming it."""

from __future__ import annotations

import html
import json
import re

import numpy as np
import pytest
from fastapi.testclient import TestClient

from calcml import optim
from calcml.service.models import MAX_LAYERS, MAX_UNITS
from calcml.web.playground_descent import CLASSICS
from web.netref import references


def _data(page: str) -> dict:
    m = re.search(r'<script type="application/json" id="gd-data">(.*?)</script>', page, re.S)
    assert m, page[:500]
    return json.loads(m.group(1))


def _error(page: str) -> str:
    m = re.search(r'<div class="error" role="alert">(.*?)</div>', page, re.S)
    assert m, "no error shown"
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", m.group(1)))).strip()


@pytest.mark.parametrize("seed", range(4))
def test_descent_page_path_equals_optim_with_the_same_settings(
    client: TestClient, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    for _ in range(4):
        classic = str(rng.choice(list(CLASSICS)))
        optimizer = str(rng.choice(["gd", "momentum", "nesterov", "adam", "newton"]))
        k = float(np.round(rng.uniform(1, 50), 1))
        start = np.round(rng.uniform(-2, 2, size=2), 2).tolist()
        lr = float(np.round(10 ** rng.uniform(-3.5, -1), 5))
        beta = float(np.round(rng.uniform(0.1, 0.95), 2))
        steps = int(rng.integers(5, 120))
        params = {
            "classic": classic,
            "optimizer": optimizer,
            "condition": k,
            "x0": start[0],
            "y0": start[1],
            "lr": lr,
            "momentum": beta,
            "steps": steps,
        }
        r = client.get("/playground/descent", params=params)
        assert r.status_code == 200
        data = _data(r.text)
        f = CLASSICS[classic].expr(k)
        kw = {"max_steps": steps, "variables": ["x", "y"]}
        if optimizer == "newton":
            run = optim.newton(f, start, **kw)
        elif optimizer == "adam":
            run = optim.adam(f, start, lr=lr, **kw)
        elif optimizer == "gd":
            run = optim.gradient_descent(f, start, lr=lr, **kw)
        else:
            run = optim.gradient_descent(
                f, start, lr=lr, momentum=beta, nesterov=optimizer == "nesterov", **kw
            )
        path = np.array([[float(v) for v in p] for p in data["path"]])
        np.testing.assert_allclose(path, run.params, rtol=1e-12, atol=1e-12)
        assert data["status"] == run.status
        assert html.escape(run.explain(), quote=True) in r.text or run.explain() in html.unescape(
            r.text
        )


@pytest.mark.parametrize("seed", range(5))
def test_backprop_per_layer_activations_match_finite_differences_and_autograd(
    client: TestClient, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    acts_all = ["tanh", "sigmoid", "relu", "softplus"]
    hidden = [int(v) for v in rng.integers(1, MAX_UNITS + 1, size=int(rng.integers(1, 5)))]
    sizes = [int(rng.integers(1, 5)), *hidden, int(rng.integers(2, 5))]
    acts = [str(rng.choice(acts_all)) for _ in hidden]
    loss = str(rng.choice(["mse", "softmax_ce"]))
    x = np.round(rng.normal(size=sizes[0]), 3).tolist()
    target = (
        int(rng.integers(sizes[-1]))
        if loss == "softmax_ce"
        else rng.normal(size=sizes[-1]).tolist()
    )
    fields = {
        "layers": sizes,
        "activation": acts,
        "loss": loss,
        "x": x,
        "target": target,
        "seed": seed,
        "gradcheck": True,
    }
    r = client.post("/api/backprop", json=fields)
    assert r.status_code == 200, r.text
    body = r.json()
    nodes = {n["name"]: n for n in body["nodes"]}
    names = [f"{k}{i}" for i in range(1, len(sizes)) for k in ("W", "b")]
    params = [np.array(nodes[n]["value"], dtype=float) for n in names]
    value, fd, ag = references(params, x, target, acts, loss)
    assert body["value"] == pytest.approx(value, rel=1e-12)
    for name, numeric, auto in zip(names, fd, ag, strict=True):
        got = np.array(nodes[name]["grad"], dtype=float)
        np.testing.assert_allclose(got, numeric, rtol=1e-5, atol=1e-7)
        np.testing.assert_allclose(got, auto, rtol=1e-10, atol=1e-12)
    check = body["gradient_check"]
    assert check["ok"] and [p["name"] for p in check["params"]] == names
    for row, numeric in zip(check["params"], fd, strict=True):
        np.testing.assert_allclose(np.array(row["numeric"]), numeric, rtol=1e-4, atol=1e-7)
    assert body["activations"] == acts


@pytest.mark.parametrize(
    ("fields", "status", "words"),
    [
        ({"layers": [2] * (MAX_LAYERS + 1)}, 422, "layers"),
        ({"layers": [2, MAX_UNITS + 1, 1]}, 422, "layers.1"),
        ({"layers": [2, 3, 3, 1], "activation": ["tanh"]}, 400, "one name per hidden layer"),
        (
            {"layers": [2, 3, 1], "activation": ["tanh", "relu", "relu", "relu", "relu"]},
            422,
            "activation",
        ),
        ({"layers": [2, 3, 1], "activation": "cosh"}, 422, "activation"),
        ({"layers": [2, 3, 1], "loss": "softmax_ce"}, 400, "2 or more classes"),
        ({"layers": [2, 3, 2], "loss": "softmax_ce", "target": 5}, 400, "class index from 0 to 1"),
        ({"layers": [2, 3, 1], "weights": [[[1.0]], [[1.0]]]}, 400, "weights[0] has shape"),
    ],
)
def test_backprop_verb_bounds_and_messages(
    client: TestClient, fields: dict, status: int, words: str
) -> None:
    r = client.post("/api/backprop", json=fields)
    assert r.status_code == status, r.text
    body = r.json()
    assert words in body["error"] or words == body.get("field"), body


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("steps=2001", "steps must be at most 2,000"),
        ("steps=1.5", "steps must be a whole number"),
        ("condition=0.5", "the condition number must be from 1 to 1000"),
        ("classic=banana", "no classic 'banana'"),
        ("optimizer=sgd", "no optimizer 'sgd'"),
        ("x0=1e9", "start coordinates must be at most 1000"),
        ("lr=abc", "the learning rate must be a number"),
        ("lr=nan", "the learning rate must be a finite number"),
        ("lr=0", "lr: Input should be greater than 0"),
        ("momentum=1&optimizer=momentum", "momentum: Input should be less than 1"),
        ("classic=custom", "type a function of x and y"),
        ("classic=custom&f=x%2Az%5E2", "z appear(s) in the function but not in the variables x, y"),
        ("classic=custom&f=sin(x", "column 6"),
        ("classic=custom&f=log(x)&x0=-1", "not finite at the start point"),
    ],
)
def test_descent_page_bounds_and_messages(client: TestClient, query: str, words: str) -> None:
    r = client.get(f"/playground/descent?{query}")
    assert r.status_code == 200
    assert words in _error(r.text), _error(r.text)
    assert 'id="gd-data"' not in r.text


@pytest.mark.parametrize(
    ("query", "words"),
    [
        (f"h1={MAX_UNITS + 1}", f"h1 must be from 0 to {MAX_UNITS}"),
        ("inputs=0", f"inputs must be from 1 to {MAX_UNITS}"),
        ("outputs=x", "outputs must be a whole number"),
        ("a2=cosh", "no activation 'cosh'"),
        ("loss=hinge", "no loss 'hinge'"),
        ("x=1,two", "the input x: 'two' is not a number"),
        ("x=1,2,3", "x has shape (3,), but the layers need (2,)"),
        ("weights=%5B%5B1", "weights is not valid JSON"),
        ("weights=%5B%5B%5B1%5D%5D%5D", "weights has 1 matrices; the layers need 2"),
        ("loss=softmax_ce&outputs=3&target=1.5", "class index"),
        ("outputs=1&loss=softmax_ce", "2 or more classes"),
        ("seed=-1", "seed must be from 0"),
    ],
)
def test_backprop_page_bounds_and_messages(client: TestClient, query: str, words: str) -> None:
    r = client.get(f"/playground/backprop?{query}")
    assert r.status_code == 200
    assert words in _error(r.text), _error(r.text)
    assert 'id="bp-nodes"' not in r.text


def test_backprop_page_every_step_has_a_chain_rule_formula(client: TestClient) -> None:
    for loss in ("mse", "softmax_ce"):
        for act in ("tanh", "sigmoid", "relu", "softplus"):
            r = client.get(
                f"/playground/backprop?h1=3&h2=2&a1={act}&a2={act}&outputs=2&loss={loss}"
            )
            steps = re.findall(r'<div class="math display" data-tex="([^"]*)"', r.text)
            assert steps and len(steps) == r.text.count('class="bp-step"')
            for tex in map(html.unescape, steps):
                assert tex.startswith(r"\frac{\partial L}{\partial") and r"\text{" not in tex, tex
