"""trace(): forward nodes and chain-rule steps that add up to the real gradient, in every format."""

from __future__ import annotations

import json
from typing import Any

import numpy as np

from calcml import autodiff as ad

X = np.array([0.5, -1.0])


def two_layer(W1: Any, b1: Any, W2: Any, b2: Any) -> Any:
    h = np.tanh(X @ W1 + b1)
    return ((h @ W2 + b2 - 1.0) ** 2).sum()


PARAMS = (
    np.array([[0.1, -0.2, 0.3], [0.4, 0.5, -0.6]]),
    np.zeros(3),
    np.array([[1.0], [-1.0], [0.5]]),
    np.zeros(1),
)


def test_trace_gradients_equal_grad() -> None:
    t = ad.trace(two_layer, *PARAMS)
    expected = ad.grad(two_layer, argnums=(0, 1, 2, 3))(*PARAMS)
    for name, g in zip(["W1", "b1", "W2", "b2"], expected, strict=True):
        np.testing.assert_allclose(t.grads()[name], g)
    assert float(t.value) == float(two_layer(*PARAMS))


def test_each_step_is_upstream_times_local_and_accumulates() -> None:
    t = ad.trace(lambda x: np.sin(x) * x + x, 0.7)
    totals: dict[str, Any] = {}
    for s in t.steps:
        if s.local is not None:
            np.testing.assert_allclose(s.product, s.upstream * s.local)
        totals[s.input] = totals.get(s.input, 0.0) + s.product
        np.testing.assert_allclose(s.accumulated, totals[s.input])
    assert t.grads()["x"] == totals["x"]
    np.testing.assert_allclose(t.grads()["x"], np.cos(0.7) * 0.7 + np.sin(0.7) + 1.0)


def test_forward_nodes_list_ops_inputs_and_shapes() -> None:
    t = ad.trace(two_layer, *PARAMS)
    ops = [n.op for n in t.nodes if n.kind == "op"]
    assert ops[:3] == ["matmul", "add", "tanh"]
    by_name = {n.name: n for n in t.nodes}
    assert by_name["W1"].shape == (2, 3)
    assert t.nodes[-1].name == t.output == "L"


def test_renderings_text_markdown_json_dot() -> None:
    t = ad.trace(two_layer, *PARAMS)
    text = t.text()
    assert "Forward pass" in text and "Backward pass" in text and "∂L/∂W1" in text
    assert "| node | op |" in t.markdown()
    data = json.loads(json.dumps(t.to_dict()))
    assert data["kind"] == "backprop_trace"
    assert {e["target"] for e in data["graph"]["edges"]} <= {
        n["id"] for n in data["graph"]["nodes"]
    }
    assert len(data["steps"]) == len(t.steps)
    dot = t.dot()
    assert dot.startswith("digraph") and "shape=record" in dot and "grad" in dot
    assert "tanh" in t.latex() or "tanh" in text


def test_named_tensors_keep_their_names() -> None:
    def f(w: Any) -> Any:
        z = w * 3.0
        z.name = "z"
        return np.exp(z)

    t = ad.trace(f, 0.1)
    assert [n.name for n in t.nodes] == ["w", "z", "L"]


def test_trace_of_a_network_lists_its_parameters_as_inputs() -> None:
    net = ad.nn.MLP([2, 3, 1], seed=0)
    x, y = np.array([[0.5, -1.0]]), np.array([[1.0]])
    t = ad.trace(lambda: ((net(x) - y) ** 2).mean())
    inputs = [n.name for n in t.nodes if n.kind == "input"]
    assert inputs == ["W1", "b1", "W2", "b2"]
    loss = ((net(x) - y) ** 2).mean()
    loss.backward()
    by_name = {n.name: n for n in t.nodes}
    np.testing.assert_allclose(by_name["W1"].grad, net.layers[0].W.grad)
    np.testing.assert_allclose(by_name["b2"].grad, net.layers[1].b.grad)


def test_trace_gradients_match_hips_autograd_an_independent_engine() -> None:
    import autograd
    import autograd.numpy as anp

    rng = np.random.default_rng(21)
    W, b, x = rng.normal(size=(3, 4)), rng.normal(size=3), rng.normal(size=4)

    def ours(W: Any, b: Any) -> Any:
        return np.sum(np.tanh(W @ x + b) ** 2) + np.sum(ad.sigmoid(b))

    def theirs(W: Any, b: Any) -> Any:
        return anp.sum(anp.tanh(anp.dot(W, x) + b) ** 2) + anp.sum(1 / (1 + anp.exp(-b)))

    grads = ad.trace(ours, W, b).grads()
    np.testing.assert_allclose(grads["W"], autograd.grad(theirs, 0)(W, b), rtol=1e-12)
    np.testing.assert_allclose(grads["b"], autograd.grad(theirs, 1)(W, b), rtol=1e-12)
