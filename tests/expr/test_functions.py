"""The ML functions agree with their textbook definitions: values, derivatives, NumPy code."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from calcml.expr import leaky_relu, relu, sigmoid, softmax, softplus, symbol

z = symbol("z")
POINTS = [-3.5, -1.0, -0.25, 0.3, 1.0, 2.75]


@pytest.mark.parametrize("point", POINTS)
def test_sigmoid_matches_logistic_formula_and_its_derivative(point: float) -> None:
    reference = 1 / (1 + np.exp(-point))
    assert float(sigmoid(sp.Float(point)).evalf()) == pytest.approx(reference, rel=1e-12)
    slope = sp.diff(sigmoid(z), z).subs(z, sp.Float(point)).evalf()
    assert float(slope) == pytest.approx(reference * (1 - reference), rel=1e-12)


@pytest.mark.parametrize("point", POINTS)
def test_softplus_derivative_is_sigmoid_numerically(point: float) -> None:
    h = 1e-6
    f = sp.lambdify(z, softplus(z), "numpy")
    numeric = (f(point + h) - f(point - h)) / (2 * h)
    assert numeric == pytest.approx(1 / (1 + np.exp(-point)), rel=1e-6)


def test_relu_derivative_is_the_step_function() -> None:
    assert sp.diff(relu(z), z) == sp.Heaviside(z)
    assert relu(sp.Integer(-2)) == 0
    assert relu(sp.Rational(3, 2)) == sp.Rational(3, 2)


def test_leaky_relu_defaults_to_slope_one_hundredth() -> None:
    assert leaky_relu(sp.Integer(-2)) == sp.Rational(-2, 100)
    assert leaky_relu(sp.Integer(5)) == 5
    slope_left = sp.diff(leaky_relu(z), z).subs(z, -1)
    assert slope_left == sp.Rational(1, 100)


def test_ml_functions_lambdify_to_numpy_like_their_definitions() -> None:
    xs = np.linspace(-40, 40, 81)
    f = sp.lambdify(z, [sigmoid(z), relu(z), softplus(z), leaky_relu(z, sp.Rational(1, 5))])
    s, r, p, lr = (np.asarray(v, dtype=float) for v in f(xs))
    np.testing.assert_allclose(s, 1 / (1 + np.exp(-xs)), rtol=1e-12)
    np.testing.assert_allclose(r, np.maximum(xs, 0))
    np.testing.assert_allclose(p, np.log1p(np.exp(xs)), rtol=1e-12)
    np.testing.assert_allclose(lr, np.where(xs > 0, xs, 0.2 * xs))


def test_softmax_sums_to_one_and_matches_numpy() -> None:
    a, b, c = symbol("a"), symbol("b"), symbol("c")
    probs = softmax([a, b, c])
    values = {a: 1.0, b: -2.0, c: 0.5}
    numeric = np.array([float(p.subs(values)) for p in probs])
    logits = np.array([1.0, -2.0, 0.5])
    np.testing.assert_allclose(numeric, np.exp(logits) / np.exp(logits).sum(), rtol=1e-12)
    assert sp.simplify(sum(probs) - 1) == 0


def test_ml_functions_are_real_for_real_arguments() -> None:
    assert sigmoid(z).is_real and relu(z).is_real and softplus(z).is_real
    assert sigmoid(z).is_positive and relu(z).is_nonnegative
