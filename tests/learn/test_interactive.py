"""The lessons' interactive figures hold what an independent computation gives: secant slopes
(f(a + h) − f(a))/h, gradient-descent and heavy-ball iterates by a direct NumPy loop, the rate
max|1 − η·λ| from NumPy's eigenvalues, Taylor polynomials from sympy.series, the regression fit
by NumPy's own gradient steps, and the neuron's gradients from the closed form and central
differences."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import sympy as sp

from calcml.learn.interactive import INTERACTIVE, figure_data, regression_data


def _bowl_grad(p: np.ndarray) -> np.ndarray:
    return np.array([2 * p[0], 20 * p[1]])


def test_every_figure_is_strict_json_with_a_frame_per_slider_value() -> None:
    for name in INTERACTIVE:
        data = figure_data(name)
        assert json.loads(json.dumps(data, allow_nan=False)) == data
        assert len(data["frames"]) == len(data["slider"]["values"]) >= 10
        assert data["slider"]["min"] <= data["slider"]["start"] <= data["slider"]["max"]


def test_secant_slopes_are_difference_quotients_and_tend_to_the_tangent() -> None:
    data = figure_data("secant")
    a = data["a"]

    def f(x: float) -> float:
        return x**3 - 2 * x

    x = sp.Symbol("x")
    tangent = float(sp.diff(x**3 - 2 * x, x).subs(x, a))
    assert data["tangent"]["slope"] == pytest.approx(tangent, rel=1e-12)
    for frame in data["frames"]:
        h = frame["h"]
        assert frame["slope"] == pytest.approx((f(a + h) - f(a)) / h, rel=1e-12)
        assert frame["point"] == pytest.approx([a + h, f(a + h)])
    errors = [abs(fr["slope"] - tangent) for fr in data["frames"]]
    assert errors == sorted(errors)  # h grows along the slider: the error grows with it


def test_learning_rate_frames_equal_a_direct_numpy_iteration_and_the_eigen_analysis() -> None:
    data = figure_data("learning-rate")
    eig = np.linalg.eigvalsh(np.array([[2.0, 0.0], [0.0, 20.0]]))
    assert data["L"] == pytest.approx(eig[-1]) and data["limit"] == pytest.approx(2 / eig[-1])
    for frame in data["frames"]:
        lr = frame["lr"]
        p = np.array([1.0, 1.0])
        xs, ys = [p[0]], [p[1]]
        for _ in range(len(frame["path"]["x"]) - 1):
            p = p - lr * _bowl_grad(p)
            xs.append(p[0])
            ys.append(p[1])
        assert frame["path"]["x"] == pytest.approx(xs, rel=1e-12, abs=1e-300)
        assert frame["path"]["y"] == pytest.approx(ys, rel=1e-12, abs=1e-300)
        assert frame["predicted_rate"] == pytest.approx(max(abs(1 - lr * e) for e in eig))
        if lr < 2 / eig[-1] - 1e-9:
            assert frame["status"] == "converged", lr
        elif lr > 2 / eig[-1] + 1e-9:
            assert frame["status"] == "diverged", lr
            assert "exceeds" in frame["explanation"]


def test_momentum_frames_equal_a_direct_heavy_ball_iteration() -> None:
    data = figure_data("momentum")
    lr = data["lr"]
    for frame in data["frames"]:
        beta = frame["beta"]
        p, v = np.array([1.0, 1.0]), np.zeros(2)
        xs = [p.copy()]
        for _ in range(len(frame["path"]["x"]) - 1):
            v = beta * v - lr * _bowl_grad(p)
            p = p + v
            xs.append(p.copy())
        got = np.column_stack([frame["path"]["x"], frame["path"]["y"]])
        np.testing.assert_allclose(got, np.array(xs), rtol=1e-10, atol=1e-14)
    plain = data["plain"]["steps"]
    assert min(fr["steps"] for fr in data["frames"]) < plain / 3  # momentum helps here


@pytest.mark.parametrize("order", [0, 1, 2, 5, 8, 12])
def test_taylor_frames_equal_sympy_series(order: int) -> None:
    data = figure_data("taylor")
    frame = data["frames"][order]
    x = sp.Symbol("x")
    poly = sp.series(sp.cos(x), x, 0, order + 1).removeO()
    xs = np.array(data["curve"]["x"])
    want = np.broadcast_to(np.asarray(sp.lambdify(x, poly, "numpy")(xs), dtype=float), xs.shape)
    np.testing.assert_allclose(frame["y"], want, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(data["curve"]["y"], np.cos(xs), atol=1e-12)


def test_regression_frames_equal_numpy_gradient_steps_on_the_mse() -> None:
    data = figure_data("regression")
    x, y = regression_data()
    assert data["points"]["x"] == pytest.approx(list(x))
    lr, w, b = data["lr"], 0.0, 0.0
    losses = []
    for frame in data["frames"]:
        r = w * x + b - y
        losses.append(float(np.mean(r**2)))
        assert (frame["w"], frame["b"]) == pytest.approx((w, b), rel=1e-9, abs=1e-12)
        assert frame["loss"] == pytest.approx(losses[-1], rel=1e-9)
        w, b = w - lr * 2 * np.mean(r * x), b - lr * 2 * np.mean(r)
    assert losses[-1] < losses[0] / 2  # the loss falls
    fit = np.polyfit(x, y, 1)
    assert data["frames"][-1]["w"] == pytest.approx(fit[0], rel=0.05)


def test_chain_graph_gradients_equal_the_closed_form_and_central_differences() -> None:
    data = figure_data("chain-graph")
    x, b, y = data["neuron"]["x"], data["neuron"]["b"], data["neuron"]["y"]

    def loss(w: float, bias: float) -> float:
        return (1 / (1 + math.exp(-(w * x + bias))) - y) ** 2

    h = 1e-6
    for frame in data["frames"]:
        w = frame["w"]
        a = 1 / (1 + math.exp(-(w * x + b)))
        nodes = {n["name"]: n for n in frame["nodes"]}
        closed = 2 * (a - y) * a * (1 - a)
        assert nodes["w"]["grad"] == pytest.approx(closed * x, rel=1e-9, abs=1e-15)
        assert nodes["b"]["grad"] == pytest.approx(closed, rel=1e-9, abs=1e-15)
        fd = (loss(w + h, b) - loss(w - h, b)) / (2 * h)
        assert nodes["w"]["grad"] == pytest.approx(fd, rel=1e-5, abs=1e-9)
        assert frame["value"] == pytest.approx(loss(w, b), rel=1e-12)
        into_w = [e for e in frame["edges"] if e["from"] == "w"]
        assert sum(e["grad"] for e in into_w) == pytest.approx(nodes["w"]["grad"], rel=1e-12)


def test_unknown_figure_is_a_calcml_error() -> None:
    from calcml.errors import CalcmlError

    with pytest.raises(CalcmlError, match="no interactive figure"):
        figure_data("nope")
