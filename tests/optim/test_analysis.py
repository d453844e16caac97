"""Curvature analysis: eigenvalues, 2/L, 2/(L + μ), condition number, rates."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from calcml.errors import CalcmlError
from calcml.optim import Objective, analyze, as_objective


def test_analysis_of_a_quadratic() -> None:
    a = analyze("x^2 + 10*y^2", [3, -1])
    assert (a.L, a.mu) == pytest.approx((20, 2))
    assert a.condition_number == pytest.approx(10)
    assert a.max_stable_lr == pytest.approx(0.1)
    assert a.best_lr == pytest.approx(2 / 22)
    assert a.best_rate == pytest.approx(9 / 11)
    assert a.rate(0.05) == pytest.approx(0.9)
    assert "2/L" in a.explain()
    assert a.to_dict()["L"] == pytest.approx(20)


def test_analysis_of_a_saddle_says_not_convex() -> None:
    a = analyze("x^2 - y^2", [0, 0])
    assert not a.convex
    assert a.condition_number == float("inf") and a.best_lr is None
    assert "not strictly convex" in a.explain()


def test_symbolic_objective_matches_sympy_diff() -> None:
    obj = as_objective("x^2*y + sin(y)")
    x, y = sp.symbols("x y", real=True)
    p = np.array([0.7, -1.3])
    want = [float(sp.diff(x**2 * y + sp.sin(y), v).subs({x: 0.7, y: -1.3})) for v in (x, y)]
    assert np.allclose(obj.grad(p), want)
    assert obj.hess(p).shape == (2, 2)


def test_given_objective_without_hessian_cannot_be_analysed() -> None:
    obj = Objective(value=lambda v: float(v @ v), grad=lambda v: 2 * v)
    with pytest.raises(CalcmlError, match="Hessian"):
        analyze(obj, [1.0])


def test_non_function_is_refused() -> None:
    with pytest.raises(CalcmlError):
        as_objective(42)


@pytest.mark.parametrize("nesterov", [False, True])
@pytest.mark.parametrize("beta", [0.3, 0.9])
def test_momentum_rate_is_the_spectral_radius_of_the_two_by_two_iteration(
    beta: float, nesterov: bool
) -> None:
    from calcml.optim.analysis import spectral_radius

    for a in (0.05, 0.5, 1.0, 1.7, 2.5):  # a = lr·λ
        if nesterov:  # (x, v) ↦ ((1−a)x + β(1−a)v, −a·x + β(1−a)v)
            M = np.array([[1 - a, beta * (1 - a)], [-a, beta * (1 - a)]])
        else:  # (x, v) ↦ ((1−a)x + βv, −a·x + βv)
            M = np.array([[1 - a, beta], [-a, beta]])
        want = np.max(np.abs(np.linalg.eigvals(M)))
        assert spectral_radius(np.array([a]), beta, nesterov)[0] == pytest.approx(want)


def test_saddle_lr_sentence_blames_negative_curvature_not_two_over_L() -> None:
    a = analyze("x^2 - y^2", [0, 0], lr=0.1)
    text = a.explain()
    assert "negative" in text and "saddle" in text
    assert "exceeds 2/L" not in text
