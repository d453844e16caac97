"""L2 and L1 penalties on the weights (never on the intercept), with their gradients.

L2: R(w) = (λ/2)·‖w‖², ∇R = λ·w. A gradient step on L + R is
w ← w − lr·(∇L + λw) = (1 − lr·λ)·w − lr·∇L: every step first shrinks the weights by the
factor (1 − lr·λ) — "weight decay" — then follows the data's gradient.

L1: R(w) = λ·‖w‖₁, subgradient λ·sign(w): a constant pull toward 0 that sets small weights to
exactly zero (sparsity), where L2 only shrinks them.

>>> import numpy as np
>>> L2(0.1).gradient(np.array([1.0, -2.0])).tolist()
[0.1, -0.2]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from calcml.errors import CalcmlError
from calcml.result import Result

Array = NDArray[np.float64]


@dataclass(frozen=True)
class Penalty(Result):
    """A regularizer with strength `lam` ≥ 0."""

    lam: float

    def __post_init__(self) -> None:
        if not np.isfinite(self.lam) or self.lam < 0:
            raise CalcmlError(f"the regularization strength must be ≥ 0, got {self.lam}")

    name = "none"
    formula = "0"

    def value(self, w: Any) -> float:
        raise NotImplementedError

    def gradient(self, w: Any) -> Array:
        raise NotImplementedError

    def explain(self) -> str:
        raise NotImplementedError

    def text(self) -> str:
        return f"{self.name}(λ = {self.lam:g}): R(w) = {self.formula}. {self.explain()}"

    def latex(self) -> str:
        return self.latex_formula()

    def latex_formula(self) -> str:
        return "0"

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "lam": self.lam,
            "formula": self.formula,
            "latex": self.latex_formula(),
            "explanation": self.explain(),
        }


@dataclass(frozen=True)
class L2(Penalty):
    """(λ/2)·‖w‖² — ridge, weight decay."""

    name = "L2"
    formula = "(λ/2)·‖w‖²"

    def value(self, w: Any) -> float:
        a = np.asarray(w, dtype=np.float64)
        return float(0.5 * self.lam * np.sum(a * a))

    def gradient(self, w: Any) -> Array:
        return self.lam * np.asarray(w, dtype=np.float64)

    def hessian(self, n: int) -> Array:
        return self.lam * np.eye(n)

    def decay_factor(self, lr: float) -> float:
        """The factor (1 − lr·λ) each gradient step multiplies the weights by."""
        return 1.0 - lr * self.lam

    def explain(self) -> str:
        return (
            f"Its gradient is λ·w, so a gradient step w ← w − lr·(∇L + λ·w) = (1 − lr·λ)·w − "
            f"lr·∇L shrinks every weight by the factor (1 − lr·λ) before following the data: "
            f"that is why L2 regularization is called weight decay (λ = {self.lam:g})."
        )

    def latex_formula(self) -> str:
        return r"\frac{\lambda}{2}\lVert w \rVert_2^2"


@dataclass(frozen=True)
class L1(Penalty):
    """λ·‖w‖₁ — lasso, sparsity."""

    name = "L1"
    formula = "λ·‖w‖₁"

    def value(self, w: Any) -> float:
        return float(self.lam * np.sum(np.abs(np.asarray(w, dtype=np.float64))))

    def gradient(self, w: Any) -> Array:
        """The subgradient λ·sign(w) (0 at w = 0, the middle of [−λ, λ])."""
        return self.lam * np.sign(np.asarray(w, dtype=np.float64))

    def explain(self) -> str:
        return (
            f"Its (sub)gradient is λ·sign(w): a pull of constant size λ = {self.lam:g} toward "
            "zero whatever the weight's size, so small weights reach exactly 0 (sparse models); "
            "|w| has a kink at 0 where the derivative does not exist."
        )

    def latex_formula(self) -> str:
        return r"\lambda \lVert w \rVert_1"
