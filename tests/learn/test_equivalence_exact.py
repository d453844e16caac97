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

from calcml.learn.equivalence import (
    _complex,
    _rational,
    compare,
    numeric,
    symbolically_zero,
    value_at,
)

x = sp.Symbol("x", real=True)


@pytest.fixture(autouse=True)
def _digits() -> Iterator[None]:
    with mpmath.workdps(50):
        yield


@pytest.mark.parametrize("k", [12, 13])
@pytest.mark.parametrize(
    ("part", "ref"), [(x, lambda u: u), (sp.log(x), mpmath.log)], ids=["x", "log"]
)
def test_round_off_the_symbolic_test_cannot_undo_is_overruled_by_exact_points(
    k: int, part: sp.Expr, ref: object
) -> None:
    # 10^k·(sin²x + cos²x) − 10^k + u is u; float64 loses u's low digits, expand keeps the trig
    # (log(x): the rational points x ≤ 0 are skipped, not the end of the test)
    given = 10**k * (sp.sin(x) ** 2 + sp.cos(x) ** 2) - 10**k + part
    for t in (0.3, 1.2, 1.9):
        u = mpmath.mpf(t)
        exact = 10**k * (mpmath.sin(u) ** 2 + mpmath.cos(u) ** 2) - 10**k + ref(u)  # type: ignore[operator]
        assert abs(exact - ref(u)) < mpmath.mpf(10) ** -30  # type: ignore[operator]
    assert numeric(given, part, [x], {}, 1e-6).how == "different"  # float64 alone is fooled
    assert compare(given, part, [x]).equal is True
    assert compare(given, part + sp.Rational(1, 10**9), [x]).equal is False


@pytest.mark.parametrize(
    ("part", "ref"),
    [
        (sp.log(x), mpmath.log),
        (sp.log(x**2), lambda u: mpmath.log(u**2)),
        (sp.log(x + 2), lambda u: mpmath.log(u + 2)),
        (sp.acos(x), mpmath.acos),
    ],
    ids=["log", "log-square", "log-shift", "acos"],
)
def test_an_identity_is_equal_where_the_value_is_zero(part: sp.Expr, ref: object) -> None:
    # sin²x + cos²x − 1 + u is u; where u = 0 (x = 1, −1) a 50-digit evaluation of the trig
    # leaves ±1e-160: round-off, not a counterexample (it was one: the answer was rejected)
    for t in (-1, 1, 0.5):
        u = mpmath.mpf(t)
        value = mpmath.sin(u) ** 2 + mpmath.cos(u) ** 2 - 1
        assert abs(value) < mpmath.mpf(10) ** -45
    given = sp.sin(x) ** 2 + sp.cos(x) ** 2 - 1 + part
    assert compare(given, part, [x]).equal is True
    assert compare(given, part + sp.Rational(1, 10**20), [x]).equal is False


def test_a_large_constant_is_confirmed_relative_to_its_size() -> None:
    # 10^20·(sin²1 + cos²1) is 10^20; at 50 digits the trig leaves ~1e-30, tiny next to 10^20
    assert abs(10**20 * (mpmath.sin(1) ** 2 + mpmath.cos(1) ** 2) - 10**20) < mpmath.mpf(10) ** -25
    big = 10**20 * (sp.sin(1) ** 2 + sp.cos(1) ** 2)
    assert compare(big, sp.Integer(10) ** 20).equal is True
    assert compare(big, sp.Integer(10) ** 20 + 1).equal is False
    # sqrt(3 + 2·sqrt(2)) = 1 + sqrt(2); an offset of 5e-35 (15 digits short of 50) is seen
    a, b = sp.sqrt(3 + 2 * sp.sqrt(2)), 1 + sp.sqrt(2)
    assert compare(a, b + sp.Rational(5, 10**35)).equal is False


def test_the_guarded_symbolic_test_shows_zero_and_only_zero() -> None:
    one = (x + 1) ** 2 - x**2 - 2 * x
    assert sp.expand(one) == 1
    assert symbolically_zero(one) is False
    rational = 1 / (x + 1) + 1 / (x + 2) - (2 * x + 3) / ((x + 1) * (x + 2))
    assert sp.expand(rational) != 0 and sp.cancel(sp.together(rational)) == 0
    assert symbolically_zero(rational) is True
    also_one = x / (x + 1) + 1 / (x + 1)
    assert sp.cancel(sp.together(also_one)) == 1
    assert symbolically_zero(also_one) is False
    # a power of a sum is expanded up to the 12th only
    twelve = (x + 1) ** 12 - sp.expand((x + 1) ** 12)
    thirteen = (x + 1) ** 13 - sp.expand((x + 1) ** 13)
    assert sp.expand(twelve) == 0 and sp.expand(thirteen) == 0
    assert symbolically_zero(twelve) is True
    assert symbolically_zero(thirteen) is False


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


def test_powers_that_branch_get_many_exact_points() -> None:
    from calcml.learn.equivalence import _branchy

    t, y = sp.Symbol("t"), sp.Symbol("y", real=True)  # t: no assumptions
    branching = [x**y, 2**x, sp.sqrt(x), x ** sp.Rational(2, 3), t**x, (x - 1) ** sp.Rational(1, 5)]
    plain = [x**2, sp.sqrt(x**2 + 1), sp.exp(x), x**-3, sp.Pow(-2, sp.Rational(1, 3)), sp.sqrt(2)]
    # the definition: a power of a variable whose exponent is not a number, or is a fraction
    # of a base that may be negative (a root of a signed base has branches)
    for e in branching:
        assert _branchy(e + 1), e
    for e in plain:
        assert not _branchy(e + x), e
