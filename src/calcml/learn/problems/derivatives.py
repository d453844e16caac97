"""Topic 2 — derivatives: the rules, the activations, the losses."""

from __future__ import annotations

import random

import sympy as sp

from calcml.expr import sigmoid, softplus
from calcml.learn.problems.base import Problem, generator
from calcml.learn.problems.kit import expression, nonzero, number, pick, tex, txt, w, x, z
from calcml.learn.worked import derivative, worked
from calcml.text import operand, plus

POSITIVE = {"x": (0.3, 3.0)}


def _diff_problem(
    skill: str,
    f: sp.Expr,
    var: sp.Symbol,
    hints: list[str],
    mistakes: dict[str, sp.Expr],
    domain: dict[str, tuple[float, float]] | None = None,
) -> Problem:
    sol = derivative(f, var)
    v = txt(var)
    return Problem(
        skill,
        f"Differentiate f({v}) = {txt(f)} with respect to {v}.",
        rf"\frac{{d}}{{d{tex(var)}}}\left[{tex(f)}\right]",
        expression(sp.diff(f, var), [var], domain),
        hints,
        sol,
        mistakes,
    )


@generator("power-rule")
def power_rule(rng: random.Random, difficulty: int) -> Problem:
    count = difficulty + 1
    exponents = rng.sample([2, 3, 4, 5, 6, 7], count - 1)
    if difficulty >= 2:
        exponents.append(pick(rng, [-1, -2, sp.Rational(1, 2), sp.Rational(3, 2)]))
    else:
        exponents.append(1)
    terms = [nonzero(rng, -6, 6) * x**n for n in exponents]
    f = sp.Add(*terms)
    wrong = sp.Add(*[t * n for t, n in zip(terms, exponents, strict=True)])
    return _diff_problem(
        "power-rule",
        f,
        x,
        [
            "Differentiate term by term.",
            "Power rule: d/dx xⁿ = n·xⁿ⁻¹; constants factor out.",
        ],
        {"power_rule": wrong},
        POSITIVE if difficulty >= 2 else None,
    )


@generator("product-rule")
def product_rule(rng: random.Random, difficulty: int) -> Problem:
    n, a = nonzero(rng, 2, 4), nonzero(rng, -4, 4)
    left = pick(rng, [x**n, a * x + nonzero(rng, -5, 5), x**n + a])
    right = pick(rng, [sp.sin(x), sp.cos(x), sp.exp(x), sp.log(x)][: 2 + difficulty])
    if difficulty == 3:
        right = right * sp.exp(a * x) if right != sp.exp(x) else sp.sin(a * x)
    f = left * right
    dl, dr = sp.diff(left, x), sp.diff(right, x)
    return _diff_problem(
        "product-rule",
        f,
        x,
        [
            f"f is a product: f = u·v with u = {txt(left)} and v = {txt(right)}.",
            "Product rule: (u·v)′ = u′·v + u·v′.",
            f"u′ = {txt(dl)}, v′ = {txt(dr)}.",
        ],
        {"product_rule": dl * dr},
        POSITIVE,
    )


@generator("quotient-rule")
def quotient_rule(rng: random.Random, difficulty: int) -> Problem:
    a, c = nonzero(rng, -4, 4), nonzero(rng, 1, 5)
    top = pick(rng, [a * x + nonzero(rng, -5, 5), sp.sin(x), x**2][: 1 + difficulty])
    bottom = pick(rng, [x**2 + c, sp.exp(x) + c, x + c + 3][: 1 + difficulty])
    f = top / bottom
    dt, db = sp.diff(top, x), sp.diff(bottom, x)
    return _diff_problem(
        "quotient-rule",
        f,
        x,
        [
            f"f = u/v with u = {txt(top)} and v = {txt(bottom)}.",
            "Quotient rule: (u/v)′ = (u′·v − u·v′)/v².",
            f"u′ = {txt(dt)}, v′ = {txt(db)}.",
        ],
        {
            "quotient_sign": (top * db - dt * bottom) / bottom**2,
            "quotient_square": (dt * bottom - top * db) / bottom,
        },
        {"x": (0.2, 3.0)},
    )


@generator("chain-rule")
def chain_rule(rng: random.Random, difficulty: int) -> Problem:
    a, c, n = nonzero(rng, -4, 4, (0, 1)), nonzero(rng, 1, 5), nonzero(rng, 2, 5)
    u = sp.Symbol("u", real=True)
    inner = (
        a * x + c if difficulty == 1 else a * x**2 + c if difficulty == 2 else sp.sin(a * x) + c + 2
    )
    outers = [u**n, sp.sin(u), sp.cos(u), sp.exp(u), sp.sqrt(u), sp.log(u)]
    outer = pick(rng, outers)
    f = outer.subs(u, inner)
    outer, inner = _as_written(f, outer, u, inner)
    dropped = sp.diff(outer, u).subs(u, inner)
    domain = _positive_region(inner) if outer in (sp.sqrt(u), sp.log(u)) else None
    return _diff_problem(
        "chain-rule",
        f,
        x,
        [
            f"f is a composition: outer f(u) = {txt(outer)}, inner u = {txt(inner)}.",
            "Chain rule: d/dx f(u(x)) = f′(u)·u′(x).",
            f"u′(x) = {txt(sp.diff(inner, x))}.",
        ],
        {"chain_factor": dropped},
        domain,
    )


def _as_written(
    f: sp.Expr, outer: sp.Expr, u: sp.Symbol, inner: sp.Expr
) -> tuple[sp.Expr, sp.Expr]:
    """(outer, inner) as f shows them: SymPy writes cos(1 − 3x) as cos(3x − 1) and sin(5 − 2x)
    as −sin(2x − 5), and the hints must use the u the solution uses (one inner function)."""
    if isinstance(outer, sp.Pow):
        found = [p.base for p in f.atoms(sp.Pow) if p.base.has(x) and p.exp == outer.exp]
    else:
        found = [g.args[0] for g in f.atoms(type(outer)) if len(g.args) == 1]
    if inner in found:
        return outer, inner
    for shown in sorted(found, key=lambda e: -len(list(sp.preorder_traversal(e)))):  # outermost
        written = f.xreplace({shown: u})
        if not written.has(x) and written.subs(u, shown) == f:
            return written, shown
    return outer, inner


def _positive_region(inner: sp.Expr) -> dict[str, tuple[float, float]]:
    """An interval of x where `inner` > 0 (found by probing)."""
    for lo, hi in [(0.1, 1.0), (-1.0, -0.1), (0.5, 2.0), (-2.0, -0.5), (1.0, 3.0), (-3.0, -1.0)]:
        if all(inner.subs(x, sp.Rational(k, 10) * (hi - lo) + lo) > 0 for k in range(11)):
            return {"x": (lo, hi)}
    return {"x": (0.1, 1.0)}


@generator("exp-log")
def exp_log(rng: random.Random, difficulty: int) -> Problem:
    a, c = nonzero(rng, -4, 4, (0, 1)), nonzero(rng, 1, 5)
    if difficulty == 1:
        f, inner, outer_prime = sp.exp(a * x + c), a * x + c, sp.exp(a * x + c)
    elif difficulty == 2:
        f, inner, outer_prime = sp.log(a * a * x**2 + c), a * a * x**2 + c, 1 / (a * a * x**2 + c)
    else:
        f = sp.exp(a * x) * sp.log(x)
        return _diff_problem(
            "exp-log",
            f,
            x,
            ["A product of e^(ax) and ln x.", "Product rule, then d/dx e^(ax) = a·e^(ax)."],
            {
                "chain_factor": sp.exp(a * x) * sp.log(x) + sp.exp(a * x) / x,
                "product_rule": a * sp.exp(a * x) / x,
            },
            POSITIVE,
        )
    return _diff_problem(
        "exp-log",
        f,
        x,
        [
            "d/dx eᵘ = eᵘ·u′ and d/dx ln u = u′/u.",
            f"Here u = {txt(inner)}, u′ = {txt(sp.diff(inner, x))}.",
        ],
        {"chain_factor": outer_prime},
    )


@generator("sigmoid-derivative")
def sigmoid_derivative(rng: random.Random, difficulty: int) -> Problem:
    a, c = nonzero(rng, -4, 4, (0, 1)), nonzero(rng, -3, 3, ())
    inner = a * z + c if difficulty < 3 else a * z**2 + c
    f = sigmoid(inner)
    s = sigmoid(inner)
    return _diff_problem(
        "sigmoid-derivative",
        f,
        z,
        [
            "σ′(u) = σ(u)·(1 − σ(u)).",
            f"Chain rule with u = {txt(inner)}: multiply by u′ = {txt(sp.diff(inner, z))}.",
        ],
        {"chain_factor": s * (1 - s)},
        {"z": (-2.0, 2.0)},
    )


@generator("tanh-derivative")
def tanh_derivative(rng: random.Random, difficulty: int) -> Problem:
    a, c = nonzero(rng, -4, 4, (0, 1)), nonzero(rng, -3, 3, ())
    inner = a * x + c if difficulty < 3 else a * x**2 + c
    th = sp.tanh(inner)
    du = sp.diff(inner, x)
    return _diff_problem(
        "tanh-derivative",
        th,
        x,
        ["tanh′(u) = 1 − tanh²(u).", f"Chain rule: multiply by u′ = {txt(du)}."],
        {"chain_factor": 1 - th**2, "tanh_identity": (1 + th**2) * du},
        {"x": (-1.0, 1.0)},
    )


@generator("softplus-relu")
def softplus_relu(rng: random.Random, difficulty: int) -> Problem:
    a, c = nonzero(rng, -4, 4, (0, 1)), nonzero(rng, -3, 3)
    if difficulty == 1 or difficulty == 3:
        inner = a * x + c
        return _diff_problem(
            "softplus-relu",
            softplus(inner),
            x,
            [
                "softplus(u) = ln(1 + eᵘ), and its derivative is σ(u).",
                f"Chain rule: multiply by u′ = {a}.",
            ],
            {"chain_factor": sigmoid(inner)},
        )
    from calcml.expr import relu

    x0 = nonzero(rng, -3, 3)
    active = a * x0 + c > 0
    value = sp.Integer(a if active else 0)
    f = relu(a * x + c)
    general = derivative(f, x)
    sol = worked(
        f"f′({x0})",
        f,
        value,
        [
            (
                "evaluate",
                f"At x = {x0}: u = {a}·{operand(x0)} {plus(c)} = {a * x0 + c}, so ReLU is "
                f"{'on (slope 1)' if active else 'off (slope 0)'}",
                general.result,
                value,
            )
        ],
        components=[general],
    )
    return Problem(
        "softplus-relu",
        f"For f(x) = {txt(f)}, find f′({x0}).",
        rf"f(x) = {tex(f)},\quad f'({x0}) = ?",
        number(value, 1e-9),
        [
            "relu′(u) is 1 where u > 0 and 0 where u < 0.",
            f"Evaluate u = {txt(a * x + c)} at x = {x0}, then apply the chain rule.",
        ],
        sol,
        {"chain_factor": sp.Integer(1)} if active else {},
    )


@generator("mse-derivative")
def mse_derivative(rng: random.Random, difficulty: int) -> Problem:
    n = 1 + difficulty
    xs = [nonzero(rng, -3, 4) for _ in range(n)]
    ys = [nonzero(rng, -5, 5, ()) for _ in range(n)]
    loss = sp.Rational(1, n) * sp.Add(*[(w * xi - yi) ** 2 for xi, yi in zip(xs, ys, strict=True)])
    residual_x = sp.Add(*[(w * xi - yi) * xi for xi, yi in zip(xs, ys, strict=True)])
    residual = sp.Add(*[(w * xi - yi) for xi, yi in zip(xs, ys, strict=True)])
    data = ", ".join(f"({xi}, {yi})" for xi, yi in zip(xs, ys, strict=True))
    sol = derivative(loss, w)
    return Problem(
        "mse-derivative",
        f"A model ŷ = w·x is fitted to the points (x, y) = {data} with the mean squared error "
        f"L(w) = (1/{n})·Σ(w·xᵢ − yᵢ)². Find dL/dw as a function of w.",
        rf"L(w) = {tex(loss)},\quad \frac{{dL}}{{dw}} = ?",
        expression(sp.diff(loss, w), [w], None),
        [
            "Differentiate each squared residual with the chain rule.",
            "d/dw (w·xᵢ − yᵢ)² = 2(w·xᵢ − yᵢ)·xᵢ.",
            f"Keep the 1/{n} in front.",
        ],
        sol,
        {
            "mse_two": sp.Rational(1, n) * residual_x,
            "mse_mean": 2 * residual_x,
            "chain_factor": sp.Rational(2, n) * residual,
        },
    )


@generator("cross-entropy-derivative")
def cross_entropy_derivative(rng: random.Random, difficulty: int) -> Problem:
    x0 = nonzero(rng, -3, 3, (0, 1))
    b0 = nonzero(rng, -2, 2, ()) if difficulty > 1 else 0
    y0 = rng.randint(0, 1)
    p = sigmoid(w * x0 + b0)
    loss = -(y0 * sp.log(p) + (1 - y0) * sp.log(1 - p))
    sol = derivative(loss, w)
    answer = (p - y0) * x0
    return Problem(
        "cross-entropy-derivative",
        f"Logistic model p = σ(w·x + b) with x = {x0}, b = {b0} and label y = {y0}; "
        "cross-entropy loss L(w) = −[y·ln p + (1 − y)·ln(1 − p)]. Find dL/dw.",
        rf"L(w) = {tex(loss)},\quad \frac{{dL}}{{dw}} = ?",
        expression(answer, [w], None),
        [
            "First find dL/dz for z = w·x + b; it simplifies a lot.",
            "dL/dz = σ(z) − y.",
            f"Chain rule: dz/dw = x = {x0}.",
        ],
        sol,
        {"ce_sign": (y0 - p) * x0, "chain_factor": p - y0},
    )
