"""Newton's method: jump to the minimum of the local quadratic model, x ← x − H⁻¹∇f.

On a quadratic the model is exact, so one step lands on the minimum. Where the Hessian is
singular or not positive definite (a flat direction, a saddle, a kink), the step is damped:
solve (H + λI)d = −∇f with λ large enough to make the model convex (Levenberg's idea), and
the run's notes say so. A backtracking (Armijo) line search keeps each step from overshooting.

>>> run = newton("(x - 1)^2 + 10*(y + 2)^2", [5, 5])
>>> run.steps, run.x.round(12).tolist()
(1, [1.0, -2.0])
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import numpy as np

from calcml.errors import CalcmlError, UnsupportedError
from calcml.optim.checks import endpoint_notes
from calcml.optim.descent import check_settings, safe_value_and_grad
from calcml.optim.formatting import num
from calcml.optim.linesearch import armijo
from calcml.optim.objective import Array, Objective, as_objective
from calcml.optim.progress import progress_bar
from calcml.optim.run import Monitor, Run
from calcml.text import count_of

SINGULAR = 1e-10  # relative eigenvalue below which the Hessian counts as singular


def newton(
    f: Any,
    x0: Any,
    damping: float = 0.0,
    max_steps: int = 100,
    tol: float = 1e-8,
    line_search: bool = True,
    variables: Sequence[str] | None = None,
    progress: bool = False,
) -> Run:
    """Minimise f from x0 by (damped) Newton steps; returns a `Run`.

    `damping` λ ≥ 0 is always added to the Hessian (H + λI); more is added automatically, with a
    note, where H is singular or indefinite. `line_search` backtracks from the full step 1.
    """
    check_settings(1.0, max_steps, tol)
    if not np.isfinite(damping) or damping < 0:
        raise CalcmlError(f"damping must be a non-negative number, got {damping}")
    obj = as_objective(f, variables)
    if obj.hess is None:
        raise UnsupportedError(
            f"Newton's method needs a Hessian, and none is available for {obj.label()}"
        )
    x = obj.check_point(x0)
    monitor = Monitor(tol, max_steps)
    notes: list[str] = []
    damped_steps: list[int] = []
    boost = 1.0
    evaluations = 0
    with np.errstate(all="ignore"), progress_bar(max_steps, "Newton", progress) as tick:
        loss, g = safe_value_and_grad(obj, x)
        evaluations += 1
        status = monitor.start(x, loss, g)
        while status is None:
            k = len(monitor.losses) - 1
            direction, shift, why = newton_direction(obj, x, g, damping, boost)
            if why:
                damped_steps.append(k)
                if len(damped_steps) == 1:
                    notes.append(_damping_note(k, why, shift))
            step = 1.0
            if line_search:
                found = armijo(obj.value, x, loss, g, direction, step=1.0)
                evaluations += found.evaluations
                step = found.step
            if why:  # Levenberg: damp harder after a poor step, relax after a full one
                boost = boost * 10 if step < 0.1 else max(1.0, boost / 10)
            x = x + step * direction
            monitor.step_sizes.append(step)
            loss, g = safe_value_and_grad(obj, x)
            evaluations += 1
            status = monitor.record(x, loss, float(np.linalg.norm(g)))
            tick(k + 1, f"loss {loss:.4g}")
    if len(damped_steps) > 1:
        notes.append(f"Damping was needed at {count_of(len(damped_steps), 'steps')} in all.")
    if status[0] == "converged" and monitor.grad_norms[0] > tol:
        notes.append(convergence_order_note(monitor.grad_norms))
    settings = {"damping": damping or None, "line_search": line_search}
    settings |= {"max_steps": max_steps, "tol": tol}
    run = monitor.finish(
        "Newton's method", obj.label(), obj.names, status, settings, notes, evaluations
    )
    run.expression = obj.expr
    run.notes.extend(endpoint_notes(obj, run))
    return run


def _damping_note(k: int, why: str, shift: float) -> str:
    if not np.isfinite(shift):
        return (
            f"At step {k} the Hessian was {why} — a kink or a pole, where second derivatives do "
            "not exist — so calcml took a scaled gradient step there instead of a Newton step."
        )
    problem = (
        "undefined (H cannot be inverted)"
        if why.startswith("singular")
        else "aimed at the model's saddle or maximum, possibly uphill"
    )
    return (
        f"At step {k} the Hessian was {why}, so Newton's step −H⁻¹∇f was {problem}; calcml "
        f"damped it to −(H + λI)⁻¹∇f with λ = {num(shift)}, which makes the model convex."
    )


def newton_direction(
    obj: Objective, x: Array, g: Array, damping: float, boost: float = 1.0
) -> tuple[Array, float, str]:
    """The (damped) Newton direction at x, the shift λ used, and why damping was added ('' if
    the plain step was fine)."""
    assert obj.hess is not None
    n = x.size
    try:
        H = np.asarray(obj.hess(x), dtype=np.float64).reshape(n, n)
    except (ZeroDivisionError, OverflowError, ValueError, TypeError, NameError):
        H = np.full((n, n), np.nan)
    if not np.all(np.isfinite(H)):
        # No usable curvature (a kink or a pole): fall back to a scaled gradient step.
        return -g / max(1.0, float(np.linalg.norm(g))), float("inf"), "undefined (not finite)"
    H = (H + H.T) / 2
    eig = np.linalg.eigvalsh(H)
    scale = max(1.0, float(np.max(np.abs(eig))))
    shift = damping
    why = ""
    if eig[0] + damping <= SINGULAR * scale:
        why = "singular" if abs(eig[0]) <= SINGULAR * scale else "not positive definite"
        why += f" (smallest eigenvalue {num(float(eig[0]))})"
        shift = max(damping, -float(eig[0]) + 1e-3 * scale * boost)
    direction: Array = np.linalg.solve(H + shift * np.eye(n), -g).astype(np.float64)
    return direction, shift, why


def convergence_order_note(grad_norms: list[float]) -> str:
    """How fast the gradient norm fell over the last steps, measured rather than assumed:
    quadratic (each step roughly squares it) or only linear (a steady factor per step)."""
    g = [v for v in grad_norms if v > 0]
    if len(g) <= 2:
        return "The local quadratic model was exact enough to land on the minimum almost at once."
    last = g[-4:]
    went = " → ".join(num(v) for v in last)
    ratios = [b / a for a, b in itertools.pairwise(last)]
    if len(ratios) >= 2 and ratios[-1] < 0.5 * ratios[-2] and ratios[-1] < 0.1:
        return (
            f"Near the minimum Newton converges quadratically: the gradient norm went {went}, "
            "roughly squaring each step."
        )
    return (
        f"Newton converged only linearly here: the gradient norm went {went}, shrinking by a "
        f"steady factor of about {num(float(np.median(ratios)))} per step instead of squaring. "
        "That is the sign of a Hessian that is singular at the limit (a degenerate stationary "
        "point) or of damped steps, where Newton's quadratic convergence is lost."
    )
