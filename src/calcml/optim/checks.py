"""Checks on where a converged run ended: the second-derivative test, and whether it stopped
only because the slope flattened out.

A small gradient says "stationary", not "minimum": the Hessian there tells a minimum (all
eigenvalues positive) from a saddle or a maximum (a negative one), and is silent when it is
singular. And iterates that still take long steps when the gradient drops below tol are
sliding down a slope that flattens out (e^x toward −∞): f may have no minimum at all.

>>> from calcml.optim import gradient_descent
>>> gradient_descent("x^2 - y^2", [1, 0], lr=0.1).notes[0].split(":")[0]
'(x, y) = (4.017e-07, 0) is a saddle point, not a minimum'
"""

from __future__ import annotations

from typing import Any

import numpy as np

from calcml.optim.formatting import named_point, num
from calcml.optim.objective import Array, Objective
from calcml.optim.run import Run

NEGATIVE = 1e-8  # relative eigenvalue below −this: negative curvature
SINGULAR = 1e-6  # relative |eigenvalue| below this: the second-derivative test is silent
MAX_DIM = 200  # no Hessian check above this many variables


def endpoint_notes(obj: Objective, run: Run) -> list[str]:
    """Sentences about where the run ended: for a converged run, what kind of point it is;
    for a run that stalled on a function with a kink, why it bounces."""
    if run.status in ("oscillating", "max_steps"):
        if has_kink(obj.expr):
            return [
                "f has a kink (an |·|, max, min or ReLU), where its gradient jumps: steps bounce "
                "across the kink instead of settling, and its second derivative is 0 or "
                "undefined. A shrinking step size (subgradient method) or a smooth version of f "
                "is needed."
            ]
        return [_stuck_at_a_kink(run)] if _stuck_at_a_kink(run) else []
    if run.status != "converged":
        return []
    notes = []
    moving = _still_moving(run)
    if moving:
        notes.append(moving)
    kind = _second_order(obj, run)
    if kind:
        notes.append(kind)
    return notes


def has_kink(expr: Any) -> bool:
    """True when a symbolic f contains a non-differentiable piece (|·|, max, min, ReLU ...)."""
    if expr is None:
        return False
    import sympy as sp

    pieces = (sp.Abs, sp.Max, sp.Min, sp.sign, sp.Heaviside, sp.Piecewise)
    if expr.has(*pieces):
        return True
    return any(type(f).__name__ in ("relu", "leaky_relu") for f in expr.atoms(sp.Function))


def _stuck_at_a_kink(run: Run) -> str:
    """Iterates that have all but stopped while the gradient stays large: f is not
    differentiable there (a cone's tip such as √(x² + y²) has |∇f| = 1 arbitrarily close)."""
    if run.steps < 3:
        return ""
    move = float(np.linalg.norm(run.params[-1] - run.params[-2]))
    first = float(np.linalg.norm(run.params[1] - run.params[0]))
    gnorm = float(run.grad_norms[-1])
    tiny = move <= 1e-8 * (1 + float(np.linalg.norm(run.x))) and move <= 1e-6 * first
    if tiny and gnorm >= 0.5 * float(run.grad_norms[0]):  # steps vanished, the slope did not
        return (
            f"The iterates have all but stopped (the last step had length {num(move)}) while "
            f"the gradient norm stays {num(gnorm)}: f is not differentiable where they "
            "stopped (a kink, or the tip of a cone), so its gradient never becomes small there."
        )
    return ""


def _still_moving(run: Run) -> str:
    if run.steps < 3:
        return ""
    moves = np.linalg.norm(np.diff(run.params[-3:], axis=0), axis=1)
    x = run.x
    if moves[-1] > 1e-3 * (1 + float(np.linalg.norm(x))) and moves[-1] >= 0.5 * moves[-2]:
        return (
            f"But the iterates were still moving (the last step had length {num(moves[-1])}, "
            "no shorter than the one before): the slope flattens out without reaching a "
            "minimum, so f may have none in this direction — the run stopped only because "
            "the gradient became smaller than tol."
        )
    return ""


def _second_order(obj: Objective, run: Run) -> str:
    x = run.x
    if obj.hess is None or x.size > MAX_DIM:
        return ""
    try:
        with np.errstate(all="ignore"):
            H = np.asarray(obj.hess(x), dtype=np.float64).reshape(x.size, x.size)
    except (ArithmeticError, ValueError, TypeError, NameError):
        return ""
    if not np.all(np.isfinite(H)):
        return ""
    eig: Array = np.linalg.eigvalsh((H + H.T) / 2).astype(np.float64)
    scale = max(1.0, float(np.max(np.abs(eig))))
    where = named_point(run.names, x)
    values = ", ".join(num(float(e)) for e in eig)
    if eig[-1] < -NEGATIVE * scale:
        return (
            f"{where} is a local maximum, not a minimum: every eigenvalue of the Hessian there "
            f"is negative ({values}), so f falls in every direction from it."
        )
    if eig[0] < -NEGATIVE * scale:
        return (
            f"{where} is a saddle point, not a minimum: the Hessian there has eigenvalues of "
            f"both signs ({values}), so f still falls along the eigenvector of "
            f"{num(float(eig[0]))}; the run reached it only because it never moved in that "
            "direction."
        )
    if abs(eig[0]) <= SINGULAR * scale:
        return (
            f"The Hessian at {where} is singular (eigenvalues {values}), so the "
            "second-derivative test cannot confirm a minimum: the point is degenerate."
        )
    return ""
