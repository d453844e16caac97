"""The ML losses give exactly the textbook forms, and agree with finite differences on data."""

from __future__ import annotations

import random

import pytest
import sympy as sp
from treecheck import tree_problems

from calcml.errors import CalcmlError
from calcml.expr import sigmoid, softmax, symbol
from calcml.expr.render import to_text
from calcml.symbolic.losses import (
    SampleSum,
    binary_cross_entropy,
    l2_regularized,
    mse,
    mse_gradient,
    mse_loss,
    samples,
    softmax_cross_entropy,
)

w, b, x, y, z, lam = (symbol(n) for n in ("w", "b", "x", "y", "z", "lambda"))


def test_mse_wrt_w_is_two_over_n_sum_of_residual_times_x() -> None:
    i, n, xi, yi = samples()
    assert mse("w").result == 2 * SampleSum((w * xi + b - yi) * xi, (i, 1, n)) / n


def test_mse_wrt_b_is_two_over_n_sum_of_residuals() -> None:
    i, n, xi, yi = samples()
    assert mse("b").result == 2 * SampleSum(w * xi + b - yi, (i, 1, n)) / n


def test_mse_steps_pass_the_derivative_inside_the_sum_then_use_the_chain_rule() -> None:
    d = mse("w")
    rules = [s.rule for s in d.all_steps()]
    assert rules.index("constant_multiple") < rules.index("sum") < rules.index("chain")
    assert "Σᵢ₌₁ⁿ" in d.text()
    assert "xᵢ" in to_text(d.result)
    assert not tree_problems(d)


def test_mse_gradient_on_concrete_data_matches_finite_differences() -> None:
    i, n, xi, yi = samples()
    data = [(0.5, 1.0), (1.5, 2.5), (-1.0, -0.5)]
    g = mse_gradient()
    assert g.shape == (2,)

    def concrete(e: sp.Expr) -> sp.Expr:
        e = e.subs(n, len(data)).doit()
        values = {}
        for k, (xv, yv) in enumerate(data, 1):
            values[xi.subs(i, k)] = xv
            values[yi.subs(i, k)] = yv
        return e.xreplace(values)

    loss = sp.lambdify([w, b], concrete(mse_loss()))
    point, h = (0.3, -0.2), 1e-6
    numeric = [
        (loss(point[0] + h, point[1]) - loss(point[0] - h, point[1])) / (2 * h),
        (loss(point[0], point[1] + h) - loss(point[0], point[1] - h)) / (2 * h),
    ]
    symbolic = [float(concrete(c).subs({w: point[0], b: point[1]})) for c in g.result]
    assert symbolic == pytest.approx(numeric, rel=1e-6)


def test_bce_of_a_sigmoid_wrt_its_input_is_sigma_minus_y() -> None:
    d = binary_cross_entropy("z")
    assert d.result == sigmoid(z) - y
    assert d.steps[-1].rule == "simplify"


def test_bce_through_a_linear_layer() -> None:
    s = sigmoid(w * x + b)
    assert binary_cross_entropy("w").result == x * (s - y)
    assert binary_cross_entropy("b").result == s - y


def test_l2_regularisation_adds_lambda_w() -> None:
    # the penalty (λ/2)·w² (calcml's convention) adds its SymPy derivative, λw
    penalty = sp.diff(lam / 2 * w**2, w)
    assert sp.expand(l2_regularized("w").result - mse("w").result) == penalty == lam * w
    assert sp.simplify(l2_regularized("w").result - (mse("w").result + penalty)) == 0
    assert l2_regularized("b").result == mse("b").result


def test_softmax_cross_entropy_is_p_minus_y_through_the_softmax_jacobian() -> None:
    d = softmax_cross_entropy(3)
    p = [symbol(f"p_{k}") for k in (1, 2, 3)]
    ys = [symbol(f"y_{k}") for k in (1, 2, 3)]
    assert d.result == sp.Matrix([pk - yk for pk, yk in zip(p, ys, strict=True)])
    assert d.shape == (3,)
    jac = next(s for s in d.steps if s.rule == "softmax_jacobian")
    pv = sp.Matrix(p)
    assert jac.after == sp.diag(*p) - pv * pv.T
    assert any("= 1" in n for n in d.notes)


def test_softmax_cross_entropy_agrees_with_sympy_at_random_points() -> None:
    d = softmax_cross_entropy(4)
    zs = [symbol(f"z_{k}") for k in range(1, 5)]
    ys = [0, 1, 0, 0]
    probs = softmax(zs)
    loss = -sum(yk * sp.log(pk) for yk, pk in zip(ys, probs, strict=True))
    rng = random.Random(3)
    point = {zk: rng.uniform(-2, 2) for zk in zs}
    p_values = {symbol(f"p_{k}"): float(pk.subs(point)) for k, pk in enumerate(probs, 1)}
    y_values = {symbol(f"y_{k}"): yk for k, yk in enumerate(ys, 1)}
    for j, zj in enumerate(zs):
        expected = float(sp.diff(loss, zj).subs(point))
        assert float(d.result[j].subs({**p_values, **y_values})) == pytest.approx(expected)


def test_loss_helpers_reject_unknown_parameters() -> None:
    with pytest.raises(CalcmlError):
        mse("q")
    with pytest.raises(CalcmlError):
        softmax_cross_entropy(1)
