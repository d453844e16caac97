"""When a run's verdict quotes its measured rate: only for a converged run, with a measured rate,
whose curvature predicts contraction (rate < 1). The curvature facts each case relies on are
computed here with SymPy (the Hessian) and NumPy (its eigenvalues), not taken from calcml."""

from __future__ import annotations

import numpy as np
import sympy as sp

from calcml.optim import analyze, gradient_descent

X, Y = sp.symbols("x y", real=True)


def _eigenvalues(f: sp.Expr, at: tuple[float, float]) -> np.ndarray:
    H = sp.hessian(f, (X, Y)).subs({X: at[0], Y: at[1]})
    return np.linalg.eigvalsh(np.array(H, dtype=float))


def test_a_converged_run_whose_curvature_predicts_no_contraction_quotes_no_measured_rate() -> None:
    # x² + y⁴ at (1, 0): eigenvalues 0 and 2, so with lr = 0.1 the factors are |1 − 0| = 1 and 0.8
    lam = _eigenvalues(X**2 + Y**4, (1.0, 0.0))
    assert np.allclose(lam, [0.0, 2.0])
    assert max(abs(1 - 0.1 * lam)) == 1.0
    run = gradient_descent("x^2 + y^4", [1, 0], lr=0.1, max_steps=2000, tol=1e-10)
    assert run.status == "converged" and run.measured_rate() is not None
    a = analyze("x^2 + y^4", [1, 0], run=run)
    assert a.rate(0.1) == 1.0
    verdict = a.verdict(run)
    assert "Measured rate" not in verdict and "zero eigenvalue" in verdict


def test_an_unfinished_run_quotes_no_measured_rate() -> None:
    lam = _eigenvalues(X**2 + 4 * Y**2, (1.0, 1.0))
    assert max(abs(1 - 0.01 * lam)) < 1  # contraction predicted
    run = gradient_descent("x^2 + 4*y^2", [1, 1], lr=0.01, max_steps=20)
    assert run.status != "converged" and run.measured_rate() is not None
    verdict = analyze("x^2 + 4*y^2", [1, 1], run=run).verdict(run)
    assert "Measured rate" not in verdict and "is below 2/L = 0.25" in verdict


def test_a_run_too_short_to_measure_quotes_no_measured_rate() -> None:
    # lr = 1/2 on x² + y² is Newton's step: x − ½·2x = 0, done in one step
    run = gradient_descent("x^2 + y^2", [1, 1], lr=0.5, max_steps=100)
    assert run.status == "converged" and run.steps <= 2
    assert run.measured_rate() is None
    verdict = analyze("x^2 + y^2", [1, 1], run=run).verdict(run)
    assert "Measured rate" not in verdict and "None" not in verdict


def test_a_measured_rate_of_zero_is_printed_as_zero() -> None:
    a = analyze("x^2 + 10*y^2", [1, 1], lr=0.05)
    a.measured_rate = 0.0
    text = a.explain()
    assert "measured rate 0 (" in text
    assert "measured rate 1 (" not in text
