"""Variants of the ML notation (issue 14 item 4), each against an independent reference:
softmax components and ‖w‖, ‖w‖² differentiated by calcml vs `sympy.diff` of the formula built
by hand; Σ as a sum in the scalar language and as a declared matrix in the matrix language
(NumPy's (Σ + Σᵀ)w); sums with any index name, range and size up to the maximum; accented names
given to --wrt on the command line.
"""

from __future__ import annotations

import json
import random

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

import calcml
from calcml.cli import main
from calcml.expr import parse, symbol
from calcml.expr.parser import MAX_VECTOR
from calcml.expr.sums import MAX_SUM_TERMS


def _at_random_point(expr: sp.Expr, rng: random.Random) -> float:
    point = {s: sp.Rational(rng.randint(-30, 30), 11) for s in expr.free_symbols}
    return float(expr.xreplace(point).evalf(30))


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 8), st.data())
def test_every_softmax_component_derivative_is_sympys(n: int, data: st.DataObject) -> None:
    zs = [symbol(f"z_{i}") for i in range(1, n + 1)]
    scale = data.draw(st.sampled_from([1, 2, -3]))
    k = data.draw(st.integers(1, n))
    j = data.draw(st.integers(1, n))
    text = f"softmax([{', '.join(f'{scale}*z_{i}' for i in range(1, n + 1))}], {k})"
    built = sp.exp(scale * zs[k - 1]) / sp.Add(*(sp.exp(scale * z) for z in zs))
    d = calcml.derive(text, f"z_{j}")
    got = sp.sympify(d.result, locals={z.name: z for z in zs})
    rng = random.Random(n * 100 + k * 10 + j)
    assert _at_random_point(got - sp.diff(built, zs[j - 1]), rng) == pytest.approx(0, abs=1e-12)


@pytest.mark.parametrize("n", [1, 2, 3, 7, MAX_VECTOR])
@pytest.mark.parametrize(
    "form", ["norm([{w}])^2", "‖({w})‖²", r"\left\lVert [{w}] \right\rVert^{{2}}", "norm({w})^2"]
)
def test_squared_norm_gradient_is_two_w(n: int, form: str) -> None:
    ws = [symbol(f"w_{i}") for i in range(1, n + 1)]
    text = form.format(w=", ".join(w.name for w in ws))
    if n == 1 and form.startswith("‖("):
        text = "‖w_1‖²"  # (w_1) is a parenthesis, not a vector
    grad = calcml.gradient(text, [w.name for w in ws])
    reference = [sp.diff(sp.Add(*(w**2 for w in ws)), w) for w in ws]
    assert [sp.expand(g) for g in grad.result] == reference == [2 * w for w in ws]


@pytest.mark.parametrize("n", [2, 5, 12])
def test_norm_gradient_is_sympys(n: int) -> None:
    ws = [symbol(f"w_{i}") for i in range(1, n + 1)]
    grad = calcml.gradient(f"‖[{', '.join(w.name for w in ws)}]‖", [w.name for w in ws])
    built = sp.sqrt(sp.Add(*(w**2 for w in ws)))
    rng = random.Random(n)
    for g, w in zip(grad.result, ws, strict=True):
        assert _at_random_point(g - sp.diff(built, w), rng) == pytest.approx(0, abs=1e-12)


def test_vectors_and_sums_past_their_maximum_say_it() -> None:
    names = ", ".join(f"w_{i}" for i in range(MAX_VECTOR + 1))
    for text in (f"norm([{names}])", f"softmax([{names}], 1)"):
        with pytest.raises(calcml.ParseError, match=f"at most {MAX_VECTOR}"):
            parse(text)
    for text in (
        f"sum(x_i, i, 0, {MAX_SUM_TERMS})",
        f"\\sum_{{k=1}}^{{{MAX_SUM_TERMS + 1}}} x_k",
        f"Σ_{{j=2}}^{{{MAX_SUM_TERMS + 2}}} j",
    ):
        with pytest.raises(calcml.ParseError, match=f"at most {MAX_SUM_TERMS} terms"):
            parse(text)
    for empty in ("sum(x_i, i, 1, 0)", r"\sum_{n=5}^{4} x_n"):
        with pytest.raises(calcml.ParseError, match="no terms"):
            parse(empty)


def test_sigma_is_a_sum_in_scalars_and_a_declared_matrix_in_matrix_calculus() -> None:
    w, x1, x2, x3, y1, y2, y3 = (symbol(s) for s in "w x_1 x_2 x_3 y_1 y_2 y_3".split())
    loss = "Σ_{i=1}^{3} (w x_i - y_i)^2"
    built = (w * x1 - y1) ** 2 + (w * x2 - y2) ** 2 + (w * x3 - y3) ** 2
    assert parse(loss) == built
    d = calcml.derive(loss, "w")
    assert sp.expand(sp.sympify(d.result, locals={s.name: s for s in built.free_symbols})) == (
        sp.expand(sp.diff(built, w))
    )
    from calcml.symbolic.matrix.numeric import evaluate

    r = calcml.matrix_gradient("w^T Σ w", "w", shapes="Σ: d×d, w: d")
    rng = np.random.default_rng(3)
    sigma, vec = rng.normal(size=(4, 4)), rng.normal(size=(4, 1))
    got = evaluate(r.result, {"d": 4}, {"Σ": sigma, "w": vec})
    assert np.allclose(got, (sigma + sigma.T) @ vec)


@pytest.mark.parametrize("wrt", ["ŷ", "yhat", r"\hat{y}", "ŷ₁", r"\hat{y}_1", "x̄"])
def test_accented_names_in_wrt_on_the_command_line(
    wrt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    yhat, yhat1, xbar = symbol("yhat"), symbol("yhat_1"), symbol("xbar")
    f = xbar * yhat**2 + sp.sin(xbar * yhat1) + yhat1**3
    text = "x̄·ŷ² + sin(x̄ ŷ₁) + \\hat{y}_1^3"
    assert parse(text) == f
    assert main(["derive", text, "--wrt", wrt, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    var = {"ŷ": yhat, "yhat": yhat, r"\hat{y}": yhat, "ŷ₁": yhat1, r"\hat{y}_1": yhat1}.get(
        wrt, xbar
    )
    got = sp.sympify(out["result"]["expr"], locals={s.name: s for s in f.free_symbols})
    assert sp.expand(got - sp.diff(f, var)) == 0
