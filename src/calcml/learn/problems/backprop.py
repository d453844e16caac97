"""Topic 5 — the multivariable chain rule & backpropagation."""

from __future__ import annotations

import random

import sympy as sp

from calcml.expr import sigmoid
from calcml.learn.problems.base import Problem, generator
from calcml.learn.problems.kit import expression, nonzero, number, pick, t, tex, txt, x, y
from calcml.learn.worked import derivative, worked


@generator("multivariable-chain")
def multivariable_chain(rng: random.Random, difficulty: int) -> Problem:
    a, c = nonzero(rng, -3, 3), nonzero(rng, 1, 4)
    f = pick(rng, [x**2 * y, x * y + y**2, x * sp.exp(y), x**2 + a * x * y])
    xt = pick(rng, [t**2, c * t, t**2 + c][: 1 + difficulty])
    yt = pick(rng, [sp.sin(t), c * t + 1, sp.exp(a * t)][: 1 + difficulty])
    on = {x: xt, y: yt}
    fx, fy = sp.diff(f, x), sp.diff(f, y)
    dx, dy = sp.diff(xt, t), sp.diff(yt, t)
    answer = (fx * dx + fy * dy).subs(on)
    sol = worked(
        "df/dt",
        f,
        answer,
        [
            (
                "chain",
                "df/dt = ∂f/∂x·dx/dt + ∂f/∂y·dy/dt (one term per path from t to f)",
                None,
                None,
            ),
            ("paths", "Multiply and add, then substitute x(t), y(t)", fx * dx + fy * dy, answer),
        ],
        components=[derivative(f, x), derivative(f, y), derivative(xt, t), derivative(yt, t)],
    )
    return Problem(
        "multivariable-chain",
        f"f(x, y) = {txt(f)} with x = {txt(xt)} and y = {txt(yt)}. Find df/dt as a function of t.",
        rf"f = {tex(f)},\ x = {tex(xt)},\ y = {tex(yt)},\ \frac{{df}}{{dt}} = ?",
        expression(answer, [t], {"t": (-1.5, 1.5)}),
        [
            "t reaches f along two paths: through x and through y.",
            "df/dt = ∂f/∂x·dx/dt + ∂f/∂y·dy/dt.",
        ],
        sol,
        {"chain_missing_path": (fx * dx).subs(on)},
    )


@generator("backprop-neuron")
def backprop_neuron(rng: random.Random, difficulty: int) -> Problem:
    x0 = nonzero(rng, -2, 3)
    w0 = nonzero(rng, -2, 2)
    b0 = -w0 * x0 if difficulty == 1 else nonzero(rng, -2, 2, ())
    y0 = rng.randint(0, 1)
    z0 = w0 * x0 + b0
    a0 = sigmoid(sp.Integer(z0))
    da = 2 * (a0 - y0)
    dz = a0 * (1 - a0)
    value = da * dz * x0
    wsym = sp.Symbol("w", real=True)
    loss = (sigmoid(wsym * x0 + b0) - y0) ** 2
    general = derivative(loss, wsym)
    sol = worked(
        "∂L/∂w",
        loss,
        value,
        [
            ("forward", f"z = w·x + b = {z0}, a = σ(z) = {txt(a0)}", None, None),
            ("dL/da", "L = (a − y)²  ⇒  ∂L/∂a = 2(a − y)", None, da),
            ("da/dz", "σ′(z) = σ(z)(1 − σ(z))", None, dz),
            ("dz/dw", f"z = w·x + b  ⇒  ∂z/∂w = x = {x0}", None, sp.Integer(x0)),
            ("multiply", "∂L/∂w = ∂L/∂a · ∂a/∂z · ∂z/∂w", general.result.subs(wsym, w0), value),
        ],
        components=[general],
    )
    return Problem(
        "backprop-neuron",
        f"A neuron computes a = σ(w·x + b) with w = {w0}, b = {b0}, input x = {x0}; the loss is "
        f"L = (a − y)² with target y = {y0}. Find ∂L/∂w.",
        rf"a = \sigma(wx + b),\ L = (a - y)^2,\ w = {w0},\ b = {b0},\ x = {x0},\ y = {y0}",
        number(value),
        [
            "Forward pass first: compute z = w·x + b and a = σ(z).",
            "Backward: ∂L/∂w = ∂L/∂a · ∂a/∂z · ∂z/∂w.",
            "σ′(z) = σ(z)(1 − σ(z)).",
        ],
        sol,
        {"chain_factor": da * x0, "mse_two": (a0 - y0) * dz * x0},
    )


@generator("backprop-2layer")
def backprop_2layer(rng: random.Random, difficulty: int) -> Problem:
    x0 = nonzero(rng, 1, 2)
    w1 = sp.Rational(nonzero(rng, -2, 2), 2)
    w2 = nonzero(rng, -2, 2)
    y0 = nonzero(rng, -2, 2, ())
    act, name, dact = (
        (sp.tanh, "tanh", lambda v: 1 - sp.tanh(v) ** 2)
        if difficulty < 3
        else (sigmoid, "σ", lambda v: sigmoid(v) * (1 - sigmoid(v)))
    )
    act_tex = "\\tanh" if name == "tanh" else "\\sigma"
    h0 = act(w1 * x0)
    yhat = w2 * h0
    err = yhat - y0
    wa, wb = sp.Symbol("w1", real=True), sp.Symbol("w2", real=True)
    loss = sp.Rational(1, 2) * (wb * act(wa * x0) - y0) ** 2
    if difficulty == 1:
        value, target, var = err * h0, "w2", wb
        mistakes = {"sign": -err * h0}
        chain = "∂L/∂w2 = (ŷ − y)·h"
    else:
        value, target, var = err * w2 * dact(w1 * x0) * x0, "w1", wa
        mistakes = {"chain_factor": err * w2 * x0}
        chain = f"∂L/∂w1 = (ŷ − y)·w2·{name}′(w1·x)·x"
    general = derivative(loss, var)
    sol = worked(
        f"∂L/∂{target}",
        loss,
        value,
        [
            ("forward", f"h = {name}(w1·x) = {txt(h0)}, ŷ = w2·h = {txt(yhat)}", None, None),
            ("output", "∂L/∂ŷ = ŷ − y", None, err),
            ("backward", chain, general.result.subs({wa: w1, wb: w2}), value),
        ],
        components=[general],
    )
    return Problem(
        "backprop-2layer",
        f"A two-layer net: h = {name}(w1·x), ŷ = w2·h, loss L = ½(ŷ − y)², with w1 = {w1}, "
        f"w2 = {w2}, x = {x0}, y = {y0}. Find ∂L/∂{target} (a number).",
        rf"h = {act_tex}(w_1 x),\ \hat y = w_2 h,\ "
        rf"L = \tfrac12(\hat y - y)^2,\ \frac{{\partial L}}{{\partial {target}}} = ?",
        number(value),
        [
            "Run the forward pass: h, then ŷ, then L.",
            "Pass the gradient back one layer at a time, multiplying local derivatives.",
            f"{name}′(u) = " + ("1 − tanh²(u)." if name == "tanh" else "σ(u)(1 − σ(u))."),
        ],
        sol,
        mistakes,
    )
