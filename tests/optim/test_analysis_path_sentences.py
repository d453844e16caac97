"""The sentence that says the start's quadratic model does not hold along a run's path
(`Analysis._path_sentence`), for each ending: f curving down, the curvature growing past 2/lr,
a flat end (sublinear), and a different end rate. Curvatures along the path are given here, so
every rate in the expected text is computed in the test as max|1 − lr·λ| (the linear model),
independently of calcml; numbers are printed with six significant digits.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from calcml.optim.analysis import Analysis


def rate(lr: float, eig: list[float]) -> float:
    return max(abs(1 - lr * v) for v in eig)


def sentence(
    path: list[tuple[int, list[float], list[float]]],
    lr: float | None = 0.1,
    status: str = "max_steps",
    measured: float | None = None,
    momentum: float = 0.0,
    nesterov: bool = False,
) -> str:
    e0 = np.array(path[0][2])
    a = Analysis(
        objective="f",
        point=np.array(path[0][1]),
        eigenvalues=e0,
        lr=lr,
        momentum=momentum,
        nesterov=nesterov,
        path=[(k, np.array(p), np.array(e)) for k, p, e in path],
    )
    run = SimpleNamespace(status=status, measured_rate=lambda: measured)
    return a._path_sentence(run)  # type: ignore[arg-type]


def g6(v: float) -> str:
    return f"{v:.6g}"


def test_curvature_that_grows_past_two_over_lr_is_named() -> None:
    lr, e0, e1 = 0.1, [1.0, 2.0], [1.0, 25.0]
    text = sentence([(0, [1.0, 1.0], e0), (7, [0.5, 0.5], e1)], lr=lr)
    assert text == (
        f"The quadratic model at the start (curvature [1, 2], predicted rate "
        f"{g6(rate(lr, e0))} per step) does not hold along this path: the curvature measured at "
        "steps 0, 7 was [1, 2], [1, 25]. The curvature grew to 25, above 2/lr = 20: the same "
        "step that was stable at the start overshoots there."
    )


def test_negative_curvature_at_the_end_is_a_saddle_or_maximum() -> None:
    text = sentence([(0, [1.0], [1.0]), (2, [0.5], [0.25]), (4, [0.3], [-0.5])])
    assert text.endswith(
        "the curvature measured at steps 0, 2, 4 was 1, 0.25, -0.5. At step 4 f curves down "
        "along one direction (λ = -0.5 at (0.3)): f is not convex, and the iterate is on a "
        "slope near a saddle or a maximum, not settling into a minimum."
    )


def test_a_flat_end_is_explained_as_sublinear_with_the_measured_rate() -> None:
    lr, e1 = 0.1, [0.01]
    text = sentence([(0, [1.0], [2.0]), (9, [0.1], e1)], lr=lr, measured=0.998)
    assert text.endswith(
        "Near (0.1) the curvature is almost 0 (λ = 0.01): f is flatter than a quadratic there "
        "(a minimum where f″ = 0, or a plateau), so each step shrinks the error by only "
        f"1 − lr·λ ≈ {g6(rate(lr, e1))}, a factor that tends to 1. The convergence is "
        "sublinear, slower than any fixed linear rate (measured rate 0.998 per step)."
    )


def test_another_end_rate_is_given_with_the_curvature_there() -> None:
    lr, e0, e1 = 0.1, [2.0], [8.0]
    text = sentence([(0, [1.0], e0), (3, [0.2], e1)], lr=lr)
    assert f"predicted rate {g6(rate(lr, e0))} per step" in text
    assert text.endswith(
        f"At the end the curvature is 8, so the rate there is {g6(rate(lr, e1))} per step, not "
        "the rate predicted at the start."
    )


def test_a_start_where_the_step_is_unstable_says_so() -> None:
    lr, e0 = 0.1, [25.0]
    assert rate(lr, e0) >= 1
    text = sentence([(0, [1.0], e0), (3, [0.2], [8.0])], lr=lr)
    assert text.startswith(
        "The quadratic model at the start (curvature 25, under which this fixed step would not "
        "converge) does not hold"
    )


@pytest.mark.parametrize(
    ("end", "changed"),
    [
        (2.9, False),  # within half the start's curvature scale (2): the model holds
        (1.1, False),
        (3.1, True),  # beyond it: the model does not hold
        (0.9, True),
        (3.0, False),  # exactly half the scale still holds
        (1.0, False),
    ],
)
def test_the_model_holds_while_the_curvature_stays_within_half_its_scale(
    end: float, changed: bool
) -> None:
    text = sentence([(0, [1.0], [2.0]), (5, [0.5], [end])])
    assert bool(text) is changed
    two_d = sentence([(0, [1.0, 1.0], [0.5, 2.0]), (5, [0.5, 0.5], [0.5, end])])
    assert bool(two_d) is changed  # the scale is the largest eigenvalue, 2


def test_a_converged_run_is_described_where_it_ended() -> None:
    path = [(0, [1.0], [2.0]), (5, [0.5], [8.0])]  # end rate |1 − 0.8| = 0.2
    assert sentence(path, status="converged") == ""
    assert sentence(path, status="max_steps") != ""
    flat = [(0, [1.0], [2.0]), (5, [0.5], [0.01])]  # end rate 0.999 > 0.99: still explained
    assert rate(0.1, [0.01]) > 0.99 and sentence(flat, status="converged") != ""
    down = [(0, [1.0], [2.0]), (5, [0.5], [-0.1])]  # curving down is never "settled"
    assert sentence(down, status="converged") != ""
    zero = [(0, [1.0], [2.0]), (5, [0.5], [0.0])]
    assert sentence(zero, status="converged") != ""


def test_no_path_or_no_fixed_step_gives_no_sentence() -> None:
    assert sentence([(0, [1.0], [2.0])]) == ""
    assert sentence([(0, [1.0], [2.0]), (5, [0.5], [8.0])], lr=None) == ""


def heavy_ball_rate(lr: float, eig: list[float], beta: float) -> float:
    """The larger root modulus of r² − (1 + β − lr·λ)r + β, the worst over λ (NumPy's roots)."""
    return max(max(abs(r) for r in np.roots([1, -(1 + beta - lr * v), beta])) for v in eig)


def test_momentum_rates_are_the_heavy_ball_roots() -> None:
    lr, beta, e0, e1 = 0.1, 0.5, [2.0], [15.0]  # lr·λ = 1.5: below 2(1 + β) = 3, stable
    text = sentence([(0, [1.0], e0), (3, [0.2], e1)], lr=lr, momentum=beta)
    assert f"predicted rate {g6(heavy_ball_rate(lr, e0, beta))} per step" in text
    assert f"the rate there is {g6(heavy_ball_rate(lr, e1, beta))} per step" in text
    grown = sentence([(0, [1.0], e0), (3, [0.2], [31.0])], lr=lr, momentum=beta)
    assert "The curvature grew to 31, above 2/lr = 20" in grown  # lr·λ = 3.1 ≥ 3


def test_the_scale_is_the_largest_curvature_in_size() -> None:
    # start [−4, 1]: the scale is 4 (not 1), so the low end moving by 1.5 keeps the model
    assert sentence([(0, [1.0, 1.0], [-4.0, 1.0]), (5, [0.5, 0.5], [-2.5, 1.0])]) == ""
    # a tiny start curvature is its own scale: moving from 0.001 to 0.02 changes the model
    assert sentence([(0, [1.0], [1e-3]), (5, [0.5], [2e-2])]) != ""


def test_three_directions_show_the_smallest_and_largest_curvature() -> None:
    text = sentence([(0, [1.0, 1.0, 1.0], [1.0, 2.0, 3.0]), (4, [0.5] * 3, [1.0, 5.0, 25.0])])
    assert "was [1, 3], [1, 25]." in text and "The curvature grew to 25" in text
    assert "(curvature [1, 2, 3]," in text


def test_the_boundaries_of_each_ending() -> None:
    # lr·L = 2 exactly: the step overshoots (≥ 2, not > 2)
    assert "grew to 20, above 2/lr = 20" in sentence([(0, [1.0], [2.0]), (3, [0.2], [20.0])])
    # a start rate of exactly 1 does not converge
    start = sentence([(0, [1.0], [20.0]), (3, [0.2], [2.0])])
    assert "under which this fixed step would not converge" in start
    # a curvature of −1e-12·scale is still "almost 0", not curving down
    flat = sentence([(0, [1.0], [2.0]), (3, [0.2], [-2e-12])])
    assert "the curvature is almost 0" in flat and "curves down" not in flat


def nesterov_rate(lr: float, eig: list[float], beta: float) -> float:
    """The larger root modulus of r² − (1 + β)(1 − lr·λ)r + β(1 − lr·λ), worst over λ."""
    return max(
        max(abs(r) for r in np.roots([1, -(1 + beta) * (1 - lr * v), beta * (1 - lr * v)]))
        for v in eig
    )


def test_nesterov_rates_are_its_own_roots() -> None:
    lr, beta, e0, e1 = 0.1, 0.5, [2.0], [12.0]
    assert abs(nesterov_rate(lr, e1, beta) - heavy_ball_rate(lr, e1, beta)) > 1e-3
    text = sentence([(0, [1.0], e0), (3, [0.2], e1)], lr=lr, momentum=beta, nesterov=True)
    assert f"predicted rate {g6(nesterov_rate(lr, e0, beta))} per step" in text
    assert f"the rate there is {g6(nesterov_rate(lr, e1, beta))} per step" in text


def test_only_the_low_end_moving_changes_the_model() -> None:
    # start [0.5, 2] (scale 2): the smallest curvature moves by 1.4 > 1, the largest stays
    assert sentence([(0, [1.0, 1.0], [0.5, 2.0]), (5, [0.5, 0.5], [1.9, 2.0])]) != ""


def test_a_converged_run_with_a_small_positive_end_curvature_is_settled() -> None:
    path = [(0, [1.0], [8.0]), (5, [0.5], [0.5])]  # end rate |1 − 0.05| = 0.95
    assert sentence(path, status="converged") == ""
    # an end rate of exactly 0.99 (lr·λ = 0.01) still counts as settled, and is not "flat"
    edge = [(0, [1.0], [8.0]), (5, [0.5], [0.02])]
    assert rate(0.5, [0.02]) == 0.99
    assert sentence(edge, lr=0.5, status="converged") == ""
    assert "almost 0" not in sentence(edge, lr=0.5)
