"""Shared pieces of the 1-D figures: sample a function over a window, draw series by role."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sympy as sp
from matplotlib.axes import Axes

from calcml.viz.sampling import (
    break_jumps,
    describe_gaps,
    gaps,
    grid,
    numeric,
    singular_points,
    y_window,
)
from calcml.viz.spec import Spec, array
from calcml.viz.style import BLACK, BLUE, GREEN, GREY, ORANGE, PURPLE, VERMILLION


@dataclass
class Curve:
    """A function sampled on a grid: x, y (NaN where undefined), the gaps, and the y-window."""

    x: np.ndarray
    y: np.ndarray
    gaps: list[tuple[float, float]]
    overflow: list[tuple[float, float]] = field(default_factory=list)

    def gap_note(self, var: str, what: str = "f") -> str | None:
        notes = []
        if self.gaps:
            notes.append(f"{what} is {describe_gaps(var, self.gaps)} (left blank).")
        if self.overflow:
            big = describe_gaps(var, self.overflow, "beyond the float64 range (±1.8e308)")
            notes.append(f"{what} is {big}, so it is not drawn there.")
        return " ".join(notes) or None


def sample(
    expr: sp.Expr, var: sp.Symbol, lo: float, hi: float, n: int = 600, avoid: tuple = ()
) -> Curve:
    """Sample expr(var) on [lo, hi]."""
    singular = singular_points(expr, var, lo, hi)
    x = grid(lo, hi, n, (*avoid, *singular))
    y = numeric(expr, [var], keep_inf=True)(x)
    y[np.isin(x, singular)] = np.nan  # tan(π/2) is 1.6e16 in floats, but undefined
    inf = np.isinf(y)
    # an isolated ±inf (1/x at x = 0) is a point where f is undefined; a run of them is overflow
    isolated = inf & ~np.r_[False, inf[:-1]] & ~np.r_[inf[1:], False]
    huge = inf & ~isolated
    y = np.where(np.isfinite(y), y, np.nan)
    undefined = np.where(huge, 0.0, y)
    return Curve(x, y, gaps(x, undefined), gaps(x, np.where(huge, np.nan, 0.0)))


def window_spec(x: tuple[float, float], ys: list[np.ndarray]) -> dict[str, Any]:
    return {"x": [float(x[0]), float(x[1])], "y": list(y_window(ys))}


# role -> matplotlib style
ROLE_STYLE: dict[str, dict[str, Any]] = {
    "function": {"color": BLUE, "lw": 2.2, "zorder": 3},
    "derivative": {"color": GREEN, "lw": 2.0, "zorder": 3},
    "tangent": {"color": ORANGE, "lw": 2.0, "ls": "--", "zorder": 4},
    "secant": {"color": PURPLE, "lw": 1.3, "zorder": 2},
    "approximation": {"lw": 1.8, "ls": "--", "zorder": 2},
    "reference": {"color": GREY, "lw": 1.2, "ls": ":", "zorder": 1},
    "left": {"color": VERMILLION, "lw": 0, "marker": "o", "ms": 4, "zorder": 5},
    "right": {"color": BLUE, "lw": 0, "marker": "s", "ms": 4, "zorder": 5},
    "path": {"color": BLACK, "lw": 1.2, "marker": "o", "ms": 3},
}


def draw_series(
    ax: Axes, items: list[Spec], window: dict[str, Any] | None = None, **override: Any
) -> None:
    """Draw each series by its role; curves are split at jumps so asymptotes stay open."""
    for s in items:
        style = {**ROLE_STYLE.get(s.get("role", "function"), {}), **s.get("style", {}), **override}
        x, y = array(s["x"]), array(s["y"])
        if window is not None and style.get("lw", 1) > 0:
            y = break_jumps(y, (window["y"][0], window["y"][1]))
        ax.plot(x, y, label=s.get("label"), **style)
    if window is not None:
        ax.set_xlim(*window["x"])
        ax.set_ylim(*window["y"])


def shade_gaps(ax: Axes, found: list[Any]) -> None:
    """Grey bands where the function is undefined."""
    for a, b in found:
        if a == b:
            ax.axvline(a, color=GREY, lw=0.8, ls=":", zorder=0)
        else:
            ax.axvspan(a, b, color=GREY, alpha=0.12, lw=0, zorder=0)


def hollow_points(ax: Axes, xs: list[float], ys: list[float], colour: str = BLUE) -> None:
    """Open circles: points the curve approaches but does not take (a hole)."""
    ax.plot(xs, ys, "o", mfc="white", mec=colour, mew=1.8, ms=7, zorder=6, ls="none")


def default_window(center: float, half: float = 3.0) -> tuple[float, float]:
    return (center - half, center + half)


__all__ = ["Curve", "draw_series", "sample", "shade_gaps", "window_spec"]
