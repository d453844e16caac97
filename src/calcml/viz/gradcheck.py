"""Gradient checking, drawn: the error of forward and central differences against the exact
derivative as the step h shrinks — truncation error falls like h (forward) or h² (central)
until floating-point round-off (about ε/h) takes over, so the best h is neither big nor tiny."""

from __future__ import annotations

from typing import Any

import numpy as np

from calcml.errors import CalcmlError
from calcml.expr.convert import as_expr
from calcml.viz.calculus import derivative
from calcml.viz.figure import CalcmlFigure, add_notes, legend, new_figure, render, renderer
from calcml.viz.sampling import value_at, variables
from calcml.viz.spec import Spec, array, jsonable
from calcml.viz.style import BLUE, GREY, ORANGE, math, number


def finite_differences_spec(f: Any, at: float = 1.0, var: Any = None) -> Spec:
    """Data: |difference quotient − f′(a)| for h = 10⁻¹ … 10⁻¹⁵, forward and central."""
    import sympy as sp

    from calcml.expr import expr_dict, to_latex

    expr = as_expr(f)
    (v,) = variables(expr, var, 1)
    exact = value_at(derivative(expr, v), {v: at})
    if not np.isfinite(exact):
        raise CalcmlError(f"f′ is undefined at {v.name} = {number(at)}; pick another point")
    fn = sp.lambdify(v, expr, "numpy")
    hs = 10.0 ** -np.arange(1, 16, 0.5)
    with np.errstate(all="ignore"):
        fa = float(fn(np.float64(at)))
        forward = np.array([(float(fn(np.float64(at + h))) - fa) / h for h in hs])
        central = np.array(
            [(float(fn(np.float64(at + h))) - float(fn(np.float64(at - h)))) / (2 * h) for h in hs]
        )
    ferr, cerr = np.abs(forward - exact), np.abs(central - exact)
    best = {
        "forward": float(hs[np.nanargmin(ferr)]),
        "central": float(hs[np.nanargmin(cerr)]),
    }
    return {
        "kind": "finite_differences",
        "title": f"Finite differences against the exact derivative of "
        f"{math(to_latex(expr))} at {v.name} = {number(at)}",
        "variable": v.name,
        "function": expr_dict(expr),
        "point": float(at),
        "exact": exact,
        "h": jsonable(hs),
        "forward_error": jsonable(ferr),
        "central_error": jsonable(cerr),
        "best_h": best,
        "notes": [
            f"Best h: about {best['forward']:.0e} for forward differences, {best['central']:.0e} "
            "for central; smaller h only adds round-off (machine ε ≈ 2.2e-16 divided by h)."
        ],
    }


@renderer("finite_differences")
def _draw_fd(spec: Spec) -> CalcmlFigure:
    fig, axes = new_figure(spec, height=4.8)
    ax = axes[0, 0]
    h = array(spec["h"])
    fe, ce = array(spec["forward_error"]), array(spec["central_error"])
    tiny = 1e-18  # an exact hit (error 0) sits on the floor of the log scale
    ax.loglog(h, np.maximum(fe, tiny), "o-", color=BLUE, label="forward (f(a+h) − f(a))/h")
    ax.loglog(h, np.maximum(ce, tiny), "s-", color=ORANGE, label="central (f(a+h) − f(a−h))/2h")
    eps = np.finfo(float).eps
    scale = max(abs(spec["exact"]), 1.0)
    ax.loglog(h, eps * scale / h, ls=":", color=GREY, label="round-off ≈ ε/h")
    ax.invert_xaxis()
    ax.set_xlabel("step h (shrinking →)")
    ax.set_ylabel("|difference quotient − f′(a)|")
    ax.set_ylim(max(np.nanmin(np.maximum(ce, tiny)) / 10, tiny), 10 * np.nanmax(fe))
    legend(ax, fontsize=9, loc="best")
    add_notes(fig, spec)
    return fig


def finite_differences(f: Any, at: float = 1.0, var: Any = None) -> CalcmlFigure:
    """Forward and central difference errors against the exact derivative, h from 0.1 to 1e-15."""
    return render(finite_differences_spec(f, at, var))
