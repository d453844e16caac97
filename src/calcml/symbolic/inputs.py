"""Reading the arguments of limit/continuity/taylor/critical: variables and points (the
expression itself is read by `calcml.expr.convert.as_expr`).

Strings go through `calcml.parse` (never run as code); SymPy input is accepted too. Every symbol is
made real, as everywhere in calcml.

>>> import sympy as sp
>>> as_var("x").is_real
True
>>> as_point("-oo")
-oo
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sympy as sp

from calcml.errors import CalcmlError
from calcml.expr.parser import sorted_variables
from calcml.expr.variables import realify, variable

_INFINITY_WORDS = {
    "oo": sp.S.Infinity,
    "+oo": sp.S.Infinity,
    "inf": sp.S.Infinity,
    "+inf": sp.S.Infinity,
    "infinity": sp.S.Infinity,
    "∞": sp.S.Infinity,
    "+∞": sp.S.Infinity,
    "-oo": sp.S.NegativeInfinity,
    "-inf": sp.S.NegativeInfinity,
    "-infinity": sp.S.NegativeInfinity,
    "-∞": sp.S.NegativeInfinity,
    "−∞": sp.S.NegativeInfinity,
    "−oo": sp.S.NegativeInfinity,
}


def as_var(var: Any, expr: sp.Expr | None = None) -> sp.Symbol:
    """The real symbol for `var` ('x', 'θ', 'theta' or a Symbol); it need not appear in `expr`."""
    return variable(var)


def as_vars(wrt: Any, expr: sp.Expr) -> list[sp.Symbol]:
    """Variables from 'x, y', ['x', 'y'], a Symbol, or None (the expression's symbols, sorted)."""
    if wrt is None:
        found = sorted_variables(s for s in expr.free_symbols if isinstance(s, sp.Symbol))
        if not found:
            raise CalcmlError("the expression has no variables")
        return found
    if isinstance(wrt, str):
        wrt = [w for w in wrt.replace(" ", ",").split(",") if w]
    if isinstance(wrt, sp.Symbol):
        wrt = [wrt]
    return [as_var(w) for w in wrt]


def as_point(at: Any) -> sp.Expr:
    """A point: a number, 'oo'/'-oo'/'inf', text such as '1/2' or 'pi', or a SymPy value."""
    if isinstance(at, str):
        word = at.strip().lower().replace(" ", "")
        if word in _INFINITY_WORDS:
            return _INFINITY_WORDS[word]
        from calcml.expr import parse

        at = parse(at)
    if isinstance(at, float):
        if at in (float("inf"), float("-inf")):
            return sp.S.Infinity if at > 0 else sp.S.NegativeInfinity
        at = sp.nsimplify(at, rational=True)
    value = sp.Integer(at) if isinstance(at, int) else at
    if not isinstance(value, sp.Expr):
        raise CalcmlError(f"{at!r} is not a point")
    value = realify(value)
    if value.free_symbols:
        raise CalcmlError(f"the point {value} must be a number (it has symbols)")
    if value in (sp.S.Infinity, sp.S.NegativeInfinity):
        return value
    if value.is_extended_real is False or value.has(sp.zoo, sp.nan):
        raise CalcmlError(f"the point {value} is not a real number")
    return value  # type: ignore[no-any-return]


def as_points(at: Any, n: int) -> list[sp.Expr]:
    """A point of n coordinates: (1, 2), '1, 2', or a single number when n == 1."""
    if isinstance(at, str):
        at = [p for p in at.strip("()[] ").split(",") if p.strip()]
    if not isinstance(at, Sequence) or isinstance(at, str):
        at = [at]
    if len(at) != n:
        raise CalcmlError(f"the point needs {n} coordinate(s), got {len(at)}")
    return [as_point(p) for p in at]
