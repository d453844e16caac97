"""Topic 4 — gradient descent: a step, the learning rate, iterates on a quadratic."""

from __future__ import annotations

import random

import sympy as sp

from calcml.learn.problems.base import Problem, generator
from calcml.learn.problems.kit import nonzero, number, pick, tex, txt, vector, x, y
from calcml.learn.worked import gradient, worked
from calcml.text import operand

RATES = [sp.Rational(1, 10), sp.Rational(1, 4), sp.Rational(1, 20), sp.Rational(1, 2)]


@generator("gd-step")
def gd_step(rng: random.Random, difficulty: int) -> Problem:
    a, c = nonzero(rng, 1, 4), nonzero(rng, 1, 4)
    f = a * x**2 + c * y**2 + nonzero(rng, -3, 3) * x
    if difficulty >= 2:
        f = f + nonzero(rng, -2, 2) * x * y
    if difficulty == 3:
        f = f + x**3 / 3
    eta = pick(rng, RATES[:3])
    p = sp.Matrix([nonzero(rng, -2, 2), nonzero(rng, -2, 2)])
    grad = gradient(f, [x, y])
    g = grad.result.subs({x: p[0], y: p[1]})
    new = p - eta * g
    sol = worked(
        "x₁ = x₀ − η·∇f(x₀)",
        f,
        new,
        [
            ("gradient", f"∇f at x₀ = {tuple(p)}", grad.result, g),
            ("step", f"Step against the gradient with η = {eta}", p, new),
        ],
        components=[grad],
    )
    return Problem(
        "gd-step",
        f"Take one gradient-descent step on f(x, y) = {txt(f)} from (x, y) = {tuple(p)} with "
        f"learning rate η = {eta}. Give the new point [x, y].",
        rf"\mathbf{{x}}_1 = \mathbf{{x}}_0 - \eta \nabla f(\mathbf{{x}}_0),\ f = {tex(f)},"
        rf"\ \mathbf{{x}}_0 = {tuple(p)},\ \eta = {tex(eta)}",
        vector(list(new)),
        [
            "Compute ∇f at the starting point.",
            "x_new = x − η·∇f(x): move against the gradient.",
        ],
        sol,
        {"gd_ascent": p + eta * g},
    )


@generator("lr-stability")
def lr_stability(rng: random.Random, difficulty: int) -> Problem:
    a = nonzero(rng, 1, 8)
    if difficulty == 1:
        f, curvature = sp.Rational(a, 2) * x**2, sp.Integer(a)
    elif difficulty == 2:
        f, curvature = a * x**2, sp.Integer(2 * a)
    else:
        c = nonzero(rng, 1, 8, (0, a))
        f, curvature = sp.Rational(a, 2) * x**2 + sp.Rational(c, 2) * y**2, sp.Integer(max(a, c))
    bound = 2 / curvature
    sol = worked(
        "largest stable η",
        f,
        bound,
        [
            ("curvature", "The largest second derivative (Hessian eigenvalue) is L", f, curvature),
            ("step map", "One step multiplies the error by (1 − η·L)", None, None),
            ("stable", "|1 − η·L| < 1  ⇔  0 < η < 2/L", curvature, bound),
        ],
    )
    return Problem(
        "lr-stability",
        f"Gradient descent runs on f = {txt(f)}. Below which learning rate η does it converge "
        "from every start? Give the bound.",
        rf"f = {tex(f)},\quad \eta < ?",
        number(bound, 1e-6),
        [
            "On a quadratic one step multiplies x by (1 − η·f″).",
            "Convergence needs |1 − η·L| < 1 for the largest curvature L.",
        ],
        sol,
        {"lr_bound": 1 / curvature},
    )


@generator("gd-iterates")
def gd_iterates(rng: random.Random, difficulty: int) -> Problem:
    a = nonzero(rng, 1, 4)
    eta = pick(rng, RATES)
    x0 = nonzero(rng, -4, 4)
    k = 1 + difficulty
    factor = 1 - eta * a
    value = factor**k * x0
    f = sp.Rational(a, 2) * x**2
    sol = worked(
        f"x_{k}",
        f,
        value,
        [
            ("gradient", "f′(x) = a·x", f, a * x),
            (
                "step map",
                f"x ← x − η·{operand(a)}·x = (1 − η·{operand(a)})·x = {factor}·x",
                None,
                None,
            ),
            ("iterate", f"After {k} steps x_{k} = ({factor})^{k}·x₀", x0, value),
        ],
    )
    return Problem(
        "gd-iterates",
        f"Gradient descent on f(x) = {txt(f)} starts at x₀ = {x0} with η = {eta}. "
        f"What is x after {k} steps?",
        rf"f = {tex(f)},\ x_0 = {x0},\ \eta = {tex(eta)},\ x_{k} = ?",
        number(value, 1e-6),
        [
            "Each step: x ← x − η·f′(x).",
            f"Here that is multiplication by (1 − η·{a}) = {factor}.",
        ],
        sol,
        {"gd_ascent": (1 + eta * a) ** k * x0},
    )
