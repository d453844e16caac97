"""Counts read as English: "1 step", never "1 steps" (issue 14 item 11)."""

from __future__ import annotations

import re

import calcml
from calcml.ml import datasets
from calcml.ml.linear import LinearRegression
from calcml.text import count_of

ONE_PLURAL = re.compile(r"(?<![\d.])1 (steps|epochs|inputs|points)\b")


def test_count_of_is_singular_only_for_one() -> None:
    for n in range(-3, 40):
        assert count_of(n, "steps") == (f"{n} step" if n == 1 else f"{n} steps")
    assert count_of(1, "epochs") == "1 epoch" and count_of(0, "epochs") == "0 epochs"


def test_one_step_runs_say_one_step() -> None:
    data = datasets.load("linear")
    model = LinearRegression(method="gd").fit(data.X, data.y)
    text = model.report().text() if hasattr(model, "report") else str(model)
    if model.n_iter_ == 1:
        assert "(1 step)" in text
    assert not ONE_PLURAL.search(text), text
    run = calcml.optim.newton("(x - 1)^2", [3.0])  # Newton on a quadratic: one step
    assert run.steps == 1 and not ONE_PLURAL.search(run.text()), run.text()
