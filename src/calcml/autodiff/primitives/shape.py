"""Shape operations: reshape, transpose, broadcast, indexing (and its scatter), concatenate, stack.

Each primitive's forward, VJP and JVP sit together, followed by its public function.
"""

from __future__ import annotations

import builtins
import math
from typing import Any

import numpy as np

from calcml.autodiff.primitives._common import _axes, _ndim, _shape
from calcml.autodiff.registry import defprim
from calcml.autodiff.tensor import Tensor, apply, value_of
from calcml.errors import ShapeError


def _reshape_vjp(g: Any, ans: Any, x: Any, shape: Any) -> Any:
    gshape = _shape(g)
    return reshape(g, gshape[: len(gshape) - len(shape)] + _shape(x))


RESHAPE = defprim(
    "reshape",
    lambda x, shape: np.reshape(x, shape),
    vjps=(_reshape_vjp,),
    jvps=(lambda t, ans, x, shape: np.reshape(t, t.shape[: t.ndim - x.ndim] + shape),),
    vjp_text=("g reshaped back",),
    derivative="reshaping moves entries; each derivative is 1",
)


def _batched_perm(axes: tuple[int, ...], nb: int) -> tuple[int, ...]:
    return tuple(range(nb)) + tuple(nb + a for a in axes)


def _transpose_vjp(g: Any, ans: Any, x: Any, axes: tuple[int, ...]) -> Any:
    inverse = tuple(int(i) for i in np.argsort(axes))
    nb = _ndim(g) - len(axes)
    return transpose(g, _batched_perm(inverse, nb)) if nb else transpose(g, inverse)


TRANSPOSE = defprim(
    "transpose",
    lambda x, axes: np.transpose(x, axes),
    vjps=(_transpose_vjp,),
    jvps=(lambda t, ans, x, axes: np.transpose(t, _batched_perm(axes, t.ndim - len(axes))),),
    vjp_text=("g transposed back",),
    derivative="transposing moves entries; each derivative is 1",
    symbol="ᵀ",
)
BROADCAST_TO = defprim(
    "broadcast_to",
    lambda x, shape: np.broadcast_to(x, shape),
    vjps=(lambda g, ans, x, shape: g,),
    jvps=(lambda t, ans, x, shape: np.broadcast_to(t, t.shape[: t.ndim - len(shape)] + shape),),
    elementwise=True,
    vjp_text=("g summed over the broadcast axes",),
    derivative="each copy contributes 1",
)


def _resolve_shape(old: tuple[int, ...], shape: Any) -> tuple[int, ...]:
    if isinstance(shape, (int, np.integer)):
        shape = (shape,)
    shape = tuple(int(d) for d in shape)
    size = math.prod(old)
    if shape.count(-1) == 1:
        known = math.prod(d for d in shape if d != -1)
        if known and size % known == 0:
            shape = tuple(size // known if d == -1 else d for d in shape)
    if shape.count(-1) or math.prod(shape) != size:
        raise ShapeError(f"cannot reshape an array of shape {old} into {shape}")
    return shape


def reshape(x: Any, shape: Any) -> Any:
    """The same entries in a new shape (one entry may be -1)."""
    xv = value_of(x)
    shape = _resolve_shape(np.shape(xv), shape)
    if np.shape(xv) == shape and isinstance(x, Tensor):
        return x
    return apply(RESHAPE, x, shape=shape)


def transpose(x: Any, axes: Any = None) -> Any:
    """Permute the axes (default: reverse them)."""
    n = np.ndim(value_of(x))
    perm = tuple(range(n))[::-1] if axes is None else tuple(int(a) % n for a in axes)
    if sorted(perm) != list(range(n)):
        raise ShapeError(f"axes {axes} are not a permutation of the {n} axes of shape {_shape(x)}")
    return apply(TRANSPOSE, x, axes=perm)


def swapaxes(x: Any, a: int, b: int) -> Any:
    """Exchange two axes."""
    n = np.ndim(value_of(x))
    perm = list(range(n))
    perm[a], perm[b] = perm[b], perm[a]
    return transpose(x, perm)


def broadcast_to(x: Any, shape: Any) -> Any:
    """x repeated to `shape` by NumPy's broadcasting rules."""
    shape = tuple(shape) if not isinstance(shape, int) else (shape,)
    xv = value_of(x)
    if np.shape(xv) == shape and isinstance(x, Tensor):
        return x
    try:
        return apply(BROADCAST_TO, x, shape=shape)
    except ShapeError:
        raise ShapeError(f"cannot broadcast shape {np.shape(xv)} to {shape}") from None


def expand_dims(x: Any, axis: Any) -> Any:
    """Insert axes of length 1 at `axis`."""
    return reshape(x, np.expand_dims(_shape_probe(x), axis).shape)


def squeeze(x: Any, axis: Any = None) -> Any:
    """Remove axes of length 1."""
    return reshape(x, np.squeeze(_shape_probe(x), axis).shape)


def _shape_probe(x: Any) -> np.ndarray:
    """A zero-copy array of x's shape, to let NumPy work out a new shape."""
    return np.broadcast_to(np.empty((), dtype=bool), np.shape(value_of(x)))


# ---- indexing ------------------------------------------------------------------------------


def _is_basic(key: tuple[Any, ...]) -> bool:
    return all(
        k is None
        or k is Ellipsis
        or (isinstance(k, (int, slice, np.integer)) and not isinstance(k, bool))
        for k in key
    )


def _scatter(g: Any, key: tuple[Any, ...], shape: tuple[int, ...], nb: int) -> np.ndarray:
    out = np.zeros(g.shape[:nb] + shape, dtype=g.dtype)
    bkey = (slice(None),) * nb + key
    if _is_basic(key):
        out[bkey] = g
    else:
        np.add.at(out, bkey, g)
    return out


def _unindex_fwd(g: Any, key: tuple[Any, ...], shape: tuple[int, ...], nb: int) -> np.ndarray:
    return _scatter(np.asarray(g), key, shape, nb)


UNINDEX = defprim(
    "unindex",
    _unindex_fwd,
    vjps=(
        lambda g, ans, u, key, shape, nb: getitem(
            g, (slice(None),) * (_ndim(g) - _ndim(ans) + nb) + key
        ),
    ),
    jvps=(lambda t, ans, u, key, shape, nb: _scatter(t, key, shape, t.ndim - u.ndim + nb),),
    vjp_text=("g at the indexed entries",),
    derivative="scatter-add: each derivative is 1",
)


def _getitem_fwd(x: Any, key: tuple[Any, ...]) -> Any:
    return x[key]


def _getitem_vjp(g: Any, ans: Any, x: Any, key: tuple[Any, ...]) -> Any:
    nb = _ndim(g) - _ndim(ans)
    if isinstance(g, Tensor):
        return apply(UNINDEX, g, key=key, shape=_shape(x), nb=nb)
    return _scatter(g, key, _shape(x), nb)


GETITEM = defprim(
    "getitem",
    _getitem_fwd,
    vjps=(_getitem_vjp,),
    jvps=(lambda t, ans, x, key: t[(slice(None),) * (t.ndim - x.ndim) + key],),
    vjp_text=("g placed at the indexed entries, 0 elsewhere",),
    derivative="indexing picks entries; each derivative is 1",
    symbol="[]",
)


def getitem(x: Any, key: Any) -> Any:
    """x[key] (basic and advanced indexing; repeated indices accumulate gradient)."""
    if not isinstance(key, tuple):
        key = (key,)
    key = tuple(k.data if isinstance(k, Tensor) else k for k in key)
    try:
        return apply(GETITEM, x, key=key)
    except IndexError as error:
        raise ShapeError(f"index {key} does not fit shape {_shape(value_of(x))}: {error}") from None


# ---- joining -------------------------------------------------------------------------------


def _concat_key(i: int, xs: tuple[Any, ...], axis: int) -> tuple[Any, ...]:
    sizes = [_shape(x)[axis] for x in xs]
    start = builtins.sum(sizes[:i])
    return (Ellipsis, slice(start, start + sizes[i])) + (slice(None),) * (-axis - 1)


def _concat_jvp(i: int, t: Any, ans: Any, *xs: Any, axis: int) -> Any:
    nb = t.ndim - np.ndim(xs[i])
    out = np.zeros(t.shape[:nb] + ans.shape, dtype=t.dtype)
    out[_concat_key(i, xs, axis)] = t
    return out


CONCATENATE = defprim(
    "concatenate",
    lambda *xs, axis: np.concatenate(xs, axis=axis),
    vjps=(lambda i, g, ans, *xs, axis: getitem(g, _concat_key(i, xs, axis)),),
    jvps=(_concat_jvp,),
    variadic=True,
    vjp_text=("g's slice for this input",),
    derivative="joining moves entries; each derivative is 1",
)


def concatenate(xs: Any, axis: int = 0) -> Any:
    """Join arrays along an existing axis."""
    xs = tuple(xs)
    values = [value_of(x) for x in xs]
    if not values:
        raise ShapeError("concatenate needs at least one array")
    (ax,) = _axes(axis, np.ndim(values[0]))
    try:
        return apply(CONCATENATE, *xs, axis=ax)
    except ShapeError:
        shapes = ", ".join(str(np.shape(v)) for v in values)
        raise ShapeError(f"cannot concatenate shapes {shapes} along axis {axis}") from None


def stack(xs: Any, axis: int = 0) -> Any:
    """Join arrays along a new axis."""
    xs = list(xs)
    shapes = {np.shape(value_of(x)) for x in xs}
    if len(shapes) > 1:
        raise ShapeError(f"stack needs equal shapes, got {', '.join(map(str, shapes))}")
    n = np.ndim(value_of(xs[0])) + 1
    ax = axis % n
    return concatenate([expand_dims(x, ax) for x in xs], axis=ax)


def _mT(a: Any) -> Any:
    return swapaxes(a, -1, -2) if _ndim(a) > 2 else transpose(a)


def _col(a: Any) -> Any:
    """Append an axis of length 1 (a[..., None])."""
    return reshape(a, (*_shape(a), 1))
