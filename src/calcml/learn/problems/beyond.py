"""Beyond: linearization, Taylor, Lagrange multipliers, gradient checking, vanishing gradients,
forward vs reverse mode."""

from __future__ import annotations

import random

import sympy as sp

from calcml.learn.problems.base import Problem, generator
from calcml.learn.problems.kit import choice, expression, nonzero, number, pick, tex, txt, x
from calcml.learn.worked import derivative, worked
from calcml.text import count_of


@generator("linearization")
def linearization(rng: random.Random, difficulty: int) -> Problem:
    k = nonzero(rng, 1, 3)
    options = [
        (sp.sqrt(x), sp.Integer(k * k)),
        (sp.exp(x), sp.Integer(0)),
        (sp.log(x), sp.Integer(1)),
        (x**3, sp.Integer(k)),
        (sp.sin(x), sp.Integer(0)),
        (1 / x, sp.Integer(k)),
    ]
    f, a = pick(rng, options[: 2 + 2 * difficulty])
    d = derivative(f, x)
    slope = d.result.subs(x, a)
    fa = f.subs(x, a)
    answer = fa + slope * (x - a)
    sol = worked(
        f"L(x) at a = {a}",
        f,
        answer,
        [
            ("value", f"f({a})", f, fa),
            ("slope", f"f′({a})", d.result, slope),
            ("tangent", "L(x) = f(a) + f′(a)(x − a)", None, answer),
        ],
        components=[d],
    )
    return Problem(
        "linearization",
        f"Find the linearization (tangent line) L(x) of f(x) = {txt(f)} at x = {a}.",
        rf"f(x) = {tex(f)},\ a = {a},\ L(x) = ?",
        expression(answer, [x], {"x": (0.5, 3.0)}),
        ["L(x) = f(a) + f′(a)·(x − a).", f"Compute f({a}) and f′({a})."],
        sol,
        {"tangent_slope_point": fa + d.result * (x - a)},
    )


@generator("taylor-quadratic")
def taylor_quadratic(rng: random.Random, difficulty: int) -> Problem:
    a = nonzero(rng, -3, 3, (0, 1))
    f = pick(
        rng,
        [sp.exp(a * x), sp.cos(a * x), sp.log(1 + x) * a, 1 / (1 - a * x), sp.exp(x) * sp.sin(x)][
            : 2 + difficulty
        ],
    )
    d1 = derivative(f, x)
    d2 = derivative(d1.result, x)
    c0, c1, c2 = f.subs(x, 0), d1.result.subs(x, 0), d2.result.subs(x, 0)
    answer = c0 + c1 * x + c2 / 2 * x**2
    sol = worked(
        "T₂(x) at 0",
        f,
        answer,
        [
            ("values", "f(0), f′(0), f″(0)", None, sp.Matrix([c0, c1, c2])),
            ("taylor", "T₂(x) = f(0) + f′(0)·x + f″(0)/2!·x²", None, answer),
        ],
        components=[d1, d2],
    )
    return Problem(
        "taylor-quadratic",
        f"Find the second-order Taylor polynomial of f(x) = {txt(f)} at x = 0.",
        rf"f(x) = {tex(f)},\ T_2(x) = ?",
        expression(answer, [x], None),
        ["T₂(x) = f(0) + f′(0)·x + f″(0)/2·x².", "Differentiate twice, then put x = 0."],
        sol,
        {"taylor_factorial": c0 + c1 * x + c2 * x**2},
    )


@generator("lagrange")
def lagrange(rng: random.Random, difficulty: int) -> Problem:
    p, q = pick(rng, [(3, 4), (4, 3), (5, 12), (6, 8), (1, 1), (1, 2)][: 2 + 2 * difficulty])
    p, q = p * pick(rng, [1, -1]), q * pick(rng, [1, -1])
    xs, ys, lam = sp.symbols("x y lambda", real=True)
    if difficulty < 3:
        r = nonzero(rng, 1, 3)
        f, g = p * xs + q * ys, xs**2 + ys**2 - r * r
        value = r * sp.sqrt(p * p + q * q)
        ask = f"the maximum of f(x, y) = {txt(f)} on the circle x² + y² = {r * r}"
        latex = rf"\max\ {tex(f)}\ \text{{s.t.}}\ x^2 + y^2 = {r * r}"
    else:
        c = nonzero(rng, 1, 5)
        f, g = xs**2 + ys**2, p * xs + q * ys - c
        value = sp.Rational(c * c, p * p + q * q)
        ask = f"the minimum of f(x, y) = x² + y² on the line {txt(p * xs + q * ys)} = {c}"
        latex = rf"\min\ x^2 + y^2\ \text{{s.t.}}\ {tex(p * xs + q * ys)} = {c}"
    eqs = [sp.diff(f, xs) - lam * sp.diff(g, xs), sp.diff(f, ys) - lam * sp.diff(g, ys), g]
    sols = sp.solve(eqs, [xs, ys, lam], dict=True)
    values = [f.subs(s) for s in sols]
    best = max(values) if difficulty < 3 else min(values)
    sol = worked(
        "Lagrange",
        f,
        best,
        [
            ("equations", "∇f = λ∇g together with the constraint g = 0", None, None),
            ("solve", f"{len(sols)} candidate point(s)", None, sp.Matrix(values)),
            ("pick", "Compare f at the candidates", None, best),
        ],
    )
    assert sp.simplify(best - value) == 0
    return Problem(
        "lagrange",
        f"Use Lagrange multipliers to find {ask}.",
        latex,
        number(value),
        [
            "Solve ∇f = λ∇g with the constraint.",
            "Compare f at the points you find (maximum and minimum).",
        ],
        sol,
        {},
    )


@generator("gradient-check")
def gradient_check(rng: random.Random, difficulty: int) -> Problem:
    a = nonzero(rng, -3, 3)
    f = pick(rng, [x**3, x**3 + a * x**2, x**4 - a * x][:difficulty])
    x0 = nonzero(rng, -2, 2)
    h = pick(rng, [sp.Rational(1, 10), sp.Rational(1, 100)])
    hi, lo = f.subs(x, x0 + h), f.subs(x, x0 - h)
    value = (hi - lo) / (2 * h)
    exact = derivative(f, x)
    sol = worked(
        "central difference",
        f,
        value,
        [
            ("evaluate", f"f({x0} + {h}) and f({x0} − {h})", None, sp.Matrix([hi, lo])),
            ("difference", "(f(x + h) − f(x − h))/(2h)", None, value),
        ],
        components=[exact],
        notes=[
            f"The exact derivative is f′({x0}) = {exact.result.subs(x, x0)}; the error is O(h²)."
        ],
    )
    return Problem(
        "gradient-check",
        f"Gradient checking: compute the central difference (f(x + h) − f(x − h))/(2h) for "
        f"f(x) = {txt(f)} at x = {x0} with h = {h} (exactly, or to 6 significant digits).",
        rf"\frac{{f(x+h) - f(x-h)}}{{2h}},\ f = {tex(f)},\ x = {x0},\ h = {tex(h)}",
        number(value, 1e-7),
        ["Evaluate f at x + h and at x − h.", "Divide the difference by 2h."],
        sol,
        {"fd_step": (hi - lo) / h},
    )


@generator("vanishing-gradient")
def vanishing_gradient(rng: random.Random, difficulty: int) -> Problem:
    n = 2 + difficulty
    wt = pick(rng, [1, 2, 3, 4, -2])
    value = (sp.Rational(wt, 4)) ** n
    sol = worked(
        "∂aₙ/∂a₀",
        None,
        value,
        [
            ("chain", "Each layer contributes w·σ′(z) with z = 0", None, None),
            ("σ′(0)", "σ′(0) = σ(0)(1 − σ(0)) = 1/4", None, sp.Rational(1, 4)),
            ("product", f"{count_of(n, 'layers')}: (w/4)^{n}", None, value),
        ],
    )
    return Problem(
        "vanishing-gradient",
        f"A chain of {count_of(n, 'sigmoid units')} aₖ = σ(w·aₖ₋₁ + bₖ) has w = {wt} in every "
        f"layer, and every pre-activation is 0. What is ∂aₙ/∂a₀?",
        rf"a_k = \sigma(w a_{{k-1}} + b_k),\ w = {wt},\ z_k = 0,\ "
        rf"\frac{{\partial a_{n}}}{{\partial a_0}} = ?",
        number(value, 1e-6),
        [
            "Chain rule: multiply one factor per layer.",
            "Each factor is w·σ′(zₖ), and σ′(0) = 1/4.",
        ],
        sol,
        {"chain_factor": sp.Integer(wt) ** n},
    )


MODES = ("forward mode", "reverse mode")


@generator("forward-reverse")
def forward_reverse(rng: random.Random, difficulty: int) -> Problem:
    scale = 10**difficulty
    n, m = rng.randint(1, 5) * scale, rng.randint(1, 3)
    if rng.random() < 0.5:
        n, m = m, n
    if n == m:
        n += 1
    best = "forward mode" if n < m else "reverse mode"
    other = MODES[1] if best == MODES[0] else MODES[0]
    sol = worked(
        "cheaper mode",
        None,
        best,
        [
            (
                "forward",
                f"Forward mode: one Jacobian column per pass → {count_of(n, 'passes')}",
                None,
                None,
            ),
            (
                "reverse",
                f"Reverse mode: one Jacobian row per pass → {count_of(m, 'passes')}",
                None,
                None,
            ),
            ("choose", f"Fewer passes: {best}", None, None),
        ],
    )
    return Problem(
        "forward-reverse",
        f"f maps ℝ^{n} to ℝ^{m} ({count_of(n, 'inputs')}, {count_of(m, 'outputs')}). Which "
        "automatic-differentiation mode computes its full Jacobian in fewer passes?",
        rf"f:\mathbb{{R}}^{{{n}}}\to\mathbb{{R}}^{{{m}}}",
        choice(best, MODES),
        [
            "A forward pass pushes one input direction through: one column of J.",
            "A reverse pass pulls one output back: one row of J.",
        ],
        sol,
        {"mode_choice": other},
    )
