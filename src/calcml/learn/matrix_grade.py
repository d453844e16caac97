"""Grading answers that are vector/matrix expressions (Xᵀ(Xw − y), 2Aw, δxᵀ ...).

A learner's text is read by the matrix parser with the problem's declared shapes (no defaults).
An answer of the transposed shape is named as such, another shape as a wrong shape; one of the
right shape is compared with the expected expression by value on random instances (sizes 2–4),
so every equivalent form is accepted: Xᵀ(Xw − y) and XᵀXw − Xᵀy alike. Known mistakes (a lost
factor, a flipped sign) are recognised the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from calcml.errors import CalcmlError, ParseError
from calcml.learn.mistakes import mistake

TRIALS = 4


@dataclass(frozen=True)
class MatrixTarget:
    """The expected answer: its text (calcml matrix syntax), the declared shapes, the variable
    whose gradient it is (for the shape message), and the wrong answers of known mistakes."""

    text: str
    shapes: str
    wrt: str = ""
    mistakes: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        from calcml.symbolic.matrix.render import m_text

        return m_text(self.node())

    def node(self) -> Any:
        from calcml.symbolic.matrix import parse_matrix, parse_shapes

        return parse_matrix(self.text, dict(parse_shapes(self.shapes)), defaults=False)[0]

    def latex(self) -> str:
        from calcml.symbolic.matrix.render import m_latex

        return m_latex(self.node())

    def input(self) -> str:
        from calcml.symbolic.matrix.render import m_input

        return m_input(self.node())


mistake(
    "matrix_transposed",
    "transposed answer",
    "Your answer has the transposed shape. In the ML (denominator) layout the gradient ∇_W f has "
    "the shape of W: a column vector's gradient is a column, an m×n matrix's is m×n.",
)
mistake(
    "matrix_lost_factor",
    "lost a constant factor",
    "Your answer is a multiple of the right one: d‖r‖² = 2rᵀdr brings a 2, and a mean brings 1/n.",
)
mistake(
    "matrix_symmetric_assumed",
    "assumed A is symmetric",
    "d(xᵀAx) = xᵀ(A + Aᵀ)dx: the gradient is (A + Aᵀ)x, which is 2Ax only when A = Aᵀ.",
)
mistake(
    "matrix_missing_derivative",
    "forgot σ′(z)",
    "The chain rule through an elementwise σ multiplies by σ′(z) = σ(z) ⊙ (1 − σ(z)), entry by "
    "entry.",
)


def describe(shape: tuple[Any, Any]) -> str:
    """'a scalar', 'a column vector of size d (d×1)', 'a row 1×d', 'an n×d matrix'."""
    r, c = shape
    if (r, c) == (1, 1):
        return "a scalar"
    if c == 1:
        return f"a column vector of size {r} ({r}×1)"
    if r == 1:
        return f"a row 1×{c}"
    return f"an {r}×{c} matrix"


def _equal(a: Any, b: Any, shapes: dict[str, Any]) -> bool:
    from calcml.symbolic.matrix.numeric import evaluate, instance

    rng = np.random.default_rng(20)
    compared = 0
    for attempt in range(TRIALS * 3):
        dims, values = instance(b, shapes, rng, positive=attempt >= TRIALS)
        with np.errstate(all="ignore"):
            want = evaluate(b, dims, values)
            got = evaluate(a, dims, values)
        if not np.all(np.isfinite(want)):
            continue
        if got.shape != want.shape or not np.allclose(got, want, rtol=1e-8, atol=1e-10):
            return False
        compared += 1
        if compared == TRIALS:
            break
    return compared > 0


def target_equal(a: Any, b: Any, target: MatrixTarget) -> bool:
    """Two answers (nodes, texts in the target's shapes, or targets) are equal with one shape."""
    from calcml.symbolic.matrix import parse_matrix, parse_shapes

    shapes = dict(parse_shapes(target.shapes))

    def node(v: Any) -> Any:
        if isinstance(v, MatrixTarget):
            return v.node()
        if isinstance(v, str):
            return parse_matrix(v, dict(shapes), defaults=False)[0]
        return v

    x, y = node(a), node(b)
    return bool(getattr(x, "shape", None) == y.shape and _equal(x, y, shapes))


def grade_matrix(target: MatrixTarget, text: str) -> tuple[bool, str, str | None, bool]:
    """(correct, feedback, mistake kind, counted) for a learner's matrix-expression answer."""
    from calcml.symbolic.matrix import parse_matrix, parse_shapes

    shapes = dict(parse_shapes(target.shapes))
    expected = target.node()
    try:
        given, _ = parse_matrix(text, dict(shapes), defaults=False)
    except ParseError as error:
        return False, f"could not read your answer: {error.message}", None, False
    except CalcmlError as error:
        return False, error.message, "wrong_shape", True
    want, have = expected.shape, given.shape
    if have != want:
        from calcml.learn.mistakes import MISTAKES

        whose = f"∇_{target.wrt} f has {target.wrt}'s shape" if target.wrt else "the answer is"
        kind = "matrix_transposed" if have == (want[1], want[0]) else "wrong_shape"
        return (
            False,
            f"{MISTAKES[kind].feedback} Yours is {describe(have)}; {whose}, {describe(want)}.",
            kind,
            True,
        )
    if _equal(given, expected, shapes):
        return True, "equal to the answer on random instances of every size 2–4", None, True
    for kind, wrong in target.mistakes.items():
        node, _ = parse_matrix(wrong, dict(shapes), defaults=False)
        if node.shape == have and _equal(given, node, shapes):
            from calcml.learn.mistakes import MISTAKES

            return False, MISTAKES[kind].feedback, kind, True
    return (
        False,
        f"the shape ({describe(have)}) is right but the value differs from the answer on random "
        "instances — check each factor of the chain rule",
        None,
        True,
    )
