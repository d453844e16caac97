"""calcml.viz: figures drawn from computed results (matplotlib, Agg; never a window).

Every figure function returns a `CalcmlFigure` (a matplotlib Figure) whose `.spec` holds the
plain-JSON data it was drawn from; `fig.save("out.png")` writes PNG, SVG or PDF.

>>> from calcml import viz
>>> fig = viz.tangent("x^2", 1.0)
>>> fig.spec["slope"]
2.0
"""

from __future__ import annotations

from calcml.viz.calculus import (
    derivative,
    secants,
    secants_spec,
    tangent,
    tangent_spec,
    with_derivative,
    with_derivative_spec,
)
from calcml.viz.figure import CalcmlFigure, render
from calcml.viz.spec import to_json

__all__ = [
    "CalcmlFigure",
    "derivative",
    "render",
    "secants",
    "secants_spec",
    "tangent",
    "tangent_spec",
    "to_json",
    "with_derivative",
    "with_derivative_spec",
]
