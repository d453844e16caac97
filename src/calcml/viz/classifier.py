"""Fitted models beyond the one-feature pictures: a classifier's decision regions (any number
of classes; data with more than two features is shown on the plane of its first two principal
components) and a multi-feature regression's predicted-vs-true plot, each beside the loss."""

from __future__ import annotations

from typing import Any

import numpy as np

from calcml.errors import CalcmlError
from calcml.viz.figure import CalcmlFigure, add_notes, legend, new_figure, render, renderer
from calcml.viz.regression import loss_panel, regression
from calcml.viz.spec import Spec, array, jsonable
from calcml.viz.style import BLACK, BLUE, CYCLE, GREY

MARKERS = "os^Dv<>P"


def _losses(model: Any) -> list[Any]:
    run = getattr(model, "run_", None)
    if run is not None:
        return jsonable(np.asarray(run.losses))  # type: ignore[no-any-return]
    return jsonable(np.asarray(getattr(model, "loss_history_", []), dtype=float))  # type: ignore[no-any-return]


def classifier_spec(model: Any, X: Any, y: Any, n: int = 160) -> Spec:
    """Data for a fitted classifier: predicted class on a grid, the points, the loss history."""
    from calcml.ml import PCA

    Xa = np.asarray(X, dtype=np.float64)
    ya = np.asarray(y)
    if Xa.ndim != 2 or Xa.shape[1] < 1 or len(Xa) != len(ya):
        raise CalcmlError("expected X (n × d) and y (n,) with the same number of rows")
    classes = [str(c) for c in model.classes_]
    notes = []
    if Xa.shape[1] == 2:
        plane, to_features, axes = Xa, None, ["x1", "x2"]
    elif Xa.shape[1] > 2:
        pca = PCA(2).fit(Xa)
        plane, to_features, axes = pca.transform(Xa), pca, ["PC1", "PC2"]
        notes.append(
            f"The data has {Xa.shape[1]} features: regions are shown on the plane of the first "
            "two principal components through the data's mean (a slice of feature space)."
        )
    else:
        raise CalcmlError("decision regions need at least 2 features")
    pad = 0.08 * (plane.max(axis=0) - plane.min(axis=0) + 1e-9)
    lo, hi = plane.min(axis=0) - pad, plane.max(axis=0) + pad
    gx, gy = np.linspace(lo[0], hi[0], n), np.linspace(lo[1], hi[1], n)
    GX, GY = np.meshgrid(gx, gy)
    pts = np.column_stack([GX.ravel(), GY.ravel()])
    feats = pts if to_features is None else to_features.inverse_transform(pts)
    index = {c: i for i, c in enumerate(classes)}
    predicted = np.array([index[str(c)] for c in model.predict(feats)]).reshape(GX.shape)
    accuracy = float(np.mean(np.asarray([str(c) for c in model.predict(Xa)]) == ya.astype(str)))
    return {
        "kind": "classifier",
        "title": f"{type(model).__name__}: decision regions (training accuracy "
        f"{100 * accuracy:.1f}%)",
        "model": type(model).__name__,
        "classes": classes,
        "axes": axes,
        "points": jsonable(plane),
        "labels": [str(v) for v in ya.tolist()],
        "grid": {"x": jsonable(gx), "y": jsonable(gy), "class": predicted.tolist()},
        "accuracy": accuracy,
        "loss": _losses(model),
        "notes": notes,
    }


@renderer("classifier")
def _draw_classifier(spec: Spec) -> CalcmlFigure:
    from matplotlib.colors import ListedColormap

    fig, axes = new_figure(spec, 1, 2, height=4.6, width_ratios=[1.3, 1])
    ax, lx = axes[0, 0], axes[0, 1]
    k = len(spec["classes"])
    colours = [CYCLE[i % len(CYCLE)] for i in range(k)]
    g = spec["grid"]
    Z = np.array(g["class"], dtype=float)
    ax.contourf(
        array(g["x"]),
        array(g["y"]),
        Z,
        levels=np.arange(-0.5, k),
        cmap=ListedColormap(colours),
        alpha=0.18,
    )
    ax.contour(
        array(g["x"]), array(g["y"]), Z, levels=np.arange(0.5, k - 1), colors=BLACK, linewidths=1.2
    )
    P, labels = array(spec["points"]), np.array(spec["labels"])
    for i, c in enumerate(spec["classes"]):
        m = labels == c
        ax.scatter(
            P[m, 0],
            P[m, 1],
            s=16,
            color=colours[i],
            marker=MARKERS[i % len(MARKERS)],
            edgecolors="white",
            linewidths=0.4,
            label=c,
            zorder=3,
        )
    ax.set_xlabel(spec["axes"][0])
    ax.set_ylabel(spec["axes"][1])
    legend(ax, fontsize=8, loc="best")
    loss_panel(lx, spec["loss"])
    add_notes(fig, spec)
    return fig


def fit_spec(model: Any, X: Any, y: Any) -> Spec:
    """Data for a regression on several features: predicted against true values."""
    Xa, ya = np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64)
    pred = np.asarray(model.predict(Xa), dtype=np.float64)
    ss_res, ss_tot = float(np.sum((ya - pred) ** 2)), float(np.sum((ya - ya.mean()) ** 2))
    r2 = 1 - ss_res / ss_tot if ss_tot > 0 else float(ss_res == 0)
    return {
        "kind": "fit",
        "title": f"{type(model).__name__} on {Xa.shape[1]} features: predicted vs. true "
        f"(R² = {r2:.3f})",
        "model": type(model).__name__,
        "true": jsonable(ya),
        "predicted": jsonable(pred),
        "r2": r2,
        "loss": _losses(model),
        "notes": [],
    }


@renderer("fit")
def _draw_fit(spec: Spec) -> CalcmlFigure:
    fig, axes = new_figure(spec, 1, 2, height=4.5, width_ratios=[1.2, 1])
    ax, lx = axes[0, 0], axes[0, 1]
    t, p = array(spec["true"]), array(spec["predicted"])
    ax.scatter(t, p, s=14, color=BLUE, alpha=0.7, label="one sample")
    lo, hi = float(min(t.min(), p.min())), float(max(t.max(), p.max()))
    ax.plot([lo, hi], [lo, hi], color=GREY, ls="--", label="perfect prediction")
    ax.set_xlabel("true y")
    ax.set_ylabel("predicted ŷ")
    ax.set_aspect("equal", adjustable="datalim")
    legend(ax, fontsize=8, loc="upper left")
    loss_panel(lx, spec["loss"])
    add_notes(fig, spec)
    return fig


def model_figure(model: Any, X: Any, y: Any) -> CalcmlFigure:
    """The best picture of a fitted model: the line/boundary over training when it has one or
    two features, else decision regions (classifiers) or predicted vs. true (regression)."""
    Xa = np.asarray(X, dtype=np.float64)
    if Xa.ndim == 1:
        Xa = Xa[:, None]
    name = type(model).__name__
    if name == "LinearRegression":
        return regression(model, Xa, y) if Xa.shape[1] == 1 else render(fit_spec(model, Xa, y))
    if name == "LogisticRegression" and Xa.shape[1] == 2 and len(model.classes_) == 2:
        return regression(model, Xa, y)
    if hasattr(model, "classes_") and hasattr(model, "predict"):
        return render(classifier_spec(model, Xa, y))
    raise CalcmlError(f"calcml has no figure for a {name} yet")
