"""Newton's method: one step on quadratics, Rosenbrock, and damping where the Hessian fails."""

from __future__ import annotations

import numpy as np
import pytest

from calcml.errors import CalcmlError
from calcml.optim import newton


def test_newton_solves_a_quadratic_in_one_step() -> None:
    run = newton("3*(x - 1)^2 + 2*(x - 1)*(y + 2) + 5*(y + 2)^2 + 7", [10, -10])
    assert run.status == "converged"
    assert run.steps == 1
    assert np.allclose(run.x, [1, -2], atol=1e-12)
    assert run.loss == pytest.approx(7)


def test_newton_minimises_rosenbrock() -> None:
    run = newton("(1 - x)^2 + 100*(y - x^2)^2", [-1.2, 1])
    assert run.status == "converged"
    assert np.allclose(run.x, [1, 1], atol=1e-8)
    assert run.steps < 40


def test_singular_hessian_is_said_and_damped() -> None:
    run = newton("x^4 + y^2", [0, 1])  # ∂²f/∂x² = 0 at x = 0
    assert run.status == "converged"
    assert any("singular" in note for note in run.notes)
    assert "singular" in run.explain()


def test_indefinite_hessian_is_damped_not_followed_uphill() -> None:
    run = newton("x^4 - x^2 + y^2", [0.1, 1])  # f″ < 0 near x = 0: plain Newton heads to the max
    assert run.status == "converged"
    assert abs(abs(run.x[0]) - np.sqrt(0.5)) < 1e-6
    assert any("not positive definite" in note for note in run.notes)


def test_kink_does_not_crash_newton() -> None:
    run = newton("abs(x) + y^2", [0, 1])  # the minimum is (0, 0); f″ is undefined at x = 0
    assert run.status == "converged"
    assert np.allclose(run.x, [0, 0], atol=1e-8)
    assert "the Hessian was undefined" in run.notes[0] and "gradient step" in run.notes[0]


def test_negative_damping_is_refused() -> None:
    with pytest.raises(CalcmlError, match="damping"):
        newton("x^2", [1], damping=-1)


def test_explicit_damping_is_recorded() -> None:
    run = newton("x^2 + y^2", [1, 1], damping=1.0)
    assert run.converged and run.steps > 1  # damped steps are shorter than Newton's
    assert run.settings["damping"] == 1.0


def test_newton_says_linear_not_quadratic_at_a_degenerate_point() -> None:
    run = newton("x^3", [1.0])  # f″(0) = 0: Newton halves x each step
    assert run.converged
    text = run.explain()
    assert "only linearly" in text and "quadratically" not in text


def test_newton_on_a_function_without_minimum_says_the_iterates_kept_moving() -> None:
    run = newton("exp(x)", [0.0])  # the gradient e^x → 0 as x → −∞, one unit step at a time
    assert any("still moving" in note for note in run.notes)
    assert "quadratically" not in run.explain()


def test_newton_reaching_a_saddle_classifies_it() -> None:
    run = newton("x^2 - y^2", [1, 0])
    assert run.converged
    assert any("saddle point, not a minimum" in note for note in run.notes)


def test_newton_at_a_true_minimum_is_not_flagged() -> None:
    run = newton("(1 - x)^2 + 100*(y - x^2)^2", [-1.2, 1])
    assert not any("saddle" in n or "singular" in n or "moving" in n for n in run.notes)
    assert "quadratically" in run.explain()


def test_newton_stalled_at_a_kink_names_it() -> None:
    run = newton("abs(x) + y^2", [1, 1], max_steps=30)
    assert run.status != "converged"
    assert any("kink" in note for note in run.notes)


def test_newton_refuses_a_start_where_the_gradient_is_undefined() -> None:
    with pytest.raises(CalcmlError, match="start point"):
        newton("sqrt(x^2 + y^2)", [0, 0])  # the cone's tip: ∇f = 0/0


def test_newton_stuck_at_a_cone_tip_says_f_is_not_differentiable_there() -> None:
    run = newton("sqrt(x^2 + y^2)", [1, 1])  # |∇f| = 1 however close to the tip
    assert run.status != "converged"
    assert any("not differentiable" in note for note in run.notes)


def test_tiny_learning_rate_is_not_mistaken_for_a_kink() -> None:
    from calcml.optim import gradient_descent

    run = gradient_descent("x^2 + 10*y^2", [1, 1], lr=1e-9, max_steps=50)
    assert run.status == "max_steps" and not run.notes
