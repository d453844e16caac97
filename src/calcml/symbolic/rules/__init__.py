"""The rule registry: one small rule per idea, dispatched by expression type.

Structural rules (sum, product, power, Σ) are functions registered with `@rule(Type)`.
Functions of one argument (sin, σ, ReLU, ...) are data: a `FunctionRule` says the rule's name,
the formula, and how to build f′(u); `chain.py` applies them directly or through the chain rule.

>>> import sympy as sp
>>> FUNCTIONS[sp.sin].formula
'd/du sin(u) = cos(u)'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import sympy as sp

if TYPE_CHECKING:
    from calcml.symbolic.steps import Step


class Differentiates(Protocol):
    """What a rule may ask of the differentiator (`symbolic.differentiator.Differentiator`):
    the rules depend on this, not on the differentiator's module, so the dependency runs one
    way (the differentiator looks rules up; rules call back through this interface)."""

    wrt: sp.Symbol
    prefer_quotient: bool
    reciprocal_quotient: bool

    @property
    def var(self) -> str: ...

    def diff(self, expr: sp.Expr) -> Step: ...

    def step(
        self,
        rule: str,
        explanation: str,
        before: sp.Expr,
        after: sp.Expr,
        substeps: Iterable[Step] = (),
        formula: str | None = None,
        wrt: sp.Symbol | None = None,
    ) -> Step: ...

    def fresh(self, avoid: sp.Expr) -> sp.Symbol: ...

    def note(self, text: str) -> None: ...


Rule = Callable[[sp.Expr, Differentiates], "Step"]

RULES: dict[type, Rule] = {}


@dataclass(frozen=True)
class FunctionRule:
    """d/du f(u) for one function f: `derivative(f(u))` returns f′(u) (defaults to SymPy's fdiff).

    `kink` describes where f is not differentiable, with {u} standing for the argument;
    `parameters` names f's constant arguments after u in its general statement (leaky ReLU's
    slope a), so the rule can be stated as d/du f(u, a) = f′(u, a).
    """

    rule: str
    formula: str
    explanation: str
    derivative: Callable[[sp.Expr], sp.Expr] = lambda applied: applied.fdiff(1)
    kink: str | None = None
    parameters: tuple[str, ...] = ()


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


def registered(expr: sp.Basic, *tables: dict[type, Any]) -> Any:
    """The entry for `expr`'s exact type, else for its nearest base class (so subclasses
    dispatch), the tables searched in order at each class; None if there is none. The one walk
    over the class hierarchy."""
    for cls in type(expr).__mro__:
        for table in tables:
            if cls in table:
                return table[cls]
    return None


def lookup(expr: sp.Basic) -> Rule | None:
    """The rule for `expr`: a structural rule, or a function rule applied by the chain rule."""
    from calcml.symbolic.rules.chain import function_call_rule

    found = registered(expr, RULES, FUNCTIONS)
    return function_call_rule if isinstance(found, FunctionRule) else found  # type: ignore[no-any-return]


from calcml.symbolic.rules import algebra, chain, elementary, ml  # noqa: E402, F401
