"""Worked solutions: derivations from calcml.symbolic when it offers them, SymPy otherwise.

Problem generators build every solution through this adapter, so switching engines is one
place. Numeric procedures (a gradient-descent step, a Newton step) are written as a chain of
"rewrite" steps computed here, never typed in by hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sympy as sp

from calcml.errors import UnsupportedError
from calcml.expr import to_text
from calcml.symbolic.steps import Derivation, Step


def derivative(expr: sp.Expr, var: sp.Symbol) -> Derivation:
    """d expr / d var as a Derivation (partial when expr has other variables).

    The engine's verified derivation; only a function it has no step-by-step rule for
    (UnsupportedError) falls back to SymPy's result in one step. A VerificationError is a bug
    in a rule and is never hidden.
    """
    from calcml.symbolic import derive

    try:
        return derive(expr, var)
    except UnsupportedError:
        pass
    result = sp.diff(expr, var)
    partial = len(expr.free_symbols - {var}) > 0
    d_ = "∂" if partial else "d"
    step = Step(
        "differentiate",
        "Differentiate term by term (power, product, quotient and chain rules)",
        expr,
        result,
        wrt=var,
        partial=partial,
    )
    return Derivation(f"{d_}/{d_}{to_text(var)} {to_text(expr)}", expr, result, [step], (var,))


def gradient(expr: sp.Expr, variables: Sequence[sp.Symbol]) -> Derivation:
    """The gradient (a column vector) with one component derivation per variable."""
    parts = [derivative(expr, v) for v in variables]
    result = sp.Matrix([p.result for p in parts])
    return Derivation(
        f"∇{_paren(expr)}",
        expr,
        result,
        [],
        tuple(variables),
        shape=(len(variables),),
        components=parts,
    )


def jacobian(exprs: Sequence[sp.Expr], variables: Sequence[sp.Symbol]) -> Derivation:
    """J[i, j] = ∂fᵢ/∂xⱼ, with one component derivation per entry."""
    parts = [derivative(f, v) for f in exprs for v in variables]
    result = sp.Matrix(len(exprs), len(variables), [p.result for p in parts])
    question = "J[" + ", ".join(to_text(f) for f in exprs) + "]"
    return Derivation(
        question,
        list(exprs),
        result,
        [],
        tuple(variables),
        shape=(len(exprs), len(variables)),
        components=parts,
    )


def hessian(expr: sp.Expr, variables: Sequence[sp.Symbol]) -> Derivation:
    """H[i, j] = ∂²f/∂xᵢ∂xⱼ: the Jacobian of the gradient."""
    grad = gradient(expr, variables)
    parts = [derivative(g, v) for g in grad.result for v in variables]
    n = len(variables)
    result = sp.Matrix(n, n, [p.result for p in parts])
    return Derivation(
        f"H{_paren(expr)}",
        expr,
        result,
        [],
        tuple(variables),
        shape=(n, n),
        components=[grad, *parts],
    )


def worked(
    question: str,
    expr: Any,
    result: Any,
    steps: Sequence[tuple[str, str, Any, Any]],
    components: Sequence[Derivation] = (),
    notes: Sequence[str] = (),
) -> Derivation:
    """A derivation made of computed steps `(rule, explanation, before, after)`.

    A step turns `before` into `after` (substituting, evaluating, stepping) rather than
    rewriting it into an equal form, so it is a "note" whose explanation shows `before → after`
    (or `: after` when there is no `before`); the values stay in the step for JSON.
    """
    return Derivation(
        question,
        expr,
        result,
        [
            Step(rule, _say(why, before, after), before, after, kind="note")
            for rule, why, before, after in steps
        ],
        components=list(components),
        notes=list(notes),
        verified="computed by calcml",
    )


def _say(why: str, before: Any, after: Any) -> str:
    if after is None:
        return why
    if before is None:
        return f"{why}: {_show(after)}"
    return f"{why}: {_show(before)} → {_show(after)}"


def _show(value: Any) -> str:
    if isinstance(value, sp.MatrixBase) and value.cols == 1:
        return "[" + ", ".join(to_text(v) for v in value) + "]"
    if isinstance(value, (sp.Basic, sp.MatrixBase)):
        return to_text(value)
    return str(value)


def _paren(expr: sp.Expr) -> str:
    return f"({to_text(expr)})"
