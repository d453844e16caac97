"""The `train` verb: fit a model to a bundled dataset and return its report's dict.

Same rules as `calcml train`: regression on a classification set predicts its last feature
from the others; a classifier refuses a numeric target; methods are checked against the model.
"""

from __future__ import annotations

from typing import Any

from calcml.errors import CalcmlError
from calcml.service.models import TrainRequest

METHODS = {"linear": ("normal", "gd"), "logistic": ("newton", "gd"), "mlp": ("adam", "gd")}


def _estimator(r: TrainRequest) -> Any:
    from calcml.ml import LinearRegression, LogisticRegression
    from calcml.ml.mlp import MLPClassifier

    method = r.method or METHODS[r.model][0]
    if method not in METHODS[r.model]:
        raise CalcmlError(
            f"method {method!r} is not for the {r.model} model; choose "
            + " or ".join(METHODS[r.model])
        )
    if r.model != "mlp" and (r.epochs is not None or r.hidden is not None):
        raise CalcmlError("epochs and hidden are for the mlp model")
    l2 = r.l2 if r.l2 is not None else (0.01 if r.model == "logistic" else 0.0)
    if r.model == "linear":
        return LinearRegression(method=method, lr=r.lr, l2=l2, standardize=False)  # as the CLI
    if r.model == "logistic":
        return LogisticRegression(method=method, lr=r.lr, l2=l2)
    return MLPClassifier(
        hidden=list(r.hidden or [16, 16]),
        optimizer=method,
        lr=0.01 if r.lr is None else r.lr,
        epochs=500 if r.epochs is None else r.epochs,
        l2=l2,
    )


def train(r: TrainRequest) -> dict[str, Any]:
    """Fit and report, as `calcml train ... --json` prints it."""
    from calcml.ml.datasets import training_data

    X, y, dataset, note = training_data(r.model, r.data)
    estimator = _estimator(r)
    estimator.fit(X, y)
    if r.model == "logistic":
        report = estimator.report(X, y, feature_names=dataset.feature_names or None)
    else:
        report = estimator.report(X, y)
    report.facts = {"data": dataset.summary(), **report.facts}
    if note:
        report.explanation = f"{note} {report.explanation}"
    result: dict[str, Any] = report.to_dict()
    return result
