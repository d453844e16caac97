"""The derivative shown inside a limit, Taylor or critical-point argument.

Uses the derivative engine (`calcml.symbolic.derive`) so every derivative is derived rule by
rule and verified; falls back to `sympy.diff` (one step) if the engine fails for a reason other
than the request's budget, and that result is counted against the budget like the engine's.

>>> import sympy as sp
>>> x = sp.Symbol("x", real=True)
>>> derivative_step(x**3, x, "numerator").after
3*x**2
"""

from __future__ import annotations

import sympy as sp

from calcml.expr.render import to_text
from calcml.symbolic.budget import charge_work, count_nodes, reraise_if_spent
from calcml.symbolic.limit_result import LimitStep
from calcml.symbolic.steps import Derivation, Step
from calcml.symbolic.timelimit import call_with_time_limit

DERIVATIVE_TIME_LIMIT: float | None = None  # the request's safety net (budget.py) bounds it


def derivative(f: sp.Expr, x: sp.Symbol) -> Derivation:
    """d/dx f as a verified Derivation (the engine's, or sympy.diff's as one step)."""
    try:
        from calcml.symbolic.derive import derivation

        return call_with_time_limit(derivation, DERIVATIVE_TIME_LIMIT, f, x)
    except Exception as error:
        reraise_if_spent(error)  # never a clock-chosen fallback, never an unbounded one
        result = call_with_time_limit(sp.diff, DERIVATIVE_TIME_LIMIT, f, x)
        charge_work(count_nodes(result))
        step = Step("diff", "differentiate (SymPy)", f, result, wrt=x)
        return Derivation(f"d/d{to_text(x)} {to_text(f)}", f, result, [step], wrt=(x,))


def derivative_step(f: sp.Expr, x: sp.Symbol, what: str) -> LimitStep:
    """A 'diff' step 'd/dx f = f′' whose sub-steps are the engine's derivation."""
    d = derivative(f, x)
    return LimitStep(
        "derivative", f"differentiate the {what}", f, d.result, substeps=list(d.steps), wrt=x
    )


def gradient_step(f: sp.Expr, xs: list[sp.Symbol]) -> tuple[Step, Derivation]:
    """The step '∇f = (∂f/∂x, ...)' (shape (n,)) with the gradient's derivation as sub-steps."""
    from calcml.symbolic.derive import gradient

    g = gradient(f, xs)
    step = Step(
        "gradient",
        f"the gradient ∇f, shape ({len(xs)},)",
        f,
        tuple(g.result),  # a vector, shown (a, b), not as an n×1 matrix
        list(g.steps),
        kind="note",
        lhs="∇f",
    )
    return step, g


def hessian_step(f: sp.Expr, xs: list[sp.Symbol]) -> tuple[Step, Derivation]:
    """The step 'H = [∂²f/∂xᵢ∂xⱼ]' (shape n×n) with the Hessian's derivation as sub-steps."""
    from calcml.symbolic.derive import hessian

    h = hessian(f, xs)
    n = len(xs)
    step = Step(
        "Hessian", f"the Hessian H, shape {n}×{n}", f, h.result, list(h.steps), kind="note", lhs="H"
    )
    return step, h
