"""Optimizer runs drawn: paths on the contour map (one marker per iterate) beside the loss
curves on a log scale. Converging, oscillating and diverging runs share one plot; a diverged
run is drawn up to where it leaves the view, with its status, and never stretches the axes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import sympy as sp

from calcml.errors import CalcmlError
from calcml.expr.convert import as_expr
from calcml.text import count_of
from calcml.viz.figure import CalcmlFigure, add_notes, legend, new_figure, render, renderer
from calcml.viz.sampling import numeric
from calcml.viz.spec import Spec, array, jsonable
from calcml.viz.style import BLACK, CYCLE, GREY, math, number
from calcml.viz.surfaces import draw_contours, grid2d


def objective_expr(run: Any) -> sp.Expr | None:
    """The run's SymPy objective (`run.expression`), else recovered from its text
    `f(x, y) = ...`; None for an opaque Python function."""
    expression = getattr(run, "expression", None)
    if isinstance(expression, sp.Expr):
        return expression
    text = str(getattr(run, "objective", ""))
    if text.startswith("f(") and " = " in text:
        try:
            return as_expr(text.split(" = ", 1)[1])
        except CalcmlError:
            return None
    return None


def run_label(run: Any) -> str:
    """'lr 0.05 · converged in 40 steps' — the run's setting and its fate."""
    settings = getattr(run, "settings", {}) or {}
    lr = settings.get("lr")
    head = run.method if lr is None else f"{run.method}, lr {number(float(lr))}"
    return f"{head}: {run.status} ({count_of(run.steps, 'steps')})"


def short_label(run: Any) -> str:
    """'lr 0.05: converged' — for the loss-curve legend."""
    lr = (getattr(run, "settings", {}) or {}).get("lr")
    name = SHORT_NAMES.get(run.method, run.method)
    lr_text = f" lr {number(float(lr))}" if lr is not None else ""
    return f"{name}{lr_text}: {run.status} ({run.steps})"


SHORT_NAMES = {
    "gradient descent": "GD",
    "gradient descent with momentum": "momentum",
    "gradient descent with Nesterov momentum": "Nesterov",
    "gradient descent with Armijo line search": "GD + Armijo",
    "Newton's method": "Newton",
}


def _window(runs: list[Any], pad: float = 0.25) -> list[list[float]]:
    """A view box from the starts and the runs that did not diverge (never from blow-ups)."""
    core = [np.asarray(r.params)[0, :2] for r in runs]
    for r in runs:
        p = np.asarray(r.params)[:, :2]
        if r.status == "diverged":
            p = p[:2]  # the start and the first step only
        core.extend(p[np.all(np.isfinite(p), axis=1)])
    pts = np.array(core)
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    span = np.maximum(hi - lo, 1.0)
    lo, hi = lo - pad * span, hi + pad * span
    # let a diverging run show its first swings, up to 2x the box
    for r in runs:
        if r.status == "diverged":
            p = np.asarray(r.params)[:, :2]
            ok = np.all(np.isfinite(p), axis=1) & np.all(np.abs(p) < 1e6, axis=1)
            q = p[ok]
            if q.size:
                lo = np.maximum(np.minimum(lo, q.min(axis=0)), lo - 0.5 * span)
                hi = np.minimum(np.maximum(hi, q.max(axis=0)), hi + 0.5 * span)
    return [[float(lo[0]), float(hi[0])], [float(lo[1]), float(hi[1])]]


def _python_grid(f: Any, window: list[list[float]], n: int) -> dict[str, Any]:
    """A Python objective f(vector) evaluated point by point on the view's grid."""
    xs = np.linspace(window[0][0], window[0][1], n)
    ys = np.linspace(window[1][0], window[1][1], n)
    Z = np.full((n, n), np.nan)
    with np.errstate(all="ignore"):
        for i, yv in enumerate(ys):
            for j, xv in enumerate(xs):
                try:
                    Z[i, j] = float(f(np.array([xv, yv])))
                except (ArithmeticError, ValueError, TypeError):
                    continue
    Z[~np.isfinite(Z)] = np.nan
    return {"x": jsonable(xs), "y": jsonable(ys), "z": jsonable(Z)}


def descent_spec(
    runs: Any, f: Any = None, labels: Sequence[str] | None = None, n: int = 80
) -> Spec:
    """Data for one or more optimizer runs: paths (one point per iterate), losses, statuses.

    `f` (optional) is the objective for the contour map: an expression, or a Python function
    of a NumPy vector; by default the runs' own symbolic objective.
    """
    from calcml.expr import expr_dict, symbol, to_latex

    runs = list(runs) if isinstance(runs, list | tuple) else [runs]
    if not runs:
        raise CalcmlError("no optimizer runs to draw")
    dims = {np.asarray(r.params).shape[1] for r in runs}
    if len(dims) != 1:
        raise CalcmlError("the runs optimise functions of different numbers of variables")
    dim = dims.pop()
    python_f = f if callable(f) and not isinstance(f, sp.Basic) else None
    expr = None if python_f else as_expr(f) if f is not None else objective_expr(runs[0])
    names = list(getattr(runs[0], "names", ()) or [f"x{i + 1}" for i in range(dim)])
    entries = []
    for i, r in enumerate(runs):
        entries.append(
            {
                "label": labels[i] if labels else run_label(r),
                "short": labels[i] if labels else short_label(r),
                "method": r.method,
                "status": r.status,
                "reason": r.reason,
                "steps": r.steps,
                "settings": jsonable(dict(getattr(r, "settings", {}) or {})),
                "path": jsonable(np.asarray(r.params)),
                "loss": jsonable(np.asarray(r.losses)),
                "colour": CYCLE[i % len(CYCLE)],
            }
        )
    spec: Spec = {
        "kind": "descent",
        "title": "Descent on " + (math(f"f = {to_latex(expr)}") if expr is not None else "f"),
        "variables": names,
        "function": expr_dict(expr) if expr is not None else None,
        "runs": entries,
        "grid": None,
        "curve": None,
        "notes": [],
    }
    syms = [symbol(v) for v in names]
    if dim >= 2:
        spec["window"] = _window(runs)
        if expr is not None and dim == 2 and expr.free_symbols <= set(syms):
            spec["grid"] = grid2d(expr, syms, spec["window"][0], spec["window"][1], n)
        elif python_f is not None and dim == 2:
            spec["grid"] = _python_grid(python_f, spec["window"], n)
    else:
        xs = np.concatenate(
            [np.asarray(r.params)[:, 0] for r in runs if r.status != "diverged"]
            + [np.asarray(r.params)[:1, 0] for r in runs]
        )
        lo, hi = float(xs.min()), float(xs.max())
        span = max(hi - lo, 1.0)
        spec["window"] = [[lo - 0.3 * span, hi + 0.3 * span]]
        if expr is not None and expr.free_symbols <= set(syms):
            t = np.linspace(spec["window"][0][0], spec["window"][0][1], 300)
            spec["curve"] = {"x": jsonable(t), "y": jsonable(numeric(expr, syms[:1])(t))}
    for e in entries:
        if e["status"] == "diverged":
            spec["notes"].append(f"{e['label']} — {e['reason']}; the path leaves the view.")
    if dim > 2:
        spec["notes"].append(f"Only the first two of {dim} coordinates are drawn.")
    return spec


@renderer("descent")
def _draw_descent(spec: Spec) -> CalcmlFigure:
    fig, axes = new_figure(spec, 1, 2, height=4.6, width_ratios=[1.15, 1])
    ax, lx = axes[0, 0], axes[0, 1]
    names = spec["variables"]
    one_d = len(spec["window"]) == 1
    if spec["grid"] is not None:
        draw_contours(ax, spec["grid"])
    if spec["curve"] is not None:
        ax.plot(array(spec["curve"]["x"]), array(spec["curve"]["y"]), color=GREY, lw=1.5)
    for e in spec["runs"]:
        p = array(e["path"]).reshape(len(e["path"]), -1)
        colour, marker = e["colour"], "o"
        if one_d:
            xs, ys = p[:, 0], array(e["loss"])
        else:
            xs, ys = p[:, 0], p[:, 1]
        wild = e["status"] == "diverged"  # drawn under the others, so they stay visible
        ax.plot(
            xs,
            ys,
            "-",
            color=colour,
            lw=1.0 if wild else 1.5,
            alpha=0.7 if wild else 1.0,
            marker=marker,
            ms=3.5,
            label=e["label"],
            zorder=3 if wild else 4,
        )
        ax.plot(xs[:1], ys[:1], marker="*", color=BLACK, ms=12, ls="none", zorder=5)
        # where the run ended (its last finite point)
        ok = np.isfinite(xs) & np.isfinite(ys)
        if ok.any():
            k = np.where(ok)[0][-1]
            ax.plot(
                [xs[k]], [ys[k]], marker="X", color=colour, mec="black", ms=9, ls="none", zorder=6
            )
        loss = array(e["loss"])
        steps = np.arange(len(loss))
        lx.plot(
            steps,
            loss,
            color=colour,
            lw=1.6,
            label=e["short"],
        )
    ax.set_xlim(*spec["window"][0])
    if one_d:
        ax.set_xlabel(names[0])
        ax.set_ylabel("f")
        if spec["curve"] is not None:
            cy = array(spec["curve"]["y"])
            cy = cy[np.isfinite(cy)]
            if cy.size:
                pad = 0.08 * (cy.max() - cy.min() + 1e-9)
                ax.set_ylim(cy.min() - pad, cy.max() + pad)
    else:
        ax.set_ylim(*spec["window"][1])
        ax.set_xlabel(names[0])
        ax.set_ylabel(names[1])
    ax.set_title("paths (★ start, ✕ end)", fontsize=10)
    _loss_axes(lx, spec)
    add_notes(fig, spec)
    return fig


def _loss_axes(lx: Any, spec: Spec) -> None:
    values = np.concatenate([array(e["loss"]) for e in spec["runs"]])
    finite = values[np.isfinite(values)]
    positive = finite[finite > 0]
    if positive.size and np.all(finite >= 0):  # exact zeros (a solved quadratic) are dropped
        lx.set_yscale("log")
        starts = [array(e["loss"])[0] for e in spec["runs"]]
        start = max((v for v in starts if np.isfinite(v) and v > 0), default=positive.max())
        top = min(float(positive.max()), 1e6 * float(start)) * 3
        lx.set_ylim(max(float(positive.min()), 1e-18 * top) / 3, top)
        lx.set_ylabel("loss (log scale)")
    else:
        lx.set_yscale("symlog", linthresh=1e-3)
        lx.set_ylabel("loss (symmetric log scale)")
    lx.set_xlabel("step")
    lx.set_title("loss per step", fontsize=10)
    legend(lx, fontsize=7.5, loc="best")


def descent(runs: Any, f: Any = None, labels: Sequence[str] | None = None) -> CalcmlFigure:
    """Paths of one or more optimizer runs on the contour map, with their loss curves."""
    return render(descent_spec(runs, f, labels))


def compare_learning_rates(
    f: Any,
    x0: Sequence[float],
    lrs: Sequence[float] = (0.05, 0.1, 0.105),
    max_steps: int = 150,
    **kwargs: Any,
) -> CalcmlFigure:
    """Gradient descent from one start with several learning rates, on one plot."""
    from calcml import optim

    runs = [optim.gradient_descent(f, x0, lr=lr, max_steps=max_steps, **kwargs) for lr in lrs]
    return descent(runs, f)


def compare_optimizers(
    f: Any, x0: Sequence[float], lr: float = 0.02, max_steps: int = 300
) -> CalcmlFigure:
    """Gradient descent, momentum, Adam and Newton's method from one start, on one plot."""
    from calcml import optim

    runs = [
        optim.gradient_descent(f, x0, lr=lr, max_steps=max_steps),
        optim.gradient_descent(f, x0, lr=lr, momentum=0.9, max_steps=max_steps),
        optim.adam(f, x0, lr=max(lr, 0.1), max_steps=max_steps),
        optim.newton(f, x0, max_steps=max_steps),
    ]
    return descent(runs, f)
