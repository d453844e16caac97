"""PCA drawn: the data, the principal axes scaled by their variance, the projection onto the
first component, and the explained-variance bars."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from calcml.errors import CalcmlError
from calcml.viz.figure import CalcmlFigure, add_notes, legend, new_figure, render, renderer
from calcml.viz.spec import Spec, array, jsonable
from calcml.viz.style import BLACK, BLUE, CYCLE, GREY, ORANGE, VERMILLION


def pca_spec(
    X: Any,
    y: Any = None,
    model: Any = None,
    feature_names: Sequence[str] | None = None,
) -> Spec:
    """Data for a PCA of X (fitted here with calcml.ml.PCA unless a fitted `model` is given)."""
    from calcml.ml import PCA

    Xa = np.asarray(X, dtype=np.float64)
    if Xa.ndim != 2 or Xa.shape[0] < 2 or Xa.shape[1] < 2:
        raise CalcmlError("PCA pictures need a table X with at least 2 rows and 2 columns")
    model = model if model is not None else PCA().fit(Xa)
    d = Xa.shape[1]
    names = list(feature_names or [f"x{j + 1}" for j in range(d)])
    Z = model.transform(Xa)
    spec: Spec = {
        "kind": "pca",
        "title": f"PCA of {Xa.shape[0]} points in {d} dimensions",
        "features": names,
        "mean": jsonable(model.mean_),
        "components": jsonable(model.components_),
        "explained_variance": jsonable(model.explained_variance_),
        "explained_variance_ratio": jsonable(model.explained_variance_ratio_),
        "labels": None if y is None else [str(v) for v in np.asarray(y).tolist()],
        "points": jsonable(Xa[:, :2]) if d == 2 else None,
        "scores": jsonable(Z[:, : min(2, Z.shape[1])]),
        "notes": [],
    }
    if d == 2:  # the projection onto PC1, back in feature space
        v = model.components_[0]
        spec["projection"] = jsonable(model.mean_ + np.outer(Z[:, 0], v))
    else:
        spec["notes"].append(
            f"The data has {d} features; the left panel shows its coordinates along the "
            "first principal component(s)."
        )
    return spec


@renderer("pca")
def _draw_pca(spec: Spec) -> CalcmlFigure:
    fig, axes = new_figure(spec, 1, 2, height=4.6, width_ratios=[1.3, 1])
    ax, bars = axes[0, 0], axes[0, 1]
    labels = spec["labels"]
    groups = sorted(set(labels)) if labels else [None]

    def scatter(points: np.ndarray) -> None:
        for i, g in enumerate(groups):
            mask = np.ones(len(points), bool) if g is None else np.array(labels) == g
            ax.scatter(
                points[mask, 0],
                points[mask, 1],
                s=14,
                alpha=0.75,
                color=CYCLE[i % len(CYCLE)] if g is not None else BLUE,
                label=None if g is None else (f"class {g}" if g.lstrip("-").isdigit() else g),
                zorder=3,
            )

    lam = array(spec["explained_variance"])
    if spec["points"] is not None:
        P = array(spec["points"])
        proj = array(spec["projection"])
        for p, q in zip(P, proj, strict=True):
            ax.plot([p[0], q[0]], [p[1], q[1]], color=GREY, lw=0.5, alpha=0.5, zorder=1)
        scatter(P)
        ax.scatter(
            proj[:, 0], proj[:, 1], s=8, color=BLACK, alpha=0.6, zorder=2, label="projection on PC1"
        )
        m = array(spec["mean"])
        for k, (v, colour) in enumerate(
            zip(array(spec["components"]), (VERMILLION, ORANGE), strict=False)
        ):
            r = 2 * np.sqrt(max(lam[k], 0.0))
            ax.plot(  # the whole axis through the mean, ±2 standard deviations
                [m[0] - r * v[0], m[0] + r * v[0]],
                [m[1] - r * v[1], m[1] + r * v[1]],
                color=colour,
                lw=1.2,
                alpha=0.6,
                zorder=4,
            )
            ax.annotate(
                "",
                xy=(m[0] + r * v[0], m[1] + r * v[1]),
                xytext=(m[0], m[1]),
                arrowprops={"arrowstyle": "-|>", "color": colour, "lw": 2.5},
                zorder=5,
            )
            ax.text(
                m[0] + 1.12 * r * v[0],
                m[1] + 1.12 * r * v[1],
                f"PC{k + 1}",
                color=colour,
                fontweight="bold",
                ha="center",
                va="center",
                zorder=6,
            )
        ax.set_xlabel(spec["features"][0])
        ax.set_ylabel(spec["features"][1])
        ax.set_aspect("equal", adjustable="datalim")
        ax.set_title("principal axes through the mean, ±2·√variance", fontsize=9)
    else:
        Z = array(spec["scores"])
        if Z.shape[1] == 1:  # one component: a strip, one row per class
            rows = [groups.index(g) if g is not None else 0 for g in (labels or [None] * len(Z))]
            Z = np.column_stack([Z[:, 0], np.array(rows, float)])
            ax.set_yticks([])
            ax.set_title("the data projected on PC1", fontsize=9)
        else:
            ax.set_ylabel("PC2 score")
            ax.set_title("the data projected on PC1 and PC2", fontsize=9)
        scatter(Z)
        ax.set_xlabel("PC1 score")
    legend(ax, fontsize=8, loc="best")
    ratio = array(spec["explained_variance_ratio"])
    pcs = np.arange(1, len(ratio) + 1)
    bars.bar(pcs, 100 * ratio, color=BLUE, label="each component")
    bars.plot(pcs, 100 * np.cumsum(ratio), "o-", color=ORANGE, label="cumulative")
    for i, r in enumerate(ratio, start=1):
        bars.text(i, 100 * r + 1.5, f"{100 * r:.1f}%", ha="center", fontsize=8)
    bars.set_xticks(pcs, [f"PC{i}" for i in pcs])
    bars.set_ylim(0, 108)
    bars.set_ylabel("variance explained (%)")
    bars.set_title("variance explained (covariance eigenvalues)", fontsize=9)
    legend(bars, fontsize=8, loc="center right")
    add_notes(fig, spec)
    return fig


def pca(
    X: Any, y: Any = None, model: Any = None, feature_names: Sequence[str] | None = None
) -> CalcmlFigure:
    """PCA picture: data with principal axes (or PC scores), projection, explained variance."""
    return render(pca_spec(X, y, model, feature_names))
