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


# the teacher itself (`teacher.teach`), handed to each technique so that one which needs the
# limit of a part (the bracket after factoring out, the exponent of a logarithm) can teach it:
# the techniques never import the teacher, so the dependency runs one way
Teach = Callable[[sp.Expr, Approach, int], tuple[list[LimitStep], LimitValue | None]]


@dataclass(frozen=True)
class Technique:
    """A textbook technique: the forms it handles and how it rewrites or finishes the limit:
    `apply(f, approach, form, depth, teach)`."""

    rule: str
    title: str
    forms: frozenset[str]
    apply: Callable[[sp.Expr, Approach, Form, int, Teach], Move | None]


def _quotient(num: sp.Expr, den: sp.Expr) -> sp.Expr:
    """num/den kept as written (no automatic cancelling), for display."""
    if den == 1:
        return num
    return sp.Mul(num, sp.Pow(den, -1, evaluate=False), evaluate=False)
