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

import functools
import re
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import sympy as sp

from calcml.errors import CalcmlError
from calcml.expr.convert import evaluate_asked
from calcml.expr.names import LOOKALIKE_CALLS
from calcml.expr.parser import sorted_variables
from calcml.expr.render import to_text
from calcml.expr.sums import MAX_SUM_TERMS
from calcml.expr.variables import glued_notes, realify, variable, variable_names

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


def reading_notes(f: Any) -> list[str]:
    """How a user's text was read: one note per d/dx(…) it asks for, and one per one-letter
    name applied like a function calcml knows under another name (`H(x)` is H·x)."""
    if not isinstance(f, str):
        return []
    try:
        from calcml.expr import parse

        parsed = parse(f)
    except CalcmlError:
        return []
    return _derivative_notes(parsed) + lookalike_notes(f) + _sigma_notes(f, parsed)


def lookalike_notes(text: str) -> list[str]:
    """`H(x)` reads as the product H·x, like every one-letter name before a parenthesis: say
    so, and name the function it may have meant (`expr.names.LOOKALIKE_CALLS`).

    >>> print(*lookalike_notes("H(x - 1) + x"))
    H(…) reads as the product H·(…), ... for the step function write heaviside(…)
    >>> lookalike_notes("theta(x) + heaviside(x)")
    []
    """
    notes = []
    for name, (function, meaning) in LOOKALIKE_CALLS.items():
        if re.search(rf"(?<![\\\w]){re.escape(name)}\s*\(", text):
            notes.append(
                f"{name}(…) reads as the product {name}·(…), as every one-letter name does; "
                f"for {meaning} write {function}(…)"
            )
    return notes


def _sigma_notes(text: str, parsed: sp.Expr) -> list[str]:
    """Σ with its range (Σ_{i=1}^{5} x_i) is a sum; Σ without one is a variable (as calcml
    prints a symbol named Sigma): say so when the text has such a Σ."""
    sigmas = [s for s in parsed.free_symbols if s.name.partition("_")[0] == "Sigma"]
    if not sigmas or "Σ" not in text:
        return []
    return [
        "Σ without an index range reads as a variable; a sum is written with its range, "
        f"Σ_{{i=1}}^{{5}} x_i or sum(x_i, i, 1, 5) (at most {MAX_SUM_TERMS} terms)"
    ]


def _derivative_notes(parsed: sp.Expr) -> list[str]:
    asked = [
        d
        for d in parsed.atoms(sp.Derivative)
        if not any(d != o and o.has(d) for o in parsed.atoms(sp.Derivative))
    ]
    return [
        f"read {to_text(d)} as the derivative it asks for: {to_text(evaluate_asked(d))}"
        for d in sorted(asked, key=sp.default_sort_key)
    ]


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
        wrt = variable_names(wrt)
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


_F = TypeVar("_F", bound=Callable[..., Any])


def noting_how_input_reads(engine: _F) -> _F:
    """Decorate a verb's engine: its result says how the input was read — each derivative the
    text asks for (`d/dx x^2`), and a did-you-mean note for each name glued from a product
    (`xy` next to x and y, `xe^x` next to x) — so every verb says it the same way."""

    @functools.wraps(engine)
    def noted(*args: Any, **kwargs: Any) -> Any:
        result = engine(*args, **kwargs)
        text = args[0] if args else kwargs.get("f", kwargs.get("fs"))
        asked = getattr(result, "wrt", None) or [getattr(result, "var", None)]
        notes = reading_notes(text) + glued_notes(result.expr, [v for v in asked if v is not None])
        result.notes[:0] = [n for n in notes if n not in result.notes]
        return result

    return noted  # type: ignore[return-value]
