"""Topic 3b — calculus with vectors and matrices: answers are matrix expressions of a shape."""

from __future__ import annotations

import random

from calcml.learn.answers import Answer
from calcml.learn.matrix_grade import MatrixTarget
from calcml.learn.problems.base import Problem, generator
from calcml.symbolic.matrix import matrix_gradient

MAT = ["A", "B", "M", "S", "Q"]
VEC = ["x", "v", "u", "z"]
DATA = [("X", "w", "y"), ("A", "θ", "b"), ("Φ", "w", "t")]
DIMS = ["d", "n", "k", "m", "p"]


def _problem(
    skill: str,
    f: str,
    wrt: str,
    shapes: str,
    answer: str,
    mistakes: dict[str, str],
    hints: list[str],
) -> Problem:
    solution = matrix_gradient(f, wrt, shapes)
    target = MatrixTarget(answer, shapes, wrt, mistakes)
    prompt = (
        f"Find ∇_{wrt} f for f = {f}, with {shapes}. "
        f"Write a matrix expression (e.g. X^T (X w - y)); its shape must be {wrt}'s."
    )
    from calcml.symbolic.matrix.render import m_latex

    return Problem(
        skill,
        prompt,
        rf"f = {m_latex(solution.expr)},\quad \nabla_{{{wrt}}} f = ?",
        Answer("matrix-expression", target),
        hints,
        solution,  # type: ignore[arg-type]
        dict(mistakes),
    )


@generator("quadratic-form-gradient")
def quadratic_form(rng: random.Random, difficulty: int) -> Problem:
    A, x, d = rng.choice(MAT), rng.choice(VEC), rng.choice(DIMS)
    shapes = f"{A}: {d}×{d}, {x}: {d}"
    f = f"{x}^T {A} {x}"
    answer = f"({A} + {A}^T) {x}"
    wrong = {
        "matrix_symmetric_assumed": f"2 {A} {x}",
        "matrix_lost_factor": f"{A} {x}",
        "matrix_transposed": f"{x}^T ({A} + {A}^T)",
    }
    if difficulty >= 2:
        b = "b" if x != "b" else "c"
        shapes += f", {b}: {d}"
        f = f"{x}^T {A} {x} / 2 - {b}^T {x}"
        answer = f"({A} + {A}^T) {x} / 2 - {b}"
        wrong = {"matrix_symmetric_assumed": f"{A} {x} - {b}"}
    hints = [
        f"Take the differential: d({x}ᵀ{A}{x}) = d{x}ᵀ {A}{x} + {x}ᵀ{A} d{x}.",
        "A scalar equals its transpose: d xᵀ A x = xᵀAᵀ dx, so both terms are (…)ᵀ dx.",
    ]
    return _problem("quadratic-form-gradient", f, x, shapes, answer, wrong, hints)


@generator("linear-model-gradient")
def linear_model(rng: random.Random, difficulty: int) -> Problem:
    X, w, y = rng.choice(DATA)
    n, d = rng.sample(["n", "m", "N"], 1)[0], rng.choice(["d", "p", "k"])
    shapes = f"{X}: {n}×{d}, {w}: {d}, {y}: {n}"
    if difficulty == 1:
        f = f"norm({X} {w} - {y})^2"
        answer = f"2 {X}^T ({X} {w} - {y})"
        wrong = {
            "matrix_lost_factor": f"{X}^T ({X} {w} - {y})",
            "matrix_transposed": f"2 ({X} {w} - {y})^T {X}",
        }
    elif difficulty == 2:
        f = f"norm({X} {w} - {y})^2 / {n}"
        answer = f"2 {X}^T ({X} {w} - {y}) / {n}"
        wrong = {"matrix_lost_factor": f"{X}^T ({X} {w} - {y}) / {n}"}
    else:
        f = f"-mean({y} .* log(sigmoid({X} {w})) + (1 - {y}) .* log(1 - sigmoid({X} {w})))"
        answer = f"{X}^T (sigmoid({X} {w}) - {y}) / {n}"
        wrong = {"matrix_lost_factor": f"{X}^T (sigmoid({X} {w}) - {y})"}
    hints = [
        f"Name the residual r = {X}{w} − {y} ({n}×1); then d‖r‖² = 2rᵀ dr.",
        f"dr = {X} d{w}, so df = 2rᵀ{X} d{w} = (2{X}ᵀr)ᵀ d{w}: read off ∇_{w} f = 2{X}ᵀr.",
    ]
    return _problem("linear-model-gradient", f, w, shapes, answer, wrong, hints)


@generator("dense-layer-backprop")
def dense_layer(rng: random.Random, difficulty: int) -> Problem:
    W, x, b, y = "W", rng.choice(["x", "a", "h"]), "b", "y"
    m, n = rng.sample(["m", "n", "k", "h"], 2)
    act = "sigmoid" if difficulty < 3 else "tanh"
    shapes = f"{W}: {m}×{n}, {x}: {n}, {b}: {m}, {y}: {m}"
    f = f"norm({act}({W} {x} + {b}) - {y})^2 / 2"
    deriv = (
        f"sigmoid({W} {x} + {b}) .* (1 - sigmoid({W} {x} + {b}))"
        if act == "sigmoid"
        else f"(1 - tanh({W} {x} + {b}) .* tanh({W} {x} + {b}))"
    )
    delta = f"(({act}({W} {x} + {b}) - {y}) .* {deriv})"
    wrt = b if difficulty == 1 else W
    answer = delta if wrt == b else f"{delta} {x}^T"
    missing = f"({act}({W} {x} + {b}) - {y})"
    wrong = {"matrix_missing_derivative": missing if wrt == b else f"{missing} {x}^T"}
    if wrt == W:
        wrong["matrix_transposed"] = f"{x} {delta}^T"
    hints = [
        f"Name z = {W}{x} + {b} ({m}×1) and a = {act}(z); δ = ∂f/∂z = (a − {y}) ⊙ {act}′(z).",
        f"dz = d{W} {x}: df = δᵀ d{W} {x} = tr(({x}δᵀ) d{W}) … so ∇_{W} f = δ{x}ᵀ ({m}×{n}).",
    ]
    return _problem("dense-layer-backprop", f, wrt, shapes, answer, wrong, hints)
