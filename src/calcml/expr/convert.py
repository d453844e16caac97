"""The one converter from a user's value to a SymPy expression, and calcml's float policy.

Float policy (stated here once): a float means the decimal it prints as, exactly — 0.1 is 1/10
(`Rational(repr(x))`, the shortest decimal that reads back as the same float), so a derivative,
limit or Taylor polynomial of user numbers stays exact; `exact=False` keeps a SymPy `Float` for
numbers calcml computed numerically (a point found by a root finder). nan and ±inf are refused
(they are not functions to study; points at ±∞ are read by `symbolic.inputs.as_point`).

Text goes through `calcml.parse` (never run as code); SymPy input has its symbols made real
(`realify`), and SymPy's nan and zoo are refused. A derivative written in the input (`d/dx x^2`,
`\\frac{d}{dx}(…)`, `∂/∂w (…)`) is the derivative it asks for (2·x), unless `asked` (`derive`
reads a leading d/dx as its request).

>>> as_expr("x + 1"), as_expr(0.1), as_expr(0.5, exact=False)
(x + 1, 1/10, 0.500000000000000)
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import sympy as sp

from calcml.errors import CalcmlError, ParseError
from calcml.expr.parser import parse
from calcml.expr.sums import written_out
from calcml.expr.variables import realify


def as_expr(value: Any, exact: bool = True, asked: bool = False) -> sp.Expr:
    """A SymPy expression from text, an int, a float or a SymPy expression (see the policy)."""
    expr = _converted(value, exact)
    return expr if asked else evaluate_asked(expr)


def evaluate_asked(expr: sp.Expr) -> sp.Expr:
    """`expr` with every derivative it asks for (d/dx(x²)) carried out, innermost first."""
    if not expr.has(sp.Derivative):
        return expr
    return expr.replace(lambda e: isinstance(e, sp.Derivative), lambda e: e.doit())  # type: ignore[no-any-return]


def _converted(value: Any, exact: bool) -> sp.Expr:
    if isinstance(value, str):
        return parse(value)
    if isinstance(value, bool):
        raise ParseError(f"expected an expression, got {value!r}")
    if isinstance(value, numbers.Integral):
        return sp.Integer(int(value))
    if isinstance(value, numbers.Real):
        return _number(float(value), exact)
    if not isinstance(value, sp.Basic):
        raise ParseError(
            f"expected an expression (text, a number or SymPy), got {type(value).__name__}"
        )
    if not isinstance(value, sp.Expr):
        raise CalcmlError(f"expected a scalar expression, got {type(value).__name__}")
    if value.has(sp.nan, sp.zoo):
        raise CalcmlError(f"{value} is undefined (nan or complex infinity)")
    return realify(written_out(value))  # type: ignore[no-any-return]


def _number(number: float, exact: bool) -> sp.Expr:
    if not math.isfinite(number):
        raise CalcmlError(f"{number!r} is not a finite number, so it is not a function to study")
    return sp.Rational(repr(number)) if exact else sp.Float(number)
