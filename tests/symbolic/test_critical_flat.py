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


# One variable, the ends of the flat set: f ≡ c on (a, b) and continuous at a with f(a) = c
# puts a in the set (|x| + |x − 1| ≡ 1 on the closed [0, 1]); adjacent pieces of one value
# join; a jump (sign(x)² is 1 on both sides, 0 at 0) keeps them apart.
CLOSED_TEMPLATES = [
    "{abs_sum}",
    "{k}*(relu(x-{hi}) + relu({lo}-x)) + {d}",
    "max(|x-{c}|, {b})",
    "min(|x-{c}|, {b})",
    "min(max(x-{c}, 0), {b})",
    "{k}*sign(x-{c})^2",
    "heaviside(x-{c}) + heaviside({c}-x)",
    "max(x-{c}, 0) - relu(x-{c}) + relu(x-{d})",
]


def _closed_case(seed: int, n_abs: int) -> str:
    rng = random.Random(10_000 + seed)
    qs: list[Fraction] = []
    while len(qs) < max(n_abs, 2):
        q = _q(rng)
        if q not in qs:
            qs.append(q)
    c, d = qs[0], qs[1]
    lo, hi = sorted((c, d))
    b = Fraction(rng.randint(1, 8), rng.choice([1, 2]))
    abs_sum = " + ".join(f"|x-({a})|" for a in qs[:n_abs])
    return CLOSED_TEMPLATES[seed % len(CLOSED_TEMPLATES)].format(
        abs_sum=abs_sum,
        k=rng.choice([-3, -2, -1, 1, 2, 3]),
        c=f"({c})",
        d=f"({d})",
        lo=f"({lo})",
        hi=f"({hi})",
        b=f"({b})",
    )


def _at_30(f: sp.Expr, t: sp.Expr) -> sp.Expr:
    return f.xreplace({X: sp.Float(t, 40)}).evalf(30) if not t.is_Rational else f.subs(X, t)


def _reference_set(f: sp.Expr) -> sp.Set:
    """SymPy's open flat set (each piece of its Piecewise), closed at an end e where f, at 30
    digits, equals the piece's value at e and at e ± 10⁻¹⁵ (continuous there)."""
    flat = _sympy_flat_set(f)
    parts = flat.args if isinstance(flat, sp.Union) else (flat,)
    ends = []
    for part in (p for p in parts if isinstance(p, sp.Interval)):
        mid = _inside(part)
        value = sp.N(f.subs(X, mid), 30)
        for e in (part.start, part.end):
            if not e.is_finite:
                continue
            near = [sp.N(f.subs(X, e), 30)] + [
                _at_30(f, sp.Float(e, 40) + s * sp.Float("1e-15", 40)) for s in (1, -1)
            ]
            if all(v.is_number and abs(v - value) < 1e-9 for v in near):
                ends.append(e)
    return sp.Union(flat, sp.FiniteSet(*ends))


def _inside(part: sp.Interval) -> sp.Expr:
    lo, hi = part.start, part.end
    if lo.is_finite and hi.is_finite:
        return (lo + hi) / 2
    return lo + 1 if lo.is_finite else (hi - 1 if hi.is_finite else sp.Integer(0))


@pytest.mark.parametrize("seed", seeds(3, 96))
def test_flat_set_has_its_closed_ends_and_joins_across_continuous_switches(seed: int) -> None:
    text = _closed_case(seed, n_abs=2 + seed % 3 if seed < 48 else 2 + seed % 5)
    r = calcml.critical_points(text, "x")
    expected = _reference_set(r.expr)
    got = sp.Union(*(reg.where for reg in r.regions))
    assert got == expected, (text, got, expected)
    for reg in r.regions:  # one value per region, the value of f inside it
        assert (
            reg.value is not None
            and abs(sp.N(r.expr.subs(X, _inside(reg.where))) - reg.value) < 1e-12
        )
    assert not any(got.contains(p.coords[0]) == sp.true for p in r.points), text


def test_abs_x_plus_abs_x_minus_1_is_constant_on_the_closed_unit_interval() -> None:
    r = calcml.critical_points("abs(x) + abs(x-1)", "x")
    assert [reg.where for reg in r.regions] == [sp.Interval(0, 1)]
    assert r.points == []
    assert "every x in [0, 1]" in r.text()
