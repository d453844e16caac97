"""Topic 7 — applications: L2 regularisation, linear and logistic regression, PCA."""

from __future__ import annotations

import random

import sympy as sp

from calcml.expr import sigmoid
from calcml.learn.answers import show
from calcml.learn.problems.base import Problem, generator
from calcml.learn.problems.kit import b, expression, nonzero, number, pick, tex, txt, vector, w
from calcml.learn.worked import derivative, gradient, worked


@generator("l2-gradient")
def l2_gradient(rng: random.Random, difficulty: int) -> Problem:
    x0, y0 = nonzero(rng, -3, 3), nonzero(rng, -4, 4)
    lam = pick(rng, [sp.Rational(1, 10), sp.Rational(1, 2), sp.Integer(1), sp.Integer(2)])
    data = (w * x0 - y0) ** 2
    if difficulty == 3:
        data = sp.log(1 + sp.exp(-y0 * w * x0))
    loss = data + lam / 2 * w**2
    answer = sp.diff(loss, w)
    sol = derivative(loss, w)
    d_data = sp.diff(data, w)
    mistakes = {"l2_factor": d_data + 2 * lam * w}
    if difficulty < 3:
        mistakes["chain_factor"] = 2 * (w * x0 - y0) + lam * w
    return Problem(
        "l2-gradient",
        f"The L2-regularised loss is L(w) = {txt(data)} + (λ/2)·w² with λ = {txt(lam)}. "
        "Find dL/dw.",
        rf"L(w) = {tex(data)} + \frac{{\lambda}}{{2}} w^2,\ \lambda = {tex(lam)},\quad "
        r"\frac{dL}{dw} = ?",
        expression(answer, [w], None),
        [
            "Differentiate the data term and the penalty separately.",
            "d/dw (λ/2)w² = λw: the penalty pulls w towards 0 (weight decay).",
        ],
        sol,
        mistakes,
    )


@generator("linear-regression-step")
def linear_regression_step(rng: random.Random, difficulty: int) -> Problem:
    n = 2 if difficulty < 3 else 3
    xs = [nonzero(rng, -2, 3) for _ in range(n)]
    ys = [nonzero(rng, -4, 4, ()) for _ in range(n)]
    w0, b0 = (0, 0) if difficulty == 1 else (nonzero(rng, -2, 2), nonzero(rng, -2, 2))
    eta = pick(rng, [sp.Rational(1, 10), sp.Rational(1, 20), sp.Rational(1, 4)])
    pairs = list(zip(xs, ys, strict=True))
    loss = sp.Rational(1, n) * sp.Add(*[(w * xi + b - yi) ** 2 for xi, yi in pairs])
    grad = gradient(loss, [w, b])
    at = {w: w0, b: b0}
    g = grad.result.subs(at)
    p = sp.Matrix([w0, b0])
    new = p - eta * g
    data = ", ".join(f"({xi}, {yi})" for xi, yi in pairs)
    sol = worked(
        "[w, b] after one step",
        loss,
        new,
        [
            ("gradient", f"∇L at (w, b) = ({w0}, {b0})", grad.result, g),
            ("step", f"[w, b] ← [w, b] − η·∇L with η = {eta}", p, new),
        ],
        components=[grad],
    )
    return Problem(
        "linear-regression-step",
        f"Linear regression ŷ = w·x + b on the points (x, y) = {data} with the mean squared "
        f"error. Starting from w = {w0}, b = {b0}, take one gradient-descent step with η = {eta}. "
        "Give [w, b].",
        rf"L(w, b) = {tex(loss)},\ (w_0, b_0) = ({w0}, {b0}),\ \eta = {tex(eta)}",
        vector(list(new)),
        [
            "∂L/∂w = (2/n)Σ(ŷᵢ − yᵢ)·xᵢ and ∂L/∂b = (2/n)Σ(ŷᵢ − yᵢ).",
            "Then [w, b] ← [w, b] − η·∇L.",
        ],
        sol,
        {"gd_ascent": p + eta * g, "mse_two": p - eta * g / 2, "mse_mean": p - eta * n * g},
    )


@generator("logistic-regression-gradient")
def logistic_regression_gradient(rng: random.Random, difficulty: int) -> Problem:
    n = 2
    xs = [nonzero(rng, -2, 3) for _ in range(n)]
    ys = [0, 1] if rng.random() < 0.5 else [1, 0]
    w0, b0 = (0, 0) if difficulty == 1 else (nonzero(rng, -1, 1), nonzero(rng, -1, 1, ()))
    pairs = list(zip(xs, ys, strict=True))
    ps = [sigmoid(sp.Integer(w0 * xi + b0)) for xi in xs]
    value = sp.Rational(1, n) * sp.Add(
        *[(p - yi) * xi for p, (xi, yi) in zip(ps, pairs, strict=True)]
    )
    wrong_sign = -value
    no_x = sp.Rational(1, n) * sp.Add(*[(p - yi) for p, (_, yi) in zip(ps, pairs, strict=True)])
    loss = -sp.Rational(1, n) * sp.Add(
        *[
            yi * sp.log(sigmoid(w * xi + b)) + (1 - yi) * sp.log(1 - sigmoid(w * xi + b))
            for xi, yi in pairs
        ]
    )
    general = derivative(loss, w)
    data = ", ".join(f"({xi}, {yi})" for xi, yi in pairs)
    sol = worked(
        "∂L/∂w",
        loss,
        value,
        [
            ("predictions", "pᵢ = σ(w·xᵢ + b) at the current parameters", None, None),
            ("gradient", "∂L/∂w = (1/n)Σ(pᵢ − yᵢ)·xᵢ", general.result.subs({w: w0, b: b0}), value),
        ],
        components=[general],
    )
    return Problem(
        "logistic-regression-gradient",
        f"Logistic regression p = σ(w·x + b) with mean cross-entropy loss on the points "
        f"(x, y) = {data}, at w = {w0}, b = {b0}. Find ∂L/∂w (a number).",
        rf"L = {tex(loss)},\ w = {w0},\ b = {b0},\ \frac{{\partial L}}{{\partial w}} = ?",
        number(value),
        [
            "For cross-entropy with a sigmoid, ∂L/∂z = p − y.",
            "∂L/∂w = (1/n)Σ(pᵢ − yᵢ)·xᵢ; σ(0) = 1/2.",
        ],
        sol,
        {"ce_sign": wrong_sign, "chain_factor": no_x},
    )


@generator("first-principal-component")
def first_principal_component(rng: random.Random, difficulty: int) -> Problem:
    p, q = pick(rng, [(1, 1), (1, 2), (2, 1), (1, -1), (3, 4), (1, -2)][: 2 + 2 * difficulty])
    big, small = nonzero(rng, 3, 6), nonzero(rng, 1, 2)
    u, v = sp.Matrix([p, q]), sp.Matrix([-q, p])
    C = big * u * u.T + small * v * v.T
    eig = C.eigenvects()
    lam_max = max(ev[0] for ev in eig)
    sol = worked(
        "first principal component",
        C,
        u,
        [
            ("eigenvalues", "Solve det(C − λI) = 0", C, sp.Matrix(sorted(ev[0] for ev in eig))),
            ("largest", f"The largest eigenvalue is λ = {lam_max}: the most variance", None, None),
            ("eigenvector", "Solve (C − λI)v = 0", C - lam_max * sp.eye(2), u),
        ],
    )
    return Problem(
        "first-principal-component",
        f"The covariance matrix of some centred 2-D data is C = {show(C, 'matrix')}. Give the "
        "direction of the first principal component as [a, b] (any nonzero multiple is right).",
        rf"C = {tex(C)},\ \mathbf{{v}}_1 = ?",
        vector([p, q], direction=True),
        [
            "The principal components are the eigenvectors of C.",
            "The first one belongs to the largest eigenvalue.",
            "Solve det(C − λI) = 0, then (C − λI)v = 0.",
        ],
        sol,
        {"pca_smallest": v},
    )
