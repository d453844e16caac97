"""Topic 3 — partial derivatives & the gradient."""

from __future__ import annotations

import random

import sympy as sp

from calcml.learn.problems.base import Problem, generator
from calcml.learn.problems.kit import expression, nonzero, number, pick, tex, txt, vector, x, y, z
from calcml.learn.worked import derivative, gradient, worked


def two_variable(rng: random.Random, difficulty: int) -> sp.Expr:
    """A function of x and y mixing both variables (more terms when harder)."""
    a, c, d = nonzero(rng, -4, 4), nonzero(rng, -4, 4), nonzero(rng, -3, 3)
    m, n = nonzero(rng, 1, 3), nonzero(rng, 1, 3)
    terms = [a * x**m * y**n, c * y ** (n + 1), d * x]
    if difficulty >= 2:
        terms.append(pick(rng, [sp.sin(x * y), sp.exp(x) * y, x * sp.cos(y)]))
    if difficulty == 3:
        terms.append(pick(rng, [sp.exp(x + 2 * y), sp.sin(x) * y**2]))
    return sp.Add(*terms)


@generator("partial-derivative")
def partial_derivative(rng: random.Random, difficulty: int) -> Problem:
    f = two_variable(rng, difficulty)
    var, other = pick(rng, [(x, y), (y, x)])
    answer = sp.diff(f, var)
    sol = derivative(f, var)
    v, o = txt(var), txt(other)
    return Problem(
        "partial-derivative",
        f"Find ∂f/∂{v} for f(x, y) = {txt(f)}.",
        rf"f(x, y) = {tex(f)},\quad \frac{{\partial f}}{{\partial {v}}} = ?",
        expression(answer, [x, y], None),
        [
            f"Treat {o} as a constant number.",
            f"Terms with only {o} differentiate to 0; factors of {o} come along.",
        ],
        sol,
        {"partial_not_constant": answer + sp.diff(f, other)},
    )


@generator("gradient-vector")
def gradient_vector(rng: random.Random, difficulty: int) -> Problem:
    f = two_variable(rng, difficulty)
    variables = [x, y]
    if difficulty == 3:
        f = f + nonzero(rng, -3, 3) * x * z + z**2
        variables = [x, y, z]
    sol = gradient(f, variables)
    parts = [sp.diff(f, v) for v in variables]
    total = sp.Add(*parts)
    names = ", ".join(txt(v) for v in variables)
    return Problem(
        "gradient-vector",
        f"Find the gradient ∇f of f({names}) = {txt(f)} (a column: [∂f/∂x, ...]).",
        rf"f = {tex(f)},\quad \nabla f = ?",
        vector(parts, variables),
        [
            "∇f stacks the partial derivatives: [∂f/∂x, ∂f/∂y"
            + (", ∂f/∂z]." if len(variables) == 3 else "]."),
            "For each partial, hold the other variables constant.",
        ],
        sol,
        {"partial_not_constant": sp.Matrix([total] * len(variables))},
    )


@generator("gradient-at-point")
def gradient_at_point(rng: random.Random, difficulty: int) -> Problem:
    a, c, d = nonzero(rng, -3, 3), nonzero(rng, -3, 3), nonzero(rng, -3, 3)
    f = a * x**2 * y + c * y**2 + d * x
    if difficulty >= 2:
        f = f + pick(rng, [x * y**2, x**3, sp.exp(x - 1) * y])
    p = (nonzero(rng, -2, 2), nonzero(rng, -2, 2))
    at = {x: p[0], y: p[1]}
    grad = gradient(f, [x, y])
    value = grad.result.subs(at)
    wrong = sp.Matrix([sp.Add(*grad.result).subs(at)] * 2)
    sol = worked(
        f"∇f{p}",
        f,
        value,
        [("substitute", f"Substitute x = {p[0]}, y = {p[1]}", grad.result, value)],
        components=[grad],
    )
    return Problem(
        "gradient-at-point",
        f"Evaluate the gradient of f(x, y) = {txt(f)} at (x, y) = {p}.",
        rf"\nabla f{p} = ?\quad f = {tex(f)}",
        vector(list(value)),
        ["First find ∂f/∂x and ∂f/∂y.", f"Then substitute x = {p[0]}, y = {p[1]}."],
        sol,
        {"partial_not_constant": wrong},
    )


@generator("directional-derivative")
def directional_derivative(rng: random.Random, difficulty: int) -> Problem:
    a, c = nonzero(rng, -3, 3), nonzero(rng, -3, 3)
    f = a * x**2 + c * x * y + y**2 if difficulty < 3 else a * x**2 * y + c * y**3
    p = (nonzero(rng, -2, 2), nonzero(rng, -2, 2))
    direction = pick(rng, [(3, 4), (4, -3), (0, 2), (-5, 12), (1, 1)][: 2 + difficulty])
    grad = gradient(f, [x, y])
    g = grad.result.subs({x: p[0], y: p[1]})
    v = sp.Matrix(direction)
    unit = v / v.norm()
    value = sp.nsimplify((g.T * unit)[0])
    sol = worked(
        "D_u f",
        f,
        value,
        [
            ("gradient", f"∇f at {p}", grad.result, g),
            ("normalise", f"u = v/|v| with |v| = {v.norm()}", v, unit),
            ("dot", "D_u f = ∇f · u", g, value),
        ],
        components=[grad],
    )
    return Problem(
        "directional-derivative",
        f"Find the rate of change of f(x, y) = {txt(f)} at {p} in the direction of "
        f"v = {direction}.",
        rf"D_{{\mathbf{{u}}}} f{p},\quad \mathbf{{v}} = {direction},\quad f = {tex(f)}",
        number(value),
        [
            "The directional derivative is ∇f · u, with u a unit vector.",
            f"|v| = {v.norm()}: divide v by it first.",
        ],
        sol,
        {"not_unit": (g.T * v)[0]},
    )
