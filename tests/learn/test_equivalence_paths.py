"""The grader's equivalence check on the paths the grading tests rarely reach: values NumPy cannot
compute (evalf), overflow, non-real values, exact confirmation of float disagreements, narrow
domains, and sides too large for the guarded symbolic test. Every expected verdict comes from a
reference written here: mpmath at 50 digits, or SymPy's own expand/cancel on the difference."""

from __future__ import annotations

import random
from collections.abc import Iterator

import mpmath
import pytest
import sympy as sp

from calcml.learn.equivalence import compare, evaluator, exact_value, symbolically_zero, value_at

x, y = sp.Symbol("x", real=True), sp.Symbol("y", real=True)
f = sp.Function("f")


@pytest.fixture(autouse=True)
def _digits() -> Iterator[None]:
    """mpmath at 50 digits for these tests only (its precision is global state)."""
    with mpmath.workdps(50):
        yield


def _points(seed: int, n: int = 12) -> list[float]:
    rng = random.Random(seed)
    return [rng.uniform(-3, 3) for _ in range(n)]


# (SymPy expression of x, the same function written with mpmath; None where it is not real)
def _real(v: mpmath.mpc | mpmath.mpf) -> mpmath.mpf | None:
    v = mpmath.mpmathify(v)
    if isinstance(v, mpmath.mpc):
        return None if abs(v.imag) > mpmath.mpf(10) ** -30 * (1 + abs(v.real)) else v.real
    return v


REFERENCE = [
    (sp.zeta(x), lambda t: mpmath.zeta(t) if t != 1 else None),
    (sp.polylog(2, x), lambda t: mpmath.polylog(2, t) if t <= 1 else None),
    (sp.sqrt(x) * sp.sin(x), lambda t: mpmath.sqrt(t) * mpmath.sin(t) if t >= 0 else None),
    (sp.log(x) + x, lambda t: mpmath.log(t) + t if t > 0 else None),
    (sp.exp(x) / (1 + x**2), lambda t: mpmath.exp(t) / (1 + t**2)),
    (sp.I * x, lambda t: None if t != 0 else mpmath.mpf(0)),
]


@pytest.mark.parametrize("k", range(len(REFERENCE)))
def test_the_evaluator_matches_mpmath_or_says_not_real(k: int) -> None:
    e, ref = REFERENCE[k]
    at = evaluator(e, [x])
    for t in _points(k):
        want = ref(mpmath.mpf(t))
        want = None if want is None else _real(want)
        got = at({x: sp.Float(t, 17)})
        if want is None:
            assert got is None, (e, t, got)
        else:
            assert got is not None and abs(got.imag) == 0, (e, t, got)
            assert abs(got.real - float(want)) <= 1e-9 * (1 + abs(float(want))), (e, t, got, want)


def test_value_at_is_inf_on_overflow_and_none_where_undefined() -> None:
    for t in (7.0, 8.0, 9.5):
        huge = mpmath.exp(mpmath.exp(t))  # e^(e^7) has 477 digits: beyond float64
        assert huge > mpmath.mpf("1.8e308")
        assert value_at(sp.exp(sp.exp(x)), {x: sp.Float(t, 17)}) == complex(float("inf"), 0)
    for t in (0.5, 1.0, 2.0):
        want = float(mpmath.exp(mpmath.exp(t)))
        got = value_at(sp.exp(sp.exp(x)), {x: sp.Float(t, 17)})
        assert got is not None and abs(got.real - want) <= 1e-12 * want
    assert value_at(1 / x, {x: sp.Float(0)}) is None
    assert value_at(f(x), {x: sp.Float(0.5)}) is None  # an unknown function has no value
    assert value_at(sp.sqrt(x), {x: sp.Float(-0.5)}) is None  # not real


def test_expressions_numpy_cannot_print_are_evaluated_by_evalf() -> None:
    # an unevaluated Integral: lambdify fails, evalf integrates numerically
    e = sp.Integral(sp.exp(-(y**2)), (y, 0, x))
    at = evaluator(e, [x])
    for t in (0.3, 1.1, -0.7):
        want = mpmath.quad(lambda s: mpmath.exp(-(s**2)), [0, t])
        got = at({x: sp.Float(t, 17)})
        assert got is not None and abs(got.real - float(want)) <= 1e-9
    assert evaluator(sp.Derivative(f(x), x), [x])({x: sp.Float(0.5)}) is None


@pytest.mark.parametrize("seed", range(6))
def test_exact_value_at_rational_points_matches_mpmath(seed: int) -> None:
    rng = random.Random(seed)
    cases = [
        (x**3 - sp.Rational(1, 3) * x, lambda t: t**3 - t / 3),
        (
            x ** sp.Rational(1, 3),
            lambda t: mpmath.sign(t) * abs(t) ** (mpmath.mpf(1) / 3),
        ),  # real root
        (sp.sqrt(x) + 1, lambda t: mpmath.sqrt(t) + 1 if t >= 0 else None),
        (sp.log(x**2 + 1), lambda t: mpmath.log(t**2 + 1)),
        (1 / (x - 1), lambda t: 1 / (t - 1) if t != 1 else None),
        (sp.atanh(x), lambda t: mpmath.atanh(t) if abs(t) < 1 else None),
    ]
    for _ in range(10):
        t = sp.Rational(rng.randint(-7, 7), rng.choice((1, 2, 3, 5)))
        for e, ref in cases:
            want = ref(mpmath.mpf(t.p) / t.q)
            got = exact_value(e, {x: t})
            if want is None:
                assert got is None, (e, t, got)
            else:
                assert got is not None, (e, t)
                assert abs(mpmath.mpf(str(sp.N(got, 55))) - want) <= mpmath.mpf(10) ** -40 * (
                    1 + abs(want)
                ), (e, t, got, want)
    assert exact_value(f(x), {x: sp.Rational(1, 2)}) is None


def test_float_round_off_is_no_counterexample_for_exact_answers() -> None:
    # (x + 10^8)^2 − 10^16 − 2·10^8·x is x^2 exactly; in float64 the x^2 part drowns in 10^16
    given = (x + 10**8) ** 2 - 10**16 - 2 * 10**8 * x
    assert sp.expand(given - x**2) == 0  # the reference
    t = 0.7
    assert abs(((t + 1e8) ** 2 - 1e16 - 2e8 * t) - t * t) > 0.01  # float64 gets it wrong
    got = compare(given, x**2, [x])
    assert (got.equal, got.how) == (True, "exact")
    off = compare(given, x**2 + 1, [x])
    assert off.equal is False


def test_constants_are_confirmed_exactly_and_a_tiny_offset_is_different() -> None:
    a, b = sp.sqrt(3 + 2 * sp.sqrt(2)), 1 + sp.sqrt(2)
    assert abs(mpmath.sqrt(3 + 2 * mpmath.sqrt(2)) - (1 + mpmath.sqrt(2))) < mpmath.mpf(10) ** -45
    assert compare(a, b).equal is True
    tiny = sp.Rational(1, 10**30)
    assert (
        abs(mpmath.sqrt(3 + 2 * mpmath.sqrt(2)) - (1 + mpmath.sqrt(2) + mpmath.mpf(10) ** -30)) > 0
    )
    got = compare(a, b + tiny)
    assert (got.equal, got.how) == (False, "different")


def test_a_difference_beyond_float_range_is_reported_as_infinite_values() -> None:
    given, expected = 10**400 + x, 10**400 + 2 * x
    assert sp.simplify(given - expected) == -x  # differ wherever x ≠ 0
    got = compare(given, expected, [x])
    assert (got.equal, got.how) == (False, "different")
    assert got.given_value == got.expected_value == complex(float("inf"), 0)
    assert got.point["x"] != 0


def test_an_answer_equal_only_on_the_stated_domain() -> None:
    # |x| = x on (0.3, 0.4) but not on the default (−2, 2); intervals without simple fractions
    for t in mpmath.linspace(0.3, 0.4, 11):
        assert abs(t) == t
    assert compare(sp.Abs(x), x, [x], {"x": (0.3, 0.4)}).equal is True
    assert compare(sp.Abs(x), x, [x]).equal is False
    assert compare(sp.Abs(x - 1) + x, sp.Integer(1), [x], {"x": (0.99, 1.0)}).equal is True
    assert compare(sp.Abs(x - 1) + x, sp.Integer(1), [x], {"x": (0.99, 1.01)}).equal is False


def test_sides_too_large_for_the_symbolic_test_are_decided_by_evaluation() -> None:
    big = sp.expand((x + y + 2) ** 11)
    assert sp.count_ops(big) > 120
    assert sp.expand(big - (x + y + 2) ** 11) == 0  # the reference
    assert symbolically_zero(big - (x + y + 2) ** 11) is False  # too large: not attempted
    assert compare(big, (x + y + 2) ** 11, [x, y]).equal is True
    assert compare(big + 1, (x + y + 2) ** 11, [x, y]).equal is False
    g = (x + y + 1) ** 12 / (x + 2)
    h = (x + y + 1) ** 12 * (x + 2) / (x**2 + 4 * x + 4)
    assert sp.cancel(g - h) == 0
    assert symbolically_zero(g - h) is False  # its expansion is too large to cancel
    assert compare(g, h, [x, y]).equal is True
    assert compare(g, h * (1 + x / 10**9), [x, y]).equal is False


def test_a_variable_exponent_of_a_sum_is_decided_by_evaluation() -> None:
    given, expected = sp.exp(y * sp.log(x + 2)), (x + 2) ** y
    assert symbolically_zero(given - expected) is False
    for t, s in zip(_points(1), _points(2), strict=True):
        u = mpmath.mpf(t) / 3 + 1  # x + 2 in (0, 4)
        assert abs(mpmath.exp(s * mpmath.log(u)) - u**s) < mpmath.mpf(10) ** -40 * (1 + u**s)
    assert compare(given, expected, [x, y]).equal is True
    assert compare(given, (x + 2) ** (y + 1), [x, y]).equal is False
