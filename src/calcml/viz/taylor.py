"""Taylor polynomials of increasing order hugging a function near a point."""

from __future__ import annotations

import math as pymath
from collections.abc import Sequence
from typing import Any

import numpy as np
import sympy as sp

from calcml.errors import CalcmlError
from calcml.expr.convert import as_expr
from calcml.viz.curves import default_window, draw_series, sample, shade_gaps, window_spec
from calcml.viz.figure import CalcmlFigure, add_notes, legend, new_figure, render, renderer
from calcml.viz.sampling import numeric, value_at, variables
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
    polys: list[dict[str, Any]] = []
    drawn: list[tuple[sp.Expr, list[int]]] = []  # each distinct polynomial and its orders
    for k in orders:
        p = sp.expand(polynomial(expr, v, at, int(k)))
        y = numeric(p, [v])(curve.x)
        err = float(np.nanmax(np.abs(y - curve.y)[np.abs(curve.x - at) <= 0.5 * (hi - lo) / 6]))
        polys.append({"order": int(k), "polynomial": expr_dict(p), "max_error_near": err})
        if drawn and sp.expand(p - drawn[-1][0]) == 0:
            # the same polynomial as the order before (a zero coefficient, as in sin's even
            # orders): one curve, labelled with both orders, never one hidden under the other
            drawn[-1][1].append(int(k))
            continue
        drawn.append((p, [int(k)]))
        items.append(series(f"order {k}", curve.x, y, "approximation", order=int(k)))
    for item, (_, same) in zip(items[1:], drawn, strict=True):
        if len(same) > 1:
            item["label"] = "orders " + ", ".join(str(k) for k in same)
            item["orders"] = same
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


def polynomial_2d(expr: sp.Expr, syms: list[sp.Symbol], at: Sequence[float], order: int) -> Any:
    """Taylor polynomial in two variables: calcml.symbolic.taylor, else the gradient/Hessian
    formula f(a) + ∇f(a)·d + ½ dᵀH(a)d (orders 1 and 2)."""
    point = [sp.nsimplify(v, rational=True) for v in at]
    try:
        from calcml.symbolic.taylor import taylor as compute

        return compute(expr, [s.name for s in syms], at=tuple(point), order=order).result
    except (ImportError, TypeError):
        pass
    sub = dict(zip(syms, point, strict=True))
    d = sp.Matrix([s - p for s, p in zip(syms, point, strict=True)])
    out = expr.subs(sub)
    if order >= 1:
        out += (sp.Matrix([sp.diff(expr, s) for s in syms]).subs(sub).T * d)[0]
    if order >= 2:
        out += (d.T * sp.hessian(expr, syms).subs(sub) * d)[0] / 2
    return sp.expand(out)


def taylor2d_spec(
    f: Any,
    at: Sequence[float] = (0.0, 0.0),
    orders: Sequence[int] = (1, 2),
    var: Any = None,
    radius: float = 1.0,
    n: int = 70,
) -> Spec:
    """Data for f(x, y) beside its Taylor polynomials around a point, on one grid."""
    from calcml.expr import expr_dict, to_latex
    from calcml.viz.surfaces import grid2d

    expr = as_expr(f)
    syms = variables(expr, var, 2)
    a, b = float(at[0]), float(at[1])
    if not np.isfinite(value_at(expr, {syms[0]: a, syms[1]: b})):
        raise CalcmlError(f"f is undefined at ({number(a)}, {number(b)})")
    box = ((a - radius, a + radius), (b - radius, b + radius))
    polys = []
    for k in orders:
        p = polynomial_2d(expr, syms, (a, b), int(k))
        polys.append(
            {
                "order": int(k),
                "polynomial": expr_dict(p),
                "grid": grid2d(p, syms, box[0], box[1], n),
            }
        )
    x, y = (s.name for s in syms)
    return {
        "kind": "taylor2d",
        "title": f"Taylor approximations of {math(to_latex(expr))} around "
        f"({x}, {y}) = ({number(a)}, {number(b)})",
        "variables": [x, y],
        "function": expr_dict(expr),
        "point": [a, b],
        "grid": grid2d(expr, syms, box[0], box[1], n),
        "polynomials": polys,
        "notes": [
            "Solid: contours of f. Dashed: the same levels of the Taylor polynomial — "
            "they agree near the point and part company away from it."
        ],
    }


@renderer("taylor2d")
def _draw_taylor2d(spec: Spec) -> CalcmlFigure:
    from calcml.viz.spec import array

    polys = spec["polynomials"]
    fig, axes = new_figure(spec, 1, len(polys), height=4.6)
    g = spec["grid"]
    X, Y = np.meshgrid(array(g["x"]), array(g["y"]))
    Z = array(g["z"])
    finite = Z[np.isfinite(Z)]
    from matplotlib.ticker import MaxNLocator

    levels = MaxNLocator(12).tick_values(*np.percentile(finite, [2, 98]))
    names = {1: "order 1: the tangent plane", 2: "order 2: the quadratic"}
    for ax, p, colour in zip(axes[0], polys, CYCLE[1:], strict=False):
        ax.contour(X, Y, Z, levels=levels, colors=BLACK, linewidths=1.0)
        ax.contour(
            X,
            Y,
            array(p["grid"]["z"]),
            levels=levels,
            colors=colour,
            linewidths=1.4,
            linestyles="--",
        )
        ax.plot(*spec["point"], "o", color=BLACK, ms=7, zorder=5)
        ax.set_title(
            names.get(p["order"], f"order {p['order']}") + "\n" + math(p["polynomial"]["latex"]),
            fontsize=9,
        )
        ax.set_xlabel(spec["variables"][0])
        ax.set_ylabel(spec["variables"][1])
        ax.set_aspect("equal", adjustable="box")
    add_notes(fig, spec)
    return fig


def taylor2d(
    f: Any,
    at: Sequence[float] = (0.0, 0.0),
    orders: Sequence[int] = (1, 2),
    var: Any = None,
    radius: float = 1.0,
) -> CalcmlFigure:
    """Contours of f(x, y) against its tangent plane and quadratic approximation at a point."""
    return render(taylor2d_spec(f, at, orders, var, radius))
