"""The entry point the faces (CLI, web) call: the matrix engine answers a derivative question when
shapes are declared or the text uses a vector/matrix operator; otherwise the scalar engine does.

>>> matrix_question("derive", "x^2 sin(x)", "x", None) is None
True
>>> matrix_question("gradient", "w^T A w", "w", "A: d×d, w: d").headline()
'∇_w [wᵀAw] = (A + Aᵀ)w   (d)'
"""

from __future__ import annotations

from calcml.errors import ParseError
from calcml.symbolic.matrix.engine import (
    matrix_derive,
    matrix_gradient,
    matrix_hessian,
    matrix_jacobian,
)
from calcml.symbolic.matrix.parser import has_matrix_operator
from calcml.symbolic.matrix.result import MatrixDerivation

KINDS = {
    "derive": matrix_derive,
    "gradient": matrix_gradient,
    "jacobian": matrix_jacobian,
    "hessian": matrix_hessian,
}


def is_matrix_question(expression: str, shapes: str | None) -> bool:
    return shapes is not None or has_matrix_operator(expression)


def matrix_question(
    kind: str, expression: str, wrt: str | None, shapes: str | None
) -> MatrixDerivation | None:
    """Answer with the matrix engine, or None when the question is a scalar one."""
    if not is_matrix_question(expression, shapes):
        return None
    names = [w.strip() for w in (wrt or "").split(",") if w.strip()]
    if len(names) != 1:
        raise ParseError(
            "with vectors and matrices, name one variable: --wrt w (the result has its shape)"
        )
    return KINDS[kind](expression, names[0], shapes)
