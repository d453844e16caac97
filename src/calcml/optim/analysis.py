"""Learning-rate and convergence analysis from the Hessian's eigenvalues.

Near a point, f looks like a quadratic with Hessian H. Along an eigenvector with eigenvalue λ,
one gradient step multiplies the error by (1 − lr·λ). So with L = λ_max and μ = λ_min:

* the step is stable only if |1 − lr·L| < 1, i.e. lr < 2/L;
* the best fixed step is lr = 2/(L + μ), giving the rate (κ − 1)/(κ + 1), κ = L/μ;
* any lr gives the predicted linear rate max_i |1 − lr·λ_i|.

>>> a = analyze("x^2 + 10*y^2", [1, 1])
>>> a.L, a.mu, a.max_stable_lr
(20.0, 2.0, 0.1)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from calcml.errors import CalcmlError
from calcml.optim.objective import Array, as_objective
from calcml.optim.run import Run, _jsonable, _num, _vec
from calcml.result import Result


@dataclass
class Analysis(Result):
    """Curvature at a point and what it implies for gradient descent's learning rate."""

    objective: str
    point: Array
    eigenvalues: Array
    lr: float | None = None
    measured_rate: float | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def L(self) -> float:
        """The largest Hessian eigenvalue (the steepest curvature, the Lipschitz constant of ∇f)."""
        return float(self.eigenvalues[-1])

    @property
    def mu(self) -> float:
        """The smallest Hessian eigenvalue (the flattest curvature)."""
        return float(self.eigenvalues[0])

    @property
    def convex(self) -> bool:
        """Strictly convex here: every eigenvalue positive."""
        return self.mu > 0

    @property
    def condition_number(self) -> float:
        """κ = L/μ; infinite when μ ≤ 0."""
        return self.L / self.mu if self.mu > 0 else float("inf")

    @property
    def max_stable_lr(self) -> float | None:
        """2/L: any larger fixed step diverges along the steepest eigenvector."""
        return 2.0 / self.L if self.L > 0 else None

    @property
    def best_lr(self) -> float | None:
        """2/(L + μ): the fixed step with the fastest worst-case rate on a quadratic."""
        return 2.0 / (self.L + self.mu) if self.mu > 0 else None

    @property
    def best_rate(self) -> float | None:
        """(κ − 1)/(κ + 1): the error shrinks by this factor per step at the best fixed lr."""
        k = self.condition_number
        return (k - 1) / (k + 1) if np.isfinite(k) else None

    def rate(self, lr: float) -> float:
        """The predicted linear rate max_i |1 − lr·λ_i| for a fixed step lr (> 1 diverges)."""
        return float(np.max(np.abs(1.0 - lr * self.eigenvalues)))

    @property
    def predicted_rate(self) -> float | None:
        """The predicted rate at this analysis's lr, or at the best lr when none was given."""
        if self.lr is not None:
            return self.rate(self.lr)
        return self.best_rate

    # -- words ---------------------------------------------------------------------------------
    def explain(self) -> str:
        ev = ", ".join(_num(float(e)) for e in self.eigenvalues)
        out = [f"At {_vec(self.point)} the Hessian has eigenvalues {ev}: L = {_num(self.L)}, "]
        if self.convex:
            out[0] += (
                f"μ = {_num(self.mu)}, condition number κ = L/μ = {_num(self.condition_number)}."
            )
        else:
            out[0] += f"μ = {_num(self.mu)} ≤ 0, so f is not strictly convex here."
        if self.max_stable_lr is not None:
            out.append(
                f"A fixed step is stable only below 2/L = {_num(self.max_stable_lr)}: along the "
                f"steepest direction each step multiplies the error by 1 − lr·L."
            )
        if self.best_lr is not None and self.best_rate is not None:
            out.append(
                f"The best fixed step is 2/(L + μ) = {_num(self.best_lr)}, shrinking the error "
                f"by (κ − 1)/(κ + 1) = {_num(self.best_rate)} per step."
            )
        if self.lr is not None:
            out.append(self._lr_sentence(self.lr))
        if self.measured_rate is not None and self.predicted_rate is not None:
            out.append(
                f"Predicted rate {_num(self.predicted_rate)}, measured rate "
                f"{_num(self.measured_rate)} (median ratio of successive gradient norms)."
            )
        out.extend(self.notes)
        return " ".join(out)

    def _lr_sentence(self, lr: float) -> str:
        r = self.rate(lr)
        if self.max_stable_lr is None:
            return f"With lr = {_num(lr)} there is no positive curvature to limit the step."
        if r > 1:
            return (
                f"The learning rate {_num(lr)} exceeds 2/L = {_num(self.max_stable_lr)}, so along "
                f"the steepest eigenvector each step multiplies the error by "
                f"|1 − lr·L| = {_num(abs(1 - lr * self.L))} > 1: every step overshoots the "
                f"minimum by more than it corrects, and the iterates grow."
            )
        if r == 1:
            return (
                f"The learning rate {_num(lr)} sits exactly at the edge: |1 − lr·λ| = 1 along one "
                f"eigenvector, so that component never shrinks (it bounces or stalls)."
            )
        return (
            f"The learning rate {_num(lr)} is below 2/L = {_num(self.max_stable_lr)}, so every "
            f"direction shrinks: the predicted rate is max|1 − lr·λ| = {_num(r)} per step."
        )

    def verdict(self, run: Run) -> str:
        """One or two sentences explaining a run's outcome from the curvature."""
        if run.settings.get("lr") is None or self.lr is None:
            return self.explain()
        text = self._lr_sentence(self.lr)
        if run.status != "converged" or np.any(np.abs(run.x - self.point) > 0):
            where = "the start" if np.array_equal(self.point, run.params[0]) else _vec(self.point)
            text = f"From the curvature at {where}: {text[0].lower()}{text[1:]}"
        measured = run.measured_rate()
        if run.status == "converged" and measured is not None and self.rate(self.lr) < 1:
            text += f" Measured rate {_num(measured)}."
        return text

    # -- renderings ----------------------------------------------------------------------------
    def text(self) -> str:
        return f"curvature analysis of {self.objective}\n{self.explain()}"

    def latex(self) -> str:
        parts = [rf"L = {self.L:.6g}", rf"\mu = {self.mu:.6g}"]
        if np.isfinite(self.condition_number):
            parts.append(rf"\kappa = {self.condition_number:.6g}")
        if self.max_stable_lr is not None:
            parts.append(rf"\frac{{2}}{{L}} = {self.max_stable_lr:.6g}")
        if self.best_lr is not None:
            parts.append(rf"\frac{{2}}{{L+\mu}} = {self.best_lr:.6g}")
        return r",\quad ".join(parts)

    def markdown(self) -> str:
        head = f"**Curvature analysis** of `{self.objective}`"
        return f"{head}\n\n$ {self.latex()} $\n\n{self.explain()}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "objective": self.objective,
            "point": _jsonable(self.point),
            "eigenvalues": _jsonable(self.eigenvalues),
            "L": _jsonable(self.L),
            "mu": _jsonable(self.mu),
            "condition_number": _jsonable(self.condition_number),
            "max_stable_lr": _jsonable(self.max_stable_lr),
            "best_lr": _jsonable(self.best_lr),
            "best_rate": _jsonable(self.best_rate),
            "lr": _jsonable(self.lr),
            "predicted_rate": _jsonable(self.predicted_rate),
            "measured_rate": _jsonable(self.measured_rate),
            "explanation": self.explain(),
        }


def analyze(
    f: Any,
    x: Any,
    lr: float | None = None,
    run: Run | None = None,
    variables: Sequence[str] | None = None,
) -> Analysis:
    """Curvature analysis of f at x: Hessian eigenvalues, 2/L, 2/(L+μ), κ, predicted rates.

    Pass `lr` to predict the rate of that fixed step, and `run` to compare with its measured rate.
    """
    obj = as_objective(f, variables)
    point = obj.check_point(x)
    if obj.hess is None:
        raise CalcmlError(f"no Hessian is available for {obj.label()}")
    with np.errstate(all="ignore"):
        H = np.asarray(obj.hess(point), dtype=np.float64)
    if not np.all(np.isfinite(H)):
        raise CalcmlError(f"the Hessian of {obj.label()} is not finite at {_vec(point)}")
    H = (H + H.T) / 2
    eig = np.linalg.eigvalsh(H)
    if lr is None and run is not None and _plain_descent(run):
        lr = run.settings.get("lr")
    measured = run.measured_rate() if run is not None else None
    return Analysis(obj.label(), point, eig.astype(np.float64), lr=lr, measured_rate=measured)


def _plain_descent(run: Run) -> bool:
    """True for fixed-step gradient descent (no momentum, no line search)."""
    if run.settings.get("line_search") or run.settings.get("momentum"):
        return False
    return run.method.startswith("gradient descent")
