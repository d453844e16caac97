"""Where ∇f vanishes on a whole open piece: f built from |u|, sign, H, ReLU, max … is one
smooth expression on each piece where every switching u keeps its sign, and on a piece where
that expression is constant every point is a critical point (x·|x| + x² ≡ 0 for x ≤ 0).

Each sign pattern of the switching expressions (at most `MAX_SWITCHES` of them: 2ⁿ patterns)
rewrites f into its branch (|u| → ±u, sign(u) → ±1, H(u) → 1 or 0, ReLU(u) → u or 0, max → the
larger argument); the branch's gradient is computed by SymPy and simplified: identically 0 is a
proof that f is constant on the piece. A piece is kept only when it is not empty: in one
variable its set is computed exactly (SymPy's inequality solver), otherwise a sampled point
inside it is the witness.

>>> import sympy as sp
>>> x = sp.Symbol("x", real=True)
>>> [r.text() for r in flat_regions(x * sp.Abs(x) + x**2, [x])]
['every x in (-∞, 0): f is constant there (f = 0)']
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from calcml.expr.render import to_text
from calcml.symbolic import budget
from calcml.symbolic.nonsmooth import AT_INTEGERS, BRANCHES, branch_on, side_branch, switch_points
from calcml.symbolic.timelimit import call_with_time_limit

MAX_SWITCHES = 6  # switching expressions examined (2⁶ = 64 pieces); past it, not looked for
MAX_BRANCH_OPS = 400  # a branch's gradient is simplified only below this size
SAMPLES = 400  # sampled points looking for a witness of a piece in several variables
SAMPLE_BOX = 10.0  # … drawn from [−SAMPLE_BOX, SAMPLE_BOX] in each variable

Pattern = dict[sp.Expr, int]  # switching expression → its sign (+1 or −1) on the piece


@dataclass
class FlatRegion:
    """An open piece where f is constant: the conditions on it, its exact set in one variable
    (else None), the value of f there (None when not one number) and a point inside it."""

    variables: tuple[sp.Symbol, ...]
    conditions: tuple[sp.Expr, ...]
    pattern: Pattern
    where: sp.Set | None
    value: sp.Expr | None
    witness: tuple[float, ...]

    def where_text(self) -> str:
        if self.where is not None:
            return f"every {to_text(self.variables[0])} in {set_text(self.where)}"
        names = ", ".join(to_text(x) for x in self.variables)
        conds = ", ".join(to_text(c) for c in self.conditions) or "anywhere"
        return (
            f"every ({names}) with {conds}"
            if len(self.variables) > 1
            else f"every {names} with {conds}"
        )

    def text(self) -> str:
        value = f" (f = {to_text(self.value)})" if self.value is not None else ""
        return f"{self.where_text()}: f is constant there{value}"

    def contains(self, point: tuple[Any, ...], closed: bool = False) -> bool:
        """`point` lies inside the piece (or on its edge when `closed`)."""
        if self.where is not None:
            where = self.where.closure if closed else self.where
            return bool(where.contains(point[0]) == sp.true)
        at = dict(zip(self.variables, point, strict=True))
        for u, s in self.pattern.items():
            v = sp.N(u.xreplace(at))
            if not (v.is_real and (v * s >= 0 if closed else v * s > 0)):
                return False
        return True

    def to_dict(self) -> dict[str, Any]:
        return {
            "where": self.where_text(),
            "set": sp.latex(self.where) if self.where is not None else None,
            "conditions": [to_text(c) for c in self.conditions],
            "value": to_text(self.value) if self.value is not None else None,
        }


def set_text(s: sp.Set) -> str:
    """An interval or union of them as a learner writes it: (-∞, 0], [0, 1) ∪ (2, ∞), ℝ."""
    if s == sp.S.Reals:
        return "ℝ (every real number)"
    if isinstance(s, sp.Union):
        return " ∪ ".join(set_text(a) for a in s.args)
    if isinstance(s, sp.FiniteSet):
        return "{" + ", ".join(to_text(a) for a in s.args) + "}"
    if isinstance(s, sp.Interval):
        left = "(" if s.left_open else "["
        right = ")" if s.right_open else "]"
        return f"{left}{_end(s.start)}, {_end(s.end)}{right}"
    return to_text(s)


def _end(v: sp.Expr) -> str:
    return {sp.oo: "∞", -sp.oo: "-∞"}.get(v) or to_text(v)


def switches(f: sp.Expr, xs: list[sp.Symbol]) -> list[sp.Expr] | None:
    """The distinct switching expressions of f (u and −u counted once), or None when f has a
    floor/ceiling (pieces at every integer) or more than MAX_SWITCHES of them."""
    found: list[sp.Expr] = []
    for node in sp.preorder_traversal(f):
        if isinstance(node, AT_INTEGERS) and node.has(*xs):
            return None
        for u in switch_points(node):
            u = -u if u.could_extract_minus_sign() else u
            if not u.has(*xs) or u in found or (-u) in found:
                continue
            found.append(u)
    return found if len(found) <= MAX_SWITCHES else None


def branch(e: sp.Expr, pattern: Pattern) -> sp.Expr | None:
    """`e` on the piece `pattern`, with every switching node replaced by its smooth branch
    (`nonsmooth.BRANCHES`); None when a node's sign is not set by the pattern (a Max whose
    order is inconsistent)."""
    return branch_on(e, lambda u: _sign(u, pattern))


def _sign(u: sp.Expr, pattern: Pattern) -> int | None:
    if u in pattern:
        return pattern[u]
    if -u in pattern:
        return -pattern[-u]
    if not u.free_symbols:
        v = sp.sign(u)
        return int(v) if v in (1, -1) else None
    return None


def _constant_value(f_s: sp.Expr, xs: list[sp.Symbol]) -> tuple[bool, sp.Expr | None]:
    """(is the gradient of the branch identically 0, f's value when one number)."""
    grad = [sp.diff(f_s, x) for x in xs]
    for g in grad:
        if sp.count_ops(g) > MAX_BRANCH_OPS or _nonzero_somewhere(g, xs):
            return False, None
        if g != 0 and call_with_time_limit(sp.simplify, None, g) != 0:
            return False, None
    value = (
        f_s if sp.count_ops(f_s) > MAX_BRANCH_OPS else call_with_time_limit(sp.simplify, None, f_s)
    )
    return True, (value if not value.has(*xs) else None)


PROBES = ((0.3713, -1.2291, 2.7183), (-0.6180, 1.4142, -2.2361), (1.7321, 0.5772, -0.9003))


def _nonzero_somewhere(g: sp.Expr, xs: list[sp.Symbol]) -> bool:
    """g is clearly not 0 at one of a few fixed points (cheap; then no simplify is needed): an
    expression identically 0 is 0 wherever it is defined."""
    for probe in PROBES:
        try:
            v = complex(g.evalf(15, subs=dict(zip(xs, probe, strict=False))))
        except (TypeError, ValueError, ArithmeticError):
            continue
        if v == v and abs(v) != float("inf") and abs(v) > 1e-9:
            return True
    return False


def _exact_set(pattern: Pattern, x: sp.Symbol) -> sp.Set | None:
    """One variable: the set where every u has its sign (None when SymPy cannot say)."""
    where: sp.Set = sp.S.Reals
    for u, s in pattern.items():
        try:
            piece = call_with_time_limit(
                sp.solve_univariate_inequality, None, s * u > 0, x, relational=False
            )
        except (NotImplementedError, ValueError, TypeError) as error:
            budget.reraise_if_spent(error)
            return None
        where = sp.Intersection(where, piece)
    return where


def _witness(pattern: Pattern, xs: list[sp.Symbol]) -> tuple[float, ...] | None:
    """A sampled point (seeded) inside the piece, or None when none was found."""
    if not pattern:
        return tuple(0.0 for _ in xs)
    rng = np.random.default_rng(0)
    grid = np.linspace(-SAMPLE_BOX, SAMPLE_BOX, 9)
    points = [*itertools.product(grid, repeat=len(xs))][: SAMPLES // 2]
    points += [tuple(p) for p in rng.uniform(-SAMPLE_BOX, SAMPLE_BOX, (SAMPLES // 2, len(xs)))]
    us = [(sp.lambdify(xs, u, "numpy"), s) for u, s in pattern.items()]
    for p in points:
        with np.errstate(all="ignore"):
            if all(np.isfinite(v := float(np.real(fn(*p)))) and v * s > 1e-9 for fn, s in us):
                return tuple(float(c) for c in p)
    return None


def flat_regions(f: sp.Expr, xs: list[sp.Symbol]) -> list[FlatRegion]:
    """The open pieces of f (sign patterns of its switching expressions) where f is constant,
    each proved by SymPy (the branch's gradient simplifies to 0) and shown not empty."""
    us = switches(f, xs)
    if us is None:
        return []
    found: list[FlatRegion] = []
    for signs in itertools.product((1, -1), repeat=len(us)):
        (budget.current() or budget.Budget()).charge(1, "pieces of f")
        pattern = dict(zip(us, signs, strict=True))
        f_s = branch(f, pattern)
        if f_s is None or any(f_s.has(t) for t in BRANCHES):
            continue
        flat, value = _constant_value(f_s, xs)
        if not flat:
            continue
        where = _exact_set(pattern, xs[0]) if len(xs) == 1 else None
        if where is not None and (where.is_empty or where.measure == 0):
            continue
        witness = _witness(pattern, xs)
        if witness is None and where is None:
            continue  # no point of this piece found: not claimed
        conditions = tuple(
            sp.StrictGreaterThan(u, 0) if s > 0 else sp.StrictLessThan(u, 0)
            for u, s in pattern.items()
        )
        found.append(FlatRegion(tuple(xs), conditions, pattern, where, value, witness or ()))
    return found


def merge_line(f: sp.Expr, x: sp.Symbol, regions: list[FlatRegion]) -> list[FlatRegion]:
    """One variable: the flat pieces as intervals, each with f's constant value there (f at a
    point inside), joined with their ends where f is continuous with that same value (f there
    and its branches on both sides, `side_branch`, all equal to it): |x| + |x − 1| is 1 on the
    closed [0, 1]. Intervals of one value that then touch become one; intervals of different
    values never join (a jump)."""
    if not regions or any(r.where is None for r in regions):
        return regions
    groups: dict[sp.Expr, list[sp.Interval]] = {}
    out: list[tuple[sp.Interval, sp.Expr | None]] = []
    for part in (p for r in regions for p in _intervals(r.where)):
        value = call_with_time_limit(sp.simplify, None, f.subs(x, _inside(part)))
        if value.is_number and value.is_finite:
            groups.setdefault(value, []).append(part)
        else:
            out.append((part, None))  # no single value known: kept open, alone
    for value, parts in groups.items():
        ends = {e for p in parts for e in (p.start, p.end) if e.is_finite}
        closed = [e for e in sorted(ends, key=float) if _continuous_with(f, x, e, value)]
        out += [(p, value) for p in _intervals(sp.Union(*parts, sp.FiniteSet(*closed)))]
    out.sort(key=lambda pv: float(pv[0].start) if pv[0].start.is_finite else -float("inf"))
    return [FlatRegion((x,), (), {}, p, v, (float(_inside(p)),)) for p, v in out]


def _intervals(s: sp.Set) -> list[sp.Interval]:
    """The intervals (of positive length) a set in one variable is made of."""
    parts = s.args if isinstance(s, sp.Union) else (s,)
    return [p for p in parts if isinstance(p, sp.Interval) and p.measure > 0]


def _continuous_with(f: sp.Expr, x: sp.Symbol, e: sp.Expr, value: sp.Expr) -> bool:
    """f(e) = value, and so are f's one-sided limits at e (its smooth branch on each side,
    evaluated at e): f is continuous at e with that value."""
    if not _same(f.subs(x, e), value):
        return False
    for side in (1, -1):
        g = side_branch(f, x, e, side)
        if g is None or not _same(g.subs(x, e), value):
            return False
    return True


def _same(a: sp.Expr, b: sp.Expr) -> bool:
    """a = b, proved exactly (an undefined a, ∞ or nan, is never equal)."""
    if not (a.is_number and a.is_finite):
        return False
    return bool(call_with_time_limit(sp.simplify, None, a - b) == 0)


def _inside(part: sp.Interval) -> sp.Expr:
    lo, hi = part.start, part.end
    if lo.is_finite and hi.is_finite:
        return (lo + hi) / 2
    if lo.is_finite:
        return lo + 1
    if hi.is_finite:
        return hi - 1
    return sp.Integer(0)


__all__ = [
    "MAX_SWITCHES",
    "FlatRegion",
    "branch",
    "flat_regions",
    "merge_line",
    "set_text",
    "switches",
]
