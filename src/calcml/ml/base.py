"""Shared pieces of the estimators: feature scaling and the fitted-or-not check."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from calcml.errors import CalcmlError, ShapeError

Array = NDArray[np.float64]


class Scaler:
    """Standardise features to mean 0 and scale 1 (constant columns keep scale 1).

    Gradient descent runs on standardised features — it makes the loss surface rounder
    (a smaller condition number), so a single learning rate suits every direction — and the
    coefficients are mapped back to the original units afterwards.
    """

    def __init__(self, X: Array) -> None:
        self.mean = X.mean(axis=0)
        scale = X.std(axis=0)
        self.scale = np.where(scale > 1e-12, scale, 1.0)

    def transform(self, X: Array) -> Array:
        return (X - self.mean) / self.scale

    def unscale(self, w: Array, b: Any) -> tuple[Array, Any]:
        """Map weights/intercept learned on scaled features back to the original features."""
        w0 = w / self.scale.reshape(-1, *([1] * (w.ndim - 1)))
        return w0, b - self.mean @ w0


class Estimator:
    """Base for fit/predict estimators: checks that fit came first and that X has d columns."""

    n_features_in_: int

    def _check_fitted(self, X: Any) -> Array:
        from calcml.ml.datasets import check_Xy

        if not hasattr(self, "n_features_in_"):
            raise CalcmlError(f"this {type(self).__name__} is not fitted yet; call fit(X, y) first")
        Xa, _ = check_Xy(X)
        if Xa.shape[1] != self.n_features_in_:
            raise ShapeError(
                f"X has {Xa.shape[1]} feature(s) but the model was fitted on {self.n_features_in_}"
            )
        return Xa


def check_not_diverged(run: Any, lr: float, L: float, model: str) -> None:
    """Raise a CalcmlError explaining a diverged gradient-descent fit (lr above 2/L)."""
    if run.status == "diverged":
        raise CalcmlError(
            f"{model}: gradient descent diverged — {run.reason}. The learning rate {lr:g} is "
            f"above 2/L = {2 / L:.4g} for this data (L = {L:.4g}, the largest curvature of the "
            "loss); leave lr unset to use 1/L."
        )


def check_lr(lr: float | None) -> None:
    if lr is not None and (not np.isfinite(lr) or lr <= 0):
        raise CalcmlError(f"the learning rate must be a positive number, got {lr}")


def check_method(method: str, allowed: tuple[str, ...], model: str) -> None:
    if method not in allowed:
        raise CalcmlError(f"{model} method must be one of {', '.join(allowed)}; got {method!r}")
