"""Objectives from Python functions (autodiff) agree with the symbolic ones."""

from __future__ import annotations

import numpy as np
import pytest

from calcml.optim import as_objective, gradient_descent, newton


def rosenbrock(v: np.ndarray) -> np.ndarray:
    return (1 - v[0]) ** 2 + 100 * (v[1] - v[0] ** 2) ** 2


def test_autodiff_and_symbolic_gradients_and_hessians_agree() -> None:
    auto = as_objective(rosenbrock)
    sym = as_objective("(1 - x)^2 + 100*(y - x^2)^2")
    assert auto.source == "autodiff" and sym.source == "symbolic"
    for p in np.random.default_rng(0).normal(size=(5, 2)):
        assert auto.value(p) == pytest.approx(sym.value(p))
        assert np.allclose(auto.grad(p), sym.grad(p))
        assert auto.hess is not None and sym.hess is not None
        assert np.allclose(auto.hess(p), sym.hess(p))


def test_newton_minimises_rosenbrock_given_as_python_code() -> None:
    run = newton(rosenbrock, [-1.2, 1.0])
    assert run.status == "converged"
    assert np.allclose(run.x, [1, 1], atol=1e-8)
    assert "rosenbrock" in run.objective


def test_descent_on_numpy_code_with_line_search() -> None:
    run = gradient_descent(
        lambda v: np.sum((v - 3.0) ** 2) + np.tanh(v[0]), np.zeros(3), lr=1.0, line_search=True
    )
    assert run.converged
    assert run.x[1:] == pytest.approx([3.0, 3.0], abs=1e-6)


def test_descent_on_numpy_code_diverges_with_status() -> None:
    run = gradient_descent(lambda v: np.sum(5 * v**2), np.ones(4), lr=0.25)  # 2/L = 0.2
    assert run.status == "diverged"
    assert "exceeds 2/L" in run.explain()


def test_functions_written_with_tensor_methods_work_too() -> None:
    run = newton(lambda v: (v * v).sum() + v.tanh().sum(), [1.0, 2.0])
    assert run.converged
    assert np.allclose(2 * run.x + 1 - np.tanh(run.x) ** 2, 0, atol=1e-8)
