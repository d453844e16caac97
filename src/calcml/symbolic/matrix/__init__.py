"""Vector and matrix calculus with steps: ∇_W of the losses and layers ML is written in.

Shapes are declared (`"X: n×d, w: d, y: n"`) or defaulted by convention; vectors are columns, a
data matrix has examples as rows, a gradient has its variable's shape. Every result is checked
numerically before it is returned.

>>> import calcml.symbolic.matrix as mx
>>> mx.matrix_gradient("norm(X w - y)^2", "w", "X: n×d, w: d, y: n").headline()
'∇_w [‖Xw − y‖²] = 2Xᵀ(Xw − y)   (d)'
"""

from calcml.symbolic.matrix.engine import (
    matrix_derive,
    matrix_gradient,
    matrix_hessian,
    matrix_jacobian,
)
from calcml.symbolic.matrix.parser import has_matrix_operator, parse_matrix
from calcml.symbolic.matrix.result import MatrixDerivation, MatrixStep
from calcml.symbolic.matrix.shapes import parse_shapes

__all__ = [
    "MatrixDerivation",
    "MatrixStep",
    "has_matrix_operator",
    "matrix_derive",
    "matrix_gradient",
    "matrix_hessian",
    "matrix_jacobian",
    "parse_matrix",
    "parse_shapes",
]
