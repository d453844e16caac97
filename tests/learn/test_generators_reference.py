"""Every skill's answer against a reference computed here from the problem as the learner sees it.

The givens are read back from the prompt text (expressions through `calcml.parse`, numbers by
pattern), and the answer is recomputed without calcml: numerical derivatives with mpmath at 30
digits, HIPS autograd for the networks and the regressions, NumPy eigenvalues, SciPy for the
constrained optimum, and direct iteration for the descent skills. Both the answer and the worked
solution's result must agree with it, so a wrong generator, a prompt that says something else
than the answer, and a solution that drifted from the answer all fail here.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import autograd
import autograd.numpy as anp
import mpmath as mp
import numpy as np
import pytest
import scipy.optimize
import sympy as sp

from calcml.expr import parse, symbol
from calcml.learn.problems import problem
from calcml.learn.problems.base import Problem
from calcml.learn.skills import SKILLS

# the activations, defined here (not calcml's), for evaluating parsed expressions with mpmath
ACTIVATIONS = {
    "sigmoid": lambda u: 1 / (1 + mp.exp(-u)),
    "softplus": lambda u: mp.log(1 + mp.exp(u)),
    "relu": lambda u: u if u > 0 else mp.mpf(0),
}
Env = dict[str, Any]
Reference = Callable[[Env], Any]


def fn(text: str, names: str) -> Callable[..., Any]:
    """The parsed expression as an mpmath function of the named variables."""
    return sp.lambdify([symbol(n) for n in names], parse(text), modules=[ACTIVATIONS, "mpmath"])


def num(text: str) -> Fraction:
    return Fraction(text.strip())


def grab(pattern: str, text: str) -> tuple[str, ...]:
    found = re.search(pattern, text)
    assert found, f"{pattern!r} does not match the prompt {text!r}"
    return found.groups()


def pairs(text: str) -> list[tuple[int, int]]:
    return [(int(a), int(b)) for a, b in re.findall(r"\((-?\d+), (-?\d+)\)", text)]


def split_top(text: str) -> list[str]:
    """Split on commas outside brackets."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += {"(": 1, "[": 1, ")": -1, "]": -1}.get(ch, 0)
        if ch == "," and depth == 0:
            out.append(text[start:i])
            start = i + 1
    return [*out, text[start:]]


def partial(f: Callable[..., Any], at: list[Any], i: int, order: int = 1) -> Any:
    orders = [0] * len(at)
    orders[i] = order
    return mp.diff(f, at, orders) if len(at) > 1 else mp.diff(f, at[0], order)


def hessian_at(f: Callable[..., Any], at: list[Any]) -> np.ndarray:
    n = len(at)
    H = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            orders = [0] * n
            orders[i] += 1
            orders[j] += 1
            H[i, j] = float(mp.diff(f, at, orders))
    return H


def sigma(u: Any) -> Any:
    return 1 / (1 + anp.exp(-u))


# -- one reference per skill: the prompt in, the answer (or a function of the variables) out ------
REFERENCES: dict[str, Callable[[Problem], Any]] = {}


def reference(*skills: str) -> Callable[[Callable[[Problem], Any]], Callable[[Problem], Any]]:
    def register(f: Callable[[Problem], Any]) -> Callable[[Problem], Any]:
        for s in skills:
            REFERENCES[s] = f
        return f

    return register


@reference(
    "power-rule",
    "product-rule",
    "quotient-rule",
    "chain-rule",
    "exp-log",
    "sigmoid-derivative",
    "tanh-derivative",
    "softplus-relu",
)
def _differentiate(p: Problem) -> Any:
    if p.prompt.startswith("For f(x)"):  # the ReLU variant: a slope at one point
        body, x0 = grab(r"^For f\(x\) = (.*), find f′\((-?\d+)\)\.$", p.prompt)
        f = fn(body, "x")
        left, right = (mp.diff(f, int(x0), direction=d) for d in (-1, 1))
        return right if abs(left - right) < 1e-12 else ("one of", left, right)
    var, body = grab(r"^Differentiate f\((\w)\) = (.*) with respect to \w\.$", p.prompt)
    f = fn(body, var)
    return lambda env: mp.diff(f, env[var])


@reference("composition")
def _composition(p: Problem) -> Reference:
    outer, inner = grab(r"^Let f\(u\) = (.*) and g\(x\) = (.*)\. Find", p.prompt)
    f, g = fn(outer, "u"), fn(inner, "x")
    return lambda env: f(g(env["x"]))


@reference("limit-substitution", "limit-lhopital")
def _limit_at_a_point(p: Problem) -> Any:
    a, body = grab(r"^Find lim_\(x→(-?\d+)\) (.*)\.$", p.prompt)
    f = fn(body, "x")
    with mp.workdps(60):
        left, right = f(int(a) - mp.mpf("1e-25")), f(int(a) + mp.mpf("1e-25"))
    assert abs(left - right) < 1e-15, (left, right)
    return (left + right) / 2


@reference("limit-infinity")
def _limit_at_infinity(p: Problem) -> Any:
    (body,) = grab(r"^Find lim_\(x→∞\) (.*)\.$", p.prompt)
    with mp.workdps(80):
        return fn(body, "x")(mp.mpf("1e30"))


@reference("continuity")
def _continuity(p: Problem) -> str:
    body, a = grab(r"^How does f\(x\) = (.*) behave at x = (-?\d+)\?", p.prompt)
    f, a0 = fn(body, "x"), int(a)
    with mp.workdps(60):
        left, right = f(a0 - mp.mpf("1e-30")), f(a0 + mp.mpf("1e-30"))
        try:
            here = f(mp.mpf(a0))
        except ZeroDivisionError:
            here = None
    finite = abs(left) < 1e10 and abs(right) < 1e10
    if not finite:
        return "infinite discontinuity"
    if abs(left - right) > 1e-9:
        return "jump discontinuity"
    return (
        "continuous" if here is not None and abs(here - left) < 1e-9 else "removable discontinuity"
    )


@reference("mse-derivative")
def _mse(p: Problem) -> Reference:
    data = pairs(grab(r"\(x, y\) = (.*) with the mean", p.prompt)[0])

    def loss(w: Any) -> Any:
        return sum((w * xi - yi) ** 2 for xi, yi in data) / len(data)

    return lambda env: mp.diff(loss, env["w"])


@reference("cross-entropy-derivative")
def _cross_entropy(p: Problem) -> Reference:
    x0, b0, y0 = map(int, grab(r"x = (-?\d+), b = (-?\d+) and label y = (\d)", p.prompt))

    def loss(w: Any) -> Any:
        q = 1 / (1 + mp.exp(-(w * x0 + b0)))
        return -(y0 * mp.log(q) + (1 - y0) * mp.log(1 - q))

    return lambda env: mp.diff(loss, env["w"])


@reference("partial-derivative")
def _partial(p: Problem) -> Reference:
    var, body = grab(r"^Find ∂f/∂(\w) for f\(x, y\) = (.*)\.$", p.prompt)
    f = fn(body, "xy")
    return lambda env: partial(f, [env["x"], env["y"]], "xy".index(var))


@reference("gradient-vector")
def _gradient(p: Problem) -> Reference:
    names, body = grab(r"^Find the gradient ∇f of f\(([\w, ]+)\) = (.*) \(a column", p.prompt)
    order = names.replace(", ", "")
    f = fn(body, order)
    return lambda env: [partial(f, [env[n] for n in order], i) for i in range(len(order))]


@reference("gradient-at-point")
def _gradient_at_point(p: Problem) -> list[Any]:
    body, px, py = grab(r"of f\(x, y\) = (.*) at \(x, y\) = \((-?\d+), (-?\d+)\)\.$", p.prompt)
    f = fn(body, "xy")
    return [partial(f, [int(px), int(py)], i) for i in range(2)]


@reference("directional-derivative")
def _directional(p: Problem) -> Any:
    body, px, py, vx, vy = grab(
        r"f\(x, y\) = (.*) at \((-?\d+), (-?\d+)\) in the direction of v = \((-?\d+), (-?\d+)\)",
        p.prompt,
    )
    f = fn(body, "xy")
    u = np.array([int(vx), int(vy)]) / np.linalg.norm([int(vx), int(vy)])
    return mp.diff(lambda s: f(int(px) + s * u[0], int(py) + s * u[1]), 0)


@reference("gd-step")
def _gd_step(p: Problem) -> list[Any]:
    body, px, py, eta = grab(
        r"on f\(x, y\) = (.*) from \(x, y\) = \((-?\d+), (-?\d+)\) with learning rate η = (\S+)\.",
        p.prompt,
    )
    f, at = fn(body, "xy"), [int(px), int(py)]
    return [at[i] - float(num(eta)) * partial(f, at, i) for i in range(2)]


@reference("lr-stability")
def _lr_stability(p: Problem) -> float:
    (body,) = grab(r"runs on f = (.*)\. Below", p.prompt)
    f = fn(body, "xy")
    eig = np.linalg.eigvalsh(hessian_at(f, [mp.mpf("0.3"), mp.mpf("-0.7")]))
    x = 1.0  # and check 2/L is the edge: slightly below converges, slightly above grows
    bound = 2 / eig[-1]
    for lr, shrinks in ((bound * 0.99, True), (bound * 1.01, False)):
        x = 1.0
        for _ in range(2000):
            x -= lr * eig[-1] * x
        assert (abs(x) < 1) == shrinks
    return float(bound)


@reference("gd-iterates")
def _gd_iterates(p: Problem) -> Any:
    body, x0, eta, k = grab(
        r"on f\(x\) = (.*) starts at x₀ = (-?\d+) with η = (\S+)\. What is x after (\d+) steps",
        p.prompt,
    )
    f, x = fn(body, "x"), mp.mpf(int(x0))
    for _ in range(int(k)):
        x = x - mp.mpf(num(eta).numerator) / num(eta).denominator * mp.diff(f, x)
    return x


@reference("multivariable-chain")
def _multivariable_chain(p: Problem) -> Reference:
    body, xt, yt = grab(r"^f\(x, y\) = (.*) with x = (.*) and y = (.*)\. Find df/dt", p.prompt)
    f, X, Y = fn(body, "xy"), fn(xt, "t"), fn(yt, "t")
    return lambda env: mp.diff(lambda s: f(X(s), Y(s)), env["t"])


@reference("backprop-neuron")
def _backprop_neuron(p: Problem) -> float:
    w0, b0, x0, y0 = grab(r"w = (\S+), b = (\S+), input x = (\S+); .* target y = (\S+)\.", p.prompt)
    b, x, y = float(num(b0)), float(num(x0)), float(num(y0))
    return float(autograd.grad(lambda w: (sigma(w * x + b) - y) ** 2)(float(num(w0))))


@reference("backprop-2layer")
def _backprop_2layer(p: Problem) -> float:
    act, w1, w2, x0, y0, target = grab(
        r"h = (tanh|σ)\(w1·x\).* w1 = (\S+), w2 = (\S+), x = (\S+), y = (\S+)\. Find ∂L/∂(w\d)",
        p.prompt,
    )
    g = anp.tanh if act == "tanh" else sigma
    x, y = float(num(x0)), float(num(y0))

    def loss(params: Any) -> Any:
        return 0.5 * (params[1] * g(params[0] * x) - y) ** 2

    grad = autograd.grad(loss)(np.array([float(num(w1)), float(num(w2))]))
    return float(grad[int(target[1]) - 1])


@reference("jacobian")
def _jacobian(p: Problem) -> Reference:
    names, outputs = grab(r"^Find the Jacobian of F\(([\w, ]+)\) = \[(.*)\] \(\d", p.prompt)
    order = names.replace(", ", "")
    fs = [fn(o, order) for o in split_top(outputs)]
    return lambda env: [
        [partial(f, [env[n] for n in order], j) for j in range(len(order))] for f in fs
    ]


@reference("hessian")
def _hessian(p: Problem) -> Reference:
    (body,) = grab(r"^Find the Hessian of f\(x, y\) = (.*)\. Write", p.prompt)
    f = fn(body, "xy")
    return lambda env: hessian_at(f, [env["x"], env["y"]]).tolist()


@reference("classify-critical-point")
def _classify(p: Problem) -> str:
    body, px, py = grab(r"^f\(x, y\) = (.*) has a critical point at \((-?\d+), (-?\d+)\)", p.prompt)
    f, at = fn(body, "xy"), [int(px), int(py)]
    assert all(abs(partial(f, at, i)) < 1e-12 for i in range(2)), "not a critical point"
    eig = np.linalg.eigvalsh(hessian_at(f, at))
    if np.min(np.abs(eig)) < 1e-9:
        return "inconclusive"
    if eig[0] > 0:
        return "minimum"
    return "maximum" if eig[-1] < 0 else "saddle point"


@reference("newton-step")
def _newton(p: Problem) -> Any:
    body, x0 = grab(
        r"^Take one Newton step (?:to minimise|\(toward a critical point, f′ = 0\) on) "
        r"f\(x\) = (.*) from x₀ = (-?\d+)\.",
        p.prompt,
    )
    f = fn(body, "x")
    return int(x0) - mp.diff(f, int(x0)) / mp.diff(f, int(x0), 2)


@reference("l2-gradient")
def _l2(p: Problem) -> Reference:
    data, lam = grab(r"L\(w\) = (.*) \+ \(λ/2\)·w² with λ = (\S+)\. Find dL/dw", p.prompt)
    f = fn(f"{data} + ({lam})/2·w²", "w")  # calcml's convention: (λ/2)‖w‖² → λw
    return lambda env: mp.diff(f, env["w"])


@reference("linear-regression-step")
def _linear_regression(p: Problem) -> list[float]:
    data = np.array(pairs(grab(r"\(x, y\) = (.*) with the mean", p.prompt)[0]), dtype=float)
    w0, b0, eta = grab(r"from w = (\S+), b = (\S+), take .* with η = (\S+)\.", p.prompt)

    def mse(params: Any) -> Any:
        return anp.mean((params[0] * data[:, 0] + params[1] - data[:, 1]) ** 2)

    start = np.array([float(num(w0)), float(num(b0))])
    return list(start - float(num(eta)) * autograd.grad(mse)(start))


@reference("logistic-regression-gradient")
def _logistic_regression(p: Problem) -> float:
    data = np.array(pairs(grab(r"\(x, y\) = (.*), at w", p.prompt)[0]), dtype=float)
    w0, b0 = grab(r"at w = (\S+), b = (\S+)\.", p.prompt)
    X, y = data[:, 0], data[:, 1]

    def loss(w: Any) -> Any:
        q = sigma(w * X + float(num(b0)))
        return -anp.mean(y * anp.log(q) + (1 - y) * anp.log(1 - q))

    return float(autograd.grad(loss)(float(num(w0))))


@reference("first-principal-component")
def _pca(p: Problem) -> tuple[str, np.ndarray]:
    (C,) = grab(r"C = (\[\[.*\]\])\.", p.prompt)
    values, vectors = np.linalg.eigh(np.array(json.loads(C), dtype=float))
    assert values[-1] > values[-2] + 1e-9
    return ("direction", vectors[:, -1])


@reference("linearization")
def _linearization(p: Problem) -> Reference:
    body, a = grab(r"of f\(x\) = (.*) at x = (-?\d+)\.$", p.prompt)
    f, a0 = fn(body, "x"), int(a)
    fa, slope = f(mp.mpf(a0)), mp.diff(f, a0)
    return lambda env: fa + slope * (env["x"] - a0)


@reference("taylor-quadratic")
def _taylor(p: Problem) -> Reference:
    (body,) = grab(r"of f\(x\) = (.*) at x = 0\.$", p.prompt)
    c0, c1, c2 = mp.taylor(fn(body, "x"), 0, 2)
    return lambda env: c0 + c1 * env["x"] + c2 * env["x"] ** 2


@reference("lagrange")
def _lagrange(p: Problem) -> float:
    if "circle" in p.prompt:
        body, r2 = grab(r"maximum of f\(x, y\) = (.*) on the circle x² \+ y² = (\d+)\.", p.prompt)
        f = fn(body, "xy")
        objective = lambda v: -float(f(*v))  # noqa: E731
        constraint = lambda v: v[0] ** 2 + v[1] ** 2 - int(r2)  # noqa: E731
        sign = -1
    else:
        line, c = grab(r"on the line (.*) = (-?\d+)\.$", p.prompt)
        g = fn(line, "xy")
        objective = lambda v: v[0] ** 2 + v[1] ** 2  # noqa: E731
        constraint = lambda v: float(g(*v)) - int(c)  # noqa: E731
        sign = 1
    best = min(
        scipy.optimize.minimize(
            objective,
            np.array(start),
            constraints=[{"type": "eq", "fun": constraint}],
            method="SLSQP",
            options={"ftol": 1e-14, "maxiter": 500},
        ).fun
        for start in [(1.0, 0.5), (-1.0, 0.3), (0.2, -1.0), (-0.5, -0.5)]
    )
    return sign * best


@reference("gradient-check")
def _gradient_check(p: Problem) -> Any:
    body, x0, h = grab(r"for f\(x\) = (.*) at x = (-?\d+) with h = (\S+) \(exactly", p.prompt)
    f, step = fn(body, "x"), mp.mpf(num(h).numerator) / num(h).denominator
    with mp.workdps(50):
        return (f(int(x0) + step) - f(int(x0) - step)) / (2 * step)


@reference("vanishing-gradient")
def _vanishing(p: Problem) -> float:
    n, w = map(int, grab(r"chain of (\d+) sigmoid units .* has w = (-?\d+) in every", p.prompt))
    a0 = 0.7
    biases = [-w * a0] + [-w * 0.5] * (n - 1)  # every pre-activation is 0 at a0

    def chain(a: Any) -> Any:
        for bk in biases:
            a = sigma(w * a + bk)
        return a

    assert chain(a0) == pytest.approx(0.5)
    return float(autograd.grad(chain)(a0))


@reference("forward-reverse")
def _forward_reverse(p: Problem) -> str:
    n, m = map(int, grab(r"maps ℝ\^(\d+) to ℝ\^(\d+)", p.prompt))
    forward_passes, reverse_passes = n, m  # one pass per input column / per output row
    return "forward mode" if forward_passes < reverse_passes else "reverse mode"


# -- comparing ------------------------------------------------------------------------------------
def evaluate(value: Any, variables: tuple[sp.Symbol, ...], env: Env) -> Any:
    """A calcml answer (SymPy) at the point `env`, as mpmath numbers (nested lists for matrices)."""
    if isinstance(value, sp.MatrixBase):
        rows = [[evaluate(e, variables, env) for e in value.row(i)] for i in range(value.rows)]
        return [r[0] for r in rows] if value.cols == 1 else rows
    f = sp.lambdify(variables, value, modules=[ACTIVATIONS, "mpmath"])
    return f(*(env[str(v)] for v in variables))


def close(got: Any, want: Any, where: str) -> None:
    if isinstance(want, list | tuple):
        assert isinstance(got, list) and len(got) == len(want), (where, got, want)
        for g, w in zip(got, want, strict=True):
            close(g, w, where)
        return
    assert abs(complex(got) - complex(want)) <= 1e-7 * max(1.0, abs(complex(want))), (
        where,
        got,
        want,
    )


def check_against(p: Problem, value: Any, want: Any, rng: random.Random, where: str) -> None:
    variables = p.answer.variables
    if isinstance(want, str):
        assert value == want, where
    elif isinstance(want, tuple) and want[0] == "direction":
        got = np.array([float(v) for v in evaluate(value, (), {})])
        cosine = abs(got @ want[1]) / np.linalg.norm(got)
        assert cosine == pytest.approx(1.0, abs=1e-9), (where, got, want[1])
    elif isinstance(want, tuple) and want[0] == "one of":  # a slope asked at a kink
        got = evaluate(value, (), {})
        assert any(abs(got - w) < 1e-9 for w in want[1:]), (where, got, want)
    elif callable(want):
        valid = 0
        for _ in range(10):
            env = {
                str(v): mp.mpf(rng.uniform(*p.answer.domain.get(str(v), (-2.0, 2.0))))
                for v in variables
            }
            try:
                expected = want(env)
            except (ZeroDivisionError, ValueError):
                continue
            if any(isinstance(e, mp.mpc) for e in np.ravel(np.array(expected, dtype=object))):
                continue
            close(evaluate(value, variables, env), expected, f"{where} at {env}")
            valid += 1
        assert valid >= 5, f"{where}: too few points where the reference is defined"
    else:
        close(evaluate(value, (), {}), want, where)


SEEDS = range(12)


# The vector/matrix skills are checked by test_matrix_skills_match_central_differences below.
MATRIX_SKILLS = {"quadratic-form-gradient", "linear-model-gradient", "dense-layer-backprop"}


def test_every_skill_has_a_reference() -> None:
    assert {s.id for s in SKILLS} == set(REFERENCES) | MATRIX_SKILLS


def _central_gradient(
    f: Callable[[dict[str, Any]], float], values: dict[str, Any], wrt: str
) -> Any:
    """∂f/∂wrt entry by entry with central differences, written here (not calcml's checker)."""
    base = values[wrt]
    grad = np.zeros_like(base)
    h = 1e-6
    for index in np.ndindex(base.shape):
        up, down = base.copy(), base.copy()
        up[index] += h
        down[index] -= h
        grad[index] = (f({**values, wrt: up}) - f({**values, wrt: down})) / (2 * h)
    return grad


@pytest.mark.parametrize("skill", sorted(MATRIX_SKILLS))
def test_matrix_skills_match_central_differences(skill: str) -> None:
    from calcml.symbolic.matrix import parse_matrix, parse_shapes
    from calcml.symbolic.matrix.numeric import evaluate

    rng = np.random.default_rng(7)
    for seed in SEEDS:
        for difficulty in (1, 2, 3):
            p = problem(skill, seed, difficulty)
            f_text, shapes_text = grab(r"for f = (.*), with (.*?)\. Write", p.prompt)
            wrt = grab(r"Find ∇_(\S+) f", p.prompt)[0]
            shapes = dict(parse_shapes(shapes_text))
            f_node = parse_matrix(f_text, shapes, defaults=False)[0]
            names = sorted({d for shape in shapes.values() for d in shape if isinstance(d, str)})
            dims = {d: int(rng.integers(2, 5)) for d in names}

            def size(d: Any, dims: dict[str, int] = dims) -> int:
                return dims[d] if isinstance(d, str) else int(d)

            values = {name: rng.normal(size=(size(r), size(c))) for name, (r, c) in shapes.items()}
            for name, (r, c) in shapes.items():  # a quadratic form's matrix: symmetric or not
                if r == c and not isinstance(r, int):
                    values[name] = values[name] + 0.5 * np.eye(size(r))

            def f(env: dict[str, Any], f_node: Any = f_node, dims: dict[str, int] = dims) -> float:
                return float(np.asarray(evaluate(f_node, dims, env)).reshape(-1)[0])

            want = _central_gradient(f, values, wrt)
            for given in (p.answer.value.node(), p.solution.result):
                got = np.asarray(evaluate(given, dims, values)).reshape(want.shape)
                assert np.allclose(got, want, rtol=1e-5, atol=1e-6), (
                    f"{skill} seed={seed} d={difficulty}: {p.prompt}"
                )


@pytest.mark.parametrize("skill", [s.id for s in SKILLS if s.id not in MATRIX_SKILLS])
def test_answers_and_solutions_match_an_independent_reference(skill: str) -> None:
    rng = random.Random(skill)
    for seed in SEEDS:
        for difficulty in (1, 2, 3):
            p = problem(skill, seed, difficulty)
            where = f"{skill} seed={seed} d={difficulty}: {p.prompt}"
            with mp.workdps(30):
                want = REFERENCES[skill](p)
                check_against(p, p.answer.value, want, rng, where)
                check_against(p, p.solution.result, want, rng, where + " (worked solution)")
