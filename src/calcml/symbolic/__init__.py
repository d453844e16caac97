"""calcml.symbolic: exact calculus with steps (see docs/ARCHITECTURE.md)."""

from calcml.symbolic.continuity import continuity, differentiable
from calcml.symbolic.critical import critical_points
from calcml.symbolic.derive import derive, directional_derivative, gradient, hessian, jacobian
from calcml.symbolic.limits import limit
from calcml.symbolic.steps import Derivation, Step
from calcml.symbolic.taylor import taylor

__all__ = [
    "Derivation",
    "Step",
    "continuity",
    "critical_points",
    "derive",
    "differentiable",
    "directional_derivative",
    "gradient",
    "hessian",
    "jacobian",
    "limit",
    "taylor",
]
