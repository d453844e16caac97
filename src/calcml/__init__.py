"""calcml: the calculus of machine learning, executable.

>>> import calcml as cm
>>> cm.to_text(cm.parse("2x sin x"))
'2·x·sin(x)'

Heavy modules (SymPy, NumPy) load on first use of a name, so `calcml --help` stays fast.
"""

from __future__ import annotations

import importlib
from typing import Any

from calcml.errors import (
    CalcmlError,
    ParseError,
    ShapeError,
    TimeLimitError,
    UnsupportedError,
    VerificationError,
)

__version__ = "0.1.0"

# public name -> module that defines it
_LAZY: dict[str, str] = {
    "parse": "calcml.expr",
    "to_text": "calcml.expr",
    "to_latex": "calcml.expr",
    "to_input": "calcml.expr",
    "derive": "calcml.symbolic",
    "gradient": "calcml.symbolic",
    "jacobian": "calcml.symbolic",
    "hessian": "calcml.symbolic",
    "directional_derivative": "calcml.symbolic",
    "limit": "calcml.symbolic",
    "continuity": "calcml.symbolic",
    "differentiable": "calcml.symbolic",
    "taylor": "calcml.symbolic",
    "critical_points": "calcml.symbolic",
    "matrix_derive": "calcml.symbolic.matrix",
    "matrix_gradient": "calcml.symbolic.matrix",
    "matrix_jacobian": "calcml.symbolic.matrix",
    "matrix_hessian": "calcml.symbolic.matrix",
}
_SUBMODULES = {"expr", "symbolic", "autodiff", "optim", "ml", "viz", "learn", "store"}

__all__ = [
    "CalcmlError",
    "ParseError",
    "ShapeError",
    "TimeLimitError",
    "UnsupportedError",
    "VerificationError",
    *_LAZY,
    *sorted(_SUBMODULES),
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        return importlib.import_module(f"calcml.{name}")
    raise AttributeError(f"module 'calcml' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
