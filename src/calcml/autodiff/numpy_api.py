"""NumPy's protocols for `Tensor`: ``np.exp(t)``, ``np.sum(t, axis=0)``, ``a @ t`` are recorded.

Ufuncs and array functions are looked up in two tables; comparisons and other piecewise-constant
functions return plain arrays (they have no useful gradient); anything else raises
`UnsupportedError` naming the NumPy function.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from calcml.autodiff import primitives as P
from calcml.autodiff.tensor import Tensor
from calcml.errors import UnsupportedError

UFUNCS: dict[Any, Callable[..., Any]] = {
    np.add: P.add,
    np.subtract: P.subtract,
    np.multiply: P.multiply,
    np.true_divide: P.divide,
    np.power: P.power,
    np.float_power: P.power,
    np.matmul: P.matmul,
    np.negative: P.negative,
    np.positive: lambda x: x,
    np.exp: P.exp,
    np.log: P.log,
    np.log1p: P.log1p,
    np.sqrt: P.sqrt,
    np.absolute: P.abs,
    np.sin: P.sin,
    np.cos: P.cos,
    np.tan: P.tan,
    np.tanh: P.tanh,
    np.sinh: P.sinh,
    np.cosh: P.cosh,
    np.arcsin: P.arcsin,
    np.arctan: P.arctan,
    np.expm1: P.expm1,
    np.logaddexp: P.logaddexp,
    np.maximum: P.maximum,
    np.minimum: P.minimum,
    np.square: P.square,
    np.reciprocal: lambda x: 1.0 / x,
    np.log2: lambda x: P.log(x) * (1.0 / np.log(2.0)),
    np.log10: lambda x: P.log(x) * (1.0 / np.log(10.0)),
    np.exp2: lambda x: 2.0**x,
    np.arccos: lambda x: np.pi / 2 - P.arcsin(x),
}

# Ufuncs without a useful derivative: computed on the values, returning plain arrays.
CONSTANT_UFUNCS = {
    np.greater, np.greater_equal, np.less, np.less_equal, np.equal, np.not_equal,
    np.sign, np.isfinite, np.isnan, np.isinf, np.floor, np.ceil, np.rint, np.trunc,
    np.logical_and, np.logical_or, np.logical_not, np.signbit, np.heaviside,
}  # fmt: skip


def _no_out(name: str, kwargs: dict[str, Any]) -> None:
    if kwargs.get("out") is not None:
        raise UnsupportedError(f"numpy.{name}(..., out=...) cannot be recorded; drop out=")


def _sum(
    a: Any, axis: Any = None, dtype: Any = None, out: Any = None, keepdims: bool = False, **kw: Any
) -> Any:
    _no_out("sum", {"out": out})
    return P.sum(a, axis=axis, keepdims=keepdims)


def _mean(
    a: Any, axis: Any = None, dtype: Any = None, out: Any = None, keepdims: bool = False, **kw: Any
) -> Any:
    _no_out("mean", {"out": out})
    return P.mean(a, axis=axis, keepdims=keepdims)


def _max(a: Any, axis: Any = None, out: Any = None, keepdims: bool = False, **kw: Any) -> Any:
    _no_out("max", {"out": out})
    return P.max(a, axis=axis, keepdims=keepdims)


def _min(a: Any, axis: Any = None, out: Any = None, keepdims: bool = False, **kw: Any) -> Any:
    _no_out("min", {"out": out})
    return P.min(a, axis=axis, keepdims=keepdims)


def _reshape(a: Any, shape: Any = None, *args: Any, newshape: Any = None, **kw: Any) -> Any:
    return P.reshape(a, shape if shape is not None else newshape)


def _clip(a: Any, a_min: Any = None, a_max: Any = None, out: Any = None, **kw: Any) -> Any:
    _no_out("clip", {"out": out})
    return P.clip(a, kw.get("min", a_min), kw.get("max", a_max))


def _norm(x: Any, ord: Any = None, axis: Any = None, keepdims: bool = False) -> Any:
    if ord not in (None, 2, "fro") or (ord == 2 and np.ndim(_value(x)) != 1 and axis is None):
        raise UnsupportedError(f"numpy.linalg.norm with ord={ord!r} is not supported")
    return P.sqrt(P.sum(x * x, axis=axis, keepdims=keepdims))


def _var(
    a: Any,
    axis: Any = None,
    dtype: Any = None,
    out: Any = None,
    ddof: int = 0,
    keepdims: bool = False,
    **kw: Any,
) -> Any:
    _no_out("var", {"out": out})
    centered = a - P.mean(a, axis=axis, keepdims=True)
    n = np.size(_value(a)) / max(np.size(P.sum(_value(a), axis=axis)), 1)
    return P.sum(centered * centered, axis=axis, keepdims=keepdims) * (1.0 / (n - ddof))


def _std(
    a: Any,
    axis: Any = None,
    dtype: Any = None,
    out: Any = None,
    ddof: int = 0,
    keepdims: bool = False,
    **kw: Any,
) -> Any:
    return P.sqrt(_var(a, axis=axis, out=out, ddof=ddof, keepdims=keepdims))


def _hstack(arrays: Any, **kw: Any) -> Any:
    arrays = list(arrays)
    axis = 0 if all(np.ndim(_value(a)) == 1 for a in arrays) else 1
    return P.concatenate(arrays, axis=axis)


def _vstack(arrays: Any, **kw: Any) -> Any:
    rows = [P.reshape(a, (1, -1)) if np.ndim(_value(a)) == 1 else a for a in arrays]
    return P.concatenate(rows, axis=0)


def _value(x: Any) -> Any:
    return x.data if isinstance(x, Tensor) else x


def _on_values(func: Callable[..., Any]) -> Callable[..., Any]:
    def call(*args: Any, **kwargs: Any) -> Any:
        return func(*[_value(a) for a in args], **{k: _value(v) for k, v in kwargs.items()})

    return call


FUNCTIONS: dict[Any, Callable[..., Any]] = {
    np.sum: _sum,
    np.mean: _mean,
    np.max: _max,
    np.amax: _max,
    np.min: _min,
    np.amin: _min,
    np.reshape: _reshape,
    np.transpose: lambda a, axes=None: P.transpose(a, axes),
    np.swapaxes: P.swapaxes,
    np.expand_dims: P.expand_dims,
    np.squeeze: lambda a, axis=None: P.squeeze(a, axis),
    np.broadcast_to: lambda a, shape, **kw: P.broadcast_to(a, shape),
    np.concatenate: lambda arrays, axis=0, **kw: P.concatenate(arrays, axis=axis),
    np.stack: lambda arrays, axis=0, **kw: P.stack(arrays, axis=axis),
    np.where: P.where,
    np.clip: _clip,
    np.dot: P.dot,
    np.outer: P.outer,
    np.shape: lambda a: np.shape(_value(a)),
    np.ndim: lambda a: np.ndim(_value(a)),
    np.size: lambda a, axis=None: np.size(_value(a), axis),
    np.zeros_like: _on_values(np.zeros_like),
    np.ones_like: _on_values(np.ones_like),
    np.empty_like: _on_values(np.empty_like),
    np.full_like: _on_values(np.full_like),
    np.allclose: _on_values(np.allclose),
    np.isclose: _on_values(np.isclose),
    np.array_equal: _on_values(np.array_equal),
    np.argmax: _on_values(np.argmax),
    np.argmin: _on_values(np.argmin),
    np.argsort: _on_values(np.argsort),
    np.result_type: _on_values(np.result_type),
    np.copy: lambda a, **kw: a * 1.0,
    np.linalg.norm: _norm,
    np.var: _var,
    np.std: _std,
    np.hstack: _hstack,
    np.vstack: _vstack,
    np.square: P.square,
}


def array_ufunc(ufunc: Any, method: str, inputs: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """Route a NumPy ufunc call on Tensors to the engine."""
    if method != "__call__":
        raise UnsupportedError(
            f"numpy.{ufunc.__name__}.{method} cannot be differentiated by calcml; "
            "use the plain call or calcml.autodiff functions"
        )
    _no_out(ufunc.__name__, kwargs)
    extra = sorted(k for k, v in kwargs.items() if k != "out" and v is not None)
    if extra and ufunc not in CONSTANT_UFUNCS:
        raise UnsupportedError(
            f"numpy.{ufunc.__name__}(..., {', '.join(k + '=' for k in extra)}) cannot be recorded; "
            "call it without those keyword arguments"
        )
    kwargs = {k: v for k, v in kwargs.items() if k != "out"}
    if ufunc in CONSTANT_UFUNCS:
        return ufunc(*[_value(x) for x in inputs], **kwargs)
    fn = UFUNCS.get(ufunc)
    if fn is None:
        raise UnsupportedError(
            f"numpy.{ufunc.__name__} is not supported on calcml Tensors (no derivative rule); "
            "supported ufuncs: " + ", ".join(sorted(u.__name__ for u in UFUNCS))
        )
    return fn(*inputs)


def array_function(func: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """Route a NumPy function call on Tensors to the engine."""
    fn = FUNCTIONS.get(func)
    if fn is None:
        module = getattr(func, "__module__", None) or "numpy"
        if module.startswith(("numpy._core", "numpy.core", "numpy.lib")):
            module = "numpy"
        name = f"{module}.{func.__name__}"
        raise UnsupportedError(
            f"{name} is not supported on calcml Tensors (no derivative rule); supported: "
            + ", ".join(sorted({f.__name__ for f in FUNCTIONS}))
        )
    return fn(*args, **kwargs)
