"""Which calcml function answers each NumPy ufunc and function called on a Tensor (the contents
of `calcml.autodiff.dispatch`'s tables), with the adapters for NumPy's signatures.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from calcml.autodiff import primitives as P
from calcml.autodiff.dispatch import CONSTANT_UFUNCS, NUMPY_FUNCTIONS, NUMPY_UFUNCS, no_out
from calcml.autodiff.graph import numpy_value

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
    np.cbrt: P.cbrt,
    np.absolute: P.abs,
    np.fabs: P.abs,
    np.sin: P.sin,
    np.cos: P.cos,
    np.tan: P.tan,
    np.tanh: P.tanh,
    np.sinh: P.sinh,
    np.cosh: P.cosh,
    np.arcsin: P.arcsin,
    np.arccos: P.arccos,
    np.arctan: P.arctan,
    np.arcsinh: P.arcsinh,
    np.arccosh: P.arccosh,
    np.arctanh: P.arctanh,
    np.arctan2: P.arctan2,
    np.hypot: P.hypot,
    np.expm1: P.expm1,
    np.logaddexp: P.logaddexp,
    np.logaddexp2: P.logaddexp2,
    np.maximum: P.maximum,
    np.minimum: P.minimum,
    np.fmax: P.fmax,
    np.fmin: P.fmin,
    np.remainder: P.remainder,
    np.square: P.square,
    np.reciprocal: lambda x: 1.0 / x,
    np.log2: lambda x: P.log(x) * (1.0 / np.log(2.0)),
    np.log10: lambda x: P.log(x) * (1.0 / np.log(10.0)),
    np.exp2: lambda x: 2.0**x,
    np.deg2rad: P.deg2rad,
    np.radians: P.deg2rad,
    np.rad2deg: P.rad2deg,
    np.degrees: P.rad2deg,
}

# Ufuncs without a useful derivative: computed on the values, returning plain arrays.
CONSTANTS = {
    np.greater, np.greater_equal, np.less, np.less_equal, np.equal, np.not_equal,
    np.sign, np.isfinite, np.isnan, np.isinf, np.floor, np.ceil, np.rint, np.trunc,
    np.logical_and, np.logical_or, np.logical_not, np.logical_xor, np.signbit, np.heaviside,
    np.floor_divide,
}  # fmt: skip


def _sum(
    a: Any, axis: Any = None, dtype: Any = None, out: Any = None, keepdims: bool = False, **kw: Any
) -> Any:
    no_out("sum", {"out": out})
    return P.sum(a, axis=axis, keepdims=keepdims)


def _mean(
    a: Any, axis: Any = None, dtype: Any = None, out: Any = None, keepdims: bool = False, **kw: Any
) -> Any:
    no_out("mean", {"out": out})
    return P.mean(a, axis=axis, keepdims=keepdims)


def _prod(
    a: Any, axis: Any = None, dtype: Any = None, out: Any = None, keepdims: bool = False, **kw: Any
) -> Any:
    no_out("prod", {"out": out})
    return P.prod(a, axis=axis, keepdims=keepdims)


def _cumsum(a: Any, axis: Any = None, dtype: Any = None, out: Any = None) -> Any:
    no_out("cumsum", {"out": out})
    return P.cumsum(a, axis=axis)


def _max(a: Any, axis: Any = None, out: Any = None, keepdims: bool = False, **kw: Any) -> Any:
    no_out("max", {"out": out})
    return P.max(a, axis=axis, keepdims=keepdims)


def _min(a: Any, axis: Any = None, out: Any = None, keepdims: bool = False, **kw: Any) -> Any:
    no_out("min", {"out": out})
    return P.min(a, axis=axis, keepdims=keepdims)


def _var(
    a: Any,
    axis: Any = None,
    dtype: Any = None,
    out: Any = None,
    ddof: int = 0,
    keepdims: bool = False,
    **kw: Any,
) -> Any:
    no_out("var", {"out": out})
    return P.var(a, axis=axis, ddof=ddof, keepdims=keepdims)


def _std(
    a: Any,
    axis: Any = None,
    dtype: Any = None,
    out: Any = None,
    ddof: int = 0,
    keepdims: bool = False,
    **kw: Any,
) -> Any:
    no_out("std", {"out": out})
    return P.std(a, axis=axis, ddof=ddof, keepdims=keepdims)


def _reshape(a: Any, shape: Any = None, *args: Any, newshape: Any = None, **kw: Any) -> Any:
    return P.reshape(a, shape if shape is not None else newshape)


def _clip(a: Any, a_min: Any = None, a_max: Any = None, out: Any = None, **kw: Any) -> Any:
    no_out("clip", {"out": out})
    return P.clip(a, kw.get("min", a_min), kw.get("max", a_max))


def _hstack(arrays: Any, **kw: Any) -> Any:
    arrays = list(arrays)
    axis = 0 if all(np.ndim(numpy_value(a)) == 1 for a in arrays) else 1
    return P.concatenate(arrays, axis=axis)


def _vstack(arrays: Any, **kw: Any) -> Any:
    rows = [P.reshape(a, (1, -1)) if np.ndim(numpy_value(a)) < 2 else a for a in arrays]
    return P.concatenate(rows, axis=0)


def _on_values(func: Callable[..., Any]) -> Callable[..., Any]:
    def call(*args: Any, **kwargs: Any) -> Any:
        return func(*map(numpy_value, args), **{k: numpy_value(v) for k, v in kwargs.items()})

    return call


FUNCTIONS: dict[Any, Callable[..., Any]] = {
    np.sum: _sum,
    np.mean: _mean,
    np.prod: _prod,
    np.cumsum: _cumsum,
    np.max: _max,
    np.amax: _max,
    np.min: _min,
    np.amin: _min,
    np.var: _var,
    np.std: _std,
    np.reshape: _reshape,
    np.ravel: lambda a, order="C": P.ravel(a),
    np.transpose: lambda a, axes=None: P.transpose(a, axes),
    np.swapaxes: lambda a, axis1, axis2: P.swapaxes(a, axis1, axis2),
    np.moveaxis: lambda a, source, destination: P.moveaxis(a, source, destination),
    np.expand_dims: P.expand_dims,
    np.squeeze: lambda a, axis=None: P.squeeze(a, axis),
    np.broadcast_to: lambda a, shape, **kw: P.broadcast_to(a, shape),
    np.atleast_1d: lambda a: P.atleast_1d(a),
    np.atleast_2d: lambda a: P.atleast_2d(a),
    np.atleast_3d: lambda a: P.atleast_3d(a),
    np.concatenate: lambda arrays, axis=0, **kw: P.concatenate(arrays, axis=axis),
    np.stack: lambda arrays, axis=0, **kw: P.stack(arrays, axis=axis),
    np.hstack: _hstack,
    np.vstack: _vstack,
    np.column_stack: lambda tup: P.column_stack(tup),
    np.append: lambda arr, values, axis=None: P.append(arr, values, axis),
    np.split: lambda a, indices_or_sections, axis=0: P.split(a, indices_or_sections, axis),
    np.array_split: lambda a, sections, axis=0: P.array_split(a, sections, axis),
    np.hsplit: lambda a, sections: P.hsplit(a, sections),
    np.vsplit: lambda a, sections: P.vsplit(a, sections),
    np.dsplit: lambda a, sections: P.dsplit(a, sections),
    np.flip: lambda m, axis=None: P.flip(m, axis),
    np.fliplr: lambda m: P.fliplr(m),
    np.flipud: lambda m: P.flipud(m),
    np.rot90: lambda m, k=1, axes=(0, 1): P.rot90(m, k, axes),
    np.roll: lambda a, shift, axis=None: P.roll(a, shift, axis),
    np.repeat: lambda a, repeats, axis=None: P.repeat(a, repeats, axis),
    np.tile: lambda a, reps: P.tile(a, reps),
    np.pad: lambda array, pad_width, mode="constant", **kw: P.pad(array, pad_width, mode, **kw),
    np.diff: P.diff,
    np.triu: lambda m, k=0: P.triu(m, k),
    np.tril: lambda m, k=0: P.tril(m, k),
    np.diag: lambda v, k=0: P.diag(v, k),
    np.diagflat: lambda v, k=0: P.diagflat(v, k),
    np.diagonal: lambda a, offset=0, axis1=0, axis2=1: P.diagonal(a, offset, axis1, axis2),
    np.trace: lambda a, offset=0, axis1=0, axis2=1, dtype=None, out=None: P.trace(
        a, offset, axis1, axis2
    ),
    np.sort: lambda a, axis=-1, kind=None, order=None, **kw: P.sort(a, axis),
    np.partition: lambda a, kth, axis=-1, kind="introselect", order=None: P.partition(a, kth, axis),
    np.where: P.where,
    np.clip: _clip,
    np.nan_to_num: P.nan_to_num,
    np.sinc: P.sinc,
    np.dot: P.dot,
    np.vdot: P.vdot,
    np.inner: P.inner,
    np.outer: P.outer,
    np.tensordot: lambda a, b, axes=2: P.tensordot(a, b, axes),
    np.einsum: P.einsum,
    np.kron: P.kron,
    np.cross: P.cross,
    np.linalg.norm: P.norm,
    np.linalg.inv: P.inv,
    np.linalg.det: P.det,
    np.linalg.slogdet: P.slogdet,
    np.linalg.solve: P.solve,
    np.shape: lambda a: np.shape(numpy_value(a)),
    np.ndim: lambda a: np.ndim(numpy_value(a)),
    np.size: lambda a, axis=None: np.size(numpy_value(a), axis),
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
    np.argpartition: _on_values(np.argpartition),
    np.nonzero: _on_values(np.nonzero),
    np.count_nonzero: _on_values(np.count_nonzero),
    np.all: _on_values(np.all),
    np.any: _on_values(np.any),
    np.result_type: _on_values(np.result_type),
    # piecewise constant, like the ufuncs floor/rint in CONSTANTS: derivative 0 where defined
    np.round: _on_values(np.round),
    np.around: _on_values(np.around),
    np.fix: _on_values(np.fix),
    np.copy: lambda a, **kw: a * 1.0,
    np.square: P.square,
}

NUMPY_UFUNCS.update(UFUNCS)
NUMPY_FUNCTIONS.update(FUNCTIONS)
CONSTANT_UFUNCS.update(CONSTANTS)
