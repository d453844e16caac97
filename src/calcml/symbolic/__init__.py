"""calcml.symbolic: exact calculus with steps (see ../shared/DESIGN.md)."""

from calcml.symbolic.derive import derive, directional_derivative, gradient, hessian, jacobian
from calcml.symbolic.steps import Derivation, Step

__all__ = [
    "Derivation",
    "Step",
    "derive",
    "directional_derivative",
    "gradient",
    "hessian",
    "jacobian",
]
