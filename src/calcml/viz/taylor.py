"""Taylor polynomials of increasing order hugging a function near a point."""

from __future__ import annotations

import math as pymath
from collections.abc import Sequence
from typing import Any

import numpy as np
import sympy as sp

from calcml.errors import CalcmlError
from calcml.viz.curves import default_window, draw_series, sample, shade_gaps, window_spec
from calcml.viz.figure import CalcmlFigure, add_notes, legend, new_figure, render, renderer
from calcml.viz.sampling import as_expr, numeric, value_at, variables
from calcml.viz.spec import Spec, series
from calcml.viz.style import BLACK, CYCLE, math, number


def taylor_polynomial(expr: sp.Expr, var: sp.Symbol, at: float, order: int) -> sp.Expr:
    """Σ_{k≤order} f⁽ᵏ⁾(a)/k! (x − a)ᵏ, each coefficient by differentiation."""
    a = sp.nsimplify(at) if float(at).is_integer() else sp.Float(at)
    terms, d = [], expr
    for k in range(order + 1):
        c = sp.simplify(d.subs(var, a)) if k < 8 else d.subs(var, a)
        if c.has(sp.zoo, sp.nan, sp.oo, -sp.oo) or not c.is_finite:
            raise CalcmlError(
                f"the {k}th derivative is undefined at {var.name} = {number(float(at))}, "
                "so there is no Taylor polynomial there"
            )
        terms.append(c / pymath.factorial(k) * (var - a) ** k)
        d = sp.diff(d, var)
    return sp.Add(*terms)


def polynomial(expr: sp.Expr, var: sp.Symbol, at: float, order: int) -> sp.Expr:
    """The Taylor polynomial from calcml.symbolic.taylor (derived with steps) when it is
    available, else from `taylor_polynomial`."""
    try:
        from calcml.symbolic.taylor import taylor as compute
    except ImportError:  # pragma: no cover - the symbolic package always ships it
        return taylor_polynomial(expr, var, at, order)
    from calcml.errors import VerificationError

    try:
        return compute(expr, var, sp.nsimplify(at, rational=True), order).result  # type: ignore[no-any-return]
    except (TypeError, VerificationError):  # an API mismatch or a failed check: use the reference
        return taylor_polynomial(expr, var, at, order)


def taylor_spec(
    f: Any,
    at: float = 0.0,
    orders: Sequence[int] = (1, 2, 3, 5),
    var: Any = None,
    xlim: Sequence[float] | None = None,
    n: int = 600,
) -> Spec:
    """Data for f and its Taylor polynomials of the given orders around `at`."""
    from calcml.expr import expr_dict, to_latex

    expr = as_expr(f)
    (v,) = variables(expr, var, 1)
    lo, hi = (float(xlim[0]), float(xlim[1])) if xlim else default_window(at)
    if not np.isfinite(value_at(expr, {v: at})):
        raise CalcmlError(f"f is undefined at {v.name} = {number(at)}; expand around another point")
    curve = sample(expr, v, lo, hi, n)
    items = [series(math(f"f({v.name})"), curve.x, curve.y, "function")]
    polys = []
    for k in orders:
        p = sp.expand(polynomial(expr, v, at, int(k)))
        y = numeric(p, [v])(curve.x)
        err = float(np.nanmax(np.abs(y - curve.y)[np.abs(curve.x - at) <= 0.5 * (hi - lo) / 6]))
        polys.append({"order": int(k), "polynomial": expr_dict(p), "max_error_near": err})
        items.append(series(f"order {k}", curve.x, y, "approximation", order=int(k)))
    return {
        "kind": "taylor",
        "title": f"Taylor polynomials of {math(to_latex(expr))} around {v.name} = {number(at)}",
        "variable": v.name,
        "function": expr_dict(expr),
        "point": {"x": float(at), "y": value_at(expr, {v: at})},
        "polynomials": polys,
        "series": items,
        "window": window_spec((lo, hi), [curve.y]),
        "gaps": curve.gaps,
        "notes": [note] if (note := curve.gap_note(v.name)) else [],
    }


@renderer("taylor")
def _draw_taylor(spec: Spec) -> CalcmlFigure:
    fig, axes = new_figure(spec)
    ax = axes[0, 0]
    shade_gaps(ax, spec["gaps"])
    f, *approx = spec["series"]
    draw_series(ax, [{**f, "style": {"color": BLACK, "lw": 2.6}}])
    for s, colour in zip(approx, CYCLE, strict=False):
        draw_series(ax, [s], color=colour)
    draw_series(ax, [], spec["window"])
    p = spec["point"]
    ax.plot([p["x"]], [p["y"]], "o", color=BLACK, ms=7, zorder=6)
    ax.set_xlabel(spec["variable"])
    ax.set_ylabel("y")
    legend(ax, loc="best")
    ax.set_title("higher order → the polynomial hugs f over a wider stretch", fontsize=9)
    add_notes(fig, spec)
    return fig


def taylor(
    f: Any,
    at: float = 0.0,
    orders: Sequence[int] = (1, 2, 3, 5),
    var: Any = None,
    xlim: Sequence[float] | None = None,
) -> CalcmlFigure:
    """f with its Taylor polynomials of increasing order around `at`."""
    return render(taylor_spec(f, at, orders, var, xlim))
