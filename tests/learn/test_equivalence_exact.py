"""The exact side of the grader's equivalence check: float round-off that only the exact test can
overrule, the rational sample points it draws, values beyond float range and values with an
imaginary part. References: mpmath at 50 digits, Python's fractions and floats."""

from __future__ import annotations

import random
from collections.abc import Iterator
from fractions import Fraction

import mpmath
import pytest
import sympy as sp

from calcml.learn.equivalence import _complex, _rational, compare, numeric, value_at

x = sp.Symbol("x", real=True)


@pytest.fixture(autouse=True)
def _digits() -> Iterator[None]:
    with mpmath.workdps(50):
        yield


@pytest.mark.parametrize("k", [12, 13])
def test_round_off_the_symbolic_test_cannot_undo_is_overruled_by_exact_points(k: int) -> None:
    # 10^k·(sin²x + cos²x) − 10^k + x is x; float64 loses x's low digits, expand keeps the trig
    given = 10**k * (sp.sin(x) ** 2 + sp.cos(x) ** 2) - 10**k + x
    for t in (-1.3, 0.4, 1.9):
        u = mpmath.mpf(t)
        exact = 10**k * (mpmath.sin(u) ** 2 + mpmath.cos(u) ** 2) - 10**k + u
        assert abs(exact - u) < mpmath.mpf(10) ** -30
    assert numeric(given, x, [x], {}, 1e-6).how == "different"  # float64 alone is fooled
    assert compare(given, x, [x]).equal is True
    assert compare(given, x + sp.Rational(1, 10**9), [x]).equal is False


def test_rational_points_are_simple_fractions_spread_over_the_interval() -> None:
    rng = random.Random(5)
    drawn = [_rational(rng, (-2.0, 2.0)) for _ in range(400)]
    assert all(-2 <= r <= 2 and int(r.q) in (1, 2, 3, 5, 7, 11) for r in drawn)
    fractions = [r for r in drawn if r.q > 1]
    assert min(fractions) < -1 and max(fractions) > 1  # both ends, not only near 0
    assert any(r < 0 for r in drawn if r.q == 1) and any(r > 0 for r in drawn if r.q == 1)
    # an interval holding exactly one simple fraction (1/3 in [0.3, 0.4]) gets it
    narrow = {_rational(rng, (0.3, 0.4)) for _ in range(200)}
    assert sp.Rational(1, 3) in narrow
    assert all(0.3 <= r <= 0.4 and Fraction(int(r.p), int(r.q)).denominator <= 1000 for r in narrow)


def test_a_value_beyond_float_range_keeps_its_sign() -> None:
    for big in (sp.Integer(10) ** 400, sp.Rational(3**700, 7)):
        assert _complex(big) == complex(float("inf"), 0.0)
        assert _complex(-big) == complex(float("-inf"), 0.0)
    for v in (sp.Rational(1, 3), sp.Rational(-22, 7), sp.Integer(5)):
        assert _complex(v) == complex(float(Fraction(int(v.p), int(v.q))), 0.0)


def test_value_at_refuses_an_infinite_or_undefined_value_with_an_imaginary_part() -> None:
    t = sp.Float(1000.0, 17)
    assert mpmath.exp(1000) > mpmath.mpf("1.8e308")  # beyond float64: (1 + i)·e^1000 is ∞ + ∞i
    assert value_at((1 + sp.I) * sp.exp(x), {x: t}) is None
    assert value_at(sp.exp(x), {x: t}) == complex(float("inf"), 0.0)
    # a part 1e-5 on a value of 1e6 is round-off (relative 1e-11): the value is real
    got = value_at(10**6 + sp.I * x / 10**5, {x: sp.Float(1.0, 17)})
    assert got == complex(10**6, 0.0)
    assert value_at(sp.I * x * sp.Rational(3, 2) / 10**9, {x: sp.Float(1.0, 17)}) is None
