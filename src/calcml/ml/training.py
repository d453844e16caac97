"""Fit a model to a bundled dataset and explain it: the one `train` that `calcml train` and the
service's `train` verb both call, so the terminal and the web cannot drift apart.

Regression on a classification set predicts its last feature from the others; a classifier
refuses a numeric target (`datasets.training_data`); methods are checked against the model;
an MLP's epochs × weights is bounded (`calcml.bounds`, "parameter_epochs").

>>> fitted = train("linear", "linear")
>>> fitted.report.title
'Linear regression'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from calcml.errors import CalcmlError
from calcml.ml.datasets import training_data
from calcml.ml.report import ModelReport

MODELS = ("linear", "logistic", "mlp")
METHODS = {"linear": ("normal", "gd"), "logistic": ("newton", "gd"), "mlp": ("adam", "gd")}
HIDDEN = (16, 16)  # an MLP's hidden layers unless given
EPOCHS = 500
MLP_LR = 0.01
LOGISTIC_L2 = 0.01  # a little weight decay keeps separable classes' weights finite


@dataclass(frozen=True)
class Fitted:
    """A fitted estimator, its report (the dataset named, a note on the target), and the data."""

    estimator: Any
    report: ModelReport
    X: Any
    y: Any


def check_mlp_work(inputs: int, sizes: Sequence[int], classes: int, epochs: int) -> None:
    """Refuse a network whose training would cost more than epochs × weights allows."""
    from calcml.bounds import BOUNDS

    widths = [inputs, *sizes, max(classes, 2)]
    weights = sum((a + 1) * b for a, b in pairwise(widths))
    BOUNDS["parameter_epochs"].check(weights * epochs, f"epochs × weights ({weights:,} weights)")


def _check_options(
    model: str,
    method: str | None,
    epochs: int | None,
    hidden: Sequence[int] | None,
    standardize: bool | None,
) -> str:
    """The method to use (the model's first unless given); CalcmlError for options that do
    not belong to `model`."""
    if model not in MODELS:
        raise CalcmlError(f"unknown model {model!r}; choose one of {', '.join(MODELS)}")
    chosen = method or METHODS[model][0]
    if chosen not in METHODS[model]:
        raise CalcmlError(
            f"method {chosen!r} is not for the {model} model; choose " + " or ".join(METHODS[model])
        )
    if model != "mlp" and (epochs is not None or hidden is not None):
        raise CalcmlError("epochs and hidden are for the mlp model")
    if standardize is not None and (model, chosen) != ("linear", "gd"):
        raise CalcmlError("--standardize/--no-standardize is for train linear --method gd")
    return chosen


def train(
    model: str,
    data: str | None = None,
    *,
    method: str | None = None,
    lr: float | None = None,
    l2: float | None = None,
    epochs: int | None = None,
    hidden: Sequence[int] | None = None,
    standardize: bool | None = None,
    progress: bool = False,
) -> Fitted:
    """Fit `model` ("linear", "logistic", "mlp") to the dataset `data` (the model's default
    when None) and report what it learned. `standardize` is for linear gd only (default: the
    raw features, so the descent is visible); `progress` shows a progress bar while fitting."""
    from calcml.ml.linear import LinearRegression
    from calcml.ml.logistic import LogisticRegression
    from calcml.ml.mlp import MLPClassifier

    chosen = _check_options(model, method, epochs, hidden, standardize)
    X, y, dataset, note = training_data(model, data)
    if l2 is None:
        l2 = LOGISTIC_L2 if model == "logistic" else 0.0
    estimator: Any
    if model == "linear":
        estimator = LinearRegression(
            method=chosen, lr=lr, l2=l2, progress=progress, standardize=bool(standardize)
        )
    elif model == "logistic":
        estimator = LogisticRegression(method=chosen, lr=lr, l2=l2, progress=progress)
    else:
        sizes = list(hidden or HIDDEN)
        rounds = EPOCHS if epochs is None else epochs
        check_mlp_work(X.shape[1], sizes, len(set(y.tolist())), rounds)
        estimator = MLPClassifier(
            hidden=sizes,
            optimizer=chosen,
            lr=MLP_LR if lr is None else lr,
            epochs=rounds,
            l2=l2,
            progress=progress,
        )
    estimator.fit(X, y)
    if model == "logistic":
        report = estimator.report(X, y, feature_names=dataset.feature_names or None)
    else:
        report = estimator.report(X, y)
    report.facts = {"data": dataset.summary(), **report.facts}
    if note:
        report.explanation = f"{note} {report.explanation}"
    return Fitted(estimator, report, X, y)
