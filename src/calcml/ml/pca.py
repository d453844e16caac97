"""PCA: the directions of greatest variance, two ways.

The first principal component maximises the variance vᵀCv of the data projected on a unit
vector v (C the covariance). With a Lagrange multiplier for ‖v‖ = 1,
∇_v [vᵀCv − λ(vᵀv − 1)] = 2Cv − 2λv = 0, so Cv = λv: v is an eigenvector of C and the
multiplier λ = vᵀCv is the variance it explains. Taking the largest λ gives the first component,
and so on down the spectrum.

* method="eig": the eigen-decomposition of C directly;
* method="power": power iteration v ← Cv/‖Cv‖ — which is exactly gradient ascent on the
  Rayleigh quotient R(v) = vᵀCv/vᵀv, whose gradient at a unit v is 2(Cv − Rv), with the step
  1/(2R): v + (Cv − Rv)/R = Cv/R — then deflation C ← C − λvvᵀ for the next one.
  Both reach the same components (up to sign).

>>> from calcml.ml.datasets import load_iris
>>> pca = PCA(2).fit(load_iris().X)
>>> [round(float(r), 3) for r in pca.explained_variance_ratio_]
[0.925, 0.053]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from calcml.errors import CalcmlError
from calcml.ml.base import Array, Estimator, check_hyper, check_method, is_whole
from calcml.ml.datasets import check_Xy
from calcml.ml.report import ModelReport
from calcml.optim.formatting import num


class PCA(Estimator):
    """Principal component analysis with `n_components` components (all when None)."""

    n_components: int | None
    method: str
    max_iter: int
    tol: float
    seed: int

    def __init__(
        self,
        n_components: int | None = None,
        method: str = "eig",
        max_iter: int = 10_000,
        tol: float = 1e-12,
        seed: int = 0,
    ) -> None:
        check_method(method, ("eig", "power"), "PCA")
        if n_components is not None and not is_whole(n_components):
            raise CalcmlError(f"n_components must be a whole number (or None), got {n_components}")
        check_hyper(max_steps=max_iter, tol=tol, name="max_iter")
        self._store(locals())

    def fit(self, X: Any, y: Any = None) -> PCA:
        """Find the components of X (n × d); y is ignored. Returns self."""
        Xa, _ = check_Xy(X)
        n, d = Xa.shape
        if n < 2:
            raise CalcmlError("PCA needs at least 2 samples to measure variance")
        k = d if self.n_components is None else int(self.n_components)
        if not 1 <= k <= d:
            raise CalcmlError(f"n_components must be between 1 and {d} (the features), got {k}")
        self.n_features_in_ = d
        self.mean_ = Xa.mean(axis=0)
        Xc = Xa - self.mean_
        C = Xc.T @ Xc / (n - 1)
        self.total_variance_ = float(np.trace(C))
        self.rayleigh_history_: list[list[float]] = []
        self.iterations_: list[int] = []
        if self.method == "eig":
            values, vectors = np.linalg.eigh(C)
            order = np.argsort(values)[::-1][:k]
            lam, V = values[order], vectors[:, order].T
        else:
            lam, V = self._power(C, k)
        V = _fix_signs(V)
        self.components_ = V
        self.explained_variance_ = np.maximum(lam, 0.0)
        total = self.total_variance_
        ratio = self.explained_variance_ / total if total > 0 else np.zeros(k)
        self.explained_variance_ratio_ = ratio
        self.n_components_ = k
        return self

    def _power(self, C: Array, k: int) -> tuple[Array, Array]:
        rng = np.random.default_rng(self.seed)
        d = C.shape[0]
        M = C.copy()
        lams: list[float] = []
        vecs: list[Array] = []
        for _ in range(k):
            v: Array = np.asarray(rng.normal(size=d), dtype=np.float64)
            v = v / np.linalg.norm(v)
            history = [float(v @ M @ v)]
            steps = 0
            for steps in range(1, self.max_iter + 1):  # noqa: B007  (steps is reported)
                w = M @ v
                norm = np.linalg.norm(w)
                if norm < 1e-300:  # the remaining variance is zero
                    break
                v_new: Array = np.asarray(w / norm, dtype=np.float64)
                history.append(float(v_new @ M @ v_new))
                moved = min(np.linalg.norm(v_new - v), np.linalg.norm(v_new + v))
                v = v_new
                if moved < self.tol:
                    break
            lam = float(v @ M @ v)
            lams.append(lam)
            vecs.append(v)
            self.rayleigh_history_.append(history)
            self.iterations_.append(steps)
            M = M - lam * np.outer(v, v)  # deflation: remove the component just found
        return np.array(lams), np.array(vecs)

    def transform(self, X: Any) -> Array:
        """Coordinates of X along the components: (X − mean)·Vᵀ, shape (n, k)."""
        Xa = self._check_fitted(X)
        return np.asarray((Xa - self.mean_) @ self.components_.T, dtype=np.float64)

    def fit_transform(self, X: Any, y: Any = None) -> Array:
        return self.fit(X).transform(X)

    def inverse_transform(self, Z: Any) -> Array:
        """Back to feature space: Z·V + mean (exact when all components are kept)."""
        self._require_fitted()
        Za = np.asarray(Z, dtype=np.float64)
        if Za.ndim != 2 or Za.shape[1] != self.n_components_:
            raise CalcmlError(
                f"expected coordinates of shape (n, {self.n_components_}), got {Za.shape}"
            )
        return np.asarray(Za @ self.components_ + self.mean_, dtype=np.float64)

    def report(self, feature_names: list[str] | None = None) -> ModelReport:
        """The components, the variance each explains, and the Lagrange-multiplier view."""
        self._require_fitted()
        facts: dict[str, Any] = {"method": _method_words(self)}
        for i, (v, lam, r) in enumerate(
            zip(
                self.components_,
                self.explained_variance_,
                self.explained_variance_ratio_,
                strict=True,
            )
        ):
            names = feature_names or [f"x{j + 1}" for j in range(len(v))]
            combo = " ".join(f"{c:+.3f}·{nm}" for c, nm in zip(v, names, strict=True))
            facts[f"PC{i + 1}"] = f"{combo}   variance {num(float(lam))} ({100 * r:.1f}%)"
        cumulative = float(np.sum(self.explained_variance_ratio_))
        words = (
            f"The first {self.n_components_} component(s) keep {100 * cumulative:.1f}% of the "
            "variance. Each component v maximises the projected variance vᵀCv subject to "
            "‖v‖ = 1; the Lagrange condition Cv = λv makes it an eigenvector of the covariance, "
            "and the multiplier λ is the variance it explains."
        )
        if self.method == "power":
            words += (
                " Power iteration needed "
                + ", ".join(str(i) for i in self.iterations_)
                + " iterations; the k-th converges at the rate λₖ₊₁/λₖ, so a small gap between "
                "eigenvalues makes it slow."
            )
        extra = {"rayleigh_history": self.rayleigh_history_} if self.rayleigh_history_ else {}
        return ModelReport(
            "Principal component analysis",
            facts,
            {"variance kept": cumulative},
            [],
            words,
            extra={
                "components": self.components_,
                "explained_variance": self.explained_variance_,
                "explained_variance_ratio": self.explained_variance_ratio_,
                **extra,
            },
        )


def _fix_signs(V: Array) -> Array:
    """Make the largest-magnitude entry of each component positive (a sign convention)."""
    idx = np.argmax(np.abs(V), axis=1)
    signs = np.sign(V[np.arange(len(V)), idx])
    signs[signs == 0] = 1
    return np.asarray(V * signs[:, None], dtype=np.float64)


def _method_words(pca: PCA) -> str:
    if pca.method == "eig":
        return "eigen-decomposition of the covariance matrix"
    return "power iteration with deflation (Rayleigh-quotient ascent)"
