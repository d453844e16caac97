"""`plot_result`: the right figure for any calcml result, saved in one call.

This is what `--plot FILE` on the CLI verbs calls: `plot_result(result, path)`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sympy as sp

from calcml.errors import CalcmlError
from calcml.expr.parser import sorted_variables
from calcml.viz.figure import CalcmlFigure


def _derivation_figure(
    d: Any, values: dict[str, float] | None, options: dict[str, Any]
) -> CalcmlFigure:
    from calcml.viz.calculus import with_derivative
    from calcml.viz.curvature import curvature
    from calcml.viz.surfaces import gradient_field

    expr, wrt = d.expr, tuple(d.wrt)
    result = d.result
    notes: list[str] = []
    if not isinstance(expr, sp.Expr):  # a Jacobian of several functions
        from calcml.viz.jacobian import jacobian_map

        if len(expr) != 2 or len(wrt) != 2:
            raise CalcmlError("the Jacobian picture needs 2 functions of 2 variables")
        at = options.get("at") or (1.0, 0.5)
        return jacobian_map(list(expr), at, list(wrt), jacobian=result)
    if isinstance(result, sp.MatrixBase) and len(wrt) == 1 and result.shape in ((1, 1),):
        result = result[0, 0]
        if tuple(getattr(d, "shape", ()) or ()) == (1, 1):  # a 1 × 1 Hessian: f″
            raise CalcmlError("the Hessian of a one-variable function is f″: draw f′ instead")
    if isinstance(result, sp.MatrixBase):
        if len(wrt) != 2:
            raise CalcmlError(
                f"figures of gradients and Hessians need exactly 2 variables; "
                f"this one has {len(wrt)}"
            )
        if result.shape in ((2, 1), (1, 2)):  # a gradient
            return gradient_field(expr, list(wrt), gradient=list(result))
        if result.shape == (2, 2):  # a Hessian: curvature at the critical points
            return curvature(expr, var=list(wrt))
        raise CalcmlError(f"no figure for a derivative of shape {result.shape}")
    (v,) = wrt
    others = sorted_variables(expr.free_symbols - {v})
    if others:
        values = values or {}
        subs = {s: sp.nsimplify(values.get(s.name, 1.0)) for s in others}
        expr, result = expr.subs(subs), result.subs(subs)
        held = ", ".join(f"{s.name} = {values.get(s.name, 1.0):g}" for s in others)
        notes.append(f"Other variables held fixed: {held}.")
    fig = with_derivative(expr, v, d=result)
    if notes:
        fig.spec["notes"] = [*notes, *fig.spec["notes"]]
        from calcml.viz.figure import add_notes

        add_notes(fig, fig.spec)
    return fig


def _taylor_figure(result: Any, xlim: Any) -> CalcmlFigure:
    from calcml.viz.taylor import taylor

    if len(result.variables) == 2:
        from calcml.viz.taylor import taylor2d

        orders = sorted({max(1, min(int(result.order), 2)), 1})
        return taylor2d(result.expr, [float(v) for v in result.at], orders, result.variables)
    if len(result.variables) != 1:
        raise CalcmlError("Taylor pictures draw functions of one or two variables")
    n = int(result.order)
    orders = sorted({1, *range(max(1, n - 2), n + 1)}) if n >= 1 else [0]
    return taylor(result.expr, float(result.at[0]), orders, result.variables[0], xlim)


def _critical_figure(result: Any) -> CalcmlFigure:
    from calcml.viz.calculus import with_derivative
    from calcml.viz.curvature import curvature
    from calcml.viz.figure import add_notes

    names = list(result.variables)
    if not result.points:
        raise CalcmlError("there are no critical points to draw")
    if len(names) == 2:
        points = [[float(c) for c in p.coords] for p in result.points]
        return curvature(result.expr, points, var=names)
    if len(names) == 1:
        fig = with_derivative(result.expr, names[0])
        found = "; ".join(
            f"{names[0]} = {float(p.coords[0]):.4g} ({p.kind})" for p in result.points
        )
        fig.spec["notes"] = [f"Critical points (f′ = 0): {found}.", *fig.spec["notes"]]
        add_notes(fig, fig.spec)
        return fig
    raise CalcmlError("critical-point pictures need a function of 1 or 2 variables")


def figure_for(result: Any, **options: Any) -> CalcmlFigure:
    """The figure that shows `result`: a Derivation (derive, gradient, hessian; a vector/matrix
    one: its chain of shapes), a limit,
    continuity, Taylor or critical-points result, an optimizer Run (or a list of them), a
    backprop Trace, a fitted LinearRegression/LogisticRegression/PCA (pass X=, y=), or a spec.
    """
    from calcml.viz.figure import render

    name = type(result).__name__
    if isinstance(result, dict) and "kind" in result:
        return render(result)
    if name == "LimitResult":
        from calcml.viz.limits import limit_spec_from_result

        return render(limit_spec_from_result(result, options.get("xlim")))
    if name == "ContinuityResult":
        from calcml.viz.limits import limit_spec_from_result

        spec = limit_spec_from_result(result.limit, options.get("xlim"))
        spec["notes"] = [result.heading(), *spec["notes"]]
        return render(spec)
    if name == "DifferentiabilityResult":
        from calcml.viz.kinks import one_sided_spec_from_result

        return render(one_sided_spec_from_result(result, options.get("xlim")))
    if name == "CriticalPointsResult":
        return _critical_figure(result)
    if name == "TaylorResult":
        return _taylor_figure(result, options.get("xlim"))
    if name == "Derivation":
        return _derivation_figure(result, options.get("values"), options)
    if name == "MatrixDerivation":
        from calcml.viz.matrix_chain import matrix_chain

        return matrix_chain(result)
    if name == "Run" or (
        isinstance(result, list | tuple) and result and type(result[0]).__name__ == "Run"
    ):
        from calcml.viz.descent import descent

        return descent(result, options.get("f"))
    if name == "Trace":
        from calcml.viz.graph import graph

        return graph(result)
    if name in ("LinearRegression", "LogisticRegression", "MLPClassifier"):
        from calcml.viz.classifier import model_figure

        return model_figure(result, _need(options, "X", name), _need(options, "y", name))
    if name == "PCA":
        from calcml.viz.pca import pca

        return pca(
            _need(options, "X", name),
            options.get("y"),
            model=result,
            feature_names=options.get("feature_names"),
        )
    raise CalcmlError(f"calcml has no figure for a {name} yet")


def _need(options: dict[str, Any], key: str, what: str) -> Any:
    if options.get(key) is None:
        raise CalcmlError(f"drawing a {what} needs the training data: pass {key}=...")
    return options[key]


def plot_result(result: Any, path: str | Path, **options: Any) -> Path:
    """Draw `result` with `figure_for` and save it to `path` (.png, .svg or .pdf)."""
    return figure_for(result, **options).save(path)
