"""The differentiator: walks an expression and asks the rule registry for each node.

A `Differentiator` holds what every rule needs to know: the variable, whether this is a partial
derivative (other variables held constant), the notes collected on the way (kinks, held
constants) and a supply of fresh symbols for the chain rule's inner function `u`.

>>> from calcml.expr import symbol
>>> x = symbol("x")
>>> Differentiator(x).diff(x**3).after
3*x**2
"""

from __future__ import annotations

from collections.abc import Iterable

import sympy as sp

from calcml.errors import UnsupportedError
from calcml.expr.render import to_text
from calcml.symbolic.budget import Budget, current
from calcml.symbolic.rules import lookup
from calcml.symbolic.rules.statements import STATEMENTS
from calcml.symbolic.steps import Step

INNER_NAMES = ("u", "v", "s", "r", "q", "p")


class Differentiator:
    """Differentiate with respect to `wrt`, building a tree of `Step`s.

    `prefer_quotient` picks the quotient rule for f/g (False: product rule on f·g⁻¹ and the
    chain rule on the reciprocal); `reciprocal_quotient` differentiates 1/gⁿ by the quotient
    rule instead of the chain rule. derive() flips them for the alternative derivation.
    """

    def __init__(
        self,
        wrt: sp.Symbol,
        partial: bool = False,
        prefer_quotient: bool = True,
        reciprocal_quotient: bool = False,
    ):
        self.wrt = wrt
        self.partial = partial
        self.prefer_quotient = prefer_quotient
        self.reciprocal_quotient = reciprocal_quotient
        self.notes: list[str] = []
        self._depth = 0
        self._budget = current() or Budget(seconds=None)

    def diff(self, expr: sp.Expr) -> Step:
        """The step that differentiates `expr` (with its sub-steps)."""
        if not expr.has(self.wrt):
            return self.constant(expr)
        if expr == self.wrt:
            return self.step(
                "variable",
                f"The derivative of {self.var} with respect to itself is 1",
                expr,
                sp.S.One,
                formula=STATEMENTS["variable"].formula_in(self.var),
            )
        rule = lookup(expr)
        if rule is None:
            raise UnsupportedError(f"calcml cannot differentiate {describe(expr)} step by step")
        self._depth += 1
        try:
            step = rule(expr, self)
        finally:
            self._depth -= 1
        # counted as it is built, so a derivative that explodes stops one rule after it does
        self._budget.count_nodes(step.after)
        return step

    @property
    def var(self) -> str:
        return to_text(self.wrt)

    def step(
        self,
        rule: str,
        explanation: str,
        before: sp.Expr,
        after: sp.Expr,
        substeps: Iterable[Step] = (),
        formula: str | None = None,
        wrt: sp.Symbol | None = None,
    ) -> Step:
        """A "diff" step for this variable (or for `wrt`, e.g. the chain rule's u)."""
        return Step(
            rule,
            explanation,
            before,
            after,
            list(substeps),
            wrt=self.wrt if wrt is None else wrt,
            formula=formula,
            partial=self.partial and wrt is None,
        )

    def constant(self, expr: sp.Expr) -> Step:
        held = held_constant(expr)
        if held and self.partial:
            names = ", ".join(to_text(s) for s in held)
            verb = "is" if len(held) == 1 else "are"
            why = f"{names} {verb} held constant, so this term is a constant: its derivative is 0"
        else:
            why = "The derivative of a constant is 0"
        return self.step(
            "constant", why, expr, sp.S.Zero, formula=STATEMENTS["constant"].formula_in(self.var)
        )

    def fresh(self, avoid: sp.Expr) -> sp.Symbol:
        """A real symbol for the chain rule's inner function, not already used in `avoid`."""
        names = {str(s) for s in avoid.free_symbols} | {str(self.wrt)}
        for name in INNER_NAMES:
            if name not in names:
                return sp.Symbol(name, real=True)
        k = 1
        while f"u{k}" in names:
            k += 1
        return sp.Symbol(f"u{k}", real=True)

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)


def held_constant(expr: sp.Expr) -> list[sp.Expr]:
    """The symbols and data (xᵢ) in `expr`, without sum indices and the labels behind xᵢ."""
    data = expr.atoms(sp.Indexed)
    hidden = {a.base.label for a in data} | {i for a in data for i in a.indices}
    if isinstance(expr, sp.Sum) or expr.has(sp.Sum):
        hidden |= {lim[0] for s in expr.find(sp.Sum) for lim in s.limits}
    names = {s for s in expr.free_symbols if isinstance(s, sp.Symbol) and s not in hidden}
    return sorted(names | data, key=str)


def describe(expr: sp.Basic) -> str:
    """How an unsupported node is named in error messages: 'gamma(x)' -> 'the function gamma'."""
    func = expr.func
    name = getattr(func, "__name__", type(expr).__name__)
    if isinstance(expr, sp.core.function.AppliedUndef):
        return f"the unknown function {name} (calcml only knows the functions it defines)"
    if isinstance(expr, sp.Function):
        return f"the function {name}"
    return f"{name} expressions"
