"""Functions of two variables: a 3-D surface, partial derivatives as slices, and contours with
the gradient field (arrows point uphill, across the contour lines)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import sympy as sp

from calcml.errors import CalcmlError
from calcml.expr.convert import as_expr
from calcml.viz.figure import CalcmlFigure, add_notes, new_figure, render, renderer
from calcml.viz.sampling import numeric, value_at, variables
from calcml.viz.spec import Spec, array, jsonable
from calcml.viz.style import BLACK, BLUE, COLORMAP, GREY, ORANGE, VERMILLION, math, number

Box = Sequence[float]


def grid2d(expr: sp.Expr, syms: list[sp.Symbol], xlim: Box, ylim: Box, n: int) -> dict[str, Any]:
    """expr sampled on an n×n grid: {"x": [...], "y": [...], "z": [[...]]} (rows follow y)."""
    xs = np.linspace(float(xlim[0]), float(xlim[1]), n)
    ys = np.linspace(float(ylim[0]), float(ylim[1]), n)
    X, Y = np.meshgrid(xs, ys)
    Z = numeric(expr, syms)(X, Y)
    return {"x": jsonable(xs), "y": jsonable(ys), "z": jsonable(Z)}


def _z_arrays(g: dict[str, Any]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    X, Y = np.meshgrid(array(g["x"]), array(g["y"]))
    return X, Y, array(g["z"])


def _setup2(f: Any, var: Any) -> tuple[sp.Expr, list[sp.Symbol]]:
    expr = as_expr(f)
    return expr, variables(expr, var, 2)


def _undefined_note(g: dict[str, Any]) -> list[str]:
    Z = array(g["z"])
    bad = int(np.sum(~np.isfinite(Z)))
    if bad:
        return [f"f is undefined on {100 * bad / Z.size:.0f}% of the grid (left blank)."]
    return []


def _levels(Z: np.ndarray, count: int = 18) -> np.ndarray:
    finite = Z[np.isfinite(Z)]
    if finite.size == 0:
        raise CalcmlError("the function is undefined everywhere on the requested range")
    from matplotlib.ticker import MaxNLocator

    lo, hi = np.percentile(finite, [1, 99])
    if hi - lo < 1e-12:
        lo, hi = lo - 1, hi + 1
    return np.asarray(MaxNLocator(count).tick_values(lo, hi))


# -- 3-D surface -----------------------------------------------------------------------------


def surface_spec(
    f: Any, var: Any = None, xlim: Box = (-2, 2), ylim: Box = (-2, 2), n: int = 60
) -> Spec:
    """Data for the surface z = f(x, y)."""
    from calcml.expr import expr_dict, to_latex

    expr, (x, y) = _setup2(f, var)
    g = grid2d(expr, [x, y], xlim, ylim, n)
    return {
        "kind": "surface",
        "title": f"The surface {math(f'z = {to_latex(expr)}')}",
        "variables": [x.name, y.name],
        "function": expr_dict(expr),
        "grid": g,
        "notes": _undefined_note(g),
    }


@renderer("surface")
def _draw_surface(spec: Spec) -> CalcmlFigure:
    fig, axes = new_figure(spec, height=5.5, subplot_kw={"projection": "3d"})
    ax = axes[0, 0]
    X, Y, Z = _z_arrays(spec["grid"])
    lv = _levels(Z)
    Zc = np.clip(Z, lv[0], lv[-1])
    ax.plot_surface(X, Y, Zc, cmap=COLORMAP, linewidth=0, antialiased=True, alpha=0.95)
    ax.contour(X, Y, Zc, levels=10, zdir="z", offset=lv[0], cmap=COLORMAP, linewidths=0.8)
    x, y = spec["variables"]
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    ax.set_zlabel("z")
    ax.view_init(elev=28, azim=-55)
    add_notes(fig, spec)
    return fig


def surface(f: Any, var: Any = None, xlim: Box = (-2, 2), ylim: Box = (-2, 2)) -> CalcmlFigure:
    """The surface z = f(x, y) in 3-D, with its contour map underneath."""
    return render(surface_spec(f, var, xlim, ylim))


# -- partial derivatives as slices -------------------------------------------------------------


def slices_spec(
    f: Any,
    at: Sequence[float],
    var: Any = None,
    xlim: Box | None = None,
    ylim: Box | None = None,
    n: int = 50,
) -> Spec:
    """Data for ∂f/∂x and ∂f/∂y at a point as slopes of the slices y = b and x = a."""
    from calcml.expr import expr_dict, to_latex

    expr, (x, y) = _setup2(f, var)
    a, b = float(at[0]), float(at[1])
    xlim = xlim or (a - 2, a + 2)
    ylim = ylim or (b - 2, b + 2)
    z0 = value_at(expr, {x: a, y: b})
    if not np.isfinite(z0):
        raise CalcmlError(f"f is undefined at ({number(a)}, {number(b)}); pick another point")
    fx, fy = sp.diff(expr, x), sp.diff(expr, y)
    sx, sy = value_at(fx, {x: a, y: b}), value_at(fy, {x: a, y: b})
    xs = np.linspace(float(xlim[0]), float(xlim[1]), 200)
    ys = np.linspace(float(ylim[0]), float(ylim[1]), 200)
    fn = numeric(expr, [x, y])
    return {
        "kind": "slices",
        "title": f"Partial derivatives of {math(to_latex(expr))} at "
        f"({x.name}, {y.name}) = ({number(a)}, {number(b)})",
        "variables": [x.name, y.name],
        "function": expr_dict(expr),
        "point": {"x": a, "y": b, "z": z0},
        "partials": [
            {"variable": x.name, "expr": expr_dict(fx), "value": jsonable(sx)},
            {"variable": y.name, "expr": expr_dict(fy), "value": jsonable(sy)},
        ],
        "grid": grid2d(expr, [x, y], xlim, ylim, n),
        "slices": [
            {"along": x.name, "fixed": {y.name: b}, "t": jsonable(xs), "z": jsonable(fn(xs, b))},
            {"along": y.name, "fixed": {x.name: a}, "t": jsonable(ys), "z": jsonable(fn(a, ys))},
        ],
        "notes": [],
    }


@renderer("slices")
def _draw_slices(spec: Spec) -> CalcmlFigure:
    fig = new_figure(spec, 1, 1, width=8.0, height=4.2)[0]
    fig.clear()
    fig.suptitle(spec["title"])
    axs = fig.subplots(1, 3, width_ratios=[1.3, 1, 1])
    axs[0].remove()
    ax3 = fig.add_subplot(1, 3, 1, projection="3d")
    X, Y, Z = _z_arrays(spec["grid"])
    lv = _levels(Z)
    ax3.plot_surface(X, Y, np.clip(Z, lv[0], lv[-1]), cmap=COLORMAP, alpha=0.55, linewidth=0)
    p = spec["point"]
    sx, sy = spec["slices"]
    ax3.plot(
        array(sx["t"]), np.full(len(sx["t"]), p["y"]), array(sx["z"]), color=VERMILLION, lw=2.5
    )
    ax3.plot(np.full(len(sy["t"]), p["x"]), array(sy["t"]), array(sy["z"]), color=BLUE, lw=2.5)
    ax3.scatter([p["x"]], [p["y"]], [p["z"]], color=BLACK, s=25)
    x, y = spec["variables"]
    ax3.set_xlabel(x)
    ax3.set_ylabel(y)
    ax3.view_init(elev=28, azim=-55)
    for ax, sl, part, colour, at in (
        (axs[1], sx, spec["partials"][0], VERMILLION, p["x"]),
        (axs[2], sy, spec["partials"][1], BLUE, p["y"]),
    ):
        t, z = array(sl["t"]), array(sl["z"])
        ax.plot(t, z, color=colour)
        slope = part["value"]
        if slope is not None:
            ax.plot(
                t,
                p["z"] + slope * (t - at),
                color=ORANGE,
                ls="--",
                lw=1.6,
                label=f"slope {number(slope)}",
            )
            ax.legend(fontsize=8, loc="best")
        ax.plot([at], [p["z"]], "o", color=BLACK, zorder=5)
        fixed = ", ".join(f"{k} = {number(v)}" for k, v in sl["fixed"].items())
        ax.set_title(
            math(f"\\partial f/\\partial {part['variable']} = {part['expr']['latex']}")
            + f"\nslice {fixed}",
            fontsize=9,
        )
        ax.set_xlabel(sl["along"])
        finite = z[np.isfinite(z)]
        if finite.size:
            pad = 0.1 * (finite.max() - finite.min() + 1e-9)
            ax.set_ylim(finite.min() - pad, finite.max() + pad)
    axs[1].set_ylabel("f")
    add_notes(fig, spec)
    return fig


def slices(
    f: Any, at: Sequence[float], var: Any = None, xlim: Box | None = None, ylim: Box | None = None
) -> CalcmlFigure:
    """Partial derivatives as the slopes of two slices of the surface through a point."""
    return render(slices_spec(f, at, var, xlim, ylim))


# -- contours with the gradient field ----------------------------------------------------------


def gradient_field_spec(
    f: Any,
    var: Any = None,
    xlim: Box = (-2, 2),
    ylim: Box = (-2, 2),
    n: int = 80,
    arrows: int = 15,
    gradient: Sequence[Any] | None = None,
) -> Spec:
    """Data for the contour map of f and its gradient ∇f on a coarse grid of arrows.

    `gradient` is ∇f when already derived (a calcml Derivation's result); else SymPy's diff.
    """
    from calcml.expr import expr_dict, to_latex

    expr, (x, y) = _setup2(f, var)
    if gradient is not None:
        fx, fy = (as_expr(g) for g in gradient)
    else:
        fx, fy = sp.diff(expr, x), sp.diff(expr, y)
    ax_ = np.linspace(float(xlim[0]), float(xlim[1]), arrows)
    ay_ = np.linspace(float(ylim[0]), float(ylim[1]), arrows)
    AX, AY = np.meshgrid(ax_, ay_)
    U, V = numeric(fx, [x, y])(AX, AY), numeric(fy, [x, y])(AX, AY)
    g = grid2d(expr, [x, y], xlim, ylim, n)
    return {
        "kind": "gradient_field",
        "title": f"Contours of {math(to_latex(expr))} and the gradient field",
        "variables": [x.name, y.name],
        "function": expr_dict(expr),
        "gradient": [expr_dict(fx), expr_dict(fy)],
        "grid": g,
        "arrows": {
            "x": jsonable(AX.ravel()),
            "y": jsonable(AY.ravel()),
            "u": jsonable(U.ravel()),
            "v": jsonable(V.ravel()),
        },
        "notes": _undefined_note(g),
    }


def draw_contours(ax: Any, grid: dict[str, Any], filled: bool = True) -> None:
    """Filled contours with labelled lines (shared with the descent and curvature figures)."""
    X, Y, Z = _z_arrays(grid)
    lv = _levels(Z)
    if filled:
        ax.contourf(X, Y, Z, levels=lv, cmap=COLORMAP, alpha=0.35, extend="both")
    cs = ax.contour(X, Y, Z, levels=lv[::2], colors=GREY, linewidths=0.8)
    ax.clabel(cs, fontsize=7, fmt="%.3g")
    ax.set_xlim(X.min(), X.max())
    ax.set_ylim(Y.min(), Y.max())


@renderer("gradient_field")
def _draw_gradient_field(spec: Spec) -> CalcmlFigure:
    fig, axes = new_figure(spec, height=6.2, width=7.2)
    ax = axes[0, 0]
    draw_contours(ax, spec["grid"])
    a = spec["arrows"]
    U, V = array(a["u"]), array(a["v"])
    norm = np.hypot(U, V)
    scale = np.where(norm > 0, 1 / np.maximum(norm, 1e-12), 0.0)
    q = ax.quiver(
        array(a["x"]),
        array(a["y"]),
        U * scale,
        V * scale,
        norm,
        cmap="magma",
        angles="xy",
        pivot="mid",
        width=0.004,
    )
    fig.colorbar(q, ax=ax, label="‖∇f‖ (arrow colour; arrows show direction only)", shrink=0.8)
    x, y = spec["variables"]
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    ax.set_aspect("equal", adjustable="box")
    g0, g1 = spec["gradient"]
    ax.set_title(math(f"\\nabla f = ({g0['latex']},\\ {g1['latex']})"), fontsize=10)
    add_notes(fig, spec)
    return fig


def gradient_field(
    f: Any,
    var: Any = None,
    xlim: Box = (-2, 2),
    ylim: Box = (-2, 2),
    gradient: Sequence[Any] | None = None,
) -> CalcmlFigure:
    """Contours of f(x, y) with ∇f drawn as arrows: uphill, perpendicular to the contours."""
    return render(gradient_field_spec(f, var, xlim, ylim, gradient=gradient))
