"""Lagrange multipliers, drawn: the contours of f, the constraint curve g = 0, and the points
where they touch — there ∇f and ∇g are parallel, ∇f = λ∇g (the constrained extremes)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import sympy as sp

from calcml.errors import CalcmlError
from calcml.expr.convert import as_expr
from calcml.viz.figure import CalcmlFigure, add_notes, legend, new_figure, render, renderer
from calcml.viz.sampling import numeric, variables
from calcml.viz.spec import Spec, array, jsonable
from calcml.viz.style import BLACK, BLUE, ORANGE, VERMILLION, math, number
from calcml.viz.surfaces import draw_contours, grid2d

SOLVE_TIME_LIMIT = 5.0


def _constraint(g: Any) -> sp.Expr:
    """g as an expression meaning g = 0; text 'lhs = rhs' becomes lhs − rhs."""
    if isinstance(g, str) and "=" in g:
        lhs, rhs = g.split("=", 1)
        return as_expr(lhs) - as_expr(rhs)  # type: ignore[no-any-return]
    return as_expr(g)


def lagrange_points(f: sp.Expr, g: sp.Expr, syms: list[sp.Symbol]) -> list[dict[str, Any]]:
    """Real solutions of ∇f = λ∇g, g = 0 (SymPy's solve, time-limited)."""
    from calcml.symbolic.timelimit import call_with_time_limit

    lam = sp.Symbol("lambda", real=True)
    eqs = [sp.diff(f, s) - lam * sp.diff(g, s) for s in syms] + [g]
    try:
        sols = call_with_time_limit(sp.solve, SOLVE_TIME_LIMIT, eqs, [*syms, lam], dict=True)
    except Exception as error:
        raise CalcmlError(f"could not solve ∇f = λ∇g on g = 0 exactly ({error})") from None
    out = []
    for sol in sols:
        try:
            vals = [complex(sp.N(sol[s])) for s in (*syms, lam)]
        except (KeyError, TypeError):  # a free parameter: a curve of solutions
            continue
        if all(abs(v.imag) < 1e-10 for v in vals):
            out.append({"point": [vals[0].real, vals[1].real], "lambda": vals[2].real})
    return sorted(out, key=lambda p: p["point"])


def lagrange_spec(
    f: Any,
    g: Any,
    var: Any = None,
    xlim: Sequence[float] | None = None,
    ylim: Sequence[float] | None = None,
    n: int = 90,
) -> Spec:
    """Data: contours of f, the curve g = 0, and each point with ∇f, ∇g and λ."""
    from calcml.expr import expr_dict, to_latex

    fe, ge = as_expr(f), _constraint(g)
    syms = variables(fe + ge, var, 2)
    points = lagrange_points(fe, ge, syms)
    if not points:
        raise CalcmlError("∇f = λ∇g has no real solution on the constraint")
    P = np.array([p["point"] for p in points])
    if xlim is None or ylim is None:
        span = max(float(np.ptp(P[:, 0])), float(np.ptp(P[:, 1])), 2.0)
        c = P.mean(axis=0)
        xlim = xlim or (c[0] - 0.8 * span, c[0] + 0.8 * span)
        ylim = ylim or (c[1] - 0.8 * span, c[1] + 0.8 * span)
    grads = [[sp.diff(e, s) for s in syms] for e in (fe, ge)]
    values = []
    for p in points:
        a, b = p["point"]
        p["f"] = float(numeric(fe, syms)(a, b))
        p["grad_f"] = [float(numeric(d, syms)(a, b)) for d in grads[0]]
        p["grad_g"] = [float(numeric(d, syms)(a, b)) for d in grads[1]]
        values.append(p["f"])
    for p in points:
        p["role"] = (
            "largest f" if p["f"] == max(values) else "smallest f" if p["f"] == min(values) else ""
        )
    x, y = (s.name for s in syms)
    return {
        "kind": "lagrange",
        "title": f"Extremes of {math(to_latex(fe))} on {math(to_latex(ge) + ' = 0')}",
        "variables": [x, y],
        "function": expr_dict(fe),
        "constraint": expr_dict(ge),
        "points": jsonable(points),
        "grid": grid2d(fe, syms, xlim, ylim, n),
        "constraint_grid": grid2d(ge, syms, xlim, ylim, 2 * n),
        "notes": [
            "At each marked point the constraint curve touches a contour of f: ∇f (blue) and "
            "∇g (orange) are parallel, ∇f = λ∇g."
        ],
    }


@renderer("lagrange")
def _draw_lagrange(spec: Spec) -> CalcmlFigure:
    fig, axes = new_figure(spec, height=6.2, width=7.4)
    ax = axes[0, 0]
    draw_contours(ax, spec["grid"])
    cg = spec["constraint_grid"]
    X, Y = np.meshgrid(array(cg["x"]), array(cg["y"]))
    ax.contour(X, Y, array(cg["z"]), levels=[0.0], colors=BLACK, linewidths=2.6)
    ax.plot([], [], color=BLACK, lw=2.6, label="constraint g = 0")
    g = spec["grid"]
    r = 0.12 * (g["x"][-1] - g["x"][0])
    for p in spec["points"]:
        a, b = p["point"]
        # parallel arrows would hide each other: ∇f long and thick, ∇g shorter on top
        for key, colour, length, width in (
            ("grad_f", BLUE, r, 3.2),
            ("grad_g", ORANGE, 0.6 * r, 1.8),
        ):
            v = np.array(p[key], dtype=float)
            norm = float(np.linalg.norm(v))
            if norm > 0:
                v = v / norm * length
                ax.annotate(
                    "",
                    xy=(a + v[0], b + v[1]),
                    xytext=(a, b),
                    arrowprops={"arrowstyle": "-|>", "color": colour, "lw": width},
                )
        colour = VERMILLION if p["role"] == "largest f" else BLUE if p["role"] else BLACK
        ax.plot([a], [b], "o", color=colour, mec="black", ms=8, zorder=6)
        role = f"{p['role']}: " if p["role"] else ""
        # the label goes toward the middle of the plot, so it never runs past the axes
        right = a <= 0.5 * (g["x"][0] + g["x"][-1])
        below = b >= 0.5 * (g["y"][0] + g["y"][-1])
        ax.annotate(
            f"{role}f = {number(p['f'])}, λ = {number(p['lambda'])}",
            (a, b),
            xytext=(8 if right else -8, -14 if below else 14),
            textcoords="offset points",
            ha="left" if right else "right",
            va="top" if below else "bottom",
            fontsize=8.5,
            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.85},
        )
    ax.plot([], [], color=BLUE, lw=2, label="∇f")
    ax.plot([], [], color=ORANGE, lw=2, label="∇g")
    ax.set_xlabel(spec["variables"][0])
    ax.set_ylabel(spec["variables"][1])
    ax.set_aspect("equal", adjustable="box")
    legend(ax, fontsize=8, loc="upper right")
    add_notes(fig, spec)
    return fig


def lagrange(
    f: Any,
    g: Any,
    var: Any = None,
    xlim: Sequence[float] | None = None,
    ylim: Sequence[float] | None = None,
) -> CalcmlFigure:
    """f's extremes on the curve g = 0: contours, the curve, and ∇f ∥ ∇g at each solution."""
    return render(lagrange_spec(f, g, var, xlim, ylim))
