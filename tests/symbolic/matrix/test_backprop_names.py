"""Backprop of an L-layer MLP in matrix form names z_l, a_l and δ_l as the textbook does:
δ_l = (W_(l+1)ᵀδ_(l+1)) ⊙ f′(z_l) and ∇W_l = δ_l a_(l−1)ᵀ, each checked here against HIPS autograd
on a forward pass written independently (δ_l = ∂f/∂b_l), over random held-out networks."""

from __future__ import annotations

import autograd
import autograd.numpy as anp
import numpy as np
import pytest

from calcml.symbolic.matrix import matrix_gradient, matrix_hessian
from calcml.symbolic.matrix.numeric import evaluate
from calcml.symbolic.matrix.render import m_text, name_text

ACTIVATIONS = {
    "sigmoid": lambda z: 1 / (1 + anp.exp(-z)),
    "tanh": anp.tanh,
    "softplus": lambda z: anp.log1p(anp.exp(z)),
    "relu": lambda z: anp.maximum(z, 0),
}


def _network(rng: np.random.Generator) -> dict:
    """A random MLP under fresh names: layers, activation, biases, loss coefficient, sizes."""
    layers = int(rng.integers(2, 5))
    letter = str(rng.choice(list("WVUMP")))
    bias = str(rng.choice(list("bc")))
    act = str(rng.choice(list(ACTIVATIONS)))
    has_bias = [bool(rng.random() < 0.75) for _ in range(layers)]
    coeff = int(rng.integers(1, 4))
    dims = ["d", *[f"h{i}" for i in range(1, layers)], "k"]
    net = "x"
    decl = ["x: d", "t: k"]
    for l in range(1, layers + 1):
        z = f"{letter}{l} {net}" + (f" + {bias}{l}" if has_bias[l - 1] else "")
        net = f"{act}({z})" if l < layers else z
        decl.append(f"{letter}{l}: {dims[l]}×{dims[l - 1]}")
        if has_bias[l - 1]:
            decl.append(f"{bias}{l}: {dims[l]}")
    text = f"{coeff} norm({net} - t)^2 / 2"
    size = {s: int(rng.integers(2, 5)) for s in dims}
    values = {"x": rng.normal(size=(size["d"], 1)), "t": rng.normal(size=(size["k"], 1))}
    for l in range(1, layers + 1):
        values[f"{letter}{l}"] = rng.normal(size=(size[dims[l]], size[dims[l - 1]]))
        values[f"{bias}{l}"] = rng.normal(size=(size[dims[l]], 1)) if has_bias[l - 1] else 0.0
    return dict(
        text=text, decl=", ".join(decl), layers=layers, letter=letter, bias=bias, act=act,
        has_bias=has_bias, coeff=coeff, size=size, values=values,
    )  # fmt: skip


def _reference(net: dict) -> tuple[dict, dict]:
    """z_l, a_l by an independent forward pass; δ_l = ∂f/∂z_l by autograd (through a shift of
    z_l, so it holds with or without a bias)."""
    v, act, layers = net["values"], ACTIVATIONS[net["act"]], net["layers"]

    def loss(shifts: list) -> object:
        a = v["x"]
        for l in range(1, layers + 1):
            z = v[f"{net['letter']}{l}"] @ a + v[f"{net['bias']}{l}"] + shifts[l - 1]
            a = act(z) if l < layers else z
        r = a - v["t"]
        return net["coeff"] * anp.sum(r * r) / 2

    forward: dict = {"x": v["x"]}
    a = v["x"]
    for l in range(1, layers + 1):
        z = v[f"{net['letter']}{l}"] @ a + v[f"{net['bias']}{l}"]
        forward[f"z{l}"] = z
        a = np.asarray(act(z)) if l < layers else z
        forward[f"a{l}"] = a
    zeros = [np.zeros_like(forward[f"z{l}"]) for l in range(1, layers + 1)]
    deltas = autograd.grad(loss)(zeros)
    return forward, {f"delta{l}": np.asarray(deltas[l - 1]) for l in range(1, layers + 1)}


def _shown(d: object, rule: str) -> object:
    return next(s for s in d.all_steps() if s.rule == rule).shown[0][1]  # type: ignore[attr-defined]


@pytest.mark.parametrize("seed", range(24))
def test_mlp_derivation_names_deltas_as_textbook(seed: int) -> None:
    net = _network(np.random.default_rng(seed))
    layers, letter = net["layers"], net["letter"]
    forward, deltas = _reference(net)
    names = {**forward, **deltas}
    lowest = int(np.random.default_rng(seed + 50).integers(1, layers + 1))
    wrt = f"{letter}{lowest}"
    d = matrix_gradient(net["text"], wrt, net["decl"])
    dims = net["size"]
    base = {k: np.asarray(val) for k, val in net["values"].items() if not isinstance(val, float)}

    for l in range(lowest, layers + 1):
        full = d.definitions[f"delta{l}"]  # δ_l's value is ∂f/∂z_l (autograd)
        np.testing.assert_allclose(evaluate(full, dims, base), deltas[f"delta{l}"], rtol=1e-8)
        shown = _shown(d, f"backprop δ{l}")
        if l < layers:  # δ_l = (W_(l+1)ᵀ δ_(l+1)) ⊙ f′(z_l), evaluated on the reference's values
            w, nxt = name_text(f"{letter}{l + 1}", "text"), name_text(f"delta{l + 1}", "text")
            assert m_text(shown).startswith(f"({w}ᵀ{nxt}) ⊙ "), m_text(shown)
            assert shown.variables == {f"{letter}{l + 1}", f"delta{l + 1}", f"z{l}"}
        np.testing.assert_allclose(
            evaluate(shown, dims, {**base, **names}), deltas[f"delta{l}"], rtol=1e-8, atol=1e-12
        )
    # the result in backprop's names: ∇W_l = δ_l a_(l−1)ᵀ (a₀ = x)
    short = _shown(d, "result")
    prev = "x" if lowest == 1 else name_text(f"a{lowest - 1}", "text")
    assert m_text(short) == f"{name_text(f'delta{lowest}', 'text')}{prev}ᵀ"
    np.testing.assert_allclose(
        evaluate(short, dims, {**base, **names}),
        deltas[f"delta{lowest}"] @ forward["x" if lowest == 1 else f"a{lowest - 1}"].T,
        rtol=1e-8,
    )


def test_bias_gradient_is_delta_and_names_reach_json_and_hessian() -> None:
    shapes = "W1: h×d, b1: h, W2: k×h, b2: k, x: d, y: k"
    d = matrix_gradient("norm(W2 sigmoid(W1 x + b1) + b2 - y)^2 / 2", "b1", shapes)
    assert m_text(_shown(d, "result")) == "δ₁"
    assert m_text(_shown(d, "backprop δ1")) == "(W₂ᵀδ₂) ⊙ σ(z₁) ⊙ (1 − σ(z₁))"
    data = d.to_dict()
    assert set(data["definitions"]) == {"z1", "a1", "delta1", "delta2"}
    assert data["definitions"]["z1"]["text"] == "W₁x + b₁"
    h = matrix_hessian("norm(W2 tanh(W1 x) - y)^2", "x", "W1: h×d, W2: k×h, x: d, y: k")
    assert "delta2" in h.definitions


def test_names_do_not_hide_the_users_own_variables() -> None:
    """A network whose input is called a1 keeps a1 as the user's variable: no names then."""
    d = matrix_gradient("norm(W2 tanh(W1 a1) - y)^2", "W1", "W1: h×d, W2: k×h, a1: d, y: k")
    assert d.definitions == {}
    assert not any(s.rule.startswith("backprop") for s in d.all_steps())


@pytest.mark.parametrize(
    ("text", "wrt", "shapes"),
    [
        ("norm(X w - y)^2", "w", "X: n×d, w: d, y: n"),
        ("norm(B A x - y)^2", "A", "A: m×d, B: k×m, x: d, y: k"),  # a product, no activation
        ("norm(tanh(X W1^T) W2^T - Y)^2", "W1", "X: n×d, W1: h×d, W2: k×h, Y: n×k"),  # rows
    ],
)
def test_no_layer_names_without_a_column_network(text: str, wrt: str, shapes: str) -> None:
    """A linear model, a product of matrices, or a network in the row convention (weights on
    the right) keeps the plain reverse-mode steps."""
    d = matrix_gradient(text, wrt, shapes)
    assert d.definitions == {}
    assert not any(s.rule.startswith(("backprop", "layers")) for s in d.all_steps())
