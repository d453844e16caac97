"""NumPy's protocols for `Tensor`, routed through two tables: ``np.exp(t)``, ``np.sum(t, axis=0)``,
``a @ t`` are recorded.

The tables (`NUMPY_UFUNCS`, `NUMPY_FUNCTIONS`, `CONSTANT_UFUNCS`) are filled by
`calcml.autodiff.numpy_api`; comparisons and other piecewise-constant functions return plain
arrays (they have no useful gradient); anything else raises `UnsupportedError` naming the
NumPy function.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from calcml.autodiff.graph import numpy_value
from calcml.errors import UnsupportedError

NUMPY_UFUNCS: dict[Any, Callable[..., Any]] = {}
NUMPY_FUNCTIONS: dict[Any, Callable[..., Any]] = {}
CONSTANT_UFUNCS: set[Any] = set()


def no_out(name: str, kwargs: dict[str, Any]) -> None:
    """Refuse ``out=`` (writing into an array cannot be recorded)."""
    if kwargs.get("out") is not None:
        raise UnsupportedError(f"numpy.{name}(..., out=...) cannot be recorded; drop out=")


def array_ufunc(ufunc: Any, method: str, inputs: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """Route a NumPy ufunc call on Tensors to the engine."""
    if method != "__call__":
        raise UnsupportedError(
            f"numpy.{ufunc.__name__}.{method} cannot be differentiated by calcml; "
            "use the plain call or calcml.autodiff functions"
        )
    no_out(ufunc.__name__, kwargs)
    extra = sorted(k for k, v in kwargs.items() if k != "out" and v is not None)
    if extra and ufunc not in CONSTANT_UFUNCS:
        raise UnsupportedError(
            f"numpy.{ufunc.__name__}(..., {', '.join(k + '=' for k in extra)}) cannot be recorded; "
            "call it without those keyword arguments"
        )
    kwargs = {k: v for k, v in kwargs.items() if k != "out"}
    if ufunc in CONSTANT_UFUNCS:
        return ufunc(*map(numpy_value, inputs), **kwargs)
    fn = NUMPY_UFUNCS.get(ufunc)
    if fn is None:
        raise UnsupportedError(
            f"numpy.{ufunc.__name__} is not supported on calcml Tensors (no derivative rule); "
            "supported ufuncs: " + ", ".join(sorted(u.__name__ for u in NUMPY_UFUNCS))
        )
    return fn(*inputs)


def array_function(func: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """Route a NumPy function call on Tensors to the engine."""
    fn = NUMPY_FUNCTIONS.get(func)
    if fn is None:
        module = getattr(func, "__module__", None) or "numpy"
        if module.startswith(("numpy._core", "numpy.core", "numpy.lib")):
            module = "numpy"
        name = f"{module}.{func.__name__}"
        raise UnsupportedError(
            f"{name} is not supported on calcml Tensors (no derivative rule); supported: "
            + ", ".join(sorted({f.__name__ for f in NUMPY_FUNCTIONS}))
        )
    return fn(*args, **kwargs)
