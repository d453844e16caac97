"""The derivative as a picture: tangent line, secants closing in on it, f stacked over f′.

>>> fig = tangent("x^2", 1.0)
>>> fig.spec["slope"]
2.0
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from calcml.errors import CalcmlError
from calcml.expr.convert import as_expr
from calcml.viz.curves import default_window, draw_series, sample, shade_gaps, window_spec
from calcml.viz.figure import CalcmlFigure, add_notes, legend, new_figure, render, renderer
from calcml.viz.sampling import value_at, variables
from calcml.viz.spec import Spec, series
from calcml.viz.style import GREEN, GREY, ORANGE, VERMILLION, math, number


def derivative(expr: sp.Expr, var: sp.Symbol) -> sp.Expr:
    """d expr / d var (SymPy's diff, the reference every calcml derivation is checked against)."""
    return sp.diff(expr, var)


def _setup(
    f: Any, var: Any, at: float | None, xlim: Sequence[float] | None
) -> tuple[sp.Expr, sp.Symbol, tuple[float, float]]:
    expr = as_expr(f)
    (v,) = variables(expr, var, 1)
    lo, hi = (float(xlim[0]), float(xlim[1])) if xlim else default_window(at or 0.0)
    return expr, v, (lo, hi)


def _point_value(expr: sp.Expr, v: sp.Symbol, at: float, what: str) -> float:
    y = value_at(expr, {v: at})
    if not np.isfinite(y):
        raise CalcmlError(f"{what} is undefined at {v.name} = {number(at)}; pick another point")
    return y


@dataclass(frozen=True)
class _Touch:
    """f sampled over its window, with its value and slope (f′) at the point of contact."""

    expr: sp.Expr
    v: sp.Symbol
    window: tuple[float, float]
    d: sp.Expr
    y0: float
    slope: float
    curve: Any


def _touching(f: Any, var: Any, at: float, xlim: Sequence[float] | None, n: int) -> _Touch:
    expr, v, window = _setup(f, var, at, xlim)
    d = derivative(expr, v)
    y0 = _point_value(expr, v, at, "f")
    slope = _point_value(d, v, at, "f′ (the slope)")
    return _Touch(expr, v, window, d, y0, slope, sample(expr, v, *window, n))


def tangent_spec(
    f: Any, at: float, var: Any = None, xlim: Sequence[float] | None = None, n: int = 600
) -> Spec:
    """Data for f with its tangent line at `at`: the line's slope is f′(at)."""
    from calcml.expr import expr_dict, to_latex

    t = _touching(f, var, at, xlim, n)
    expr, v, (lo, hi), d, y0, slope, curve = t.expr, t.v, t.window, t.d, t.y0, t.slope, t.curve
    line_y = y0 + slope * (curve.x - at)
    window = window_spec((lo, hi), [curve.y])
    name = v.name
    return {
        "kind": "tangent",
        "title": f"Tangent to {math(f'f({name}) = {to_latex(expr)}')} at {name} = {number(at)}",
        "variable": name,
        "function": expr_dict(expr),
        "derivative": expr_dict(d),
        "point": {"x": float(at), "y": y0},
        "slope": slope,
        "series": [
            series(math(f"f({name})"), curve.x, curve.y, "function"),
            series(
                f"tangent, slope f′({number(at)}) = {number(slope)}",
                curve.x,
                line_y,
                "tangent",
            ),
        ],
        "window": window,
        "gaps": curve.gaps,
        "notes": [note] if (note := curve.gap_note(name)) else [],
    }


@renderer("tangent")
def _draw_tangent(spec: Spec) -> CalcmlFigure:
    fig, axes = new_figure(spec)
    ax = axes[0, 0]
    shade_gaps(ax, spec["gaps"])
    draw_series(ax, spec["series"], spec["window"])
    p = spec["point"]
    ax.plot([p["x"]], [p["y"]], "o", color=ORANGE, mec="black", ms=8, zorder=6)
    # the slope triangle: run 1, rise f′(a)
    run = 0.25 * (spec["window"]["x"][1] - spec["window"]["x"][0]) / 2
    rise = spec["slope"] * run
    ax.plot([p["x"], p["x"] + run], [p["y"], p["y"]], color=GREY, lw=1.2)
    ax.plot([p["x"] + run] * 2, [p["y"], p["y"] + rise], color=GREY, lw=1.2)
    ax.annotate(
        f"rise/run = {number(spec['slope'])}",
        (p["x"] + run, p["y"] + rise / 2),
        xytext=(6, 0),
        textcoords="offset points",
        fontsize=9,
        va="center",
    )
    ax.set_xlabel(spec["variable"])
    ax.set_ylabel(math(f"f({spec['variable']})"))
    legend(ax, loc="best")
    add_notes(fig, spec)
    return fig


def tangent(
    f: Any, at: float, var: Any = None, xlim: Sequence[float] | None = None
) -> CalcmlFigure:
    """f with its tangent line at `at` (slope = the derivative there)."""
    return render(tangent_spec(f, at, var, xlim))


def secants_spec(
    f: Any,
    at: float,
    hs: Sequence[float] = (2.0, 1.0, 0.5, 0.25, 0.1),
    var: Any = None,
    xlim: Sequence[float] | None = None,
    n: int = 600,
) -> Spec:
    """Data for secants through (a, f(a)) and (a+h, f(a+h)) as h shrinks, and the tangent."""
    from calcml.expr import expr_dict, to_latex

    t = _touching(f, var, at, xlim, n)
    expr, v, (lo, hi), d, y0, slope, curve = t.expr, t.v, t.window, t.d, t.y0, t.slope, t.curve
    fn = sp.lambdify(v, expr, "numpy")
    items, table = [series(math(f"f({v.name})"), curve.x, curve.y, "function")], []
    for h in hs:
        with np.errstate(all="ignore"):
            y1 = float(fn(np.float64(at + h)))
        s = (y1 - y0) / h
        table.append({"h": float(h), "slope": s if np.isfinite(s) else None})
        if np.isfinite(s):
            items.append(
                series(
                    f"h = {number(h)}: slope {number(s)}",
                    curve.x,
                    y0 + s * (curve.x - at),
                    "secant",
                    h=float(h),
                )
            )
    items.append(
        series(
            f"tangent: f′({number(at)}) = {number(slope)}",
            curve.x,
            y0 + slope * (curve.x - at),
            "tangent",
        )
    )
    return {
        "kind": "secants",
        "title": f"Secants → tangent of {math(to_latex(expr))} at {v.name} = {number(at)}",
        "variable": v.name,
        "function": expr_dict(expr),
        "derivative": expr_dict(d),
        "point": {"x": float(at), "y": y0},
        "slope": slope,
        "secant_slopes": table,
        "series": items,
        "window": window_spec((lo, hi), [curve.y]),
        "gaps": curve.gaps,
        "notes": [note] if (note := curve.gap_note(v.name)) else [],
    }


@renderer("secants")
def _draw_secants(spec: Spec) -> CalcmlFigure:
    fig, axes = new_figure(spec, 1, 2, width_ratios=[1.6, 1])
    ax, tab = axes[0, 0], axes[0, 1]
    shade_gaps(ax, spec["gaps"])
    secant = [s for s in spec["series"] if s["role"] == "secant"]
    for i, s in enumerate(secant):  # fade from pale (big h) to strong (small h)
        s = {**s, "style": {"alpha": 0.3 + 0.7 * (i + 1) / max(len(secant), 1)}}
        draw_series(ax, [s])
    draw_series(ax, [s for s in spec["series"] if s["role"] != "secant"], spec["window"])
    p = spec["point"]
    ax.plot([p["x"]], [p["y"]], "o", color=ORANGE, mec="black", ms=8, zorder=6)
    ax.set_xlabel(spec["variable"])
    ax.set_ylabel(math(f"f({spec['variable']})"))
    legend(ax, loc="best", fontsize=8)
    rows = [r for r in spec["secant_slopes"] if r["slope"] is not None]
    tab.semilogx(
        [r["h"] for r in rows],
        [r["slope"] for r in rows],
        "o-",
        color=VERMILLION,
        label="secant slope (f(a+h) − f(a))/h",
    )
    tab.axhline(spec["slope"], color=GREEN, ls="--", label=f"f′(a) = {number(spec['slope'])}")
    tab.invert_xaxis()
    tab.set_xlabel("h (shrinking →)")
    tab.set_ylabel("slope")
    tab.set_title("slopes approach f′(a)")
    legend(tab, loc="best", fontsize=8)
    add_notes(fig, spec)
    return fig


def secants(
    f: Any,
    at: float,
    hs: Sequence[float] = (2.0, 1.0, 0.5, 0.25, 0.1),
    var: Any = None,
    xlim: Sequence[float] | None = None,
) -> CalcmlFigure:
    """Secant lines over shrinking h, closing in on the tangent at `at`."""
    return render(secants_spec(f, at, hs, var, xlim))


def with_derivative_spec(
    f: Any,
    var: Any = None,
    xlim: Sequence[float] = (-4.0, 4.0),
    n: int = 600,
    d: Any = None,
) -> Spec:
    """Data for f stacked over f′, with the intervals where f′ > 0 (f rises) and f′ < 0.

    `d` is f′ when already derived (e.g. a calcml Derivation's result); else SymPy's diff.
    """
    from calcml.expr import expr_dict, to_latex

    expr, v, (lo, hi) = _setup(f, var, None, xlim)
    d = as_expr(d) if d is not None else derivative(expr, v)
    fc, dc = sample(expr, v, lo, hi, n), sample(d, v, lo, hi, n)
    sign = np.sign(dc.y)
    runs: list[dict[str, Any]] = []
    start = 0
    for i in range(1, len(sign) + 1):
        if i == len(sign) or sign[i] != sign[start] or np.isnan(sign[i]) != np.isnan(sign[start]):
            if np.isfinite(sign[start]) and sign[start] != 0:
                runs.append(
                    {
                        "from": float(dc.x[start]),
                        "to": float(dc.x[i - 1]),
                        "sign": "+" if sign[start] > 0 else "-",
                    }
                )
            start = i
    notes = [n for n in (fc.gap_note(v.name), dc.gap_note(v.name, "f′")) if n]
    name = v.name
    return {
        "kind": "with_derivative",
        "title": f"{math(f'f({name}) = {to_latex(expr)}')} and its derivative",
        "variable": name,
        "function": expr_dict(expr),
        "derivative": expr_dict(d),
        "series": [
            series(math(f"f({name})"), fc.x, fc.y, "function"),
            series(math(f"f'({name}) = {to_latex(d)}"), dc.x, dc.y, "derivative"),
        ],
        "rising": runs,
        "windows": [window_spec((lo, hi), [fc.y]), window_spec((lo, hi), [dc.y])],
        "gaps": [fc.gaps, dc.gaps],
        "notes": notes,
    }


@renderer("with_derivative")
def _draw_with_derivative(spec: Spec) -> CalcmlFigure:
    fig, axes = new_figure(spec, 2, 1, height=6.0, sharex=True)
    for ax, s, w, g in zip(axes[:, 0], spec["series"], spec["windows"], spec["gaps"], strict=True):
        shade_gaps(ax, g)
        for r in spec["rising"]:
            colour = GREEN if r["sign"] == "+" else VERMILLION
            ax.axvspan(r["from"], r["to"], color=colour, alpha=0.08, lw=0)
        draw_series(ax, [s], w)
        legend(ax, loc="best")
    axes[1, 0].axhline(0, color=GREY, lw=1)
    axes[0, 0].set_ylabel(math(f"f({spec['variable']})"))
    axes[1, 0].set_ylabel(math(f"f'({spec['variable']})"))
    axes[1, 0].set_xlabel(spec["variable"])
    axes[0, 0].set_title("green: f′ > 0, f rises · red: f′ < 0, f falls", fontsize=9)
    add_notes(fig, spec)
    return fig


def with_derivative(
    f: Any, var: Any = None, xlim: Sequence[float] = (-4.0, 4.0), d: Any = None
) -> CalcmlFigure:
    """f stacked over f′: where f rises, f′ > 0 (`d`: f′ when already derived)."""
    return render(with_derivative_spec(f, var, xlim, d=d))


__all__ = [
    "derivative",
    "secants",
    "secants_spec",
    "tangent",
    "tangent_spec",
    "with_derivative",
    "with_derivative_spec",
]
