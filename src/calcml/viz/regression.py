"""Regression over training: the fitted line (linear) or decision boundary (logistic) at
chosen steps of gradient descent, beside the training loss."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib import colormaps

from calcml.errors import CalcmlError
from calcml.viz.figure import CalcmlFigure, add_notes, legend, new_figure, render, renderer
from calcml.viz.spec import Spec, array, jsonable
from calcml.viz.style import BLACK, BLUE, COLORMAP, CYCLE, GREY, ORANGE, VERMILLION, number


def chosen_steps(total: int, count: int = 6) -> list[int]:
    """Steps 0, 1, 2, 5, 10, 20, 50 ... up to `total` (always including the last)."""
    marks, k = [0], 1
    while k < total:
        for m in (1, 2, 5):
            if m * k < total:
                marks.append(m * k)
        k *= 10
    if len(marks) > count - 1:
        idx = np.unique(np.round(np.linspace(0, len(marks) - 1, count - 1)).astype(int))
        marks = [marks[i] for i in idx]
    return sorted(set([*marks, total]))


def _history(model: Any, X: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]] | None:
    """(w, b) at every iterate of the model's optimizer run, in the original feature units."""
    from calcml.ml.base import Scaler

    run = getattr(model, "run_", None)
    if run is None:
        return None
    scaler = getattr(model, "scaler_", None) or Scaler(X)  # the units the run worked in
    d = X.shape[1]
    out = []
    for theta in np.asarray(run.params):
        t = theta.reshape(d + 1, -1)
        w, b = scaler.unscale(t[:d], t[d])
        out.append((np.asarray(w).reshape(d, -1)[:, 0], np.atleast_1d(b)[:1]))
    return out


def regression_spec(
    model: Any, X: Any, y: Any, steps: Sequence[int] | None = None, n: int = 200
) -> Spec:
    """Data for a fitted LinearRegression (1 feature) or binary LogisticRegression (2 features)."""
    Xa, ya = np.asarray(X, dtype=np.float64), np.asarray(y)
    if Xa.ndim == 1:
        Xa = Xa[:, None]
    kind = type(model).__name__
    if kind == "LinearRegression" and Xa.shape[1] != 1:
        raise CalcmlError(
            f"the regression picture draws one feature against y; X has {Xa.shape[1]} columns"
        )
    if kind == "LogisticRegression" and (Xa.shape[1] != 2 or len(model.classes_) != 2):
        raise CalcmlError("the decision-boundary picture needs 2 features and 2 classes")
    if kind not in ("LinearRegression", "LogisticRegression"):
        raise CalcmlError(f"cannot draw the training of a {kind}")
    hist = _history(model, Xa)
    run = getattr(model, "run_", None)
    total = run.steps if run is not None else 0
    marks = (
        sorted({int(s) for s in steps if 0 <= s <= total} | {total})
        if steps
        else (chosen_steps(total))
    )
    if hist is None:
        hist = [(np.asarray(model.coef_).reshape(-1), np.atleast_1d(model.intercept_)[:1])]
        marks = [0]
    lo, hi = Xa[:, 0].min(), Xa[:, 0].max()
    pad = 0.05 * (hi - lo + 1e-9)
    t = np.linspace(lo - pad, hi + pad, n)
    snapshots = []
    for k in marks:
        w, b = hist[k]
        if kind == "LinearRegression":
            line = w[0] * t + b[0]
        else:  # boundary w1·x1 + w2·x2 + b = 0
            line = -(w[0] * t + b[0]) / w[1] if abs(w[1]) > 1e-12 else np.full_like(t, np.nan)
        snapshots.append(
            {"step": k, "w": jsonable(w), "b": float(b[0]), "x": jsonable(t), "y": jsonable(line)}
        )
    losses = np.asarray(run.losses) if run is not None else np.asarray(model.loss_history_)
    what = "line" if kind == "LinearRegression" else "decision boundary"
    method = run.method if run is not None else "normal equations"
    spec: Spec = {
        "kind": "regression",
        "model": kind,
        "title": f"{'Linear' if kind == 'LinearRegression' else 'Logistic'} regression: "
        + (f"the {what} during {method}" if run is not None else f"the least-squares {what}"),
        "points": jsonable(Xa[:, :2]),
        "targets": [str(v) for v in ya.tolist()]
        if kind == "LogisticRegression"
        else jsonable(ya.astype(float)),
        "snapshots": snapshots,
        "loss": jsonable(losses),
        "status": run.status if run is not None else "solved",
        "notes": []
        if run is not None
        else [
            "Fitted by the normal equations (no training steps); use method='gd' to watch it learn."
        ],
    }
    if kind == "LogisticRegression":
        spec["classes"] = [str(c) for c in model.classes_]
    return spec


@renderer("regression")
def _draw_regression(spec: Spec) -> CalcmlFigure:
    fig, axes = new_figure(spec, 1, 2, height=4.5, width_ratios=[1.3, 1])
    ax, lx = axes[0, 0], axes[0, 1]
    P = array(spec["points"])
    if spec["model"] == "LinearRegression":
        ax.scatter(P[:, 0], array(spec["targets"]), s=14, color=BLUE, alpha=0.6, label="data")
        ax.set_ylabel("y")
    else:
        labels = np.array(spec["targets"])
        for i, c in enumerate(spec["classes"]):
            m = labels == c
            ax.scatter(
                P[m, 0],
                P[m, 1],
                s=16,
                color=(BLUE, VERMILLION)[i],
                alpha=0.7,
                marker="os"[i],
                label=f"class {c}",
            )
        ax.set_ylabel("x2")
        pad = 0.1 * (P[:, 1].max() - P[:, 1].min() + 1e-9)
        ax.set_ylim(P[:, 1].min() - pad, P[:, 1].max() + pad)
    shots = spec["snapshots"]
    shades = colormaps[COLORMAP](np.linspace(0.9, 0.3, max(len(shots) - 1, 1)))
    for i, s in enumerate(shots):
        last = i == len(shots) - 1
        if all(v is None for v in s["y"]):  # w = 0 at the start: no boundary yet
            continue
        ax.plot(
            array(s["x"]),
            array(s["y"]),
            color=BLACK if last else shades[i],
            lw=2.4 if last else 1.5,
            ls="-" if last else "--",
            label="fitted" if len(shots) == 1 else f"step {s['step']}" + (" (final)" * last),
        )
    ax.set_xlabel("x" if spec["model"] == "LinearRegression" else "x1")
    legend(ax, fontsize=7.5, loc="best")
    loss = array(spec["loss"])
    if len(loss) <= 1:
        loss_panel(lx, spec["loss"])
        add_notes(fig, spec)
        return fig
    steps = np.arange(len(loss))
    lx.plot(steps, loss, color=CYCLE[0])
    marks = [s["step"] for s in shots if s["step"] < len(loss)]
    lx.plot(marks, loss[marks], "o", color=ORANGE, label="drawn steps")
    if np.all(loss[np.isfinite(loss)] > 0):
        lx.set_yscale("log")
    lx.set_xlabel("step")
    lx.set_ylabel("training loss")
    lx.set_title(f"loss: {spec['status']}, final {number(float(loss[-1]))}", fontsize=9)
    legend(lx, fontsize=8, loc="best")
    add_notes(fig, spec)
    return fig


def regression(model: Any, X: Any, y: Any, steps: Sequence[int] | None = None) -> CalcmlFigure:
    """A fitted regression's line / decision boundary at chosen training steps, with its loss."""
    return render(regression_spec(model, X, y, steps))


def loss_panel(lx: Any, values: list[Any]) -> None:
    """The training loss per step (log scale), or a note when there were no steps."""
    loss = array(values)
    if loss.size > 1:
        lx.plot(np.arange(len(loss)), loss, color=BLUE)
        finite = loss[np.isfinite(loss)]
        if finite.size and np.all(finite > 0):
            lx.set_yscale("log")
        lx.set_title(f"training loss, final {number(float(loss[-1]))}", fontsize=9)
        lx.set_xlabel("step")
        lx.set_ylabel("loss")
        return
    final = f"\nloss {number(float(loss[-1]))}" if loss.size else ""
    lx.text(
        0.5,
        0.5,
        f"solved in closed form:\nno training steps{final}",
        ha="center",
        va="center",
        transform=lx.transAxes,
        color=GREY,
        fontsize=11,
    )
    lx.set_axis_off()
