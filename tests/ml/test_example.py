"""The worked example: every number in it is recomputed here independently."""

from __future__ import annotations

import json

import numpy as np
import pytest

from calcml.ml.example import X_DATA, Y_DATA, linear_regression_example


def test_each_shown_update_is_a_correct_gradient_step() -> None:
    ex = linear_regression_example(shown_steps=3, lr=0.05)
    x, y = np.array(X_DATA), np.array(Y_DATA)
    w = b = 0.0
    for step in ex.steps:
        r = w * x + b - y
        gw, gb = 2 * np.mean(r * x), 2 * np.mean(r)
        assert (step.w, step.b) == pytest.approx((w, b))
        assert (step.grad_w, step.grad_b) == pytest.approx((gw, gb))
        w, b = w - 0.05 * gw, b - 0.05 * gb
        assert (step.new_w, step.new_b) == pytest.approx((w, b))


def test_example_converges_to_least_squares_and_serialises() -> None:
    ex = linear_regression_example()
    assert ex.run.status == "converged"
    assert ex.run.x == pytest.approx(np.polyfit(X_DATA, Y_DATA, 1), abs=1e-5)
    data = json.loads(json.dumps(ex.to_dict()))
    assert data["derivations"][0]["result"]["text"] == "2·x·(w·x + b - y)"
    assert len(data["curve"]) == ex.run.steps + 1
    assert data["sections"][0]["heading"] == "The data"
    assert "Step 0" in ex.text() and ex.markdown().startswith("## ")
