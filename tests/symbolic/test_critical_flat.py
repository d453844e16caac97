"""`critical` on a function constant on a whole piece (x·|x| + x² ≡ 0 for x ≤ 0): the answer is
that set, not a sample of grid points. References: SymPy on each piece of f′ rewritten as a
Piecewise (the pieces whose expression has derivative 0), and finite differences of f."""

from __future__ import annotations

import random
from collections.abc import Iterator
from fractions import Fraction
from typing import Any

import mpmath
import pytest
import sympy as sp
from test_differential_fuzz import seeds

import calcml
from calcml.expr.functions import relu
from calcml.symbolic import budget

X = sp.Symbol("x", real=True)


@pytest.fixture(autouse=True)
def _no_clock() -> Iterator[None]:
    with budget.request(seconds=None):
        yield


def _q(rng: random.Random) -> Fraction:
    return Fraction(rng.randint(-12, 12), rng.choice([1, 2, 4]))


TEMPLATES = [
    "{a}*((x-{c})*|x-{c}| + (x-{c})^2)",
    "{a}*((x-{c})^2*sign(x-{c}) + (x-{c})^2)",
    "relu(x-{c})^2 - max(x-{c},0)^2",
    "max(x-{c},0) - relu(x-{c})",
    "|x-{c}| + |x-{d}|",
    "relu(x-{hi}) + relu({lo}-x)",
    "{a}*(x-{c})^2 + {d}",
    "{a}*(relu(x-{c}) - relu({c}-x)) + x^2*relu({c}-x) - x^2*relu({c}-x)",
]


def _case(seed: int) -> str:
    rng = random.Random(seed)
    c, d = _q(rng), _q(rng)
    while d == c:
        d = _q(rng)
    a = rng.choice([-3, -2, -1, 1, 2, 3])
    lo, hi = sorted((c, d))
    return TEMPLATES[seed % len(TEMPLATES)].format(
        a=a, c=f"({c})", d=f"({d})", lo=f"({lo})", hi=f"({hi})"
    )


def _sympy_flat_set(f: sp.Expr) -> sp.Set:
    """SymPy's own answer: f (ReLU as Max) rewritten as a Piecewise; the union of the
    conditions (intervals, not single points) whose piece has derivative identically 0."""
    g = f.replace(relu, lambda u: sp.Max(0, u)).rewrite(sp.Piecewise)
    pw = sp.piecewise_fold(g)
    pieces = pw.args if isinstance(pw, sp.Piecewise) else ((pw, sp.true),)
    out: sp.Set = sp.EmptySet
    covered: sp.Set = sp.EmptySet
    for expr, cond in pieces:
        where = sp.Complement(sp.Intersection(cond.as_set(), sp.S.Reals), covered)
        covered = sp.Union(covered, where)
        if where.measure > 0 and sp.simplify(sp.diff(expr, X)) == 0:
            out = sp.Union(out, where)
    return out


def _locally_constant(f: sp.Expr, t: float) -> bool:
    """Finite differences at 30 digits: f(t ± h) = f(t) for a few small h."""
    fn = sp.lambdify(X, f.replace(relu, lambda u: sp.Max(0, u)), "mpmath")
    with mpmath.workdps(30):
        v = fn(mpmath.mpf(t))
        return all(
            abs(fn(mpmath.mpf(t) + s * h) - v) < 1e-20 for h in (1e-3, 1e-6) for s in (1, -1)
        )


def _result_set(r: Any) -> sp.Set:
    return sp.Union(
        *(reg.where for reg in r.regions),
        sp.FiniteSet(*(p.coords[0] for p in r.points if p.kind != "not differentiable")),
    )


@pytest.mark.parametrize("seed", seeds(3, 64))
def test_critical_reports_the_whole_set_where_f_is_constant(seed: int) -> None:
    text = _case(seed)
    r = calcml.critical_points(text, "x")
    f = r.expr
    expected = _sympy_flat_set(f)
    got = sp.Union(*(reg.where for reg in r.regions))
    assert got.closure == expected.closure, (text, got, expected)
    # no isolated point is listed inside the set (a grid sample is no answer)
    assert not any(got.contains(p.coords[0]) == sp.true for p in r.points), text
    rng = random.Random(seed)
    switches = {float(s) for s in expected.boundary} if expected != sp.EmptySet else set()
    for _ in range(12):
        t = rng.uniform(-8, 8)
        if any(abs(t - s) < 1e-2 for s in switches):
            continue
        assert (got.contains(t) == sp.true) == _locally_constant(f, t), (text, t)
    if r.regions:
        assert "f is constant there" in r.text() and str(r.regions[0].where_text()) in r.text()


def test_x_abs_x_plus_x_squared_is_critical_on_the_closed_half_line() -> None:
    r = calcml.critical_points("x*|x| + x^2", "x")
    assert [reg.where for reg in r.regions] == [sp.Interval(-sp.oo, 0)]
    assert r.points == []
    assert "every x in (-∞, 0]" in r.text()


def _constant_near(f: sp.Expr, xs: list[sp.Symbol], p: tuple[float, float]) -> bool:
    fn = sp.lambdify(xs, f.replace(relu, lambda u: sp.Max(0, u)), "mpmath")
    with mpmath.workdps(30):
        v = fn(*p)
        return all(
            abs(fn(p[0] + dx, p[1] + dy) - v) < 1e-20
            for dx, dy in ((1e-4, 0), (-1e-4, 0), (0, 1e-4), (0, -1e-4))
        )


@pytest.mark.parametrize("seed", seeds(1, 16))
def test_critical_in_two_variables_reports_flat_regions(seed: int) -> None:
    rng = random.Random(seed)
    c, d = _q(rng), _q(rng)
    text = [f"relu(x-({c}))*relu(y-({d}))", f"max(x-({c}), y-({d}), 0)"][seed % 2]
    r = calcml.critical_points(text, ["x", "y"])
    xs = list(r.variables)
    assert r.regions
    for _ in range(30):
        p = (rng.uniform(-6, 6), rng.uniform(-6, 6))
        if (
            min(abs(p[0] - float(c)), abs(p[1] - float(d)), abs(p[0] - float(c) - p[1] + float(d)))
            < 1e-2
        ):
            continue
        inside = any(reg.contains(p) for reg in r.regions)
        assert inside == _constant_near(r.expr, xs, p), (text, p)
    for pt in r.points:  # no sampled point inside a region is listed
        assert not any(reg.contains(pt.coords) for reg in r.regions)
