"""Random positive-definite quadratics: the 2/L threshold and Newton's one step hold for all."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from calcml.optim import analyze, gradient_descent, newton


def random_quadratic(seed: int, n: int) -> tuple[sp.Expr, list[str], np.ndarray, np.ndarray]:
    """½·xᵀAx − bᵀx with A positive definite (κ ≤ 20), its variables, A and the minimiser."""
    rng = np.random.default_rng(seed)
    Q, _ = np.linalg.qr(rng.normal(size=(n, n)))
    eig = np.linspace(1, rng.uniform(2, 20), n)
    A = Q @ np.diag(eig) @ Q.T
    b = rng.normal(size=n)
    names = [f"x{i}" for i in range(n)]
    xs = sp.Matrix([sp.Symbol(v, real=True) for v in names])
    Am = sp.Matrix(np.round(A, 12).tolist())
    f = (xs.T * Am * xs)[0] / 2 - (sp.Matrix(b.tolist()).T * xs)[0]
    return sp.expand(f), names, A, np.linalg.solve(np.round(A, 12), b)


@pytest.mark.parametrize("seed", range(6))
def test_two_over_L_separates_convergence_from_divergence(seed: int) -> None:
    f, names, A, xstar = random_quadratic(seed, 2 + seed % 3)
    x0 = np.ones(len(names))
    a = analyze(f, x0, variables=names)
    largest = a.L
    assert largest == pytest.approx(np.linalg.eigvalsh(A)[-1], rel=1e-9)
    assert a.max_stable_lr is not None
    good = gradient_descent(f, x0, lr=0.9 * a.max_stable_lr, variables=names, max_steps=5000)
    assert good.status == "converged" and np.allclose(good.x, xstar, atol=1e-5)
    bad = gradient_descent(f, x0, lr=1.1 * a.max_stable_lr, variables=names, max_steps=5000)
    assert bad.status == "diverged" and bad.steps < 1000


@pytest.mark.parametrize("seed", range(6))
def test_newton_lands_on_the_minimum_in_one_step(seed: int) -> None:
    f, names, _, xstar = random_quadratic(seed, 2 + seed % 3)
    run = newton(f, np.full(len(names), 5.0), variables=names)
    assert run.steps == 1 and run.converged
    assert np.allclose(run.x, xstar, atol=1e-9)


@pytest.mark.parametrize("seed", range(3))
def test_best_fixed_step_rate_is_predicted_and_measured(seed: int) -> None:
    f, names, A, _ = random_quadratic(seed, 3)
    eig = np.linalg.eigvalsh(A)
    L, mu = eig[-1], eig[0]
    x0 = np.ones(3)
    a = analyze(f, x0, variables=names)
    assert a.best_lr == pytest.approx(2 / (L + mu), rel=1e-9)
    assert a.best_rate == pytest.approx((L - mu) / (L + mu), rel=1e-9)
    run = gradient_descent(f, x0, lr=a.best_lr, variables=names, max_steps=5000, tol=1e-11)
    assert run.converged and run.analysis is not None
    assert run.analysis.predicted_rate == pytest.approx(a.best_rate, rel=1e-9)
    assert run.measured_rate() == pytest.approx(a.best_rate, abs=0.02)
