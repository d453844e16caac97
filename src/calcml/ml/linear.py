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

FIRST_STEPS = 5  # losses shown step by step in the report


class LinearRegression(DescentModel):
    """Least-squares linear regression (optionally ridge: + (l2/2)·‖w‖²).

    method="normal" solves the normal equations (by `numpy.linalg.lstsq` when l2 = 0);
    method="gd" runs gradient descent with lr = 1/L by default, where L is the largest
    eigenvalue of the (constant) Hessian (2/n)·AᵀA; on standardised features when
    `standardize` is true (few steps: standardising lowers the condition number of AᵀA), on
    the raw features otherwise (the descent the condition number predicts, step by step).
    After a gd fit, `conditioning_` holds κ(AᵀA) and the step count for both scalings.
    """

    METHODS = ("normal", "gd")
    standardize: bool

    def __init__(
        self,
        method: str = "normal",
        lr: float | None = None,
        max_steps: int | None = 10_000,
        tol: float = 1e-9,
        l2: float = 0.0,
        progress: bool = False,
        standardize: bool = True,
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
        scaler = Scaler(Xa, bool(self.standardize))
        self.scaler_ = scaler  # the run's parameters are in its units (figures map them back)
        self.run_, L, self.lr_ = self._descend(scaler, Xa, t, self.lr, self.progress)
        check_not_diverged(self.run_, self.lr_, L, "LinearRegression")
        self.conditioning_ = self._conditioning(Xa, t)
        w, b = scaler.unscale(self.run_.x[:d], self.run_.x[d])
        self.coef_, self.intercept_ = w, float(b)
        self.loss_history_ = [float(v) for v in self.run_.losses]
        self.n_iter_ = self.run_.steps
        self.L_ = L
        return self

    def _descend(
        self, scaler: Scaler, X: Array, t: Array, lr: float | None, progress: bool
    ) -> tuple[Run, float, float]:
        """Gradient descent on `scaler`'s features from θ = 0: (run, L, the lr used)."""
        objective, L = _least_squares_objective(scaler.transform(X), t, self.l2 / scaler.scale**2)
        used = lr if lr is not None else 1.0 / L
        run = gradient_descent(
            objective,
            np.zeros(X.shape[1] + 1),
            lr=used,
            max_steps=10_000 if self.max_steps is None else self.max_steps,
            tol=self.tol,
            progress=progress,
            analyze=False,
        )
        return run, L, used

    def _conditioning(self, X: Array, t: Array) -> dict[str, Any]:
        """κ(AᵀA), A = [X, 1], on raw and standardised features, and the steps gradient descent
        with lr = 1/L takes on each (this fit's run for its own scaling, a second run for the
        other): what standardising buys."""
        out: dict[str, Any] = {}
        for key, flag in (("raw", False), ("standardized", True)):
            scaler = Scaler(X, flag)
            A = np.column_stack([scaler.transform(X), np.ones(len(X))])
            if flag == bool(self.standardize) and self.lr is None:
                run = self.run_
            else:
                run = self._descend(scaler, X, t, None, False)[0]
            assert run is not None
            H = _least_squares_objective(scaler.transform(X), t, self.l2 / scaler.scale**2)[0].hess
            assert H is not None
            out[key] = {
                "cond_AtA": float(np.linalg.cond(A.T @ A)),
                "cond_hessian": float(np.linalg.cond(H(np.zeros(A.shape[1])))),
                "steps": run.steps,
                "converged": run.converged,
            }
        return out

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
            shown = self.loss_history_[: FIRST_STEPS + 1]
            facts[f"loss at steps 0–{len(shown) - 1}"] = shown
            words = f"{lr_words(self.lr, self.lr_, self.L_, 'the largest Hessian eigenvalue')} "
            words += f"{self.run_.summary()} "
            words += conditioning_words(self.conditioning_, bool(self.standardize), self.l2)
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
            extra={
                **run_facts(self.run_),
                **({"conditioning": self.conditioning_} if self.run_ is not None else {}),
            },
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


def conditioning_words(cond: dict[str, Any], standardized: bool, l2: float = 0.0) -> str:
    """What standardising did to κ(AᵀA) and to the number of 1/L steps, as measured."""
    raw, std = cond["raw"], cond["standardized"]

    def steps(entry: dict[str, Any]) -> str:
        n = count_of(entry["steps"], "steps")
        return n if entry["converged"] else f"more than {n} (stopped unconverged)"

    hessian = (
        f" (with the L2 term, κ of the Hessian goes from {num(raw['cond_hessian'])} to "
        f"{num(std['cond_hessian'])})"
        if l2
        else ""
    )
    words = (
        f"Standardising the features (mean 0, standard deviation 1) changes the condition "
        f"number κ(AᵀA) (A = [X, 1]; the Hessian is (2/n)·AᵀA) from {num(raw['cond_AtA'])} to "
        f"{num(std['cond_AtA'])}{hessian}. With the default learning rate (the reciprocal of L) "
        "each step shrinks the error by a factor of at most 1 − 1/κ, so gradient descent takes "
        f"{steps(raw)} on the raw features and {steps(std)} on the standardised ones"
    )
    if std["cond_hessian"] < 1 + 1e-6:
        words += (
            " (there the Hessian is a multiple of I, so the 1/L step is exactly a Newton step "
            "and hides the descent)"
        )
    other = "--no-standardize" if standardized else "--standardize"
    return f"{words}; {other} shows the other."


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
    scaling = "standardised" if model.standardize else "raw"
    return f"gradient descent on {scaling} features ({count_of(model.n_iter_, 'steps')})"
