"""Common mistakes, as data: each kind has a title and feedback aimed at that mistake.

Generators attach the wrong answer each mistake would produce to their problem
(`Problem.mistakes`); the grader recognises a learner's answer as one of them. A few mistakes are
recognised for any problem by a detector (`DETECTORS`): a transposed matrix, a flipped sign, a
constant factor off.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sympy as sp


@dataclass(frozen=True)
class Mistake:
    """A kind of mistake: `kind` id, a short `title`, and `feedback` for the learner."""

    kind: str
    title: str
    feedback: str


MISTAKES: dict[str, Mistake] = {}


def mistake(kind: str, title: str, feedback: str) -> Mistake:
    """Register a mistake kind."""
    MISTAKES[kind] = Mistake(kind, title, feedback)
    return MISTAKES[kind]


mistake(
    "chain_factor",
    "dropped chain-rule factor",
    "You differentiated the outer function but dropped the derivative of the inside. "
    "Chain rule: d/dx f(g(x)) = f′(g(x))·g′(x) — multiply by g′(x).",
)
mistake(
    "product_rule",
    "product rule as f′·g′",
    "The derivative of a product is not the product of the derivatives. "
    "Product rule: (f·g)′ = f′·g + f·g′.",
)
mistake(
    "quotient_sign",
    "quotient-rule sign",
    "The numerator of the quotient rule has its terms the other way round: "
    "(f/g)′ = (f′·g − f·g′)/g², numerator first.",
)
mistake(
    "quotient_square",
    "quotient rule without g²",
    "The quotient rule divides by the square of the denominator: (f/g)′ = (f′·g − f·g′)/g².",
)
mistake(
    "power_rule",
    "power rule exponent not lowered",
    "Power rule: d/dx xⁿ = n·xⁿ⁻¹ — bring the exponent down and lower it by one.",
)
mistake(
    "mse_two",
    "missing 2 in the MSE gradient",
    "The square gives a factor 2: d/dw (ŷ − y)² = 2(ŷ − y)·dŷ/dw.",
)
mistake(
    "mse_mean",
    "missing 1/n in the MSE gradient",
    "The mean squared error divides by n, and so does its gradient: "
    "d/dw (1/n)Σ(ŷᵢ − yᵢ)² = (2/n)Σ(ŷᵢ − yᵢ)·dŷᵢ/dw.",
)
mistake(
    "ce_sign",
    "sign slip in cross-entropy",
    "Cross-entropy is −[y log p + (1 − y) log(1 − p)]; with p = σ(z) its derivative is "
    "dL/dz = p − y (prediction minus target), not y − p.",
)
mistake(
    "partial_not_constant",
    "other variable not held constant",
    "In a partial derivative every other variable is a constant: terms with only the other "
    "variables differentiate to 0, and their factors just come along.",
)
mistake(
    "gd_ascent",
    "gradient ascent instead of descent",
    "Gradient descent steps against the gradient: x_new = x − η·∇f(x). Adding η·∇f climbs uphill.",
)
mistake(
    "transposed",
    "transposed Jacobian",
    "Your matrix is the transpose of the answer. Jacobian convention: J[i, j] = ∂fᵢ/∂xⱼ — "
    "one row per output, one column per input.",
)
mistake(
    "row_vs_column",
    "row instead of column",
    "You wrote a row; the answer is a column vector (a gradient has the shape of the variable "
    "vector). Write it as [a, b] or [[a], [b]].",
)
mistake(
    "wrong_shape",
    "wrong shape",
    "The shape of your answer does not match: check how many entries (rows × columns) "
    "the answer has.",
)
mistake(
    "sign",
    "sign error",
    "Your answer is the negative of the right one — check the signs (a minus from the chain "
    "rule, a derivative of cos, or the direction of a step).",
)
mistake(
    "chain_missing_path",
    "missing path in the multivariable chain rule",
    "When f depends on t through several variables, add one term per path: "
    "df/dt = ∂f/∂x·dx/dt + ∂f/∂y·dy/dt.",
)
mistake(
    "lr_bound",
    "learning-rate bound off by 2",
    "On f(x) = (a/2)x² one step multiplies x by (1 − ηa); it shrinks while |1 − ηa| < 1, "
    "i.e. for 0 < η < 2/a. (η = 1/a is the rate that jumps straight to the minimum.)",
)
mistake(
    "newton_root",
    "Newton for roots instead of minima",
    "To minimise f, Newton's method finds a root of f′: x_new = x − f′(x)/f″(x), "
    "not x − f(x)/f′(x).",
)
mistake(
    "l2_factor",
    "wrong factor in the L2 penalty",
    "d/dw (λ/2)w² = λw: the ½ cancels the 2 from the square.",
)
mistake(
    "not_unit",
    "direction not normalised",
    "A directional derivative uses a unit vector: divide the direction by its length first.",
)
mistake(
    "pca_smallest",
    "smallest instead of largest eigenvalue",
    "The first principal component is the eigenvector of the covariance matrix with the "
    "largest eigenvalue — the direction of greatest variance.",
)
mistake(
    "tangent_slope_point",
    "tangent line slope not evaluated at the point",
    "The linearization is L(x) = f(a) + f′(a)(x − a): the slope is the number f′(a).",
)
mistake(
    "taylor_factorial",
    "missing factorial in Taylor",
    "The k-th Taylor term divides by k!: the quadratic term is f″(a)/2·(x − a)².",
)
mistake(
    "composition_order",
    "composition in the wrong order",
    "(f ∘ g)(x) = f(g(x)): put g(x) inside f, not f(x) inside g.",
)
mistake(
    "fd_step",
    "wrong step in the central difference",
    "The central difference divides by the full width 2h: (f(x + h) − f(x − h))/(2h).",
)
mistake(
    "hessian_mixed",
    "mixed partials left out",
    "The Hessian's off-diagonal entries are the mixed partials ∂²f/∂x∂y — they are not 0 "
    "unless f separates.",
)
mistake(
    "second_derivative_test",
    "second-derivative test misread",
    "At a critical point: det H > 0 and f_xx > 0 → minimum; det H > 0 and f_xx < 0 → maximum; "
    "det H < 0 → saddle; det H = 0 → the test is inconclusive.",
)
mistake(
    "continuity_kind",
    "discontinuity misclassified",
    "Compare three things: f(a), the limit from the left and the limit from the right. "
    "All equal → continuous; equal limits but f(a) missing → removable; different finite "
    "limits → jump; an infinite limit → infinite discontinuity.",
)
mistake(
    "tanh_identity",
    "tanh′ with the wrong sign",
    "tanh′(u) = 1 − tanh²(u) (= sech²(u)), not 1 + tanh²(u).",
)
mistake(
    "newton_sign",
    "Newton step in the wrong direction",
    "Newton's step for minimising is x_new = x − f′(x)/f″(x): subtract the step.",
)
mistake(
    "mode_choice",
    "forward and reverse mode swapped",
    "Forward mode gives one column of the Jacobian per pass (n passes for n inputs); reverse "
    "mode gives one row per pass (m passes for m outputs). Pick the one with fewer passes.",
)
mistake(
    "constant_factor",
    "off by a constant factor",
    "Your answer is a constant multiple of the right one: the shape is right but a factor is "
    "off — a chain-rule factor from the inside, the 2 from a square, a 1/n from a mean, or a "
    "coefficient.",
)


def is_negation(given: Any, expected: Any, equal: Callable[[Any, Any], bool]) -> bool:
    """The learner's answer is −expected (and expected is not 0)."""
    if isinstance(expected, str) or _is_zero(expected):
        return False
    return equal(given, -expected)


def is_transpose(given: Any, expected: Any, equal: Callable[[Any, Any], bool]) -> bool:
    """A non-symmetric matrix answer given transposed."""
    if not isinstance(expected, sp.MatrixBase) or not isinstance(given, sp.MatrixBase):
        return False
    if expected.rows == 1 or expected.cols == 1:
        return False
    if given.shape != expected.T.shape or equal(expected, expected.T):
        return False
    return equal(given, expected.T)


def is_constant_multiple(given: Any, expected: Any, equal: Callable[[Any, Any], bool]) -> bool:
    """An expression answer that is c·expected for a simple constant c ≠ 0, ±1."""
    if not isinstance(expected, sp.Expr) or not isinstance(given, sp.Expr):
        return False
    symbols = sorted(expected.free_symbols | given.free_symbols, key=str)
    if not expected.free_symbols or _is_zero(expected):
        return False
    from calcml.learn.equivalence import evaluator

    point = {s: sp.Float(0.5 + 0.37 * i, 17) for i, s in enumerate(symbols)}
    top, bottom = evaluator(given, symbols)(point), evaluator(expected, symbols)(point)
    if top is None or bottom is None or bottom == 0:
        return False
    ratio = top / bottom
    if not abs(ratio.real) < 1e6:
        return False
    c = sp.nsimplify(ratio.real, rational=True, tolerance=1e-9)
    if not c.is_Rational or c in (0, 1, -1) or c.q > 12 or abs(c) > 100:
        return False
    return equal(given, c * expected)


# detectors that apply to any problem, in order: kind -> test(given, expected, equal)
DETECTORS: dict[str, Callable[[Any, Any, Callable[[Any, Any], bool]], bool]] = {
    "transposed": is_transpose,
    "sign": is_negation,
    "constant_factor": is_constant_multiple,
}


def _is_zero(value: Any) -> bool:
    if isinstance(value, sp.MatrixBase):
        return bool(value.is_zero_matrix)
    return bool(value == 0)
