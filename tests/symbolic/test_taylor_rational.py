"""High-order Taylor polynomials of rational functions answer (each derivative is kept as one
fraction, so the orders do not nest), and agree with SymPy's series."""

from __future__ import annotations

import random

import pytest
import sympy as sp

import calcml as cm

x = sp.Symbol("x", real=True)


def _rational(seed: int) -> sp.Expr:
    rng = random.Random(seed)
    numerator = sum(rng.randint(-3, 3) * x**k for k in range(3)) or sp.Integer(1)
    denominator = 1 + sum(rng.choice([-2, -1, 1, 2]) * x**k for k in range(1, rng.randint(2, 3)))
    return numerator / denominator


@pytest.mark.parametrize("seed", range(4))
def test_order_12_of_a_random_rational_function_matches_sympys_series(seed: int) -> None:
    f = _rational(seed)
    result = cm.taylor(f, "x", 0, order=12)
    expected = sp.series(f, x, 0, 13).removeO()
    assert sp.expand(result.result - expected) == 0


def test_the_geometric_series_of_one_over_one_plus_x_squared_to_order_20() -> None:
    result = cm.taylor("1/(1 + x^2)", "x", 0, order=20)
    assert sp.expand(result.result - sum((-1) ** k * x ** (2 * k) for k in range(11))) == 0
