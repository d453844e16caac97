"""Activation functions beside their derivatives: where the gradient lives and where it dies."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from calcml.expr.convert import as_expr
from calcml.viz.calculus import derivative
from calcml.viz.curves import draw_series, sample
from calcml.viz.figure import CalcmlFigure, add_notes, legend, new_figure, render, renderer
from calcml.viz.spec import Spec, series
from calcml.viz.style import CYCLE, GREY, math

ACTIVATIONS: tuple[str, ...] = ("sigmoid", "tanh", "relu", "leaky_relu", "softplus")


def activations_spec(
    names: Sequence[str] = ACTIVATIONS, xlim: Sequence[float] = (-5.0, 5.0), n: int = 501
) -> Spec:
    """Data for each activation g(z) and g′(z) (by differentiation), plus every g′ overlaid."""
    from calcml.expr import expr_dict, symbol, to_latex

    z = symbol("z")
    panels = []
    for name in names:
        g = as_expr(f"{name}(z)")
        d = derivative(g, z)
        gc, dc = sample(g, z, xlim[0], xlim[1], n), sample(d, z, xlim[0], xlim[1], n)
        finite = dc.y[np.isfinite(dc.y)]
        panels.append(
            {
                "name": name,
                "function": expr_dict(g),
                "derivative": expr_dict(d),
                "max_slope": float(finite.max()) if finite.size else None,
                "series": [
                    series(math(to_latex(g)), gc.x, gc.y, "function"),
                    series(math(f"\\frac{{d}}{{dz}} = {to_latex(d)}"), dc.x, dc.y, "derivative"),
                ],
            }
        )
    return {
        "kind": "activations",
        "title": "Activation functions (solid) and their derivatives (dashed)",
        "variable": "z",
        "panels": panels,
        "notes": [
            "σ′ is at most 1/4 and tanh′ at most 1: stacked layers multiply these, so gradients "
            "vanish; ReLU passes a gradient of exactly 1 for z > 0 (and 0 for z < 0)."
        ],
    }


@renderer("activations")
def _draw_activations(spec: Spec) -> CalcmlFigure:
    panels = spec["panels"]
    cols = 3
    rows = (len(panels) + 1 + cols - 1) // cols
    fig, axes = new_figure(spec, rows, cols, height=3.0 * rows + 0.6)
    flat = list(axes.ravel())
    for ax, p, colour in zip(flat, panels, CYCLE, strict=False):
        f, d = p["series"]
        draw_series(ax, [f], color=colour, lw=2.2)
        draw_series(ax, [d], color=colour, lw=1.6, ls="--")
        ax.axhline(0, color=GREY, lw=0.8)
        ax.set_title(p["series"][0]["label"], fontsize=10)
        ax.set_xlabel("z")
    # the last panel: all the derivatives together
    last = flat[len(panels)]
    for p, colour in zip(panels, CYCLE, strict=False):
        draw_series(last, [{**p["series"][1], "label": p["name"]}], color=colour, lw=1.6)
    last.set_title("the derivatives compared", fontsize=10)
    last.set_xlabel("z")
    legend(last, fontsize=8, loc="upper left")
    for ax in flat[len(panels) + 1 :]:
        ax.set_visible(False)
    add_notes(fig, spec)
    return fig


def activations(
    names: Sequence[str] = ACTIVATIONS, xlim: Sequence[float] = (-5.0, 5.0)
) -> CalcmlFigure:
    """sigmoid, tanh, ReLU, leaky ReLU, softplus with their derivatives (computed, not typed)."""
    return render(activations_spec(names, xlim))
