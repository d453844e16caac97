"""The tests' own equality check (tests/symbolic/independent.py) can fail: near misses, sign
slips and wrong constants are told apart from true identities."""

from __future__ import annotations

import sympy as sp
from independent import same_function

x, y = sp.Symbol("x", real=True), sp.Symbol("y", real=True)


def test_identities_are_the_same_function() -> None:
    assert same_function(sp.sin(2 * x), 2 * sp.sin(x) * sp.cos(x), [x])
    assert same_function(sp.exp(x + y), sp.exp(x) * sp.exp(y), [x, y])
    assert same_function(sp.log(x**2 + 1) * 2, 2 * sp.log(1 + x**2), [x])
    assert same_function(sp.sqrt(3 + 2 * sp.sqrt(2)), 1 + sp.sqrt(2))
    # real nowhere: compared as complex numbers
    assert same_function(sp.sqrt(-1 - x**2), sp.I * sp.sqrt(1 + x**2), [x])


def test_sums_over_a_symbolic_range() -> None:
    i, n = sp.symbols("i n", integer=True)
    u = sp.IndexedBase("u")
    assert same_function(sp.Sum(2 * u[i] * x, (i, 1, n)), 2 * x * sp.Sum(u[i], (i, 1, n)))
    assert not same_function(sp.Sum(2 * u[i] * x, (i, 1, n)), x * sp.Sum(u[i], (i, 1, n)))


def test_near_misses_are_not() -> None:
    assert not same_function(sp.sin(2 * x), 2 * sp.sin(x) * sp.cos(x) + x / 10**9, [x])
    assert not same_function((x + 1) ** 2, x**2 + 2 * x, [x])
    assert not same_function(sp.exp(x - y), sp.exp(x) * sp.exp(y), [x, y])
    assert not same_function(sp.sqrt(3 + 2 * sp.sqrt(2)), 1 + sp.sqrt(2) + sp.Rational(1, 10**10))
    assert not same_function(sp.log(x - 10), sp.log(x - 10) + 1, [x])  # real nowhere
    assert not same_function(sp.sqrt(-1 - x**2), -sp.I * sp.sqrt(1 + x**2), [x])
    # equal where the root is real (x ≥ 0), different elsewhere: judged on the real domain
    assert same_function(sp.sqrt(x) ** 3, x * sp.sqrt(x), [x])
    assert not same_function(sp.sqrt(x) * sp.sqrt(x + 1), sp.sqrt(x**2 + 2 * x), [x])
