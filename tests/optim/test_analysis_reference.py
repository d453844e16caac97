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


def step_map(H: np.ndarray, lr: float, beta: float = 0.0, nesterov: bool = False) -> np.ndarray:
    """One step of fixed-step descent on ½xᵀHx as a matrix on the state (x, v), written from the
    update rules: heavy ball v ← βv − lr·Hx, x ← x + v;
    Nesterov v ← βv − lr·H(x + βv), x ← x + v."""
    n, eye = len(H), np.eye(len(H))
    A = eye - lr * H
    to_v = np.hstack([-lr * H, beta * (A if nesterov else eye)])
    to_x = np.hstack([A, beta * (A if nesterov else eye)])
    M = np.vstack([to_x, to_v])
    assert M.shape == (2 * n, 2 * n)
    return M


def iterate_rate(H: np.ndarray, lr: float, beta: float = 0.0, nesterov: bool = False) -> float:
    """The per-step growth factor of the iteration, measured by running it: from a generic start,
    (‖x_2N‖/‖x_N‖)^(1/N) with N = 2¹¹ steps (the N-fold map by repeated squaring, rescaled so
    nothing overflows)."""
    M = step_map(H, lr, beta, nesterov)
    start = np.linspace(0.81, -0.58, len(M))
    logs, P, scale = [], M, 0.0
    for k in range(12):
        P = P @ P
        size = np.linalg.norm(P)
        P, scale = P / size, 2 * scale + np.log(size)
        if k >= 10:  # P·e^scale = M^(2^(k+1))
            logs.append(np.log(np.linalg.norm(P @ start)) + scale)
    return float(np.exp((logs[1] - logs[0]) / 2**11))


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


@pytest.mark.parametrize("seed", range(10))
def test_json_and_renderings_carry_the_same_numbers(seed: int) -> None:
    rng = random.Random(5000 + seed)
    f, H = random_quadratic(rng)
    eig = np.linalg.eigvalsh(H)
    L, mu = eig[-1], eig[0]
    lr = 2 / L * rng.uniform(0.1, 1.5)
    a = analyze(f, [1.5, -0.5], lr=lr)
    want = {
        "point": [1.5, -0.5],
        "eigenvalues": list(eig),
        "L": L,
        "mu": mu,
        "condition_number": L / mu,
        "max_stable_lr": 2 / L,
        "best_lr": 2 / (L + mu),
        "best_rate": (L - mu) / (L + mu),
        "lr": lr,
        "momentum": 0.0,
        "stable_limit": 2 / L,
        "predicted_rate": max(abs(1 - lr * lam) for lam in eig),
        "measured_rate": None,
    }
    data = a.to_dict()
    for key, value in want.items():
        assert data[key] == (None if value is None else pytest.approx(value)), key
    assert data["nesterov"] is False and data["objective"] == a.objective
    assert data["explanation"] == a.explain()
    assert a.text() == f"curvature analysis of {a.objective}\n{a.explain()}"
    latex = a.latex()
    for label, value in [
        ("L", L),
        (r"\mu", mu),
        (r"\kappa", L / mu),
        (r"\frac{2}{L}", 2 / L),
        (r"\frac{2}{L+\mu}", 2 / (L + mu)),
    ]:
        assert printed(re.escape(label) + " =", latex) == pytest.approx(value, rel=1e-5), label
    assert a.markdown() == (
        f"**Curvature analysis** of `{a.objective}`\n\n$ {latex} $\n\n{a.explain()}"
    )


def test_saddle_json_has_no_best_step_and_latex_no_kappa() -> None:
    a = analyze("x^2 - 3*y^2", [0, 0])
    data = a.to_dict()
    assert data["best_lr"] is None and data["best_rate"] is None
    assert data["max_stable_lr"] == pytest.approx(1.0) and data["predicted_rate"] is None
    assert r"\kappa" not in a.latex() and r"\frac{2}{L+\mu}" not in a.latex()
    neg = analyze("-x^2 - y^2", [0, 0])
    assert neg.max_stable_lr is None and neg.stable_limit() is None
    assert r"\frac{2}{L}" not in neg.latex()


@pytest.mark.parametrize("seed", range(6))
def test_a_fixed_step_run_supplies_its_lr_and_its_verdict_quotes_the_rates(seed: int) -> None:
    from calcml.optim import adam, gradient_descent

    rng = random.Random(6000 + seed)
    f, H = random_quadratic(rng)
    eig = np.linalg.eigvalsh(H)
    lr = 2 / eig[-1] * rng.uniform(0.3, 0.9)
    run = gradient_descent(f, [1, 1], lr=lr, max_steps=5000, tol=1e-10)
    assert run.status == "converged"
    a = analyze(f, [1, 1], run=run)
    assert a.lr == lr and not a.adaptive
    predicted = max(abs(1 - lr * lam) for lam in eig)
    assert a.predicted_rate == pytest.approx(predicted)
    assert a.measured_rate == pytest.approx(predicted, rel=0.05)
    verdict = a.verdict(run)
    assert verdict.startswith("From the curvature at the start: the learning rate")
    assert printed(r"Measured rate", verdict) == pytest.approx(a.measured_rate, rel=1e-5)
    assert printed(r"Predicted rate", a.explain()) == pytest.approx(predicted, rel=1e-5)
    # a run whose step changes has no fixed-step rate to predict
    other = analyze(f, [1, 1], run=adam(f, [1, 1], lr=0.05, max_steps=50))
    assert other.adaptive and other.lr is None and other.predicted_rate is None
    assert "no fixed-step rate" in other.explain()


def test_momentum_run_carries_its_momentum_into_the_analysis() -> None:
    from calcml.optim import gradient_descent

    run = gradient_descent("x^2 + 10*y^2", [1, 1], lr=0.02, momentum=0.5, nesterov=True)
    a = analyze("x^2 + 10*y^2", [1, 1], run=run)
    assert (a.lr, a.momentum, a.nesterov) == (0.02, 0.5, True)
    H = np.diag([2.0, 20.0])
    assert a.predicted_rate == pytest.approx(iterate_rate(H, 0.02, 0.5, True), rel=1e-2)
    assert "with Nesterov momentum β = 0.5" in a.explain()


def test_rates_sentence_without_a_given_lr_quotes_the_best_step_rate() -> None:
    from calcml.optim.analysis import Analysis

    a = Analysis("x^2 + 4*y^2", np.array([1.0, 1.0]), np.array([2.0, 8.0]), measured_rate=0.5)
    best = (4 - 1) / (4 + 1)  # κ = 8/2
    assert a.explain().endswith(
        f"Rate at the best fixed step {best:.6g}, measured rate 0.5 (the per-step factor fitted "
        "to the gradient norms over the second half of the run)."
    )
    assert a.to_dict()["measured_rate"] == 0.5


@pytest.mark.parametrize("nesterov", [False, True])
def test_momentum_sentences_name_the_method_and_the_spectral_radius(nesterov: bool) -> None:
    H = np.diag([2.0, 20.0])
    a = analyze("x^2 + 10*y^2", [1, 1], lr=0.02, momentum=0.5, nesterov=nesterov)
    text = a._lr_sentence(0.02)
    kind = "Nesterov momentum" if nesterov else "momentum"
    assert f"with {kind} β = 0.5, so every direction shrinks" in text
    radius = printed(r"the largest spectral radius of the momentum iteration =", text)
    assert radius == pytest.approx(iterate_rate(H, 0.02, 0.5, nesterov), rel=1e-2)
    limit = 2 * 1.5 / (2 * 20) if nesterov else 2 * 1.5 / 20
    fast = analyze("x^2 + 10*y^2", [1, 1], lr=1.2 * limit, momentum=0.5, nesterov=nesterov)
    grows = fast._lr_sentence(1.2 * limit)
    assert "exceeds" in grows and "|1 − lr·L|" not in grows
    assert printed(r"multiplies the error by", grows) == pytest.approx(
        iterate_rate(H, 1.2 * limit, 0.5, nesterov), rel=1e-2
    )


def test_verdict_depends_on_where_the_curvature_was_taken() -> None:
    from calcml.optim import gradient_descent
    from calcml.optim.formatting import vec

    f = "x^2 + 4*y^2"
    run = gradient_descent(f, [1, 1], lr=0.1, max_steps=2000, tol=1e-12)
    assert run.status == "converged"
    at_end = analyze(f, run.x, run=run)
    verdict = at_end.verdict(run)  # taken where the run ended: no "from the curvature at"
    assert verdict.startswith("The learning rate 0.1 is below 2/L = 0.25")
    assert printed("Measured rate", verdict) == pytest.approx(run.measured_rate(), rel=1e-5)
    elsewhere = analyze(f, [0.5, -2.0], run=run)
    assert elsewhere.verdict(run).startswith(f"From the curvature at {vec(np.array([0.5, -2]))}:")
    assert elsewhere.to_dict()["measured_rate"] == pytest.approx(run.measured_rate())
    # no lr in the analysis and none in the run's settings: the plain explanation
    bare = analyze(f, [1, 1])
    assert bare.verdict(run) == bare.explain()


def test_verdict_of_a_run_at_the_edge_or_diverging_has_no_measured_rate() -> None:
    from calcml.optim import gradient_descent

    f = "x^2 + 4*y^2"  # L = 8, 2/L = 0.25
    edge = gradient_descent(f, [1, 1], lr=0.25, max_steps=50)
    a = analyze(f, [1, 1], run=edge)
    assert a.rate(0.25) == pytest.approx(1.0)
    assert "Measured rate" not in a.verdict(edge)
    wild = gradient_descent(f, [1, 1], lr=0.3, max_steps=200)
    assert wild.status == "diverged"
    b = analyze(f, [1, 1], run=wild)
    assert "Measured rate" not in b.verdict(wild) and "exceeds 2/L = 0.25" in b.verdict(wild)


def test_line_search_run_is_not_a_fixed_step() -> None:
    from calcml.optim import gradient_descent

    run = gradient_descent("x^2 + 4*y^2", [1, 1], lr=1.0, line_search=True)
    a = analyze("x^2 + 4*y^2", [1, 1], run=run)
    assert a.adaptive and a.lr is None and a.predicted_rate is None


def test_latex_lists_every_quantity_once() -> None:
    latex = analyze("x^2 + 4*y^2", [1, 1]).latex()
    assert latex.split(r",\quad ") == [
        "L = 8",
        r"\mu = 2",
        r"\kappa = 4",
        r"\frac{2}{L} = 0.25",
        r"\frac{2}{L+\mu} = 0.2",
    ]
