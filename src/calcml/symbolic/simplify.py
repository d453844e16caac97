"""Fast simplification that a learner recognises (no blind `sympy.simplify`).

A derivative straight from the rules is correct but untidy (`x·e^x − e^x` over `x²`, zero terms,
`σ·(1 − σ)·σ⁻¹`). `tidy` tries a few cheap, predictable rewrites — expand and collect, take out
common factors, cancel over a common denominator — and keeps the smallest form, preferring the
form as derived on ties. Function arguments are left alone, so σ(z)·(1 − σ(z)) and 1 − tanh²(z)
stay as they are; for binary cross-entropy of a sigmoid the terms cancel to σ(z) − y.

>>> from calcml.expr import symbol
>>> x = symbol("x")
>>> tidy(x * sp.exp(x) / x**2 - sp.exp(x) / x**2).expr
(x - 1)*exp(x)/x**2
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sympy as sp

MAX_EXPAND_OPS = 400  # above this, expanding costs more than a learner gains


@dataclass(frozen=True)
class Tidied:
    """The tidied expression and a one-line description of what was done ('' if nothing)."""

    expr: sp.Expr
    how: str


def _expand(e: sp.Expr) -> sp.Expr:
    """Expand products of sums, treating every function application f(…) as an opaque atom."""
    shield = {app: sp.Dummy() for app in e.atoms(sp.Function)}
    expanded = sp.expand(e.xreplace(shield), power_exp=False, power_base=False, log=False)
    return expanded.xreplace({v: k for k, v in shield.items()})  # type: ignore[no-any-return]


def _expand_factor(e: sp.Expr) -> sp.Expr:
    return sp.factor_terms(_expand(e))


def _common_denominator(e: sp.Expr) -> sp.Expr:
    numer, denom = sp.fraction(sp.together(e))
    return sp.factor_terms(_expand(numer)) / denom  # type: ignore[no-any-return]


REWRITES: tuple[tuple[str, Callable[[sp.Expr], sp.Expr]], ...] = (
    ("Take out the common factors", sp.factor_terms),
    ("Expand and collect like terms", _expand),
    ("Expand, collect like terms and take out the common factors", _expand_factor),
    ("Combine over a common denominator and cancel", _common_denominator),
)


def size(e: sp.Expr) -> int:
    """The size of an expression as a learner reads it: SymPy's operation count."""
    return int(sp.count_ops(e))


def tidy(expr: sp.Expr) -> Tidied:
    """The smallest of a few cheap rewrites of `expr` (ties keep the earlier, gentler form)."""
    if expr.is_Atom or not isinstance(expr, sp.Expr):
        return Tidied(expr, "")
    best, best_size, how = expr, size(expr), ""
    if best_size > MAX_EXPAND_OPS:
        return Tidied(expr, "")
    seen = {expr}
    for description, rewrite in REWRITES:
        candidate = rewrite(expr)
        if candidate in seen:
            continue
        seen.add(candidate)
        n = size(candidate)
        if n < best_size:
            best, best_size, how = candidate, n, description
    return Tidied(best, how)
