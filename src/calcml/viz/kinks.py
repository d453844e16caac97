"""Differentiability at a point: f with its one-sided tangent lines. Where the left and right
derivatives agree the two lines are one tangent; at a kink (|x| at 0) they differ."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from calcml.errors import CalcmlError
from calcml.viz.curves import default_window, draw_series, sample, shade_gaps, window_spec
from calcml.viz.figure import CalcmlFigure, add_notes, legend, new_figure, render, renderer
from calcml.viz.limits import _value
from calcml.viz.sampling import value_at
from calcml.viz.spec import Spec, series
from calcml.viz.style import BLACK, GREY, ORANGE, VERMILLION, math, number


def one_sided_spec_from_result(
    result: Any, xlim: Sequence[float] | None = None, n: int = 600
) -> Spec:
    """Data for a computed `DifferentiabilityResult` (calcml.symbolic.differentiable)."""
    from calcml.expr import expr_dict, to_latex

    expr, x = result.expr, result.var
    try:
        a = float(result.at)
    except TypeError as error:
        raise CalcmlError("differentiability is drawn at a real number, not at ±∞") from error
    lo, hi = (float(xlim[0]), float(xlim[1])) if xlim else default_window(a, 2.0)
    curve = sample(expr, x, lo, hi, n, avoid=(a,))
    fa = value_at(expr, {x: a})
    left, right = _value(result.left), _value(result.right)
    items = [series(math(f"f({x.name})"), curve.x, curve.y, "function")]
    lines = []
    if np.isfinite(fa):
        for side, slope, colour, mask in (
            ("left", left, VERMILLION, np.ones_like(curve.x, dtype=bool)),
            ("right", right, ORANGE, np.ones_like(curve.x, dtype=bool)),
        ):
            s = slope["number"]
            if isinstance(s, float):
                xs = curve.x[mask]
                items.append(
                    series(
                        f"{side} tangent, slope {number(s)}",
                        xs,
                        fa + s * (xs - a),
                        "tangent",
                        style={"color": colour, "ls": "--" if side == "left" else ":"},
                    )
                )
            elif s in ("inf", "-inf"):
                lines.append({"side": side, "vertical": True})
    verdict = {True: "differentiable", False: "not differentiable", None: "undecided"}[
        result.differentiable
    ]
    return {
        "kind": "one_sided",
        "title": f"{math(to_latex(expr))} at {x.name} = {number(a)}: {verdict}",
        "variable": x.name,
        "function": expr_dict(expr),
        "point": {"x": a, "y": fa if np.isfinite(fa) else None},
        "left": left,
        "right": right,
        "differentiable": result.differentiable,
        "vertical": lines,
        "series": items,
        "window": window_spec((lo, hi), [curve.y]),
        "gaps": curve.gaps,
        "notes": [result.heading(), *list(result.notes)[:2]],
    }


@renderer("one_sided")
def _draw_one_sided(spec: Spec) -> CalcmlFigure:
    fig, axes = new_figure(spec)
    ax = axes[0, 0]
    shade_gaps(ax, spec["gaps"])
    draw_series(ax, spec["series"], spec["window"])
    p = spec["point"]
    if spec["vertical"]:
        ax.axvline(p["x"], color=ORANGE, ls="--", lw=1.6, label="vertical tangent (slope ±∞)")
    if p["y"] is not None:
        ax.plot([p["x"]], [p["y"]], "o", color=BLACK, ms=7, zorder=6)
    else:
        ax.axvline(p["x"], color=GREY, ls=":", lw=1)
    ax.set_xlabel(spec["variable"])
    ax.set_ylabel(math(f"f({spec['variable']})"))
    legend(ax, loc="best")
    add_notes(fig, spec)
    return fig


def one_sided(
    f: Any, at: float, var: Any = None, xlim: Sequence[float] | None = None
) -> CalcmlFigure:
    """f with its left and right tangent lines at `at` (from calcml's one-sided derivatives)."""
    from calcml.symbolic import differentiable

    return render(one_sided_spec_from_result(differentiable(f, var, at), xlim))
