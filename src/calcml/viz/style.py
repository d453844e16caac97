"""The one look of every calcml figure: Okabe–Ito colours, mathtext titles, 800 px wide.

Every figure is made by `new_figure` (so it gets the rc settings below) and titled with
`math(expr)`, the expression in matplotlib mathtext (falling back to Unicode text when
mathtext cannot typeset it).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import matplotlib
from cycler import cycler

from calcml.expr.convert import as_expr

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour-vision
# deficiency, and in greyscale by lightness.
OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
}
BLUE, ORANGE, GREEN = OKABE_ITO["blue"], OKABE_ITO["orange"], OKABE_ITO["green"]
VERMILLION, PURPLE, SKY = OKABE_ITO["vermillion"], OKABE_ITO["purple"], OKABE_ITO["sky"]
BLACK, YELLOW = OKABE_ITO["black"], OKABE_ITO["yellow"]
GREY = "#7F7F7F"
CYCLE: list[str] = [BLUE, ORANGE, GREEN, VERMILLION, PURPLE, SKY, BLACK]
# Perceptually uniform and colour-blind safe, for surfaces and filled contours.
COLORMAP = "viridis"
# Status of an optimizer run -> colour (converged = green, diverged = vermillion ...)
STATUS_COLOURS: dict[str, str] = {
    "converged": GREEN,
    "diverged": VERMILLION,
    "oscillating": ORANGE,
    "max_steps": PURPLE,
}

WIDTH_IN = 8.0  # 800 px at the default 100 dpi
DPI = 100

RC: dict[str, Any] = {
    "axes.prop_cycle": cycler(color=CYCLE),
    "axes.grid": True,
    "grid.alpha": 0.3,
    "grid.linewidth": 0.6,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 11,
    "axes.labelsize": 11,
    "figure.titlesize": 13,
    "xtick.labelsize": 9.5,
    "ytick.labelsize": 9.5,
    "legend.fontsize": 9,
    "legend.framealpha": 0.85,
    "lines.linewidth": 2.0,
    "figure.dpi": DPI,
    "savefig.dpi": DPI,
    "savefig.facecolor": "white",
    "figure.facecolor": "white",
    "image.cmap": COLORMAP,
    "mathtext.fontset": "dejavusans",
}


@contextmanager
def house_style() -> Iterator[None]:
    """Apply calcml's rc settings while a figure is being built."""
    rc: Any = RC
    with matplotlib.rc_context(rc):
        yield


def math(expr: Any) -> str:
    """`expr` (SymPy or LaTeX string) as mathtext `$...$`; Unicode text when mathtext can't."""
    from matplotlib.mathtext import MathTextParser

    from calcml.expr import to_latex, to_text

    latex = expr if isinstance(expr, str) else to_latex(as_expr(expr, exact=False))
    candidate = f"${latex}$"
    try:
        MathTextParser("path").parse(candidate)
    except Exception:
        return expr if isinstance(expr, str) else to_text(expr)
    return candidate


def number(v: float) -> str:
    """A short, readable number for labels: 0.25, 1.5e-06, -3."""
    if v != v:  # NaN
        return "undefined"
    if v in (float("inf"), float("-inf")):
        return "∞" if v > 0 else "−∞"
    if v == int(v) and abs(v) < 1e6:
        return str(int(v))
    return f"{v:.4g}"
