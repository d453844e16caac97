"""Logistic regression: p = σ(x·w + b) (softmax over classes when there are more than two),
fitted by minimising the cross-entropy with Newton's method or gradient descent.

Binary: L(θ) = (1/n)·Σ softplus(zᵢ) − yᵢ·zᵢ with z = Aθ, A = [X, 1];
∇L = (1/n)·Aᵀ(σ(z) − y), ∇²L = (1/n)·Aᵀ·diag(σ(1 − σ))·A (positive semi-definite: convex).
With K > 2 classes the last class is the reference (its logit is 0) so the parameters are
identifiable; ∇L = (1/n)·Aᵀ(P − Y) over the other K − 1 columns.

>>> from calcml.ml.datasets import make_blobs
>>> data = make_blobs(100, centers=2, spread=3.0, seed=2)
>>> model = LogisticRegression().fit(data.X, data.y)
>>> model.run_.status
'converged'
"""

from __future__ import annotations

from typing import Any

import numpy as np

from calcml.errors import CalcmlError
from calcml.ml.base import (
    Array,
    Classifier,
    DescentModel,
    Scaler,
    check_not_diverged,
    run_facts,
    softmax,
)
from calcml.ml.datasets import check_Xy
from calcml.ml.linear import lr_words
from calcml.ml.report import LabelledMatrix, ModelReport
from calcml.optim import Objective, Run, gradient_descent, newton
from calcml.text import count_of

SEPARABLE_NOTE = (
    "The training classes are (almost) separable: growing the weights pushes the loss ever "
    "closer to 0, so the unregularised loss has no finite minimum and the optimizer stopped at "
    "its step limit. Add L2 regularization (l2 > 0) for a finite, well-defined answer."
)


# The Hessian each model quotes, by kind: binary (σ) or multinomial (softmax, K − 1 free logits
# against the reference class). θ is ordered feature-major: index (j, a) → j·(K − 1) + a.
HESSIAN_WORDS = {
    "binary": (
        "The cross-entropy is convex, with Hessian ∇²L = (1/n)·Aᵀdiag(pᵢ(1 − pᵢ))A "
        "({size} × {size}; A = [X, 1], pᵢ = σ(aᵢ·θ))."
    ),
    "softmax": (
        "The cross-entropy is convex; with K = {k} classes its Hessian is the softmax one, "
        "∇²L = (1/n)·Σᵢ aᵢaᵢᵀ ⊗ (diag(pᵢ) − pᵢpᵢᵀ) over the K − 1 = {free} free logits "
        "(aᵢ = [xᵢ, 1], pᵢ their softmax probabilities): block (a, b) is "
        "(1/n)·Aᵀdiag(p_a(δ_ab − p_b))A, {size} × {size} in all."
    ),
}


class LogisticRegression(Classifier, DescentModel):
    """Logistic (softmax) regression; `l2` adds (l2/2)·‖w‖² (the intercept is not penalised).

    method="newton" (default) takes damped Newton steps with the exact Hessian — a handful of
    steps; method="gd" runs gradient descent on standardised features with lr = 1/L, L an upper
    bound on the Hessian's largest eigenvalue.
    """

    METHODS = ("newton", "gd")

    def __init__(
        self,
        method: str = "newton",
        lr: float | None = None,
        max_steps: int | None = None,
        tol: float = 1e-10,
        l2: float = 0.0,
        progress: bool = False,
    ) -> None:
        self._set_hyper(locals())

    def fit(self, X: Any, y: Any) -> LogisticRegression:
        """Fit to features X (n × d) and class labels y (n,); returns self."""
        Xa, ya = check_Xy(X, y)
        assert ya is not None
        labels, k = self._encode(ya)
        d = Xa.shape[1]
        self.n_features_in_ = d
        scaler = Scaler(Xa)
        self.scaler_ = scaler  # the run's parameters are in its units (figures map them back)
        cols = 1 if k == 2 else k - 1
        objective, L = _cross_entropy_objective(
            scaler.transform(Xa), labels, k, self.l2 / scaler.scale**2
        )
        theta0 = np.zeros((d + 1) * cols)
        if self.method == "newton":
            self.run_: Run = newton(
                objective,
                theta0,
                max_steps=100 if self.max_steps is None else self.max_steps,
                tol=self.tol,
                progress=self.progress,
            )
        else:
            self.lr_ = self.lr if self.lr is not None else 1.0 / L
            self.run_ = gradient_descent(
                objective,
                theta0,
                lr=self.lr_,
                max_steps=20_000 if self.max_steps is None else self.max_steps,
                tol=self.tol,
                progress=self.progress,
                analyze=False,
            )
            check_not_diverged(self.run_, self.lr_, L, "LogisticRegression")
        self.L_ = L
        theta = self.run_.x.reshape(d + 1, cols)
        w, b = scaler.unscale(theta[:d], theta[d])
        self.coef_ = w.T  # (1, d) for two classes, (K − 1, d) otherwise: one row per logit
        self.intercept_ = np.atleast_1d(b)
        self.loss_history_ = [float(v) for v in self.run_.losses]
        self.n_iter_ = self.run_.steps
        self.separable_ = (
            not self.run_.converged and self.l2 == 0 and self.loss_history_[-1] < 0.1 * np.log(k)
        )
        return self

    def decision_function(self, X: Any) -> Array:
        """The logits z = x·w + b: shape (n,) for two classes, (n, K) with the reference 0."""
        Xa = self._check_fitted(X)
        z = Xa @ self.coef_.T + self.intercept_
        if len(self.classes_) == 2:
            return np.asarray(z[:, 0], dtype=np.float64)
        return np.column_stack([z, np.zeros(len(Xa))])

    def predict_proba(self, X: Any) -> Array:
        """Class probabilities, shape (n, K): σ(z) for two classes, softmax(z) otherwise."""
        z = self.decision_function(X)
        if z.ndim == 1:
            p = _sigmoid(z)
            return np.column_stack([1 - p, p])
        return softmax(z)

    def report(
        self, X: Any = None, y: Any = None, feature_names: list[str] | None = None
    ) -> ModelReport:
        """What was learned, in numbers and words; `feature_names` label the coefficients'
        columns (default x1, x2, …), the class labels their rows."""
        self._require_fitted()
        method = "Newton's method" if self.method == "newton" else "gradient descent"
        classes = [str(c) for c in self.classes_]
        k, d = len(classes), self.n_features_in_
        names = list(feature_names) if feature_names else [f"x{j + 1}" for j in range(d)]
        if len(names) != d:
            raise CalcmlError(f"{len(names)} feature names for {d} features")
        ref = classes[0] if k == 2 else classes[-1]  # the class whose logit is fixed at 0
        rows = classes[1:] if k == 2 else classes[:-1]  # each row: that class's log-odds vs ref
        table = np.column_stack([self.coef_, self.intercept_])
        facts: dict[str, Any] = {
            "method": f"{method} ({count_of(self.n_iter_, 'steps')}, {self.run_.status})",
            "classes": classes,
            "reference class": f"{ref} (logit fixed at 0; each row is a log-odds against it)",
            "coefficients w, intercept b": LabelledMatrix(
                rows, [*names, "intercept b"], table, corner=f"vs {ref}"
            ),
        }
        if self.l2:
            facts["L2 strength λ"] = self.l2
        name = "final loss (cross-entropy + L2)" if self.l2 else "final cross-entropy"
        metrics = {name: self.loss_history_[-1]}
        if X is not None and y is not None:
            metrics["training accuracy"] = self.score(X, y)
        size = (d + 1) * (1 if k == 2 else k - 1)
        words = HESSIAN_WORDS["binary" if k == 2 else "softmax"].format(k=k, free=k - 1, size=size)
        if self.method == "newton":
            words += (
                " Newton's method jumps to the minimum of its local quadratic model each step. "
            )
        else:
            why = "p(1 − p) ≤ 1/4" if k == 2 else "diag(p) − ppᵀ ⪯ ½·I"
            words += " " + lr_words(self.lr, self.lr_, self.L_, f"a bound on the Hessian, as {why}")
            words += " "
        words += " ".join([self.run_.summary(), *self.run_.notes])
        if self.separable_:
            words = f"{SEPARABLE_NOTE} {words}"
        return ModelReport(
            "Logistic regression",
            facts,
            metrics,
            self.loss_history_,
            words,
            extra=run_facts(self.run_),
        )


def _sigmoid(z: Array) -> Array:
    return np.asarray(0.5 * (np.tanh(0.5 * z) + 1), dtype=np.float64)


def _cross_entropy_objective(X: Array, labels: Any, k: int, lam: Array) -> tuple[Objective, float]:
    """Mean cross-entropy of logistic/softmax regression with its exact gradient and Hessian."""
    n, d = X.shape
    A = np.column_stack([X, np.ones(n)])
    cols = 1 if k == 2 else k - 1
    pen = np.repeat(np.append(lam, 0.0), cols)  # θ is (d + 1) × cols, flattened row-major
    Y = np.eye(k)[labels][:, k - cols :] if k == 2 else np.eye(k)[labels][:, :cols]

    def probs(theta: Array) -> tuple[Array, Array]:
        Z = A @ theta.reshape(d + 1, cols)
        if k == 2:
            return Z, _sigmoid(Z)
        full = np.column_stack([Z, np.zeros(n)])
        return Z, softmax(full)

    def value_and_grad(theta: Array) -> tuple[float, Array]:
        Z, P = probs(theta)
        if k == 2:
            ce = np.logaddexp(0, Z[:, 0]) - Y[:, 0] * Z[:, 0]
        else:
            full = np.column_stack([Z, np.zeros(n)])
            m = full.max(axis=1)
            lse = m + np.log(np.exp(full - m[:, None]).sum(axis=1))
            ce = lse - full[np.arange(n), labels]
        value = float(np.mean(ce) + 0.5 * np.sum(pen * theta**2))
        G = A.T @ (P[:, :cols] - Y) / n
        return value, G.reshape(-1) + pen * theta

    def hess(theta: Array) -> Array:
        _, P = probs(theta)
        if k == 2:
            s = P[:, 0] * (1 - P[:, 0])
            H = (A * s[:, None]).T @ A / n
        else:
            Q = P[:, :cols]
            # H[(j,a),(l,b)] = (1/n)·Σᵢ A_ij A_il (δ_ab·P_ia − P_ia·P_ib)
            blocks = np.empty((d + 1, cols, d + 1, cols))
            for a in range(cols):  # one (d + 1)² block per pair of logits: AᵀDA, D diagonal
                for b in range(a, cols):
                    w = Q[:, a] * ((a == b) - Q[:, b])
                    blocks[:, a, :, b] = blocks[:, b, :, a] = (A * w[:, None]).T @ A / n
            H = blocks.reshape((d + 1) * cols, -1)
        return np.asarray(H + np.diag(pen), dtype=np.float64)

    bound = 0.25 if k == 2 else 0.5
    L = float(bound * np.linalg.eigvalsh(A.T @ A / n)[-1] + (pen.max() if pen.size else 0.0))
    names = tuple(f"θ{j + 1}" for j in range((d + 1) * cols))
    obj = Objective(
        value=lambda th: value_and_grad(th)[0],
        grad=lambda th: value_and_grad(th)[1],
        hess=hess,
        names=names,
        title="cross-entropy",
        value_and_grad_fn=value_and_grad,
    )
    return obj, L
