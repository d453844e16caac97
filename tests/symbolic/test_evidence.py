"""The numeric evidence for limits can say no: near misses, convergence mistaken for oscillation,
cancellation, and oscillations generic points miss. Every expected value here is computed in
the test (mpmath at high precision, or exact arithmetic), not read from calcml."""

from __future__ import annotations

import random

import mpmath as mp
import pytest
import sympy as sp

import calcml as cm
from calcml.expr import symbol
from calcml.symbolic.evidence import gather, show_number
from calcml.symbolic.limit_result import DNE

x = symbol("x")

# (f, point, side, limit): limits known in closed form
CONVERGING = [
    (sp.sin(x) / x, 0, "+", sp.S.One),
    ((1 - sp.cos(x)) / x**2, 0, "-", sp.Rational(1, 2)),
    ((sp.exp(x) - 1) / x, 0, "+", sp.S.One),
    ((1 + 1 / x) ** x, sp.oo, "-", sp.E),
    (x * sp.sin(1 / x), 0, "+", sp.S.Zero),  # sign changes all the way, yet converges
    (x**2 * sp.cos(1 / x), 0, "-", sp.S.Zero),
    (sp.atan(x), sp.oo, "-", sp.pi / 2),
    ((x**2 - 4) / (x - 2), 2, "+", sp.Integer(4)),
    (sp.sqrt(x**2 + x) - x, sp.oo, "-", sp.Rational(1, 2)),
    (x * sp.log(x), 0, "+", sp.S.Zero),
    (sp.sin(x) / x, sp.oo, "-", sp.S.Zero),  # oscillating sign, shrinking amplitude
    (sp.tanh(x), -sp.oo, "+", -sp.S.One),
]


def _seeded_offsets(n: int = 12) -> list[float]:
    rng = random.Random(21)
    return [rng.choice([-1, 1]) * 10 ** rng.uniform(-5.5, -2) for _ in range(n)]


@pytest.mark.parametrize(("f", "at", "side", "limit"), CONVERGING, ids=str)
def test_the_true_limit_is_supported_and_near_misses_are_not(
    f: sp.Expr, at: object, side: str, limit: sp.Expr
) -> None:
    ev = gather(f, x, sp.sympify(at), side, seconds=None)
    assert ev.supports(limit) is True
    # a candidate off by a relative 10⁻⁵·⁵ … 10⁻² (or that much absolutely, near 0) is wrong:
    # a tolerance loosened 100× or 10,000× would accept some of these
    for eps in _seeded_offsets():
        near_miss = limit + sp.Float(eps, 30) * max(1, abs(float(limit)))
        assert ev.supports(near_miss) is False, (near_miss, [s.shown() for s in ev.tail])


@pytest.mark.parametrize(("f", "at", "side", "limit"), CONVERGING, ids=str)
def test_a_converging_function_does_not_oscillate(
    f: sp.Expr, at: object, side: str, limit: sp.Expr
) -> None:
    ev = gather(f, x, sp.sympify(at), side, seconds=None)
    assert ev.supports("oscillates") is False


@pytest.mark.parametrize(
    ("f", "at", "side"),
    [
        (sp.sin(1 / x), 0, "+"),
        (sp.cos(1 / x), 0, "-"),
        (sp.sin(x), sp.oo, "-"),
        (x * sp.sin(x), sp.oo, "-"),
        (sp.sin(1 / x) + 2, 0, "+"),
    ],
    ids=str,
)
def test_an_oscillation_is_supported_and_no_value_is(f: sp.Expr, at: object, side: str) -> None:
    ev = gather(f, x, sp.sympify(at), side, seconds=None)
    assert ev.supports("oscillates") is True
    for candidate in (sp.S.Zero, sp.S.One, sp.Integer(2), sp.oo, -sp.oo):
        assert ev.supports(candidate) is not True


def test_terms_lost_to_rounding_do_not_fake_a_limit() -> None:
    # ((2/3)^(x+1) + 1)^(2^x) / 2^((4/3)^(x-1)) → ∞ (log f ≈ (4/3)^x·(2/3 − ln2·3/4) > 0), but
    # at x = 10⁴ the (2/3)^x term vanishes below any practical precision and f looks like 0
    f = cm.parse("((2/3)^(x+1) + 1)^(2^x)/2^((4/3)^(x-1))")
    ev = gather(f, x, sp.oo, "-", seconds=None)
    assert ev.supports(sp.S.Zero) is not True
    assert ev.supports(sp.oo) is not False
    r = cm.limit(f, "x", "oo", time_limit=30)
    assert r.value == sp.oo


def test_astronomic_numbers_are_shown_without_printing_their_digits() -> None:
    with mp.workdps(20):
        huge = mp.mpf(2) ** (mp.mpf(10) ** 30)
        assert show_number(huge).startswith("10^(3.0103")
        big = mp.mpf(10) ** 50000
        assert show_number(big, 5) == "1.0e+50000"
        assert show_number(mp.mpf("1.5")) == "1.5"


# (sin x)² ^ (1/x) and friends: the base oscillates and touches 0, so there is no limit;
# at generic points f → 1, which is the false answer SymPy's limit (and calcml's old
# "|AccumBounds(-1, 1)|^0 = 1" step) gave
# (sin x)² ^ (1/x) and friends: the base oscillates and touches 0, so there is no limit;
# at generic points f → 1, which is the false answer SymPy's limit (and calcml's old
# "|AccumBounds(-1, 1)|^0 = 1" step) gave. `peak`: a point of the period where the base is
# at its largest (by hand), `zero`: where it is 0.
OSCILLATING_BASES = [
    ("(sin(x)^2)^(1/x)", "oo", "pi/2", "0"),
    ("(sin(x)^2)^(1/x)", "-oo", "pi/2", "0"),
    ("abs(sin(x))^(2/x)", "oo", "pi/2", "pi"),
    ("(cos(x) + 1)^(1/x)", "oo", "0", "pi"),
    ("(cos(x) + 1)^(1/x)", "-oo", "0", "pi"),
    ("abs(tan(x))^(4/x)", "oo", "pi/4", "0"),
    ("(sin(x)/2 + 1/2)^x", "oo", "pi/2", "3*pi/2"),
    ("(sin(x)/2 + 1/2)^x", "-oo", "pi/2", "3*pi/2"),
    ("(cos(3*x)^2)^(1/x^2)", "oo", "0", "pi/6"),
    ("(1 - sin(2*x))^(5/x)", "oo", "3*pi/4", "pi/4"),
]


@pytest.mark.parametrize(("f", "at", "peak", "zero"), OSCILLATING_BASES)
def test_a_power_with_an_oscillating_base_has_no_limit(
    f: str, at: str, peak: str, zero: str
) -> None:
    expr = cm.parse(f)
    r = cm.limit(expr, "x", at, time_limit=30)
    assert r.value == DNE, r.reason
    assert not any("AccumBounds" in s.explanation for s in r.steps)
    # independent check, exact: far out, f at a zero of the base is 0 (or undefined: 0 to a
    # negative power) while at a peak of the base it is positive and finite
    far = (1 if at == "oo" else -1) * 2 * sp.pi * 10**6
    at_zero = expr.subs(x, cm.parse(zero) + far)
    at_peak = sp.N(expr.subs(x, cm.parse(peak) + far), 30)
    assert cm.parse(zero) != cm.parse(peak) and expr.base.subs(x, cm.parse(zero)) == 0
    assert at_zero == 0 or not at_zero.is_finite
    assert at_peak.is_finite and at_peak > sp.Float("0.5")


@pytest.mark.parametrize(
    ("f", "at", "expected"),
    [
        ("(sin(x) + 2)^(1/x)", "oo", sp.S.One),  # base bounded away from 0: the limit is 1
        ("(cos(x)^2 + 1)^(1/x)", "-oo", sp.S.One),
        ("(sin(x)/2 + 1/2)^(1/x^2)", "oo", None),  # touches 0: no limit
    ],
)
def test_a_bounded_base_away_from_zero_still_has_a_limit(
    f: str, at: str, expected: sp.Expr | None
) -> None:
    r = cm.limit(f, "x", at, time_limit=30)
    assert r.value == (DNE if expected is None else expected)
