"""What a technique is (`Technique`) and what it returns (`Move`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sympy as sp

from calcml.symbolic.limit_result import (
    LimitStep,
    LimitValue,
)
from calcml.symbolic.limit_teach.approach import Approach
from calcml.symbolic.limit_teach.forms import Form


@dataclass
class Move:
    """A technique's work: steps, then either the final value or an expression to continue with."""

    steps: list[LimitStep]
    expr: sp.Expr | None = None
    value: LimitValue | None = None


@dataclass(frozen=True)
class Technique:
    """A textbook technique: the forms it handles and how it rewrites or finishes the limit."""

    rule: str
    title: str
    forms: frozenset[str]
    apply: Callable[[sp.Expr, Approach, Form, int], Move | None]


def _quotient(num: sp.Expr, den: sp.Expr) -> sp.Expr:
    """num/den kept as written (no automatic cancelling), for display."""
    if den == 1:
        return num
    return sp.Mul(num, sp.Pow(den, -1, evaluate=False), evaluate=False)
