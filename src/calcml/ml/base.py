"""Shared pieces of the estimators: hyper-parameter checks, feature scaling, the fitted-or-not
check, and the classifier's predict/score."""

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

    def __init__(self, X: Array, standardize: bool = True) -> None:
        """Learn mean and scale from X; `standardize=False` gives the identity (mean 0, scale 1)."""
        d = X.shape[1]
        self.mean = X.mean(axis=0) if standardize else np.zeros(d)
        scale = X.std(axis=0) if standardize else np.ones(d)
        self.scale = np.where(scale > 1e-12, scale, 1.0)

    def transform(self, X: Array) -> Array:
        return (X - self.mean) / self.scale

    def unscale(self, w: Array, b: Any) -> tuple[Array, Any]:
        """Map weights/intercept learned on scaled features back to the original features."""
        w0 = w / self.scale.reshape(-1, *([1] * (w.ndim - 1)))
        return w0, b - self.mean @ w0


class Estimator:
    """Base for fit/predict estimators: hyper-parameters as `__init__` arguments (so
    `get_params`, `set_params` and scikit-learn's `clone` work), a check that fit came first,
    and that X has the fitted number of columns."""

    n_features_in_: int

    @classmethod
    def _param_names(cls) -> list[str]:
        import inspect

        signature = inspect.signature(cls.__init__)
        return [name for name in signature.parameters if name != "self"]

    def _store(self, values: dict[str, Any]) -> None:
        """Keep each `__init__` argument, as given, under its own name (pass `locals()`)."""
        for name in self._param_names():
            setattr(self, name, values[name])

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The hyper-parameters, by name (scikit-learn's convention)."""
        return {name: getattr(self, name) for name in self._param_names()}

    def set_params(self, **params: Any) -> Estimator:
        """Change hyper-parameters (validated as in `__init__`); returns self."""
        unknown = sorted(set(params) - set(self._param_names()))
        if unknown:
            raise CalcmlError(
                f"{type(self).__name__} has no parameter {', '.join(unknown)}; it has "
                f"{', '.join(self._param_names())}"
            )
        merged = {**self.get_params(), **params}
        type(self).__init__(self, **merged)  # re-validates every setting
        return self

    def __repr__(self) -> str:
        import inspect

        defaults = inspect.signature(type(self).__init__).parameters
        changed = [
            f"{name}={value!r}"
            for name, value in self.get_params().items()
            if defaults[name].default is inspect.Parameter.empty or value != defaults[name].default
        ]
        return f"{type(self).__name__}({', '.join(changed)})"

    def _require_fitted(self) -> None:
        if not hasattr(self, "n_features_in_"):
            verb = "fit(X)" if type(self).__name__ == "PCA" else "fit(X, y)"
            raise CalcmlError(f"this {type(self).__name__} is not fitted yet; call {verb} first")

    def _check_fitted(self, X: Any) -> Array:
        from calcml.ml.datasets import check_Xy

        self._require_fitted()
        Xa, _ = check_Xy(X)
        if Xa.shape[1] != self.n_features_in_:
            raise ShapeError(
                f"X has {Xa.shape[1]} feature(s) but the model was fitted on {self.n_features_in_}"
            )
        return Xa


class DescentModel(Estimator):
    """A model fitted by an optimizer: method, lr, max_steps, tol, l2 and progress, validated."""

    METHODS: tuple[str, ...] = ()
    method: str
    lr: float | None
    max_steps: int | None
    tol: float
    l2: float
    progress: bool

    def _set_hyper(self, values: dict[str, Any]) -> None:
        """Validate and store `__init__`'s arguments (pass `locals()`)."""
        check_method(values["method"], self.METHODS, type(self).__name__)
        check_hyper(values["lr"], values["l2"], values["max_steps"], values["tol"])
        self._store(values)


def run_facts(run: Any) -> dict[str, Any]:
    """The optimizer run behind a fit, for JSON: {"run": {status, steps, reason}} or {}."""
    if run is None:
        return {}
    return {
        "run": {
            "method": run.method,
            "status": run.status,
            "steps": run.steps,
            "reason": run.reason,
        }
    }


class Classifier(Estimator):
    """predict and score (accuracy) from `predict_proba`; labels kept in `classes_`."""

    classes_: NDArray[Any]

    def predict_proba(self, X: Any) -> Array:
        raise NotImplementedError

    def predict(self, X: Any) -> Any:
        """The most probable class for each row."""
        proba = self.predict_proba(X)  # checks fitted-ness first
        return self.classes_[np.argmax(proba, axis=1)]

    def score(self, X: Any, y: Any) -> float:
        """Accuracy: the fraction of rows classified correctly."""
        from calcml.ml.datasets import check_Xy

        Xa, ya = check_Xy(X, y)
        return float(np.mean(self.predict(Xa) == ya))

    def _encode(self, y: NDArray[Any]) -> tuple[NDArray[np.intp], int]:
        """Store the sorted class labels; return each row's class index and the class count."""
        self.classes_, labels = np.unique(y, return_inverse=True)
        if len(self.classes_) < 2:
            raise CalcmlError(f"{type(self).__name__} needs at least two classes in y")
        return labels.astype(np.intp), len(self.classes_)


def softmax(z: Array) -> Array:
    """Row-wise softmax with the row maximum subtracted (no overflow)."""
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return np.asarray(e / e.sum(axis=1, keepdims=True), dtype=np.float64)


def check_not_diverged(run: Any, lr: float, L: float, model: str) -> None:
    """Raise a CalcmlError explaining a diverged gradient-descent fit (lr above 2/L)."""
    if run.status == "diverged":
        raise CalcmlError(
            f"{model}: gradient descent diverged — {run.reason}. The learning rate {lr:g} is "
            f"above 2/L = {2 / L:.4g} for this data (L = {L:.4g}, the largest curvature of the "
            "loss); leave lr unset to use 1/L."
        )


def check_hyper(
    lr: float | None = None,
    l2: float = 0.0,
    max_steps: int | None = None,
    tol: float = 0.0,
    name: str = "max_steps",
) -> None:
    """Raise a CalcmlError for a hyper-parameter that cannot work (lr ≤ 0, l2 < 0, ...)."""
    if lr is not None and not (_finite(lr) and lr > 0):
        raise CalcmlError(f"the learning rate must be a positive number, got {lr}")
    if not (_finite(l2) and l2 >= 0):
        raise CalcmlError(f"the L2 strength l2 must be a number ≥ 0, got {l2}")
    if max_steps is not None and not (is_whole(max_steps) and max_steps >= 1):
        raise CalcmlError(f"{name} must be a whole number ≥ 1, got {max_steps}")
    if not (_finite(tol) and tol >= 0):
        raise CalcmlError(f"tol must be a number ≥ 0, got {tol}")


def check_lr(lr: float | None) -> None:
    check_hyper(lr=lr)


def check_method(method: str, allowed: tuple[str, ...], model: str) -> None:
    if method not in allowed:
        raise CalcmlError(f"{model} method must be one of {', '.join(allowed)}; got {method!r}")


def _finite(v: Any) -> bool:
    return isinstance(v, int | float | np.integer | np.floating) and bool(np.isfinite(v))


def is_whole(v: Any) -> bool:
    """True for an int (or NumPy integer), not a bool or a float."""
    return isinstance(v, int | np.integer) and not isinstance(v, bool)
