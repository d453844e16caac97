"""Descent figures: the optimizer's own history, one point per iterate; divergence contained."""

from __future__ import annotations

import json

import numpy as np

from calcml import optim, viz


def _path_lines(fig):
    ax = fig.axes[0]
    return [line for line in ax.get_lines() if len(line.get_xdata()) > 1]


def test_path_has_one_point_per_step_of_the_run(saved_png) -> None:
    runs = [
        optim.gradient_descent("x^2 + 10*y^2", [1.5, 1.0], lr=lr, max_steps=150)
        for lr in (0.05, 0.1, 0.105)
    ]
    fig = viz.descent(runs)
    assert [r["status"] for r in fig.spec["runs"]] == [r.status for r in runs]
    assert [r.status for r in runs] == ["converged", "oscillating", "diverged"]
    for entry, run, line in zip(fig.spec["runs"], runs, _path_lines(fig), strict=True):
        assert len(entry["path"]) == run.steps + 1 == len(run.params)
        assert np.allclose(np.array(entry["path"], dtype=float), run.params, equal_nan=True)
        assert len(line.get_xdata()) == run.steps + 1
    json.loads(fig.spec_json())
    saved_png(fig)


def test_diverged_run_is_drawn_with_its_status_and_finite_axes(saved_png) -> None:
    run = optim.gradient_descent("x^2 + 10*y^2", [1, 1], lr=0.5, max_steps=200)
    assert run.status == "diverged"
    fig = viz.descent(run)
    (x0, x1), (y0, y1) = fig.axes[0].get_xlim(), fig.axes[0].get_ylim()
    assert all(np.isfinite([x0, x1, y0, y1])) and max(x1 - x0, y1 - y0) < 30
    assert np.abs(run.params).max() > 1e6  # the run itself went far beyond the view
    lo, hi = fig.axes[1].get_ylim()
    assert np.isfinite(lo) and np.isfinite(hi) and hi < 1e9
    assert any("diverged" in n for n in fig.spec["notes"])
    assert "diverged" in fig.spec["runs"][0]["label"]
    saved_png(fig)


def test_overflow_to_inf_keeps_json_and_axes_finite() -> None:
    run = optim.gradient_descent("exp(x^2)", [3.0], lr=1.0, max_steps=50)
    assert run.status == "diverged"
    fig = viz.descent(run)
    json.loads(fig.spec_json())
    assert all(np.isfinite(fig.axes[0].get_xlim()))


def test_one_dimensional_run_is_drawn_on_the_curve() -> None:
    run = optim.gradient_descent("x^4", [2.0], lr=0.01)
    fig = viz.descent(run)
    assert fig.spec["curve"] is not None and fig.spec["grid"] is None
    assert len(_path_lines(fig)[1].get_xdata()) == run.steps + 1


def test_optimizers_compared_on_one_plot(saved_png) -> None:
    fig = viz.compare_optimizers("x^2 + 4*y^2", [1.0, 1.0], max_steps=60)
    methods = [r["method"] for r in fig.spec["runs"]]
    assert len(methods) == 4 and "Newton's method" in methods
    assert fig.axes[1].get_yscale() == "log"
    saved_png(fig)


def test_python_objective_gets_its_contours_from_the_function() -> None:
    def f(w: np.ndarray) -> float:
        # no float(...): inside autodiff that would drop the gradient (a GradientError)
        return np.sum((w - 1) ** 2) + w[0] * w[1]

    run = optim.gradient_descent(f, [0.0, 0.0], lr=0.1)
    fig = viz.descent(run, f)
    g = fig.spec["grid"]
    assert g is not None and fig.spec["function"] is None
    x, y = g["x"][3], g["y"][5]
    assert g["z"][5][3] == f(np.array([x, y]))
    assert viz.descent(run).spec["grid"] is None  # without f: the path and losses only
