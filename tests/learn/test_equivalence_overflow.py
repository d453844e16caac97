"""The grader at points where float64 overflows inside a finite value: a correct answer written
with `.rewrite(exp)` (tanh(u) = (eᵘ − e⁻ᵘ)/(eᵘ + e⁻ᵘ)) is accepted, a different one still
rejected, an infinite one never equal. Reference: SymPy's rewrite (an identity) and mpmath at
80 digits for the difference of the wrong versions."""

from __future__ import annotations

import random

import mpmath
import pytest
import sympy as sp

from calcml.expr import parse, symbol
from calcml.learn.equivalence import compare

X = symbol("x")
FAMILIES = [
    lambda u: sp.tanh(u),
    lambda u: 1 / sp.cosh(u),
    lambda u: sp.sinh(u) / sp.cosh(u) ** 2,
    lambda u: parse("sigmoid(x)").subs(X, u),
    lambda u: sp.tanh(u) ** 2 + 3,
    lambda u: sp.log(sp.cosh(u)) - u,
]
DOMAINS = [(300.0, 800.0), (1e100, 1e102), (-800.0, -300.0)]


def _case(seed: int) -> tuple[sp.Expr, tuple[float, float]]:
    rng = random.Random(seed)
    a = rng.choice([1, 2, 3, sp.Rational(1, 2)])
    return FAMILIES[seed % len(FAMILIES)](a * X), DOMAINS[seed % len(DOMAINS)]


def _mp_value(e: sp.Expr, x: float) -> mpmath.mpf:
    with mpmath.workdps(80):
        return sp.lambdify(X, e, "mpmath")(mpmath.mpf(x))


@pytest.mark.parametrize(
    "seed", [0, 1, 2, 3, *(pytest.param(s, marks=pytest.mark.soak) for s in (4, 5))]
)
def test_rewrite_with_exp_is_accepted_where_floats_overflow(seed: int) -> None:
    e, domain = _case(seed)
    given = e.rewrite(sp.exp)
    verdict = compare(given, e, [X], domain={"x": domain})
    assert verdict.equal, (e, domain, verdict)


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 5])
def test_a_different_answer_is_still_rejected_where_floats_overflow(seed: int) -> None:
    e, domain = _case(seed)
    mid = (domain[0] + domain[1]) / 2
    for wrong in (e.rewrite(sp.exp) + sp.Rational(1, 10), 2 * e.rewrite(sp.exp) + 1):
        # the reference: the two really differ there (mpmath, 80 digits)
        assert abs(_mp_value(wrong, mid) - _mp_value(e, mid)) > mpmath.mpf("1e-3")
        verdict = compare(wrong, e, [X], domain={"x": domain})
        assert not verdict.equal, (wrong, e, domain, verdict)


@pytest.mark.soak
@pytest.mark.parametrize("family", range(len(FAMILIES)))
def test_rewrite_with_exp_is_accepted_near_the_largest_floats(family: int) -> None:
    e = FAMILIES[family](X)
    assert compare(e.rewrite(sp.exp), e, [X], domain={"x": (1e276, 1e278)}).equal, e


@pytest.mark.parametrize("answer", ["oo", "10^400", "exp(1000)", "1e400", "-oo"])
def test_an_infinite_or_overflowing_answer_is_never_equal_to_a_finite_one(answer: str) -> None:
    for e, domain in (_case(0), _case(1)):
        assert not compare(parse(answer), e, [X], domain={"x": domain}).equal


def test_a_rewrite_through_exp_and_log_of_a_negative_base_is_accepted() -> None:
    """y⁻² rewritten as exp(−2·log y): float64 gives nan for y < 0, evalf the real value (the
    expected answer has a domain of its own, acos, so a nan used to be a domain mismatch)."""
    x, y = symbol("x"), symbol("y")
    rng = random.Random(7)
    for _ in range(3):
        a, n = rng.choice([2, 3, 5]), rng.choice([-2, -4, 2])
        expected = parse(f"acos(x/{a}) + y^({n})")
        given = expected.rewrite(sp.exp)
        assert given.has(sp.log), given  # the rewrite goes through exp(n·log y)
        assert compare(given, expected, [x, y]).equal, given
        assert not compare(given + 1, expected, [x, y]).equal
