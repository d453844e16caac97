"""Which sentence `Analysis._lr_sentence` picks at the edges of its cases (a zero eigenvalue, the
edge of stability, no curvature, a saddle with momentum), and its fixed wording. Eigenvalues are
given here, so each case is chosen by hand; the growth factor at a saddle is computed in the
test from the 2 × 2 momentum iteration with NumPy, independently of calcml."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from calcml.optim.analysis import Analysis, analyze, spectral_radius

ZERO = "the Hessian has a zero eigenvalue"
EDGE = "sits at the edge"
BELOW = "so every direction shrinks"


def sentence(
    eigenvalues: list[float], lr: float, momentum: float = 0.0, nesterov: bool = False
) -> str:
    a = Analysis(
        objective="f",
        point=np.zeros(len(eigenvalues)),
        eigenvalues=np.array(eigenvalues, dtype=np.float64),
        lr=lr,
        momentum=momentum,
        nesterov=nesterov,
    )
    return a._lr_sentence(lr)


@pytest.mark.parametrize(
    ("eigenvalues", "lr", "expected"),
    [
        ([1e-12, 1.0], 1.0, ZERO),  # |μ| = 10⁻¹²·L exactly: counted as zero
        ([2e-12, 4.0], 0.25, ZERO),  # the bound scales with L: 2·10⁻¹² ≤ 10⁻¹²·4
        ([1.5e-12, 1.0], 0.5, EDGE),  # above 10⁻¹²·max(1, L): not zero, yet rate ≈ 1
        ([1e-11, 1.0], 0.05, EDGE),
        ([0.0, 1.0], 2.0, EDGE),  # lr = 2/L exactly is not below the limit
        ([0.0, 1.0], 1.0, ZERO),
        ([1e-12, 1.0], 1.9, BELOW),  # rate 1 − 1.9·10⁻¹² < 1 − 10⁻¹²: shrinking, slowly
    ],
)
def test_the_flat_direction_and_the_edge_are_told_apart(
    eigenvalues: list[float], lr: float, expected: str
) -> None:
    assert expected in sentence(eigenvalues, lr)


def test_the_fixed_wording_of_each_case() -> None:
    zero = sentence([0.0, 1.0], 1.0)
    assert zero.endswith(
        "but the Hessian has a zero eigenvalue: along that flat direction f has no curvature "
        "to second order, so nothing there pulls the steps toward a minimum (f may be "
        "linear, or flatter than a quadratic, that way)."
    )
    diverging = sentence([1.0, 4.0], 1.0)
    assert diverging.endswith(
        "|1 − lr·L| = 3 > 1: every step overshoots the minimum by more than it corrects, and "
        "the iterates grow."
    )
    saddle = sentence([-2.0, 1.0], 0.1)
    assert saddle.endswith("from it, because it is a saddle or a maximum, not a minimum.")
    assert "by 1.2 > 1" in saddle  # |1 − 0.1·(−2)|
    for text in (zero, diverging, saddle, sentence([1.0, 2.0], 0.1)):
        assert " with " not in text and "β" not in text  # no momentum: no "with β = …"


def test_without_curvature_no_step_is_limited() -> None:
    text = analyze("x + 2*y", [1, 1], lr=0.25).explain()
    assert "With lr = 0.25 there is no positive curvature to limit the step." in text


def _growth(a: float, beta: float, nesterov: bool) -> float:
    """Spectral radius of one direction's momentum iteration, from its 2 × 2 matrix."""
    if nesterov:
        M = np.array([[1 - a, beta * (1 - a)], [-a, beta * (1 - a)]])
    else:
        M = np.array([[1 - a, beta], [-a, beta]])
    return float(np.max(np.abs(np.linalg.eigvals(M))))


@pytest.mark.parametrize("nesterov", [False, True])
def test_a_saddle_with_momentum_grows_by_the_momentum_iteration_factor(nesterov: bool) -> None:
    lr, beta, mu = 0.1, 0.9, -3.0
    text = sentence([mu, 2.0], lr, momentum=beta, nesterov=nesterov)
    kind = "Nesterov momentum" if nesterov else "momentum"
    assert f"a step with {kind} β = 0.9 multiplies the distance" in text
    want = _growth(lr * mu, beta, nesterov)
    assert f"by {want:.6g} > 1" in text
    assert abs(want - abs(1 - lr * mu)) > 1e-3  # the momentum changes the factor


def _analysis(eigenvalues: list[float], **kw: object) -> Analysis:
    return Analysis("f", np.zeros(len(eigenvalues)), np.array(eigenvalues, dtype=float), **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize("L", [0.5, 0.01, 3.0])
def test_the_stable_limit_is_two_over_L_for_any_positive_L(L: float) -> None:
    assert _analysis([0.1 * L, L]).stable_limit() == pytest.approx(2 / L)
    assert _analysis([0.0, 0.0]).stable_limit() is None
    assert _analysis([-1.0, 0.0]).stable_limit() is None


def test_explain_opens_with_the_eigenvalues_and_joins_sentences_with_a_space() -> None:
    text = analyze("x^2 - y^2", [0, 0]).explain()
    assert text.startswith("At (0, 0) the Hessian has eigenvalues -2, 2: L = 2, μ = -2 ≤ 0, so f")
    text = analyze("x^2 + 2*y^2", [1, 1]).explain()
    assert "κ = L/μ = 2. A fixed step is stable only below 2/L = 0.5:" in text


def test_spectral_radius_defaults_to_no_momentum_and_heavy_ball() -> None:
    a = np.array([0.5, 1.5, 3.0])
    assert np.allclose(spectral_radius(a), np.abs(1 - a))
    beta = 0.5
    heavy = [_growth(v, beta, nesterov=False) for v in a]
    assert np.allclose(spectral_radius(a, beta), heavy)


def test_a_path_from_zero_curvature_that_stays_at_zero_is_steady() -> None:
    zero = np.array([0.0])
    a = _analysis([0.0], lr=0.1, path=[(0, zero, zero), (5, zero, np.array([1e-301]))])
    run = SimpleNamespace(status="max_steps", measured_rate=lambda: None)
    assert a._path_sentence(run) == ""  # type: ignore[arg-type]
