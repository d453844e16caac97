"""Learning-rate and convergence analysis from the Hessian's eigenvalues.

Near a point, f looks like a quadratic with Hessian H. Along an eigenvector with eigenvalue λ,
one gradient step multiplies the error by (1 − lr·λ). So with L = λ_max and μ = λ_min:

* the step is stable only if |1 − lr·L| < 1, i.e. lr < 2/L;
* the best fixed step is lr = 2/(L + μ), giving the rate (κ − 1)/(κ + 1), κ = L/μ;
* any lr gives the predicted linear rate max_i |1 − lr·λ_i|.

With momentum β each eigen-direction follows a two-term recurrence; its rate is the spectral
radius of a 2 × 2 matrix (heavy ball: roots of r² − (1 + β − lr·λ)r + β; Nesterov: roots of
r² − (1 + β)(1 − lr·λ)r + β(1 − lr·λ)), stable below 2(1 + β)/L and 2(1 + β)/((1 + 2β)L).

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
from calcml.optim.formatting import jsonable, num, vec
from calcml.optim.objective import Array, as_objective
from calcml.optim.run import Run
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
    momentum: float = 0.0
    nesterov: bool = False
    adaptive: bool = False  # the run changed its step (line search, Adam, Newton): no fixed rate
    # curvature measured along a run's path: (step, point, Hessian eigenvalues) at a few steps
    path: list[tuple[int, Array, Array]] = field(default_factory=list, repr=False)

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
        """The predicted linear rate for a fixed step lr (> 1 diverges): max_i |1 − lr·λ_i|, or
        with this analysis's momentum the largest spectral radius of the per-direction 2 × 2
        iteration."""
        return float(np.max(spectral_radius(lr * self.eigenvalues, self.momentum, self.nesterov)))

    def stable_limit(self) -> float | None:
        """The largest stable fixed step: 2/L, or 2(1 + β)/L (heavy ball), 2(1 + β)/((1 + 2β)L)
        (Nesterov); None without positive curvature."""
        if self.L <= 0:
            return None
        b = self.momentum
        if not b:
            return 2.0 / self.L
        return 2 * (1 + b) / ((1 + 2 * b) * self.L) if self.nesterov else 2 * (1 + b) / self.L

    @property
    def predicted_rate(self) -> float | None:
        """The predicted rate at this analysis's lr; at the best lr when none was given; None
        for a run whose step size changed (line search, Adam, Newton)."""
        if self.lr is not None:
            return self.rate(self.lr)
        return None if self.adaptive else self.best_rate

    # -- words ---------------------------------------------------------------------------------
    def explain(self) -> str:
        ev = ", ".join(num(float(e)) for e in self.eigenvalues)
        out = [f"At {vec(self.point)} the Hessian has eigenvalues {ev}: L = {num(self.L)}, "]
        if self.convex:
            out[0] += (
                f"μ = {num(self.mu)}, condition number κ = L/μ = {num(self.condition_number)}."
            )
        else:
            out[0] += f"μ = {num(self.mu)} ≤ 0, so f is not strictly convex here."
        if self.max_stable_lr is not None:
            out.append(
                f"A fixed step is stable only below 2/L = {num(self.max_stable_lr)}: along the "
                f"steepest direction each step multiplies the error by 1 − lr·L."
            )
        if self.best_lr is not None and self.best_rate is not None:
            out.append(
                f"The best fixed step is 2/(L + μ) = {num(self.best_lr)}, shrinking the error "
                f"by (κ − 1)/(κ + 1) = {num(self.best_rate)} per step."
            )
        if self.lr is not None:
            out.append(self._lr_sentence(self.lr))
        if self.measured_rate is not None:
            out.append(self._rates_sentence())
        out.extend(self.notes)
        return " ".join(out)

    def _rates_sentence(self) -> str:
        measured = (
            f"measured rate {num(self.measured_rate or 0.0)} (the per-step factor fitted to the "
            "gradient norms over the second half of the run)"
        )
        if self.predicted_rate is None:
            return f"The step size changed from step to step (no fixed-step rate); {measured}."
        head = "Predicted rate" if self.lr is not None else "Rate at the best fixed step"
        return f"{head} {num(self.predicted_rate)}, {measured}."

    def _lr_sentence(self, lr: float) -> str:
        r = self.rate(lr)
        limit = self.stable_limit()
        if self.momentum:
            kind = "Nesterov momentum" if self.nesterov else "momentum"
            bound = "2(1 + β)/((1 + 2β)L)" if self.nesterov else "2(1 + β)/L"
            factor = "the largest spectral radius of the momentum iteration"
        else:
            kind, bound, factor = "", "2/L", "max|1 − lr·λ|"
        with_kind = f" with {kind} β = {num(self.momentum)}" if kind else ""
        if self.mu < 0:
            away = spectral_radius(np.array([lr * self.mu]), self.momentum, self.nesterov)[0]
            return (
                f"The curvature here is negative along one direction (λ = {num(self.mu)}), so "
                f"there a step{with_kind} multiplies the distance from this point by "
                f"{num(float(away))} > 1 whatever the learning rate: descent is pushed away "
                "from it, because it is a saddle or a maximum, not a minimum."
            )
        if limit is None:
            return f"With lr = {num(lr)} there is no positive curvature to limit the step."
        if r > 1:
            steepest = f"|1 − lr·L| = {num(abs(1 - lr * self.L))}" if not kind else f"{num(r)}"
            return (
                f"The learning rate {num(lr)} exceeds {bound} = {num(limit)}{with_kind}, so "
                f"along the steepest eigenvector each step multiplies the error by {steepest} "
                "> 1: every step overshoots the minimum by more than it corrects, and the "
                "iterates grow."
            )
        if r >= 1 - 1e-12 and abs(self.mu) <= 1e-12 * max(1.0, abs(self.L)) and lr < limit:
            return (
                f"The learning rate {num(lr)} is below {bound} = {num(limit)}{with_kind}, but "
                "the Hessian has a zero eigenvalue: along that flat direction f has no curvature "
                "to second order, so nothing there pulls the steps toward a minimum (f may be "
                "linear, or flatter than a quadratic, that way)."
            )
        if r >= 1 - 1e-12:
            return (
                f"The learning rate {num(lr)} sits at the edge{with_kind}: {factor} is 1, so "
                "along one eigenvector the error never shrinks (it bounces or stalls)."
            )
        return (
            f"The learning rate {num(lr)} is below {bound} = {num(limit)}{with_kind}, so every "
            f"direction shrinks, the slowest by {factor} = {num(r)} per step (the predicted rate)."
        )

    def verdict(self, run: Run) -> str:
        """One or two sentences explaining a run's outcome from the curvature."""
        if run.settings.get("lr") is None or self.lr is None:
            return self.explain()
        changed = self._path_sentence(run)
        if changed:
            return changed
        text = self._lr_sentence(self.lr)
        if run.status != "converged" or np.any(np.abs(run.x - self.point) > 0):
            where = "the start" if np.array_equal(self.point, run.params[0]) else vec(self.point)
            text = f"From the curvature at {where}: {text[0].lower()}{text[1:]}"
        measured = run.measured_rate()
        if run.status == "converged" and measured is not None and self.rate(self.lr) < 1:
            text += f" Measured rate {num(measured)}."
        return text

    def _path_sentence(self, run: Run) -> str:
        """When the curvature changes along the path (by more than a factor 2, or in sign), the
        quadratic model of one point does not describe the run: say so, with the curvature
        measured along the path, and what happened instead."""
        if len(self.path) < 2 or self.lr is None:
            return ""
        lr = self.lr
        (_, _, e0), (s1, x1, e1) = self.path[0], self.path[-1]
        scale = max(abs(float(e0[-1])), abs(float(e0[0])), 1e-300)
        lows = [float(e[0]) for _, _, e in self.path]
        highs = [float(e[-1]) for _, _, e in self.path]
        steady = all(abs(v - float(e0[0])) <= 0.5 * scale for v in lows) and all(
            abs(v - float(e0[-1])) <= 0.5 * scale for v in highs
        )
        end_rate = float(np.max(spectral_radius(lr * e1, self.momentum, self.nesterov)))
        settled = run.status == "converged" and float(e1[0]) > 0 and end_rate <= 0.99
        if steady or settled:  # a converged run is described by the curvature where it ended
            return ""
        start_rate = float(np.max(spectral_radius(lr * e0, self.momentum, self.nesterov)))
        along = ", ".join(
            f"{num(float(e[0]))}" if len(e) == 1 else f"[{num(float(e[0]))}, {num(float(e[-1]))}]"
            for _, _, e in self.path
        )
        steps = ", ".join(str(k) for k, _, _ in self.path)
        head = (
            f"The quadratic model at the start (curvature {_eig(e0)}, "
            + (
                f"predicted rate {num(start_rate)} per step"
                if start_rate < 1
                else "under which this fixed step would not converge"
            )
            + f") does not hold along this path: the curvature measured at steps {steps} was "
            f"{along}."
        )
        measured = run.measured_rate()
        rate = f" (measured rate {num(measured)} per step)" if measured is not None else ""
        if float(e1[0]) < -1e-12 * scale:
            what = (
                f"At step {s1} f curves down along one direction (λ = {num(float(e1[0]))} at "
                f"{vec(x1)}): f is not convex, and the iterate is on a slope near a saddle or "
                "a maximum, not settling into a minimum."
            )
        elif lr * float(e1[-1]) >= 2 * (1 + self.momentum):
            what = (
                f"The curvature grew to {num(float(e1[-1]))}, above 2/lr = {num(2 / lr)}: the "
                "same step that was stable at the start overshoots there."
            )
        elif end_rate > 0.99:
            what = (
                f"Near {vec(x1)} the curvature is almost 0 (λ = {_eig(e1)}): f is flatter than "
                "a quadratic there (a minimum where f″ = 0, or a plateau), so each step shrinks "
                f"the error by only 1 − lr·λ ≈ {num(end_rate)}, a factor that tends to 1. The "
                f"convergence is sublinear, slower than any fixed linear rate{rate}."
            )
        else:
            what = (
                f"At the end the curvature is {_eig(e1)}, so the rate there is "
                f"{num(end_rate)} per step{rate}, not the rate predicted at the start."
            )
        return f"{head} {what}"

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
            "point": jsonable(self.point),
            "eigenvalues": jsonable(self.eigenvalues),
            "L": jsonable(self.L),
            "mu": jsonable(self.mu),
            "condition_number": jsonable(self.condition_number),
            "max_stable_lr": jsonable(self.max_stable_lr),
            "best_lr": jsonable(self.best_lr),
            "best_rate": jsonable(self.best_rate),
            "lr": jsonable(self.lr),
            "momentum": jsonable(self.momentum),
            "nesterov": self.nesterov,
            "stable_limit": jsonable(self.stable_limit()),
            "predicted_rate": jsonable(self.predicted_rate),
            "measured_rate": jsonable(self.measured_rate),
            "explanation": self.explain(),
        }


def analyze(
    f: Any,
    x: Any,
    lr: float | None = None,
    run: Run | None = None,
    variables: Sequence[str] | None = None,
    momentum: float = 0.0,
    nesterov: bool = False,
) -> Analysis:
    """Curvature analysis of f at x: Hessian eigenvalues, 2/L, 2/(L+μ), κ, predicted rates.

    Pass `lr` (and `momentum`, `nesterov`) to predict the rate of that fixed step, and `run` to
    compare with its measured rate; a fixed-step gradient-descent run supplies its own settings.
    """
    obj = as_objective(f, variables)
    point = obj.check_point(x)
    if obj.hess is None:
        raise CalcmlError(f"no Hessian is available for {obj.label()}")
    with np.errstate(all="ignore"):
        H = np.asarray(obj.hess(point), dtype=np.float64)
    if not np.all(np.isfinite(H)):
        raise CalcmlError(f"the Hessian of {obj.label()} is not finite at {vec(point)}")
    H = (H + H.T) / 2
    eig = np.linalg.eigvalsh(H)
    adaptive = False
    if run is not None:
        if _fixed_step(run):
            lr = run.settings.get("lr") if lr is None else lr
            momentum = float(run.settings.get("momentum") or momentum)
            nesterov = bool(run.settings.get("nesterov")) or nesterov
        else:
            adaptive = lr is None
    measured = run.measured_rate() if run is not None else None
    path = _path_curvature(obj.hess, run) if run is not None and _fixed_step(run) else []
    return Analysis(
        obj.label(),
        point,
        eig.astype(np.float64),
        lr=lr,
        measured_rate=measured,
        momentum=momentum,
        nesterov=nesterov and bool(momentum),
        adaptive=adaptive,
        path=path,
    )


PATH_SAMPLES = 5  # points along a run where the curvature is measured


def _path_curvature(hess: Any, run: Run) -> list[tuple[int, Array, Array]]:
    """The Hessian's eigenvalues at PATH_SAMPLES steps spread over the run (start and end
    included); empty when one is not finite (a diverged run)."""
    last = len(run.params) - 1
    out: list[tuple[int, Array, Array]] = []
    for k in sorted({round(i * last / (PATH_SAMPLES - 1)) for i in range(PATH_SAMPLES)}):
        with np.errstate(all="ignore"):
            H = np.asarray(hess(run.params[k]), dtype=np.float64)
        if not np.all(np.isfinite(H)):
            return []
        eig = np.linalg.eigvalsh((H + H.T) / 2).astype(np.float64)
        out.append((k, np.asarray(run.params[k], dtype=np.float64), eig))
    return out


def _eig(e: Array) -> str:
    return num(float(e[0])) if len(e) == 1 else "[" + ", ".join(num(float(v)) for v in e) + "]"


def spectral_radius(a: Array, momentum: float = 0.0, nesterov: bool = False) -> Array:
    """Per-direction rate of fixed-step descent, a = lr·λ: |1 − a| without momentum, else the
    larger root modulus of the heavy-ball or Nesterov characteristic polynomial."""
    a = np.asarray(a, dtype=np.float64)
    b = momentum
    if not b:
        return np.abs(1.0 - a)
    trace = (1 + b) * (1 - a) if nesterov else 1 + b - a
    det = b * (1 - a) if nesterov else np.full_like(a, b)
    root = np.sqrt((trace * trace - 4 * det).astype(np.complex128))
    return np.maximum(np.abs((trace + root) / 2), np.abs((trace - root) / 2))


def _fixed_step(run: Run) -> bool:
    """True for fixed-step gradient descent (with or without momentum; no line search)."""
    return not run.settings.get("line_search") and run.method.startswith("gradient descent")
