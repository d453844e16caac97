"""Linear regression: ŷ = X·w + b fitted by least squares, by the normal equations or by
gradient descent on the mean squared error.

L(w, b) = (1/n)·Σ (xᵢ·w + b − yᵢ)², ∇L = (2/n)·Aᵀ(Aθ − y) with A = [X, 1], θ = (w, b).
Setting ∇L = 0 gives the normal equations AᵀA·θ = Aᵀy; gradient descent walks there instead.

>>> from calcml.ml.datasets import make_linear
>>> data = make_linear(50, d=2, noise=0.1, seed=1)
>>> model = LinearRegression(method="gd").fit(data.X, data.y)
>>> bool(model.score(data.X, data.y) > 0.99)
True
"""

from __future__ import annotations

from typing import Any

import numpy as np

from calcml.errors import CalcmlError
from calcml.ml.base import Array, DescentModel, Scaler, check_not_diverged, run_facts
from calcml.ml.datasets import check_Xy
from calcml.ml.report import ModelReport
from calcml.optim import Objective, Run, gradient_descent
from calcml.optim.formatting import num
from calcml.text import count_of


class LinearRegression(DescentModel):
    """Least-squares linear regression (optionally ridge: + (l2/2)·‖w‖²).

    method="normal" solves the normal equations (by `numpy.linalg.lstsq` when l2 = 0);
    method="gd" runs gradient descent on standardised features with lr = 1/L by default,
    where L is the largest eigenvalue of the (constant) Hessian (2/n)·AᵀA.
    """

    METHODS = ("normal", "gd")

    def __init__(
        self,
        method: str = "normal",
        lr: float | None = None,
        max_steps: int | None = 10_000,
        tol: float = 1e-9,
        l2: float = 0.0,
        progress: bool = False,
    ) -> None:
        self._set_hyper(locals())

    def fit(self, X: Any, y: Any) -> LinearRegression:
        """Fit to features X (n × d) and targets y (n,); returns self."""
        Xa, ya = check_Xy(X, y)
        assert ya is not None
        if ya.dtype.kind not in "biuf":
            raise CalcmlError(
                "LinearRegression needs numeric targets y; for class labels use LogisticRegression"
            )
        t = ya.astype(np.float64)
        n, d = Xa.shape
        self.n_features_in_ = d
        self.run_: Run | None = None
        design = np.column_stack([Scaler(Xa).transform(Xa), np.ones(n)])
        self.rank_ = int(np.linalg.matrix_rank(design))
        if self.method == "normal":
            A = np.column_stack([Xa, np.ones(n)])
            if self.l2 == 0:
                theta = np.linalg.lstsq(A, t, rcond=None)[0]
            else:
                D = np.diag([*([self.l2] * d), 0.0])
                theta = np.linalg.solve(2 / n * A.T @ A + D, 2 / n * A.T @ t)
            self.coef_, self.intercept_ = theta[:d], float(theta[d])
            self.loss_history_ = [self._loss(Xa, t)]
            self.n_iter_ = 0
            return self
        scaler = Scaler(Xa)
        objective, L = _least_squares_objective(scaler.transform(Xa), t, self.l2 / scaler.scale**2)
        self.lr_ = self.lr if self.lr is not None else 1.0 / L
        self.run_ = gradient_descent(
            objective,
            np.zeros(d + 1),
            lr=self.lr_,
            max_steps=10_000 if self.max_steps is None else self.max_steps,
            tol=self.tol,
            progress=self.progress,
            analyze=False,
        )
        check_not_diverged(self.run_, self.lr_, L, "LinearRegression")
        w, b = scaler.unscale(self.run_.x[:d], self.run_.x[d])
        self.coef_, self.intercept_ = w, float(b)
        self.loss_history_ = [float(v) for v in self.run_.losses]
        self.n_iter_ = self.run_.steps
        self.L_ = L
        return self

    def predict(self, X: Any) -> Array:
        """ŷ = X·w + b."""
        Xa = self._check_fitted(X)
        return np.asarray(Xa @ self.coef_ + self.intercept_, dtype=np.float64)

    def score(self, X: Any, y: Any) -> float:
        """R² = 1 − SS_res/SS_tot (1 is a perfect fit)."""
        Xa, ya = check_Xy(X, y)
        assert ya is not None
        resid = ya - self.predict(Xa)
        total = np.sum((ya - ya.mean()) ** 2)
        return float(1 - np.sum(resid**2) / total) if total > 0 else float(np.sum(resid**2) == 0)

    def report(self, X: Any = None, y: Any = None) -> ModelReport:
        """What was learned, in numbers and words."""
        self._require_fitted()
        facts: dict[str, Any] = {"method": _method_words(self)}
        if self.l2:
            facts["L2 strength λ"] = self.l2
        facts["coefficients w"] = self.coef_
        facts["intercept b"] = self.intercept_
        metrics = {"final loss (MSE + L2)" if self.l2 else "final MSE": self.loss_history_[-1]}
        if X is not None and y is not None:
            metrics["R²"] = self.score(X, y)
        if self.run_ is not None:
            words = f"{lr_words(self.lr, self.lr_, self.L_, 'the largest Hessian eigenvalue')} "
            words += self.run_.summary()
        else:
            words = (
                "Setting the gradient (2/n)·Aᵀ(Aθ − y) to zero gives the normal equations "
                "AᵀA·θ = Aᵀy, solved directly (least squares)."
                if not self.l2
                else "Setting the gradient (2/n)·Aᵀ(Aθ − y) + λ·Dθ to zero (D = 1 on the weights, "
                "0 on the intercept) gives ((2/n)·AᵀA + λD)·θ = (2/n)·Aᵀy, solved directly (ridge)."
            )
        d = self.n_features_in_
        if self.rank_ < d + 1 and not self.l2:
            words += (
                f" The features are collinear (rank {self.rank_} < {d + 1} columns with the "
                "intercept): many coefficient vectors fit equally well, so the ones shown are "
                "one choice among them; add l2 > 0 for a unique answer."
            )
        return ModelReport(
            "Linear regression",
            facts,
            metrics,
            self.loss_history_,
            words,
            extra=run_facts(self.run_),
        )

    def _loss(self, X: Array, t: Array) -> float:
        r = X @ self.coef_ + self.intercept_ - t
        return float(np.mean(r * r) + 0.5 * self.l2 * np.sum(self.coef_**2))


def _least_squares_objective(X: Array, t: Array, lam: Array) -> tuple[Objective, float]:
    """MSE(θ) + ½Σλⱼwⱼ² on (scaled) X with θ = (w, b): value, gradient, constant Hessian, L."""
    n, d = X.shape
    A = np.column_stack([X, np.ones(n)])
    pen = np.append(lam, 0.0)
    H = 2 / n * A.T @ A + np.diag(pen)

    def value_and_grad(theta: Array) -> tuple[float, Array]:
        r = A @ theta - t
        value = float(r @ r / n + 0.5 * np.sum(pen * theta**2))
        return value, 2 / n * (A.T @ r) + pen * theta

    obj = Objective(
        value=lambda th: value_and_grad(th)[0],
        grad=lambda th: value_and_grad(th)[1],
        hess=lambda th: H,
        names=(*(f"w{j + 1}" for j in range(d)), "b"),
        title="MSE",
        value_and_grad_fn=value_and_grad,
    )
    return obj, float(np.linalg.eigvalsh(H)[-1])


def lr_words(lr: float | None, used: float, L: float, what: str) -> str:
    """How the learning rate relates to the curvature: 1/L by default, or the user's value."""
    if lr is None:
        return (
            f"Gradient descent with lr = 1/L = {num(used)} (L = {num(L)}, {what}; any fixed "
            "step under 2/L is stable)."
        )
    side = "under" if lr < 2 / L else "over"
    return (
        f"Gradient descent with the given lr = {num(lr)}, {side} the stability limit "
        f"2/L = {num(2 / L)} (L = {num(L)}, {what})."
    )


def _method_words(model: LinearRegression) -> str:
    if model.method == "normal":
        return "normal equations (least squares)"
    return f"gradient descent ({count_of(model.n_iter_, 'steps')})"
