"""`calcml.taylor` of functions with switches (ReLU, |u|, sign, max, min, leaky ReLU, H) and of
exact constants such as tan(π/48): away from a switch f is one smooth branch near the point, so
its Taylor polynomial is that branch's; at a switch point a CalcmlError names the kink.

Reference: mpmath.taylor (numerical differentiation at 40 digits) of the function written here
with mpmath's own max/abs/sign — never calcml's output. Generated cases, seeded; the broad sweep
runs under the soak marker.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import mpmath
import pytest
import sympy as sp

import calcml as cm
from calcml.errors import CalcmlError
from calcml.symbolic import budget

x = sp.Symbol("x", real=True)
Num = Any  # an mpmath number

# switch name -> (text template for the input, mpmath function of the inside(s))
SWITCHES: dict[str, tuple[str, Callable[..., Num]]] = {
    "relu": ("relu({u})", lambda u, v: max(u, 0)),
    "abs": ("abs({u})", lambda u, v: abs(u)),
    "sign": ("sign({u})", lambda u, v: mpmath.sign(u)),
    "leaky": ("leaky_relu({u})", lambda u, v: u if u > 0 else u / 100),
    "max": ("max({u}, {v})", lambda u, v: max(u, v)),
    "min": ("min({u}, {v})", lambda u, v: min(u, v)),
}
# inside of a switch: text, mpmath function of x
INSIDES: list[tuple[str, Callable[[Num], Num]]] = [
    ("x", lambda t: t),
    ("x - 1/2", lambda t: t - mpmath.mpf(1) / 2),
    ("x^2 - 1", lambda t: t**2 - 1),
    ("sin(x)", mpmath.sin),
    ("2*x + x^3", lambda t: 2 * t + t**3),
]
# the smooth outside g(s, x): text, mpmath function
OUTSIDES: list[tuple[str, Callable[[Num, Num], Num]]] = [
    ("(1 + ({s})^2)^(2*x)", lambda s, t: (1 + s**2) ** (2 * t)),
    ("sin(({s})*(-2/3)/x)", lambda s, t: mpmath.sin(s * mpmath.mpf(-2) / 3 / t)),
    ("exp(({s})*x)", lambda s, t: mpmath.exp(s * t)),
    ("(1 + softplus(x)^2)^({s})", lambda s, t: (1 + mpmath.log1p(mpmath.exp(t)) ** 2) ** s),
    ("cos(x + ({s}))", lambda s, t: mpmath.cos(t + s)),
]
POINTS = [sp.Rational(k, 4) for k in range(-8, 9) if k]


def _case(seed: int) -> tuple[str, Callable[[Num], Num], sp.Rational, int] | None:
    """A switch inside a smooth outside, at a rational point away from every switch."""
    rng = random.Random(seed)
    template, switch = SWITCHES[rng.choice(sorted(SWITCHES))]
    (u_text, u), (v_text, v) = rng.sample(INSIDES, 2)
    outside_text, outside = rng.choice(OUTSIDES)
    text = outside_text.format(s=template.format(u=u_text, v=v_text))

    def f(t: Num) -> Num:
        return outside(switch(u(t), v(t)), t)

    a = rng.choice(POINTS)
    at = mpmath.mpf(a.p) / a.q
    if min(abs(u(at)), abs(u(at) - v(at))) < mpmath.mpf("0.05") or at == 0:
        return None  # at (or too near) a switch: covered by the kink tests below
    return text, f, a, rng.choice((2, 3))


def _assert_matches_mpmath(
    result: sp.Expr, f: Callable[[Num], Num], a: sp.Rational, n: int
) -> None:
    with mpmath.workdps(40):
        want = mpmath.taylor(f, mpmath.mpf(a.p) / a.q, n)
        for k in range(n + 1):
            got = sp.N(result.diff(x, k).subs(x, a) / sp.factorial(k), 40)
            assert abs(mpmath.mpf(str(got)) - want[k]) <= mpmath.mpf("1e-20") * (
                1 + abs(want[k])
            ), (
                k,
                got,
                want[k],
            )


def _seeds(n_test: int, n_soak: int) -> list[Any]:
    return [s if s < n_test else pytest.param(s, marks=pytest.mark.soak) for s in range(n_soak)]


@pytest.mark.parametrize("seed", _seeds(4, 150))
def test_away_from_a_switch_the_polynomial_is_the_smooth_branchs(seed: int) -> None:
    case = _case(seed)
    if case is None:
        return
    text, f, a, n = case
    try:
        with budget.request(seconds=None):  # work alone decides: no clock
            r = cm.taylor(text, "x", at=a, order=n)
    except budget.BudgetExceeded:
        return  # a clear give-up when the exact values grow past the work budget
    _assert_matches_mpmath(r.result, f, a, n)


@pytest.mark.parametrize(
    ("text", "at"),
    [("relu(x)*exp(x)", 0), ("abs(x^2 - 1) + x", -1), ("max(x, x^2)", 1), ("sign(sin(x))", 0)],
)
def test_at_a_switch_point_the_kink_is_named(text: str, at: int) -> None:
    with pytest.raises(CalcmlError, match="corner or jump"):
        cm.taylor(text, "x", at=at, order=2)


TRIG = {"tan": mpmath.tan, "cot": mpmath.cot}  # SymPy writes tan(π/48), cot(3π/16) as radicals


@pytest.mark.parametrize("seed", _seeds(1, 12))
def test_trig_at_rational_multiples_of_pi_stays_compact(seed: int) -> None:
    """tan(x²·acos(1/2)) at 1/4 is tan(π/48) and its powers: SymPy's radicals for it (63
    operations, multiplied by each derivative) made the request run for minutes."""
    rng = random.Random(seed)
    name = rng.choice(sorted(TRIG))
    k, c = rng.choice([(2, "acos(1/2)"), (2, "pi/3")])
    a = rng.choice([sp.Rational(1, 4), sp.Rational(3, 4)])
    share = {"acos(1/2)": 3, "pi/3": 3, "2*pi/3": mpmath.mpf(3) / 2}[c]  # the angle is π/share
    with budget.request(seconds=None):
        r = cm.taylor(f"{name}(x^{k}*{c})", "x", at=a, order=4)
    assert all(budget.nodes(coefficient) < 300 for coefficient in r.coefficients)
    _assert_matches_mpmath(r.result, lambda t: TRIG[name](t**k * mpmath.pi / share), a, 4)
