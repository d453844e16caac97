"""Losses: each has a value (NumPy), a gradient (by `calcml.autodiff`) and a derivation (by the
symbolic engine, for one sample).

>>> import numpy as np
>>> float(mse(np.array([1.0, 2.0]), np.array([1.0, 0.0])))
2.0
>>> mse.gradient(np.array([1.0, 2.0]), np.array([1.0, 0.0])).tolist()
[0.0, 2.0]
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from calcml.errors import CalcmlError, ShapeError
from calcml.result import Result

Array = NDArray[np.float64]


@dataclass(frozen=True)
class Loss(Result):
    """A loss L(prediction, target), averaged over samples.

    `formula` is the per-sample loss in calcml syntax and `wrt` the prediction variable in it,
    so `derivation()` can derive ∂ℓ/∂wrt step by step.
    """

    name: str
    title: str
    formula: str
    wrt: str
    fn: Callable[[Any, Any], Any]
    about: str

    def __call__(self, pred: Any, target: Any) -> float:
        return self.value(pred, target)

    def value(self, pred: Any, target: Any) -> float:
        """The mean loss over the samples."""
        from calcml.autodiff import Tensor

        p, t = self._check(pred, target)
        with np.errstate(all="ignore"):
            return float(np.asarray(_data(self.fn(Tensor(p), t))))

    def gradient(self, pred: Any, target: Any) -> Array:
        """∂L/∂pred (same shape as pred), by reverse-mode autodiff."""
        from calcml import autodiff as ad

        p, t = self._check(pred, target)
        g = ad.grad(lambda q: self.fn(q, t))(p)
        return np.asarray(_data(g), dtype=np.float64).reshape(p.shape)

    def derivation(self) -> Any:
        """The derivative of the per-sample loss, derived rule by rule (a verified `Derivation`)."""
        if self.name not in _DERIVATIONS:
            from calcml.symbolic import derive

            _DERIVATIONS[self.name] = derive(self.formula, self.wrt)
        return _DERIVATIONS[self.name]

    def symbolic_gradient(self) -> Any:
        """d(per-sample loss)/d(wrt) as a SymPy expression (the derivation's result)."""
        return self.derivation().result

    def _check(self, pred: Any, target: Any) -> tuple[Array, Array]:
        p = np.asarray(pred, dtype=np.float64)
        t = np.asarray(target, dtype=np.float64)
        if not (np.all(np.isfinite(p)) and np.all(np.isfinite(t))):
            raise CalcmlError(f"{self.title}: predictions and targets must be finite numbers")
        if p.size == 0:
            raise ShapeError(f"{self.title}: there are no samples (empty predictions)")
        if self.name == "softmax_cross_entropy":
            if p.ndim != 2 or t.shape != (p.shape[0],):
                raise ShapeError(
                    f"{self.title} takes logits of shape (n, classes) and n integer labels; "
                    f"got {p.shape} and {t.shape}"
                )
            if np.any(t != np.round(t)) or np.any(t < 0) or np.any(t >= p.shape[1]):
                raise CalcmlError(
                    f"{self.title}: labels must be whole numbers 0 … {p.shape[1] - 1} (one per "
                    "class column of the logits)"
                )
        elif p.shape != t.shape:
            raise ShapeError(f"{self.title}: predictions {p.shape} and targets {t.shape} differ")
        _check_range(self, p, t)
        return p, t

    # -- renderings ----------------------------------------------------------------------------
    def text(self) -> str:
        from calcml.expr import parse, to_text

        grad = to_text(self.symbolic_gradient())
        return (
            f"{self.title}: ℓ = {to_text(parse(self.formula))}, "
            f"∂ℓ/∂{self.wrt} = {grad}. {self.about}"
        )

    def latex(self) -> str:
        from calcml.expr import parse, to_latex

        return (
            rf"\ell = {to_latex(parse(self.formula))},\quad "
            rf"\frac{{\partial \ell}}{{\partial {self.wrt}}} = {to_latex(self.symbolic_gradient())}"
        )

    def markdown(self) -> str:
        return f"**{self.title}** — $ {self.latex()} $\n\n{self.about}"

    def to_dict(self) -> dict[str, Any]:
        from calcml.expr import expr_dict, parse

        return {
            "name": self.name,
            "title": self.title,
            "formula": expr_dict(parse(self.formula)),
            "wrt": self.wrt,
            "gradient": expr_dict(self.symbolic_gradient()),
            "about": self.about,
        }


_DERIVATIONS: dict[str, Any] = {}


def _check_range(loss: Loss, p: Array, t: Array) -> None:
    """Targets (and probabilities) in the range the loss is defined for."""
    if loss.name == "hinge" and not np.all(np.abs(t) == 1):
        raise CalcmlError(f"{loss.title}: labels must be −1 or +1 (not 0/1), got {np.unique(t)}")
    if loss.name in ("binary_cross_entropy", "bce_with_logits") and np.any((t < 0) | (t > 1)):
        raise CalcmlError(f"{loss.title}: targets must lie in [0, 1] (labels 0 and 1)")
    if loss.name == "binary_cross_entropy" and np.any((p < 0) | (p > 1)):
        raise CalcmlError(
            f"{loss.title}: predictions must be probabilities in [0, 1]; for raw scores "
            "(logits) use bce_with_logits"
        )


def _data(v: Any) -> Any:
    if isinstance(v, np.ndarray | np.generic | float | int):
        return v
    return getattr(v, "data", v)


def _mse(p: Any, y: Any) -> Any:
    d = p - y
    return (d * d).mean()


def _bce(p: Any, y: Any) -> Any:
    eps = 1e-12
    q = p.clip(eps, 1 - eps)
    return -(q.log() * y + (1 - q).log() * (1 - y)).mean()


def _bce_logits(z: Any, y: Any) -> Any:
    # log(1 + e^z) − y·z, with softplus computed stably (no overflow for large |z|)
    return (z.softplus() - z * y).mean()


def _softmax_ce(z: Any, y: Any) -> Any:
    labels = np.asarray(y, dtype=int)
    onehot = np.eye(z.shape[1])[labels]
    return (z.logsumexp(axis=1) - (z * onehot).sum(axis=1)).mean()


def _hinge(s: Any, y: Any) -> Any:
    return (1 - s * y).relu().mean()


mse = Loss(
    "mse",
    "Mean squared error",
    "(p - y)^2",
    "p",
    _mse,
    "Its gradient is proportional to the residual p − y: big errors pull hardest.",
)
binary_cross_entropy = Loss(
    "binary_cross_entropy",
    "Binary cross-entropy (from probabilities)",
    "-(y*log(p) + (1 - y)*log(1 - p))",
    "p",
    _bce,
    "The negative log-likelihood of a Bernoulli label; p is clipped away from 0 and 1.",
)
bce_with_logits = Loss(
    "bce_with_logits",
    "Binary cross-entropy (from logits)",
    "softplus(z) - y*z",
    "z",
    _bce_logits,
    "The same loss with p = σ(z), written as softplus(z) − y·z so it never overflows; "
    "its gradient is simply σ(z) − y.",
)
softmax_cross_entropy = Loss(
    "softmax_cross_entropy",
    "Softmax cross-entropy (from logits)",
    "log(exp(z1) + exp(z2) + exp(z3)) - z1",
    "z1",
    _softmax_ce,
    "log Σ e^(z_k) − z_label, computed with the max subtracted (log-sum-exp) so it is stable; "
    "the gradient with respect to each logit is softmax(z) − onehot(label). "
    "The formula shown is for 3 classes and label 1.",
)
hinge = Loss(
    "hinge",
    "Hinge loss",
    "max(0, 1 - y*s)",
    "s",
    _hinge,
    "The SVM loss for labels y = ±1: zero once the margin y·s ≥ 1, so only points inside the "
    "margin or misclassified contribute a gradient (−y).",
)

LOSSES: dict[str, Loss] = {
    loss.name: loss
    for loss in (mse, binary_cross_entropy, bce_with_logits, softmax_cross_entropy, hinge)
}
