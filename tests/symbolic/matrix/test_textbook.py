"""Textbook forms come out of the general rules (identity table + chain rule), under any names and
sizes: held-out variants rename variables and dimensions, change functions and coefficients."""

from __future__ import annotations

import numpy as np
import pytest

from calcml import autodiff as ad
from calcml.symbolic.matrix import matrix_gradient, matrix_hessian, matrix_jacobian
from calcml.symbolic.matrix.numeric import evaluate, instance
from calcml.symbolic.matrix.render import m_text

TEXTBOOK = [
    # (f, wrt, shapes, kind, canonical result text)
    ("norm(X w - y)^2", "w", "X: n×d, w: d, y: n", "gradient", "2Xᵀ(Xw − y)"),
    ("norm(A v - t)^2", "v", "A: m×p, v: p, t: m", "gradient", "2Aᵀ(Av − t)"),
    ("‖Bu − c‖²/N", "u", "B: N×k, u: k, c: N", "gradient", "2Bᵀ(Bu − c)/N"),
    (
        "-mean(y .* log(sigmoid(X w)) + (1 - y) .* log(1 - sigmoid(X w)))",
        "w",
        "X: n×d, w: d, y: n",
        "gradient",
        "Xᵀ(σ(Xw) − y)/n",
    ),
    (
        "-mean(t .* log(sigmoid(Z θ)) + (1 - t) .* log(1 - sigmoid(Z θ)))",
        "θ",
        "Z: m×p, θ: p, t: m",
        "gradient",
        "Zᵀ(σ(Zθ) − t)/m",
    ),
    (
        "-sum(Y .* log(softmax(X W^T))) / n",
        "W",
        "X: n×d, W: k×d, Y: n×k one-hot",
        "gradient",
        "(softmax(XWᵀ) − Y)ᵀX/n",
    ),
    (
        "-t^T log(softmax(V h + c))",
        "V",
        "V: k×m, h: m, c: k, t: k one-hot",
        "gradient",
        "(softmax(Vh + c) − t)hᵀ",
    ),
    ("x^T A x", "x", "A: d×d, x: d", "hessian", "A + Aᵀ"),
    ("z^T M z", "z", "M: k×k, z: k", "gradient", "(M + Mᵀ)z"),
    ("norm(X w - y)^2", "w", "X: n×d, w: d, y: n", "hessian", "2XᵀX"),
    (
        "-mean(y .* log(sigmoid(X w)) + (1 - y) .* log(1 - sigmoid(X w)))",
        "w",
        "X: n×d, w: d, y: n",
        "hessian",
        "Xᵀdiag(σ(Xw) ⊙ (1 − σ(Xw)))X/n",
    ),
    ("sigmoid(z)", "z", "z: n", "jacobian", "diag(σ(z) ⊙ (1 − σ(z)))"),
    ("softmax(s)", "s", "s: k", "jacobian", "diag(softmax(s)) − softmax(s)softmax(s)ᵀ"),
    ("log det(S)", "S", "S: d×d", "gradient", "S⁻ᵀ"),
    ("tr(A^T A)", "A", "A: m×n", "gradient", "2A"),
    (
        "norm(W2 sigmoid(W1 x + b1) + b2 - y)^2 / 2",
        "W2",
        "W1: h×d, b1: h, W2: k×h, b2: k, x: d, y: k",
        "gradient",
        "(W₂σ(W₁x + b₁) + b₂ − y)σ(W₁x + b₁)ᵀ",
    ),
    (
        "norm(W2 sigmoid(W1 x + b1) + b2 - y)^2 / 2",
        "b1",
        "W1: h×d, b1: h, W2: k×h, b2: k, x: d, y: k",
        "gradient",
        "(W₂ᵀ(W₂σ(W₁x + b₁) + b₂ − y)) ⊙ σ(W₁x + b₁) ⊙ (1 − σ(W₁x + b₁))",
    ),
]
DERIVE = {"gradient": matrix_gradient, "jacobian": matrix_jacobian, "hessian": matrix_hessian}


@pytest.mark.parametrize("case", TEXTBOOK, ids=[f"{c[3]}:{c[0]}:{c[1]}" for c in TEXTBOOK])
def test_textbook_form_from_general_rules(case: tuple[str, str, str, str, str]) -> None:
    f, wrt, shapes, kind, want = case
    assert m_text(DERIVE[kind](f, wrt, shapes).result) == want


FUNCS = ["sigmoid", "tanh", "exp", "softplus", "relu"]
LOSSES = ["norm({z} - {t})^2", "sum({f}({z}))", "logsumexp({z})", "sum(log(1 + exp({z})))"]


def _variant(rng: np.random.Generator) -> tuple[str, str, str]:
    """A random ML expression under fresh names: loss(f(A·v + c)) or a 2-layer composition."""
    letters = list("ABCDEFGHKLMPQRSUV")
    rng.shuffle(letters)
    mat, mat2 = letters[0], letters[1]
    vec, bias, tgt = rng.choice(list("abcpquv"), size=3, replace=False)
    r, c, h = rng.choice(["m", "n", "k", "p", "r"], size=3, replace=False)
    f = str(rng.choice(FUNCS))
    g = str(rng.choice(FUNCS))
    coeff = int(rng.integers(1, 5))
    if rng.random() < 0.5:
        z = f"{f}({mat} {vec} + {bias})"
        shapes = f"{mat}: {r}×{c}, {vec}: {c}, {bias}: {r}, {tgt}: {r}"
    else:
        z = f"{mat2} {g}({mat} {vec}) + {bias}"
        shapes = f"{mat}: {h}×{c}, {mat2}: {r}×{h}, {vec}: {c}, {bias}: {r}, {tgt}: {r}"
    loss = str(rng.choice(LOSSES)).format(z=z, t=tgt, f=f)
    wrt = str(rng.choice([mat, vec, bias]))
    return f"{coeff} {loss}" if coeff > 1 else loss, wrt, shapes


@pytest.mark.parametrize("seed", range(40))
def test_random_held_out_variant_matches_autograd(seed: int) -> None:
    import autograd
    from refeval import ag_eval

    text, wrt, shapes = _variant(np.random.default_rng(seed))
    d = matrix_gradient(text, wrt, shapes)
    dims, values = instance(d.expr, d.shapes, np.random.default_rng(seed + 100))

    def fx(v: object) -> object:
        return ag_eval(d.expr, dims, {**values, wrt: v})[0, 0]

    want = autograd.grad(fx)(values[wrt])
    np.testing.assert_allclose(evaluate(d.result, dims, values), want, rtol=1e-7, atol=1e-9)
    assert d.result.shape == d.shapes[wrt]


@pytest.mark.parametrize("layers", [2, 3, 4])
def test_mlp_backprop_matches_calcml_autodiff(layers: int) -> None:
    """An L-layer tanh MLP in column convention: every ∇W_l, ∇b_l equals calcml.autodiff's."""
    sizes = ["d", *[f"h{i}" for i in range(1, layers)], "k"]
    net = "x"
    for l in range(1, layers + 1):
        z = f"W{l} {net} + b{l}"
        net = f"tanh({z})" if l < layers else z
    text = f"norm({net} - y)^2 / 2"
    decl = ", ".join(
        [f"W{l}: {sizes[l]}×{sizes[l - 1]}, b{l}: {sizes[l]}" for l in range(1, layers + 1)]
        + ["x: d", "y: k"]
    )
    rng = np.random.default_rng(layers)
    dims = {s: int(rng.integers(2, 5)) for s in sizes}
    values = {}
    for l in range(1, layers + 1):
        values[f"W{l}"] = rng.normal(size=(dims[sizes[l]], dims[sizes[l - 1]]))
        values[f"b{l}"] = rng.normal(size=(dims[sizes[l]], 1))
    values["x"] = rng.normal(size=(dims["d"], 1))
    values["y"] = rng.normal(size=(dims["k"], 1))
    names = [f"{p}{l}" for l in range(1, layers + 1) for p in ("W", "b")]

    def loss(*params: object) -> object:
        p = dict(zip(names, params, strict=True))
        a = values["x"]
        for l in range(1, layers + 1):
            z = p[f"W{l}"] @ a + p[f"b{l}"]
            a = np.tanh(z) if l < layers else z
        r = a - values["y"]
        return (r * r).sum() / 2

    grads = ad.grad(loss, argnums=tuple(range(len(names))))(*(values[n] for n in names))
    for name, want in zip(names, grads, strict=True):
        d = matrix_gradient(text, name, decl)
        np.testing.assert_allclose(evaluate(d.result, dims, values), np.asarray(want), rtol=1e-8)
