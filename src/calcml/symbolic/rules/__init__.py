"""The rule registry: one small rule per idea, dispatched by expression type.

Structural rules (sum, product, power, Σ) are functions registered with `@rule(Type)`.
Functions of one argument (sin, σ, ReLU, ...) are data: a `FunctionRule` says the rule's name,
the formula, and how to build f′(u); `chain.py` applies them directly or through the chain rule.

>>> import sympy as sp
>>> FUNCTIONS[sp.sin].formula
'd/du sin(u) = cos(u)'
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import sympy as sp

if TYPE_CHECKING:
    from calcml.symbolic.differentiator import Differentiator
    from calcml.symbolic.steps import Step

Rule = Callable[[sp.Expr, "Differentiator"], "Step"]

RULES: dict[type, Rule] = {}


@dataclass(frozen=True)
class FunctionRule:
    """d/du f(u) for one function f: `derivative(f(u))` returns f′(u) (defaults to SymPy's fdiff).

    `kink` describes where f is not differentiable, with {u} standing for the argument.
    """

    rule: str
    formula: str
    explanation: str
    derivative: Callable[[sp.Expr], sp.Expr] = lambda applied: applied.fdiff(1)
    kink: str | None = None


FUNCTIONS: dict[type, FunctionRule] = {}


def rule(*types: type) -> Callable[[Rule], Rule]:
    """Register a structural rule for the given SymPy types."""

    def register(fn: Rule) -> Rule:
        for t in types:
            RULES[t] = fn
        return fn

    return register


def function_rule(
    func: type, rule_id: str, formula: str, explanation: str, **kwargs: object
) -> None:
    """Register a one-argument function rule (data, no code)."""
    FUNCTIONS[func] = FunctionRule(rule_id, formula, explanation, **kwargs)  # type: ignore[arg-type]


def lookup(expr: sp.Basic) -> Rule | None:
    """The rule for `expr`: by its exact type, then by its bases (so subclasses dispatch)."""
    from calcml.symbolic.rules.chain import apply_function

    for cls in type(expr).__mro__:
        if cls in RULES:
            return RULES[cls]
        if cls in FUNCTIONS:
            return apply_function
    return None


from calcml.symbolic.rules import algebra, chain, elementary, ml  # noqa: E402, F401
