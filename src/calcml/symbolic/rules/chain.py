"""Applying a function rule: directly for f(x), through the chain rule for f(g(x)).

The chain rule step states the inner function u = g(x), differentiates the outer function with
respect to u (a sub-step with wrt=u), differentiates u, and multiplies, substituting u back.
Functions of several arguments (max, min, a leaky ReLU whose slope varies) use the
multivariable chain rule Σ ∂f/∂uᵢ · duᵢ/dx.
"""

from __future__ import annotations

import sympy as sp

from calcml.expr.render import to_text
from calcml.symbolic.rules import FUNCTIONS, Differentiates, FunctionRule, registered, rule
from calcml.symbolic.rules.statements import STATEMENTS
from calcml.symbolic.steps import Step


def function_rule_for(expr: sp.Expr) -> FunctionRule:
    """The function rule of `expr`'s function (or of its nearest registered base class)."""
    found = registered(expr, FUNCTIONS)
    if found is None:
        raise KeyError(type(expr).__name__)
    return found  # type: ignore[no-any-return]


def function_call_rule(expr: sp.Expr, d: Differentiates) -> Step:
    """d/dx f(g) = f′(g)·g′, or just f′(x) when the argument is the variable itself."""
    fr = function_rule_for(expr)
    g, *rest = expr.args
    if any(a.has(d.wrt) for a in rest):
        return multivariable_rule(expr, d)
    if fr.kink:
        d.note(fr.kink.format(u=to_text(g)))
    if g == d.wrt:
        return d.step(fr.rule, fr.explanation, expr, fr.derivative(expr), formula=fr.formula)
    u = d.fresh(expr)
    outer = expr.func(u, *rest)
    outer_step = d.step(
        fr.rule, fr.explanation, outer, fr.derivative(outer), formula=fr.formula, wrt=u
    )
    return chain_step(expr, g, outer_step, fr.derivative(expr), d)


def chain_step(
    expr: sp.Expr, inner_expr: sp.Expr, outer: Step, outer_at_inner: sp.Expr, d: Differentiates
) -> Step:
    """The chain rule: `outer` differentiates f(u) with respect to u; u = `inner_expr`."""
    inner = d.diff(inner_expr)
    u, g = to_text(outer.wrt), to_text(inner_expr)
    # one evaluated product of all factors (outer_at_inner may be an unevaluated n·uⁿ⁻¹)
    after = sp.Mul(*sp.Mul.make_args(outer_at_inner), *sp.Mul.make_args(inner.after))
    return d.step(
        "chain",
        f"Chain rule with the inner function {u} = {g}: differentiate the outer function with "
        f"respect to {u}, multiply by d{u}/d{d.var}, and put {u} = {g} back",
        expr,
        after,
        [outer, inner],
        formula=STATEMENTS["chain"].formula_in(d.var),
    )


@rule(sp.Max, sp.Min)
def multivariable_rule(expr: sp.Expr, d: Differentiates) -> Step:
    """d/dx f(u₁, …, uₖ) = Σ ∂f/∂uᵢ · duᵢ/dx (max/min select the winning argument)."""
    subs = [d.diff(arg) for arg in expr.args]
    terms = [expr.fdiff(i) * s.after for i, s in enumerate(subs, 1) if s.after != 0]
    name = _name(expr)
    if isinstance(expr, (sp.Max, sp.Min)):
        word = "largest" if isinstance(expr, sp.Max) else "smallest"
        args = ", ".join(to_text(a) for a in expr.args)
        d.note(
            f"{name}({args}) is not differentiable where its {word} arguments tie "
            "(unless their derivatives agree there)"
        )
        explanation = (
            f"{name} follows its {word} argument: the derivative is that argument's derivative, "
            "selected by the step function H"
        )
        # max follows f where f > g; min follows f where f < g
        formula = STATEMENTS[rule_id(expr)].formula_in(d.var)
    else:
        explanation = (
            f"Multivariable chain rule: {name} has several arguments that depend on {d.var}"
        )
        formula = STATEMENTS["multivariable_chain"].formula_in(d.var)
    return d.step(rule_id(expr), explanation, expr, sp.Add(*terms), subs, formula=formula)


def rule_id(expr: sp.Expr) -> str:
    if isinstance(expr, sp.Max):
        return "max"
    if isinstance(expr, sp.Min):
        return "min"
    return "multivariable_chain"


def _name(expr: sp.Expr) -> str:
    shown = to_text(expr.func(sp.Symbol("u")) if len(expr.args) == 1 else expr)
    return shown.split("(", 1)[0] if "(" in shown else type(expr).__name__.lower()
