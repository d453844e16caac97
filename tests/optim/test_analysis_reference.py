"""Curvature analysis against references computed here: the Hessian's eigenvalues from NumPy,
rates from a direct iteration of the step map, and every number the explanation prints.

The quadratics are random (seeded): f = a·x² + b·x·y + c·y² has the constant Hessian
[[2a, b], [b, 2c]], whose eigenvalues `np.linalg.eigvalsh` gives without calcml.
"""

from __future__ import annotations

import random
import re

import numpy as np
import pytest

from calcml.optim import analyze

NUMBER = r"(-?\d+(?:\.\d+)?(?:e[-+]?\d+)?|inf)"


def random_quadratic(rng: random.Random, convex: bool = True) -> tuple[str, np.ndarray]:
    """A quadratic in x, y with integer coefficients and its Hessian (written out here)."""
    while True:
        a, b, c = rng.randint(-6, 9), rng.randint(-7, 7), rng.randint(-6, 9)
        H = np.array([[2.0 * a, b], [b, 2.0 * c]])
        eig = np.linalg.eigvalsh(H)
        if convex and eig[0] <= 0.05:
            continue
        if not convex and (eig[0] >= -0.05 or eig[-1] <= 0.05):
            continue
        return f"{a}*x^2 + {b}*x*y + {c}*y^2", H


def iterate_rate(H: np.ndarray, lr: float, beta: float = 0.0, nesterov: bool = False) -> float:
    """The per-step growth factor of fixed-step descent on ½xᵀHx, measured by running it: the
    N-th root of how much a generic error grows over N steps (renormalised to avoid overflow)."""
    state = np.array([0.8137, -0.5812, 0.0, 0.0])  # (x, velocity); generic start
    log_growth, burn_in, steps = 0.0, 200, 3000
    for k in range(burn_in + steps):
        x, v = state[:2], state[2:]
        if nesterov:
            g = H @ (x + beta * v)
            v = beta * v - lr * g
            x = x + v
        else:
            v = beta * v - lr * (H @ x)
            x = x + v
        state = np.concatenate([x, v])
        size = np.linalg.norm(state)
        if k >= burn_in:
            log_growth += np.log(size)
        state /= size
    return float(np.exp(log_growth / steps))


def printed(pattern: str, text: str) -> float:
    """The number printed after `pattern` in `text` (fails when it is not printed)."""
    found = re.search(pattern + r"\s*" + NUMBER, text)
    assert found, f"{pattern!r} not in: {text}"
    return float(found.group(1))


CASES = list(range(40))


@pytest.mark.parametrize("seed", CASES)
def test_eigenvalues_and_step_sizes_match_numpy(seed: int) -> None:
    rng = random.Random(seed)
    f, H = random_quadratic(rng)
    eig = np.linalg.eigvalsh(H)
    L, mu = eig[-1], eig[0]
    a = analyze(f, [rng.uniform(-2, 2), rng.uniform(-2, 2)])
    assert np.allclose(a.eigenvalues, eig)
    assert pytest.approx(L) == a.L and a.mu == pytest.approx(mu)
    assert a.condition_number == pytest.approx(L / mu)
    assert a.max_stable_lr == pytest.approx(2 / L)
    assert a.best_lr == pytest.approx(2 / (L + mu))
    assert a.best_rate == pytest.approx((L / mu - 1) / (L / mu + 1))
    # the best fixed step's rate, measured by running it
    assert a.best_rate == pytest.approx(iterate_rate(H, 2 / (L + mu)), rel=1e-2, abs=1e-3)

    text = a.explain()
    assert printed(r"L =", text) == pytest.approx(L, rel=1e-5)
    assert printed(r"μ =", text) == pytest.approx(mu, rel=1e-5)
    assert printed(r"κ = L/μ =", text) == pytest.approx(L / mu, rel=1e-5)
    assert printed(r"below 2/L =", text) == pytest.approx(2 / L, rel=1e-5)
    assert printed(r"2/\(L \+ μ\) =", text) == pytest.approx(2 / (L + mu), rel=1e-5)
    assert printed(r"\(κ − 1\)/\(κ \+ 1\) =", text) == pytest.approx(
        (L / mu - 1) / (L / mu + 1), rel=1e-5, abs=1e-9
    )
    listed = re.search(r"eigenvalues ([^:]+):", text)
    assert listed
    assert [float(v) for v in listed.group(1).split(", ")] == pytest.approx(list(eig), rel=1e-5)


@pytest.mark.parametrize("seed", CASES)
def test_diverging_step_prints_the_factor_along_the_steepest_direction(seed: int) -> None:
    rng = random.Random(1000 + seed)
    f, H = random_quadratic(rng)
    eig = np.linalg.eigvalsh(H)
    L, mu = eig[-1], eig[0]
    lr = 2 / L * rng.uniform(1.05, 1.9)
    a = analyze(f, [1, -1], lr=lr)
    text = a.explain()
    factor = abs(1 - lr * L)
    assert factor > 1
    assert printed(r"\|1 − lr·L\| =", text) == pytest.approx(factor, rel=1e-5)
    assert printed(r"exceeds 2/L =", text) == pytest.approx(2 / L, rel=1e-5)
    # the factor printed is the growth actually seen when the step runs ...
    assert factor == pytest.approx(iterate_rate(H, lr), rel=1e-2)
    # ... and not the flattest direction's (a slip of L for μ would print this)
    if abs(abs(1 - lr * mu) - factor) > 1e-3 * factor:
        assert printed(r"\|1 − lr·L\| =", text) != pytest.approx(abs(1 - lr * mu), rel=1e-5)
    assert a.rate(lr) == pytest.approx(factor)
    assert a.predicted_rate == pytest.approx(factor)


@pytest.mark.parametrize("seed", CASES)
def test_stable_step_prints_the_slowest_direction_rate_seen_when_iterating(seed: int) -> None:
    rng = random.Random(2000 + seed)
    f, H = random_quadratic(rng)
    eig = np.linalg.eigvalsh(H)
    lr = 2 / eig[-1] * rng.uniform(0.05, 0.95)
    a = analyze(f, [0.5, 2], lr=lr)
    want = max(abs(1 - lr * lam) for lam in eig)
    assert a.rate(lr) == pytest.approx(want)
    assert want == pytest.approx(iterate_rate(H, lr), rel=1e-2, abs=1e-3)
    assert printed(r"max\|1 − lr·λ\| =", a.explain()) == pytest.approx(want, rel=1e-5)
    assert a.to_dict()["predicted_rate"] == pytest.approx(want)


@pytest.mark.parametrize("nesterov", [False, True])
@pytest.mark.parametrize("seed", range(20))
def test_momentum_rate_and_limit_match_the_iteration(seed: int, nesterov: bool) -> None:
    rng = random.Random(3000 + seed)
    f, H = random_quadratic(rng)
    L = np.linalg.eigvalsh(H)[-1]
    beta = rng.choice([0.3, 0.5, 0.9])
    limit = 2 * (1 + beta) / ((1 + 2 * beta) * L) if nesterov else 2 * (1 + beta) / L
    lr = limit * rng.uniform(0.1, 1.6)
    a = analyze(f, [1, 1], lr=lr, momentum=beta, nesterov=nesterov)
    assert a.stable_limit() == pytest.approx(limit)
    measured = iterate_rate(H, lr, beta, nesterov)
    assert a.rate(lr) == pytest.approx(measured, rel=2e-2, abs=2e-3)
    assert (a.rate(lr) < 1) == (lr < limit * (1 - 1e-9)) or abs(a.rate(lr) - 1) < 1e-6
    bound = "2(1 + β)/((1 + 2β)L)" if nesterov else "2(1 + β)/L"
    assert printed(re.escape(bound) + " =", a.explain()) == pytest.approx(limit, rel=1e-5)


@pytest.mark.parametrize("seed", range(20))
def test_saddle_prints_the_growth_along_the_negative_direction(seed: int) -> None:
    rng = random.Random(4000 + seed)
    f, H = random_quadratic(rng, convex=False)
    eig = np.linalg.eigvalsh(H)
    lr = rng.uniform(0.01, 0.3)
    a = analyze(f, [0, 0], lr=lr)
    assert not a.convex and a.condition_number == float("inf")
    text = a.explain()
    assert printed(r"from this point by", text) == pytest.approx(1 - lr * eig[0], rel=1e-5)
    assert printed(r"negative along one direction \(λ =", text) == pytest.approx(eig[0], rel=1e-5)
    assert "exceeds" not in text and "2/(L + μ)" not in text


def test_zero_eigenvalue_is_named_flat_not_the_edge() -> None:
    a = analyze("x^2", [1.0, 2.0], lr=0.5, variables=["x", "y"])
    assert list(a.eigenvalues) == [0.0, 2.0]
    assert "zero eigenvalue" in a.explain()
    b = analyze("x^2 + y^2", [1.0, 2.0], lr=1.0)  # lr·L = 2: |1 − 2| = 1 exactly
    assert "sits at the edge" in b.explain() and b.rate(1.0) == pytest.approx(1.0)
