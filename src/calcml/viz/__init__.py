"""calcml.viz: figures drawn from computed results (matplotlib, Agg; never a window).

Every figure function returns a `CalcmlFigure` (a matplotlib Figure) whose `.spec` holds the
plain-JSON data it was drawn from (`fig.spec_json()`, for the web app); `fig.save("out.png")`
writes PNG, SVG or PDF; in Jupyter a figure shows inline. `render(spec)` draws a spec again.

Functions of one variable: `tangent`, `secants`, `with_derivative` (f over f′), `one_sided`
(left/right tangents at a kink), `limit` (holes, jumps, asymptotes, numeric evidence),
`taylor`, `activations`, `finite_differences` (gradient checking: truncation vs round-off).
Two variables: `surface`, `slices` (partials), `gradient_field`, `taylor2d`, `curvature`
(Hessian eigenvectors at critical points), `lagrange` (extremes on a constraint curve),
`jacobian_map` (F: R² → R² against its linearization).
Optimisation: `descent` (one or more `optim.Run`s), `compare_learning_rates`,
`compare_optimizers`. Backprop: `graph` (Graphviz `dot` when installed, else a layered
matplotlib layout), `vanishing_gradients`.
Vectors and matrices: `matrix_chain` (every part of f with its shape; what depends on the
variable highlighted).
Models: `pca`, `regression` and, for any fitted model, `figure_for(model, X=..., y=...)`.

`figure_for(result)` picks the figure for any calcml result; `plot_result(result, path)`
also saves it (what `--plot FILE` on the CLI calls).

>>> from calcml import viz
>>> fig = viz.tangent("x^2", 1.0)
>>> fig.spec["slope"]
2.0
"""

from __future__ import annotations

from calcml.viz.activations import activations, activations_spec
from calcml.viz.calculus import (
    derivative,
    secants,
    secants_spec,
    tangent,
    tangent_spec,
    with_derivative,
    with_derivative_spec,
)
from calcml.viz.curvature import curvature, curvature_spec
from calcml.viz.descent import compare_learning_rates, compare_optimizers, descent, descent_spec
from calcml.viz.dispatch import figure_for, plot_result
from calcml.viz.figure import CalcmlFigure, render
from calcml.viz.gradcheck import finite_differences, finite_differences_spec
from calcml.viz.gradients import vanishing_gradients, vanishing_gradients_spec
from calcml.viz.graph import graph, graph_spec
from calcml.viz.jacobian import jacobian_map, jacobian_map_spec
from calcml.viz.kinks import one_sided, one_sided_spec_from_result
from calcml.viz.lagrange import lagrange, lagrange_spec
from calcml.viz.limits import limit, limit_spec, limit_spec_from_result
from calcml.viz.matrix_chain import matrix_chain, matrix_chain_spec
from calcml.viz.pca import pca, pca_spec
from calcml.viz.regression import regression, regression_spec
from calcml.viz.spec import to_json
from calcml.viz.surfaces import (
    gradient_field,
    gradient_field_spec,
    slices,
    slices_spec,
    surface,
    surface_spec,
)
from calcml.viz.taylor import taylor, taylor2d, taylor2d_spec, taylor_spec

__all__ = [
    "CalcmlFigure",
    "activations",
    "activations_spec",
    "compare_learning_rates",
    "compare_optimizers",
    "curvature",
    "curvature_spec",
    "derivative",
    "descent",
    "descent_spec",
    "figure_for",
    "finite_differences",
    "finite_differences_spec",
    "gradient_field",
    "gradient_field_spec",
    "graph",
    "graph_spec",
    "jacobian_map",
    "jacobian_map_spec",
    "lagrange",
    "lagrange_spec",
    "limit",
    "limit_spec",
    "limit_spec_from_result",
    "matrix_chain",
    "matrix_chain_spec",
    "one_sided",
    "one_sided_spec_from_result",
    "pca",
    "pca_spec",
    "plot_result",
    "regression",
    "regression_spec",
    "render",
    "secants",
    "secants_spec",
    "slices",
    "slices_spec",
    "surface",
    "surface_spec",
    "tangent",
    "tangent_spec",
    "taylor",
    "taylor2d",
    "taylor2d_spec",
    "taylor_spec",
    "to_json",
    "vanishing_gradients",
    "vanishing_gradients_spec",
    "with_derivative",
    "with_derivative_spec",
]
