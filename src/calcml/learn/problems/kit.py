"""Small helpers every generator uses: answers of each kind, random coefficients, prompts."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any, TypeVar

import sympy as sp

from calcml.expr import symbol, to_latex, to_text
from calcml.expr.convert import as_expr
from calcml.learn.answers import Answer

T = TypeVar("T")

NUMBER_TOLERANCE = 1e-3  # WeBWorK's default: 0.1 % relative
EXPRESSION_TOLERANCE = 1e-6

x, y, z, t, w, b = (symbol(n) for n in "xyztwb")


def expression(
    value: sp.Expr, variables: Sequence[sp.Symbol], domain: dict[str, tuple[float, float]] | None
) -> Answer:
    """An expression answer in `variables`, sampled over `domain`."""
    return Answer(
        "expression", value, tuple(variables), dict(domain or {}), tolerance=EXPRESSION_TOLERANCE
    )


def number(value: Any, tolerance: float = NUMBER_TOLERANCE) -> Answer:
    """A number answer, compared with a relative tolerance."""
    return Answer("number", as_expr(value, exact=False), tolerance=tolerance)


def vector(
    values: Sequence[Any],
    variables: Sequence[sp.Symbol] = (),
    direction: bool = False,
    domain: dict[str, tuple[float, float]] | None = None,
) -> Answer:
    """A column-vector answer (numbers when `variables` is empty)."""
    tol = EXPRESSION_TOLERANCE if variables else NUMBER_TOLERANCE
    return Answer(
        "vector",
        column(values),
        tuple(variables),
        dict(domain or {}),
        direction=direction,
        tolerance=tol,
    )


def matrix(
    value: sp.Matrix,
    variables: Sequence[sp.Symbol] = (),
    domain: dict[str, tuple[float, float]] | None = None,
) -> Answer:
    """A matrix answer."""
    tol = EXPRESSION_TOLERANCE if variables else NUMBER_TOLERANCE
    return Answer("matrix", sp.Matrix(value), tuple(variables), dict(domain or {}), tolerance=tol)


def choice(value: str, options: Sequence[str]) -> Answer:
    """A multiple-choice answer."""
    assert value in options
    return Answer("choice", value, choices=tuple(options))


def nonzero(rng: random.Random, lo: int, hi: int, avoid: Sequence[int] = (0,)) -> int:
    """A random integer in [lo, hi] not in `avoid`."""
    options = [k for k in range(lo, hi + 1) if k not in avoid]
    return rng.choice(options)


def pick(rng: random.Random, options: Sequence[T]) -> T:
    return options[rng.randrange(len(options))]


def tex(e: Any) -> str:
    return to_latex(e)


def txt(e: Any) -> str:
    return to_text(e)


def column(values: Sequence[Any]) -> sp.Matrix:
    return sp.Matrix([as_expr(v, exact=False) for v in values])
