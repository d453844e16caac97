"""Topic 6 — Jacobian, Hessian, critical points, Newton's method."""

from __future__ import annotations

import random

import sympy as sp

from calcml.learn.problems.base import Problem, generator
from calcml.learn.problems.kit import choice, matrix, nonzero, number, pick, tex, txt, x, y, z
from calcml.learn.worked import derivative, hessian, jacobian, worked


@generator("jacobian")
def jacobian_problem(rng: random.Random, difficulty: int) -> Problem:
    a, c = nonzero(rng, -3, 3), nonzero(rng, -3, 3)
    pool = [x**2 * y, a * x + y**2, sp.sin(x * y), x * sp.exp(y), c * x * y + y, x**2 + c * y]
    outputs = rng.sample(pool, 3 if difficulty == 3 else 2)
    variables = [x, y]
    if difficulty == 2:
        variables = [x, y, z]
        outputs = [outputs[0] + z, outputs[1] * z]
    sol = jacobian(outputs, variables)
    J = sol.result
    names = ", ".join(txt(v) for v in variables)
    rows = r" \\ ".join(tex(f) for f in outputs)
    return Problem(
        "jacobian",
        f"Find the Jacobian of F({names}) = [{', '.join(txt(f) for f in outputs)}] "
        f"({J.rows}×{J.cols}; J[i, j] = ∂Fᵢ/∂{'xⱼ'}). Write it as [[row 1], [row 2], ...].",
        rf"F = \begin{{bmatrix}}{rows}\end{{bmatrix}},\ J = ?",
        matrix(J, variables),
        [
            f"One row per output ({J.rows}), one column per input ({J.cols}).",
            "Row i holds the partial derivatives of Fᵢ.",
        ],
        sol,
        {"transposed": J.T},
    )


@generator("hessian")
def hessian_problem(rng: random.Random, difficulty: int) -> Problem:
    a, c, d = nonzero(rng, -3, 3), nonzero(rng, -3, 3), nonzero(rng, -3, 3)
    f = a * x**2 * y + c * y**3 + d * x * y
    if difficulty >= 2:
        f = f + pick(rng, [sp.exp(x) * y, sp.sin(x * y), x**3])
    if difficulty == 3:
        f = f + x * y**2
    sol = hessian(f, [x, y])
    H = sol.result
    diag = sp.diag(H[0, 0], H[1, 1])
    return Problem(
        "hessian",
        f"Find the Hessian of f(x, y) = {txt(f)}. Write it as [[f_xx, f_xy], [f_yx, f_yy]].",
        rf"f = {tex(f)},\ H = ?",
        matrix(H, [x, y]),
        [
            "H[i, j] = ∂²f/∂xᵢ∂xⱼ: differentiate the gradient once more.",
            "The mixed partials f_xy and f_yx are equal for smooth f.",
        ],
        sol,
        {"hessian_mixed": diag},
    )


CRITICAL = ("minimum", "maximum", "saddle point", "inconclusive")


@generator("classify-critical-point")
def classify_critical_point(rng: random.Random, difficulty: int) -> Problem:
    p, q = nonzero(rng, -2, 2, ()), nonzero(rng, -2, 2, ())
    X, Y = x - p, y - q
    kind = pick(rng, CRITICAL[:3] if difficulty < 3 else CRITICAL)
    a, c = nonzero(rng, 1, 4), nonzero(rng, 1, 4)
    if kind == "minimum":
        f = a * X**2 + c * Y**2 + (X * Y if difficulty > 1 else 0)
    elif kind == "maximum":
        f = -a * X**2 - c * Y**2
    elif kind == "saddle point":
        f = a * X**2 - c * Y**2 + (2 * X * Y if difficulty > 1 else 0)
    else:
        f = X**4 + c * Y**2
    f = sp.expand(f)
    H = sp.hessian(f, [x, y]).subs({x: p, y: q})
    det, fxx = H.det(), H[0, 0]
    sol = worked(
        f"critical point ({p}, {q})",
        f,
        kind,
        [
            ("gradient", f"∇f({p}, {q}) = 0: it is a critical point", None, None),
            ("hessian", "The Hessian there", f, H),
            ("determinant", "det H = f_xx·f_yy − f_xy²", H, det),
            ("test", _test_reason(det, fxx), None, None),
        ],
        components=[hessian(f, [x, y])],
    )
    wrong = {
        "minimum": "maximum",
        "maximum": "minimum",
        "saddle point": "minimum",
        "inconclusive": "minimum",
    }[kind]
    return Problem(
        "classify-critical-point",
        f"f(x, y) = {txt(f)} has a critical point at ({p}, {q}). What kind is it "
        "(by the second-derivative test)?",
        rf"f = {tex(f)},\ ({p}, {q})",
        choice(kind, CRITICAL),
        ["Compute the Hessian at the point.", "Look at det H and the sign of f_xx."],
        sol,
        {"second_derivative_test": wrong},
    )


def _test_reason(det: sp.Expr, fxx: sp.Expr) -> str:
    if det > 0 and fxx > 0:
        return f"det H = {det} > 0 and f_xx = {fxx} > 0: a minimum"
    if det > 0:
        return f"det H = {det} > 0 and f_xx = {fxx} < 0: a maximum"
    if det < 0:
        return f"det H = {det} < 0: a saddle point"
    return "det H = 0: the second-derivative test is inconclusive"


@generator("newton-step")
def newton_step(rng: random.Random, difficulty: int) -> Problem:
    a, c = nonzero(rng, -3, 3), nonzero(rng, -4, 4)
    f = x**4 / 4 + a * x**2 + c * x if difficulty > 1 else (a * a + 1) * x**2 + c * x + x**3 / 3
    x0 = nonzero(rng, 1, 3) * pick(rng, [1, -1])
    d1, d2 = sp.diff(f, x), sp.diff(f, x, 2)
    if d2.subs(x, x0) == 0:
        x0 = x0 + 1 if d2.subs(x, x0 + 1) != 0 else x0 + 2
    g, h = d1.subs(x, x0), d2.subs(x, x0)
    value = x0 - g / h
    sol = worked(
        "x₁ = x₀ − f′(x₀)/f″(x₀)",
        f,
        value,
        [
            ("derivatives", f"f′({x0}) = {g}", d1, g),
            ("curvature", f"f″({x0}) = {h}", d2, h),
            ("newton", "Newton step: jump to the minimum of the local quadratic", None, value),
        ],
        components=[derivative(f, x), derivative(d1, x)],
    )
    f0 = f.subs(x, x0)
    mistakes = {"newton_sign": x0 + g / h}
    if g != 0:
        mistakes["newton_root"] = x0 - f0 / g
    # where f″(x₀) < 0 the local quadratic opens downward: the step heads for its maximum
    goal = "to minimise" if h > 0 else "(toward a critical point, f′ = 0) on"
    curvature_hint = (
        "f″(x₀) > 0: the local quadratic opens upward, so the step jumps to its minimum."
        if h > 0
        else "f″(x₀) < 0: the local quadratic opens downward, so the step jumps to its "
        "maximum — Newton's method finds critical points, not only minima."
    )
    return Problem(
        "newton-step",
        f"Take one Newton step {goal} f(x) = {txt(f)} from x₀ = {x0}.",
        rf"x_1 = x_0 - \frac{{f'(x_0)}}{{f''(x_0)}},\ f = {tex(f)},\ x_0 = {x0}",
        number(value, 1e-6),
        [
            "Newton's method solves f′(x) = 0 with the local quadratic model.",
            "x₁ = x₀ − f′(x₀)/f″(x₀).",
            curvature_hint,
        ],
        sol,
        mistakes,
    )
