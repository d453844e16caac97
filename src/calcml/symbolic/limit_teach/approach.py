"""Where x goes (`Approach`) and the limits of the parts of f along the way."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from calcml.symbolic.budget import reraise_if_spent, within_expansion
from calcml.symbolic.limit_result import (
    DNE,
    LimitValue,
    arrow,
)
from calcml.symbolic.limit_sides import sign_near, smooth
from calcml.symbolic.timelimit import call_with_time_limit

INF = sp.S.Infinity


NINF = sp.S.NegativeInfinity


MAX_DEPTH = 8


MAX_LHOPITAL = 4


MAX_COMPONENT_LIMITS = 8  # SymPy limits of parts one teaching may ask for


# No time limits of their own: a teacher or a component limit cut short by the clock would
# make the steps shown depend on how busy the machine is. They run under the request's
# safety net (calcml.symbolic.budget), which gives the whole request up instead.
TEACH_TIME_LIMIT: float | None = None


COMPONENT_TIME_LIMIT: float | None = None


# functions that may jump: substituting into them proves nothing about the limit
_JUMPY = (sp.sign, sp.Heaviside, sp.floor, sp.ceiling, sp.frac, sp.Piecewise, sp.Max, sp.Min)


# bounded functions (|v| ≤ M): for the squeeze theorem
_BOUNDED = {sp.sin: 1, sp.cos: 1, sp.tanh: 1, sp.atan: sp.pi / 2, sp.sign: 1}


def _is_inf(v: Any) -> bool:
    return v is INF or v is NINF


@dataclass(frozen=True)
class Approach:
    """x → at from side ('+', '-', or '' for both sides alike)."""

    x: sp.Symbol
    at: sp.Expr
    side: str = ""
    memo: dict[sp.Expr, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)
    # SymPy limits of components asked so far: the teacher's work budget, counted, not timed
    asked: list[int] = field(default_factory=lambda: [0], compare=False, hash=False, repr=False)

    @property
    def where(self) -> str:
        return arrow(self.x, self.at, self.side)

    @property
    def infinite(self) -> bool:
        return _is_inf(self.at)

    @property
    def direction(self) -> str:
        return self.side if self.side in ("+", "-") else "+"

    def lim(self, g: sp.Expr) -> LimitValue | None:
        """The limit of a component g (substitution when it is continuous, else SymPy)."""
        if not g.has(self.x):
            return g
        if g in self.memo:
            return self.memo[g]
        value = self._lim(g)
        self.memo[g] = value
        return value

    def _lim(self, g: sp.Expr) -> LimitValue | None:
        if self.infinite and g.is_rational_function(self.x):
            quick = _rational_at_infinity(g, self.x, self.at)
            if quick is not None:
                return quick
        if not self.infinite and not g.has(*_JUMPY):
            v = g.subs(self.x, self.at)
            if v.is_number and v.is_extended_real and v.is_finite:
                return v
        if self.asked[0] >= MAX_COMPONENT_LIMITS:
            return None  # the teacher's budget is spent: it gets stuck, the methods go on
        self.asked[0] += 1
        try:
            if self.infinite:
                raw = call_with_time_limit(
                    sp.limit, COMPONENT_TIME_LIMIT, smooth(g), self.x, self.at
                )
            else:
                raw = call_with_time_limit(
                    sp.limit, COMPONENT_TIME_LIMIT, smooth(g), self.x, self.at, self.direction
                )
        except Exception as error:
            reraise_if_spent(error)
            return None
        if isinstance(raw, sp.Basic) and raw.has(sp.AccumBounds):
            # SymPy's bounds of an oscillation (also inside |·|, sums, …): no limit. Never a
            # value to compute with: |AccumBounds(-1, 1)|^0 = 1 would "prove" a false limit.
            return DNE
        if raw.has(sp.Limit, sp.nan, sp.zoo) or raw.has(sp.I):
            return None
        return raw  # type: ignore[no-any-return]

    def sign(self, g: sp.Expr) -> int | None:
        return sign_near(g, self.x, self.at, self.direction)


def leading_at_infinity(g: sp.Expr, x: sp.Symbol) -> tuple[sp.Expr, sp.Expr] | None:
    """(c, d) with g ~ c·xᵈ as x → +∞, read from g's tree without expanding it (the leading
    term of a sum, product or integer power of them: (x + 1)¹⁰⁰⁰ ~ x¹⁰⁰⁰ with no 1001-term
    sum); None when the leading terms of a sum cancel or g is not rational in x."""
    if not g.has(x):
        return (g, sp.S.Zero) if g.is_zero is False else None
    if g == x:
        return sp.S.One, sp.S.One
    if g.is_Pow and g.exp.is_Integer:
        base = leading_at_infinity(g.base, x)
        return None if base is None else (base[0] ** g.exp, base[1] * g.exp)
    if not (g.is_Add or g.is_Mul):
        return None
    parts = [leading_at_infinity(a, x) for a in g.args]
    if any(p is None for p in parts):
        return None
    known = [p for p in parts if p is not None]
    if g.is_Mul:
        return sp.Mul(*(c for c, _ in known)), sp.Add(*(d for _, d in known))
    top = max(d for _, d in known)
    c = sp.Add(*(c for c, d in known if d == top))
    return (c, top) if c.is_zero is False else None


def _rational_at_infinity(g: sp.Expr, x: sp.Symbol, at: sp.Expr) -> Any:
    """P/Q as x → ±∞ from the leading terms: read from g's tree when no leading terms cancel
    (`leading_at_infinity`), else from SymPy's Poly when g is small enough to expand (None if
    it is not, or Poly cannot read it)."""
    lead = leading_at_infinity(g, x)
    if lead is not None:
        c, d = lead
        if d < 0:
            return sp.S.Zero
        if d == 0:
            return c
        sign = c * (1 if at is INF or d % 2 == 0 else -1)
        if not sign.is_number or sign.is_zero is not False:
            return None
        return INF if sign > 0 else NINF
    if not within_expansion(g):
        return None  # leading terms cancel in a huge power: SymPy's limit, not an expansion
    try:
        num, den = (sp.Poly(part, x) for part in sp.fraction(sp.cancel(g)))
    except sp.PolynomialError:
        return None
    dn, dd = num.degree(), den.degree()
    ratio = num.LC() / den.LC()
    if dn < dd:
        return sp.S.Zero
    if dn == dd:
        return ratio
    sign = ratio * (1 if at is INF or (dn - dd) % 2 == 0 else -1)
    if not sign.is_number or sign == 0:
        return None
    return INF if sign > 0 else NINF
