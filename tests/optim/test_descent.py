"""Gradient descent, momentum, line search and Adam: statuses, histories, explanations."""

from __future__ import annotations

import json

import numpy as np
import pytest

from calcml.errors import CalcmlError, ShapeError
from calcml.optim import adam, analyze, gradient_descent

QUAD = "x^2 + 10*y^2"  # Hessian diag(2, 20): L = 20, μ = 2, 2/L = 0.1
ROSENBROCK = "(1 - x)^2 + 100*(y - x^2)^2"


def test_descent_just_under_two_over_L_converges_and_says_why() -> None:
    lr = 0.9 * analyze(QUAD, [1, 1]).max_stable_lr
    run = gradient_descent(QUAD, [1, 1], lr=lr, max_steps=2000)
    assert run.status == "converged"
    assert np.allclose(run.x, 0, atol=1e-5)
    assert "below 2/L" in run.explain()


def test_descent_just_over_two_over_L_diverges_early_and_says_why() -> None:
    lr = 1.1 * analyze(QUAD, [1, 1]).max_stable_lr
    run = gradient_descent(QUAD, [1, 1], lr=lr, max_steps=5000)
    assert run.status == "diverged"
    assert run.steps < 100  # detected early, not after a flood of NaNs
    assert np.all(np.isfinite(run.losses))
    assert "exceeds 2/L" in run.explain()


def test_descent_exactly_at_two_over_L_oscillates() -> None:
    run = gradient_descent(QUAD, [1, 1], lr=0.1, max_steps=200)
    assert run.status == "oscillating"


def test_slow_descent_stops_at_max_steps() -> None:
    run = gradient_descent(QUAD, [1, 1], lr=1e-4, max_steps=20)
    assert run.status == "max_steps"
    assert run.steps == 20


def test_overflow_is_caught_as_divergence() -> None:
    run = gradient_descent("x^4", [10.0], lr=1.0)
    assert run.status == "diverged"
    assert run.steps < 10


def test_measured_rate_matches_prediction_on_a_quadratic() -> None:
    run = gradient_descent(QUAD, [1, 1], lr=0.05, max_steps=2000, tol=1e-10)
    a = analyze(QUAD, [1, 1], run=run)
    assert a.predicted_rate == pytest.approx(0.9)
    assert a.measured_rate == pytest.approx(0.9, abs=1e-6)


def test_best_fixed_step_beats_others() -> None:
    a = analyze(QUAD, [1, 1])
    best = gradient_descent(QUAD, [1, 1], lr=a.best_lr, tol=1e-8).steps
    for lr in (0.5 * a.best_lr, 1.05 * a.best_lr):
        assert gradient_descent(QUAD, [1, 1], lr=lr, tol=1e-8).steps >= best


def test_history_has_params_loss_grad_norm_and_step_size() -> None:
    run = gradient_descent(QUAD, [1, 1], lr=0.05, max_steps=10, tol=0)
    assert run.params.shape == (11, 2)
    assert run.losses.shape == run.grad_norms.shape == (11,)
    assert run.step_sizes.shape == (10,)
    assert run.losses[0] == pytest.approx(11.0)
    assert run.grad_norms[0] == pytest.approx(np.hypot(2, 20))
    assert np.all(np.diff(run.losses) < 0)


def test_momentum_and_nesterov_converge_faster_on_an_ill_conditioned_quadratic() -> None:
    f = "x^2 + 100*y^2"
    plain = gradient_descent(f, [1, 1], lr=0.005, max_steps=5000).steps
    heavy = gradient_descent(f, [1, 1], lr=0.005, momentum=0.8, max_steps=5000)
    nesterov = gradient_descent(f, [1, 1], lr=0.005, momentum=0.8, nesterov=True, max_steps=5000)
    assert heavy.converged and nesterov.converged
    assert heavy.steps < plain and nesterov.steps < plain
    assert "momentum" in heavy.method


def test_line_search_minimises_rosenbrock() -> None:
    run = gradient_descent(
        ROSENBROCK, [-1.2, 1], lr=1.0, line_search=True, max_steps=30000, tol=1e-4
    )
    assert run.status == "converged"
    assert np.allclose(run.x, [1, 1], atol=1e-3)
    assert np.all(run.step_sizes <= 1.0)


def test_adam_makes_progress_on_rosenbrock() -> None:
    run = adam(ROSENBROCK, [-1.2, 1], lr=0.02, max_steps=3000)
    assert run.loss < 1e-3
    assert run.method == "Adam"


def test_variables_fix_the_coordinate_order() -> None:
    run = gradient_descent("(a - 1)^2 + (b - 2)^2", [0, 0], lr=0.25, variables=["b", "a"])
    assert run.names == ("b", "a")
    assert np.allclose(run.x, [2, 1], atol=1e-5)


def test_run_renders_and_serialises() -> None:
    run = gradient_descent(QUAD, [1, 1], lr=0.11)
    data = json.loads(json.dumps(run.to_dict()))
    assert data["status"] == "diverged"
    assert data["history"]["loss"][0] == 11.0
    assert data["expression"]["text"] == "x² + 10·y²"
    assert set(data["expression"]) == {"expr", "latex", "text"}
    assert "diverged" in run.text() and run.markdown().startswith("**gradient descent**")
    assert "diverged" in run.latex()


@pytest.mark.parametrize("lr", [0, -0.1, float("nan")])
def test_learning_rate_must_be_positive(lr: float) -> None:
    with pytest.raises(CalcmlError, match="learning rate"):
        gradient_descent(QUAD, [1, 1], lr=lr)


def test_start_point_of_wrong_dimension_is_refused() -> None:
    with pytest.raises(ShapeError, match="2 variable"):
        gradient_descent(QUAD, [1, 1, 1])


def test_non_finite_start_point_is_refused() -> None:
    with pytest.raises(CalcmlError, match="non-finite"):
        gradient_descent(QUAD, [1, float("nan")])


def test_momentum_outside_unit_interval_is_refused() -> None:
    with pytest.raises(CalcmlError, match="momentum"):
        gradient_descent(QUAD, [1, 1], momentum=1.0)


@pytest.mark.parametrize(("momentum", "nesterov"), [(0.5, False), (0.9, False), (0.9, True)])
def test_momentum_run_compares_its_measured_rate_with_the_momentum_prediction(
    momentum: float, nesterov: bool
) -> None:
    run = gradient_descent(
        QUAD, [1, 1], lr=0.05, momentum=momentum, nesterov=nesterov, max_steps=5000, tol=1e-12
    )
    assert run.converged and run.analysis is not None
    predicted = run.analysis.predicted_rate
    assert predicted == pytest.approx(run.analysis.rate(0.05))
    assert predicted != pytest.approx(run.analysis.best_rate, abs=1e-3)  # not plain GD's rate
    assert run.measured_rate() == pytest.approx(predicted, abs=0.02)


@pytest.mark.parametrize("nesterov", [False, True])
def test_momentum_stability_limit_separates_convergence_from_divergence(nesterov: bool) -> None:
    limit = analyze(QUAD, [1, 1], momentum=0.5, nesterov=nesterov).stable_limit()
    assert limit == pytest.approx(0.15 if not nesterov else 0.075)  # 2(1+β)/L, 2(1+β)/((1+2β)L)
    kw = {"momentum": 0.5, "nesterov": nesterov, "max_steps": 5000}
    assert gradient_descent(QUAD, [1, 1], lr=0.9 * limit, **kw).status == "converged"
    bad = gradient_descent(QUAD, [1, 1], lr=1.1 * limit, **kw)
    assert bad.status == "diverged"
    assert "exceeds" in bad.explain()


def test_line_search_run_claims_no_fixed_step_rate() -> None:
    run = gradient_descent(QUAD, [1, 1], lr=0.5, line_search=True)
    assert run.analysis is not None and run.analysis.predicted_rate is None
    assert "no fixed-step rate" in run.explain()
    assert "line search" in run.text().splitlines()[0]


def test_descent_converging_to_a_saddle_says_it_is_not_a_minimum() -> None:
    run = gradient_descent("x^2 - y^2", [1, 0], lr=0.1)  # y = 0 is the saddle's stable line
    assert run.status == "converged"
    assert any("saddle point, not a minimum" in note for note in run.notes)
    assert "exceeds 2/L" not in run.explain()


def test_adam_converging_to_a_minimum_adds_no_warning() -> None:
    run = adam("(x - 1)^2 + (y + 1)^2", [0, 0], lr=0.05, max_steps=5000, tol=1e-8)
    assert run.converged and not run.notes


def test_kinked_function_that_stalls_says_why() -> None:
    run = gradient_descent("abs(x) + y^2", [1, 1], lr=0.1, max_steps=100)
    # x walks 1, 0.9, ..., 0 in steps of lr·sign(x), then bounces across the kink at x = 0
    assert run.status == "oscillating"
    assert abs(run.x[0]) <= 0.1 + 1e-12 and "reversing direction" in run.reason
    assert [n for n in run.notes if "f has a kink" in n]
    text = run.explain()
    assert "kink" in text
    assert "sits at the edge" not in text  # λ = 0 is a flat direction, not lr = 2/L


def test_slow_zigzag_reports_how_much_the_loss_still_fell() -> None:
    run = gradient_descent(QUAD, [1, 1], lr=0.0999, max_steps=60)
    assert run.status == "oscillating"
    assert "no longer falls" not in run.reason and "fell only" in run.reason


def test_adam_iterates_match_hips_autograd_adam() -> None:
    import autograd
    import autograd.misc.optimizers as optimizers

    def f(v):  # type: ignore[no-untyped-def]
        return (1 - v[0]) ** 2 + 100 * (v[1] - v[0] ** 2) ** 2

    seen: list[np.ndarray] = []
    final = optimizers.adam(
        lambda x, i: autograd.grad(f)(x),
        np.array([-1.2, 1.0]),
        callback=lambda x, i, g: seen.append(x.copy()),
        num_iters=50,
        step_size=0.02,
    )
    run = adam(ROSENBROCK, [-1.2, 1], lr=0.02, max_steps=50, tol=0)
    assert np.allclose(run.params[:50], seen, rtol=0, atol=1e-12)
    assert np.allclose(run.params[50], final, rtol=0, atol=1e-12)


@pytest.mark.parametrize(
    ("f", "x0"), [("log(x)", [0.0]), ("x^y", [-1.5, 0.5]), ("exp(exp(x))", [10.0])]
)
def test_start_outside_the_domain_is_bad_input_not_a_run(f: str, x0: list[float]) -> None:
    for method in (gradient_descent, adam):
        with pytest.raises(CalcmlError, match="start point"):
            method(f, x0)


@pytest.mark.parametrize("settings", [{"lr": "a"}, {"max_steps": 2.5}, {"tol": float("inf")}])
def test_settings_of_the_wrong_type_are_refused(settings: dict) -> None:  # type: ignore[type-arg]
    with pytest.raises(CalcmlError):
        gradient_descent(QUAD, [1, 1], **settings)


def test_slow_blow_up_cut_short_by_max_steps_is_still_divergence() -> None:
    run = gradient_descent(QUAD, [1, 1], lr=1.01 * 0.1, max_steps=100)  # |1 − lr·L| = 1.02
    assert run.status == "diverged"
    assert "still growing" in run.reason
    assert "exceeds 2/L" in run.explain()


def test_a_deep_minimum_is_not_mistaken_for_falling_without_bound() -> None:
    deep = gradient_descent("(x - 10000000)^2 - 100000000000000", [0], lr=0.25)
    assert deep.status == "converged"
    assert deep.x == pytest.approx([1e7])
    unbounded = gradient_descent("-x^2", [1], lr=0.1)
    assert unbounded.status == "diverged" and "without bound" in unbounded.reason


def test_method_names_keep_their_capitals_in_sentences() -> None:
    run = gradient_descent(QUAD, [1, 1], lr=0.01, momentum=0.5, nesterov=True)
    assert run.explain().startswith("Gradient descent with Nesterov momentum")
    run = gradient_descent(QUAD, [1, 1], lr=0.5, line_search=True)
    assert run.explain().startswith("Gradient descent with Armijo line search")
