"""The values the grader's equivalence check computes: exact values at rational points (sums,
huge points, infinities), float values by evalf, and the random points it draws. References:
mpmath at 50 (or 400) digits and Python's fractions."""

from __future__ import annotations

import random
from collections.abc import Iterator
from fractions import Fraction

import mpmath
import pytest
import sympy as sp

from calcml.learn.equivalence import _draw, exact_value, value_at

x = sp.Symbol("x", real=True)
k = sp.Symbol("k", integer=True)
HUGE_POINT = sp.Integer(10) ** 277


@pytest.fixture(autouse=True)
def _digits() -> Iterator[None]:
    with mpmath.workdps(50):
        yield


@pytest.mark.parametrize("e", [sp.oo, -sp.oo, sp.zoo, sp.nan, x + sp.oo, 1 / (x - x**2 / 2)])
def test_an_infinite_or_undefined_value_has_no_exact_value(e: sp.Expr) -> None:
    assert exact_value(e, {x: sp.Integer(2)}) is None


def test_a_sum_sympy_cannot_call_real_is_evaluated_exactly() -> None:
    # Σ_{k=1..3} |x − k| at x = 1/2 is 1/2 + 3/2 + 5/2
    s = sp.Sum(sp.Abs(x - k), (k, 1, 3))
    for t in (Fraction(1, 2), Fraction(-7, 3), Fraction(11, 5)):
        want = sum(abs(t - j) for j in (1, 2, 3))
        got = exact_value(s, {x: sp.Rational(t.numerator, t.denominator)})
        assert got is not None and abs(Fraction(str(got)) - want) < Fraction(1, 10**40), (t, got)


def test_a_sum_of_non_real_parts_is_not_real() -> None:
    # Σ_{k=1..2} √(x − k) at x = 3/2: √(1/2) + √(−1/2) has an imaginary part
    s = sp.Sum(sp.sqrt(x - k), (k, 1, 2))
    assert abs(mpmath.im(mpmath.sqrt(mpmath.mpf(-1) / 2))) > 0.7
    assert exact_value(s, {x: sp.Rational(3, 2)}) is None
    got = exact_value(s, {x: sp.Integer(3)})  # √2 + 1
    assert got is not None and abs(mpmath.mpf(str(got)) - (mpmath.sqrt(2) + 1)) < 1e-40


def test_a_huge_point_is_evaluated_with_the_argument_reduced() -> None:
    with mpmath.workdps(400):  # sin(10²⁷⁷) needs 277 more digits of π
        want = mpmath.sin(mpmath.mpf(10) ** 277)
    got = exact_value(sp.sin(x), {x: HUGE_POINT})
    assert got is not None and abs(mpmath.mpf(str(got)) - want) < mpmath.mpf(10) ** -45
    got = exact_value(sp.log(x) / x**2 * x**2, {x: HUGE_POINT})
    assert got is not None and abs(mpmath.mpf(str(got)) - 277 * mpmath.log(10)) < 1e-40


def test_a_huge_point_whose_digits_are_noise_is_skipped() -> None:
    # cosh(x) − sinh(x) = e^(−x): at x = 10²⁷⁷ evalf cancels two numbers of 10^(4·10²⁷⁶)
    # digits and returns noise that changes with the precision; the point decides nothing
    assert exact_value(sp.cosh(x) - sp.sinh(x), {x: HUGE_POINT}) is None
    assert exact_value(sp.exp(x) - sp.sinh(x) - sp.cosh(x), {x: HUGE_POINT}) is None


def test_value_at_is_the_float_nearest_the_value() -> None:
    rng = random.Random(11)
    e = sp.exp(x) * sp.sin(x) + sp.zeta(x + 3)  # zeta: evalf, not NumPy
    for _ in range(6):
        t = rng.uniform(-2, 2)
        want = mpmath.exp(t) * mpmath.sin(t) + mpmath.zeta(t + 3)
        assert value_at(e, {x: sp.Float(t, 17)}) == complex(float(want)), t
    assert value_at(-sp.exp(sp.exp(x)), {x: sp.Float(8.0, 17)}) == complex(-float("inf"))


@pytest.mark.parametrize(("lo", "hi"), [(-2.0, 2.0), (0.2, 7.9), (-30.0, -10.0)])
def test_random_points_keep_away_from_integers(lo: float, hi: float) -> None:
    rng = random.Random(int(hi))
    drawn = [_draw(rng, (lo, hi)) for _ in range(300)]
    assert all(isinstance(v, sp.Float) and lo <= v <= hi for v in drawn)
    assert all(abs(float(v) - round(float(v))) > 0.05 for v in drawn)
    width = hi - lo
    assert min(drawn) < lo + width / 10 and max(drawn) > hi - width / 10


def test_an_interval_of_near_integers_still_gets_points_inside_it() -> None:
    rng = random.Random(2)
    drawn = [float(_draw(rng, (0.97, 1.03))) for _ in range(50)]
    assert all(0.97 <= v <= 1.03 for v in drawn) and len(set(drawn)) == 50


def test_the_bit_bound_is_never_below_the_bits_of_the_exact_value() -> None:
    from calcml.learn.equivalence import _bits

    y = sp.Symbol("y", real=True)
    rng = random.Random(0)
    for _ in range(60):
        a, b = rng.randint(-9, 9), rng.randint(1, 9)
        n, m = rng.randint(1, 40), rng.randint(-20, 20)
        e = rng.choice(
            [
                x**n * (y + sp.Rational(a, b)) ** m,
                (x**n + y ** abs(m) * a) / (b + x**2),
                (x - sp.Rational(a, b)) ** n - y**2 * sp.Rational(b, 7),
            ]
        )
        fx = Fraction(rng.randint(-30, 30), rng.randint(1, 30))
        fy = Fraction(rng.randint(-30, 30), rng.randint(1, 30))
        point = {x: sp.Rational(fx.numerator, fx.denominator)}
        point[y] = sp.Rational(fy.numerator, fy.denominator)
        exact = e.subs(point)  # the reference: SymPy's rational arithmetic
        if not exact.is_Rational:
            continue  # a pole
        value = Fraction(int(exact.p), int(exact.q))
        bits = max(abs(value.numerator).bit_length(), value.denominator.bit_length())
        assert _bits(e, point) >= bits, (e, point)
    assert _bits(x + 1, {}) == float("inf")  # a variable without a value: no bound


def test_an_interval_holding_one_simple_fraction_gets_it_often() -> None:
    from calcml.learn.equivalence import _rational

    # [0.3, 0.4] holds 1/3 and no other fraction of denominator ≤ 11 but 4/11 (0.364)
    rng = random.Random(4)
    drawn = [_rational(rng, (0.3, 0.4)) for _ in range(300)]
    assert all(0.3 <= r <= 0.4 for r in drawn)
    thirds = drawn.count(sp.Rational(1, 3))
    elevenths = drawn.count(sp.Rational(4, 11))
    assert thirds >= 30 and elevenths >= 10, (thirds, elevenths)  # 2/10, 1/10 of the draws
