"""First-order methods: gradient descent (with momentum, Nesterov, or Armijo line search) and Adam.

Each step moves against the gradient, the direction of steepest descent:
x ← x − lr·∇f(x). Momentum keeps a velocity v ← β·v − lr·∇f; Nesterov evaluates the gradient
at the look-ahead point x + β·v.

>>> run = gradient_descent("x^2 + 10*y^2", [1, 1], lr=0.09)
>>> run.status
'converged'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from calcml.errors import CalcmlError
from calcml.optim.checks import endpoint_notes
from calcml.optim.linesearch import armijo
from calcml.optim.objective import Array, Objective, as_objective
from calcml.optim.progress import progress_bar
from calcml.optim.run import Monitor, Run
from calcml.optim.updates import adam_step, momentum_step

TICK_EVERY = 50


def check_settings(lr: float, max_steps: int, tol: float, momentum: float = 0.0) -> None:
    """Raise a CalcmlError for settings that cannot work (lr ≤ 0, momentum outside [0, 1) ...)."""
    if not (_real(lr) and lr > 0):
        raise CalcmlError(f"the learning rate must be a positive number, got {lr!r}")
    if isinstance(max_steps, bool) or not isinstance(max_steps, int | np.integer) or max_steps < 1:
        raise CalcmlError(f"max_steps must be a whole number ≥ 1, got {max_steps!r}")
    if not (_real(tol) and tol >= 0):
        raise CalcmlError(f"tol must be a non-negative number, got {tol!r}")
    if not (_real(momentum) and 0.0 <= momentum < 1.0):
        raise CalcmlError(f"momentum must be in [0, 1), got {momentum!r}")


def _real(v: Any) -> bool:
    """A finite real number (not a bool or a string)."""
    ok = isinstance(v, int | float | np.integer | np.floating) and not isinstance(v, bool)
    return ok and bool(np.isfinite(v))


def gradient_descent(
    f: Any,
    x0: Any,
    lr: float = 0.1,
    momentum: float = 0.0,
    nesterov: bool = False,
    max_steps: int = 1000,
    tol: float = 1e-6,
    line_search: bool = False,
    variables: Sequence[str] | None = None,
    progress: bool = False,
    analyze: bool = True,
) -> Run:
    """Minimise f from x0 by gradient descent; returns a `Run`.

    `line_search=True` backtracks from `lr` each step until the Armijo condition holds.
    `analyze=True` attaches a curvature analysis when f has a Hessian (at the minimum found, or
    at x0 when the run did not converge), so the run can explain itself by comparing lr with 2/L.
    """
    check_settings(lr, max_steps, tol, momentum)
    if line_search and momentum:
        raise CalcmlError("line search is for plain gradient descent; set momentum=0 to use it")
    if nesterov and not momentum:
        raise CalcmlError("Nesterov's look-ahead needs momentum > 0 (e.g. momentum=0.9)")
    obj = as_objective(f, variables)
    x = obj.check_point(x0)
    monitor = Monitor(tol, max_steps)
    v = np.zeros_like(x)
    evaluations = 0
    method = _method_name(momentum, nesterov, line_search)
    with np.errstate(all="ignore"), progress_bar(max_steps, "descending", progress) as tick:
        loss, g = safe_value_and_grad(obj, x)
        evaluations += 1
        status = monitor.start(x, loss, g)
        while status is None:
            step = lr
            if line_search:
                found = armijo(obj.value, x, loss, g, -g, step=lr)
                evaluations += found.evaluations
                step = found.step
                x = x - step * g
            elif momentum:
                if nesterov:
                    g_ahead = obj.grad(x + momentum * v)
                    evaluations += 1
                    momentum_step(v, g_ahead, lr, momentum)
                else:
                    momentum_step(v, g, lr, momentum)
                x = x + v
            else:
                x = x - lr * g
            monitor.step_sizes.append(step)
            loss, g = safe_value_and_grad(obj, x)
            evaluations += 1
            status = monitor.record(x, loss, float(np.linalg.norm(g)))
            if len(monitor.losses) % TICK_EVERY == 0:
                tick(len(monitor.losses), f"loss {loss:.4g}")
    settings = {"lr": lr, "momentum": momentum or None, "nesterov": nesterov and bool(momentum)}
    settings |= {"line_search": line_search, "max_steps": max_steps, "tol": tol}
    run = monitor.finish(method, obj.label(), obj.names, status, settings, [], evaluations)
    run.expression = obj.expr
    run.notes.extend(endpoint_notes(obj, run))
    if analyze:
        _attach_analysis(run, obj)
    return run


def adam(
    f: Any,
    x0: Any,
    lr: float = 0.001,
    beta1: float = 0.9,
    beta2: float = 0.999,
    eps: float = 1e-8,
    max_steps: int = 1000,
    tol: float = 1e-6,
    variables: Sequence[str] | None = None,
    progress: bool = False,
) -> Run:
    """Minimise f by Adam: per-coordinate steps scaled by running gradient moments.

    m ← β₁m + (1−β₁)g, s ← β₂s + (1−β₂)g², x ← x − lr·m̂/(√ŝ + ε) with bias-corrected m̂, ŝ.
    """
    check_settings(lr, max_steps, tol)
    for name, beta in (("beta1", beta1), ("beta2", beta2)):
        if not 0.0 <= beta < 1.0:
            raise CalcmlError(f"{name} must be in [0, 1), got {beta}")
    obj = as_objective(f, variables)
    x = obj.check_point(x0)
    monitor = Monitor(tol, max_steps)
    m = np.zeros_like(x)
    s = np.zeros_like(x)
    evaluations = 0
    with np.errstate(all="ignore"), progress_bar(max_steps, "Adam", progress) as tick:
        loss, g = safe_value_and_grad(obj, x)
        evaluations += 1
        status = monitor.start(x, loss, g)
        t = 0
        while status is None:
            t += 1
            x = x + adam_step(m, s, g, t, lr, beta1, beta2, eps)
            monitor.step_sizes.append(lr)
            loss, g = safe_value_and_grad(obj, x)
            evaluations += 1
            status = monitor.record(x, loss, float(np.linalg.norm(g)))
            if t % TICK_EVERY == 0:
                tick(t, f"loss {loss:.4g}")
    settings = {"lr": lr, "beta1": beta1, "beta2": beta2, "max_steps": max_steps, "tol": tol}
    run = monitor.finish("Adam", obj.label(), obj.names, status, settings, [], evaluations)
    run.expression = obj.expr
    run.notes.extend(endpoint_notes(obj, run))
    return run


def _method_name(momentum: float, nesterov: bool, line_search: bool) -> str:
    if momentum:
        return (
            "gradient descent with Nesterov momentum"
            if nesterov
            else "gradient descent with momentum"
        )
    return "gradient descent with Armijo line search" if line_search else "gradient descent"


def safe_value_and_grad(obj: Objective, x: Array) -> tuple[float, Array]:
    """f(x) and ∇f(x); an arithmetic error (overflow, 1/0) reads as an infinite loss."""
    try:
        loss, g = obj.value_and_grad(x)
    except (OverflowError, ZeroDivisionError, FloatingPointError):
        return float("inf"), np.full_like(x, np.inf)
    return float(loss), np.asarray(g, dtype=np.float64)


def _attach_analysis(run: Run, obj: Objective) -> None:
    """Curvature analysis at the minimum found, or at the start when the run did not converge
    (skipped when f has no usable Hessian); a fixed-step run lends it lr and momentum."""
    if obj.hess is None or len(run.params[0]) > 200:
        return
    from calcml.optim.analysis import analyze

    point = run.x if run.status == "converged" else run.params[0]
    try:
        run.analysis = analyze(obj, point, run=run)
    except (CalcmlError, ArithmeticError, ValueError, np.linalg.LinAlgError, TypeError):
        run.analysis = None
