"""NumPy's array manipulations, each built from the shape primitives (indexing, reshape,
transpose, broadcast, concatenate, where and the scatter behind indexing), so each has its
VJP, JVP and higher derivatives without a rule of its own.

flip/fliplr/flipud/rot90, roll, moveaxis, ravel, atleast_1d/2d/3d, triu/tril, diag/diagflat,
diagonal, trace, repeat, tile, pad, split/array_split/hsplit/vsplit/dsplit, column_stack,
append, diff, sort, partition, kron, cross, and `array` (a nested list of tensors).
"""

from __future__ import annotations

import builtins
from typing import Any

import numpy as np

from calcml.autodiff.primitives._common import _axes, _shape
from calcml.autodiff.primitives.elementwise import where
from calcml.autodiff.primitives.reductions import sum
from calcml.autodiff.primitives.shape import (
    UNINDEX,
    broadcast_to,
    concatenate,
    getitem,
    reshape,
    stack,
    swapaxes,
    transpose,
)
from calcml.autodiff.registry import defprim
from calcml.autodiff.tensor import Tensor, apply, value_of
from calcml.errors import ShapeError, UnsupportedError


def _ndim(x: Any) -> int:
    return int(np.ndim(value_of(x)))


def _along(axis: int, index: Any) -> tuple[Any, ...]:
    """An indexing key that applies `index` to the (negative) `axis` and keeps the others."""
    return (Ellipsis, index) + (slice(None),) * (-axis - 1)


def _axis(axis: Any, x: Any) -> int:
    (ax,) = _axes(axis, _ndim(x))
    return ax


def take(x: Any, index: Any, axis: int) -> Any:
    """x with `index` (an integer array) applied along `axis`; gradients scatter-add back."""
    ax = _axis(axis, x)
    return getitem(x, _along(ax, np.asarray(index, dtype=np.intp)))


def scatter(u: Any, key: tuple[Any, ...], shape: tuple[int, ...]) -> Any:
    """An array of zeros of `shape` with `u` placed at `key` (the adjoint of indexing)."""
    return apply(UNINDEX, u, key=key, shape=tuple(shape), nb=0)


# ---- reorderings ---------------------------------------------------------------------------


def ravel(x: Any) -> Any:
    """The entries as one axis (np.ravel, t.ravel(), t.flatten())."""
    return reshape(x, (-1,))


def flip(x: Any, axis: Any = None) -> Any:
    """The entries in reverse order along `axis` (None: every axis)."""
    key: list[Any] = [slice(None)] * _ndim(x)
    for a in _axes(axis, _ndim(x)):
        key[a] = slice(None, None, -1)
    return getitem(x, (Ellipsis, *key))


def fliplr(x: Any) -> Any:
    """Reverse the columns (axis 1)."""
    return flip(x, 1)


def flipud(x: Any) -> Any:
    """Reverse the rows (axis 0)."""
    return flip(x, 0)


def rot90(x: Any, k: int = 1, axes: Any = (0, 1)) -> Any:
    """Rotate by 90° k times in the plane of `axes` (as np.rot90)."""
    a, b = axes
    k %= 4
    if k == 0:
        return x
    if k == 2:
        return flip(flip(x, a), b)
    if k == 1:
        return swapaxes(flip(x, b), a, b)
    return flip(swapaxes(x, a, b), b)


def roll(x: Any, shift: Any, axis: Any = None) -> Any:
    """Entries shifted cyclically by `shift` along `axis` (None: over the flattened array)."""
    if axis is None:
        return reshape(roll(ravel(x), shift, 0), _shape(value_of(x)))
    shifts = np.broadcast_to(shift, np.shape(axis)).ravel()
    axes = np.atleast_1d(axis)
    for s, a in zip(shifts, axes, strict=True):
        n = _shape(value_of(x))[a]
        x = take(x, (np.arange(n) - int(s)) % builtins.max(n, 1), int(a))
    return x


def moveaxis(x: Any, source: Any, destination: Any) -> Any:
    """Move axes to new positions, the others keeping their order (np.moveaxis)."""
    n = _ndim(x)
    src = [a % n for a in np.atleast_1d(source)]
    dst = [a % n for a in np.atleast_1d(destination)]
    if len(src) != len(dst):
        raise ShapeError("moveaxis needs as many destination axes as source axes")
    order = [a for a in range(n) if a not in src]
    for d, s in sorted(zip(dst, src, strict=True)):
        order.insert(d, s)
    return transpose(x, order)


def atleast_1d(x: Any) -> Any:
    """x with at least one axis."""
    return reshape(x, (1,)) if _ndim(x) == 0 else x


def atleast_2d(x: Any) -> Any:
    """x with at least two axes (new ones in front)."""
    n = _ndim(x)
    return reshape(x, (1,) * (2 - n) + _shape(value_of(x))) if n < 2 else x


def atleast_3d(x: Any) -> Any:
    """x with at least three axes (as np.atleast_3d: a vector becomes (1, n, 1))."""
    shape = _shape(value_of(x))
    new = {0: (1, 1, 1), 1: (1, *shape, 1), 2: (*shape, 1)}.get(len(shape), shape)
    return reshape(x, new)


# ---- triangles and diagonals ---------------------------------------------------------------


def _tri_mask(x: Any, k: int, upper: bool) -> np.ndarray:
    rows, cols = _shape(value_of(x))[-2:]
    below = np.tri(rows, cols, k - 1 if upper else k, dtype=bool)
    return ~below if upper else below


def triu(x: Any, k: int = 0) -> Any:
    """The entries on and above the k-th diagonal (of the last two axes), zeros below."""
    return where(_tri_mask(x, k, upper=True), x, 0.0)


def tril(x: Any, k: int = 0) -> Any:
    """The entries on and below the k-th diagonal, zeros above."""
    return where(_tri_mask(x, k, upper=False), x, 0.0)


def _diag_index(rows: int, cols: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    i = np.arange(builtins.max(0, -k), builtins.min(rows, cols - k))
    return i, i + k


def diagonal(x: Any, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Any:
    """The k-th diagonal of the planes (axis1, axis2), as a new last axis (np.diagonal)."""
    x = moveaxis(x, (axis1, axis2), (-2, -1))
    rows, cols = _shape(value_of(x))[-2:]
    i, j = _diag_index(rows, cols, offset)
    return getitem(x, (Ellipsis, i, j))


def trace(x: Any, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Any:
    """The sum of the k-th diagonal (np.trace)."""
    return sum(diagonal(x, offset, axis1, axis2), axis=-1)


def diag(v: Any, k: int = 0) -> Any:
    """A vector's square matrix with it on the k-th diagonal, or a matrix's k-th diagonal."""
    n = _ndim(v)
    if n == 2:
        return diagonal(v, k)
    if n != 1:
        raise ShapeError(f"diag needs a vector or a matrix, got shape {_shape(value_of(v))}")
    size = _shape(value_of(v))[0] + builtins.abs(k)
    i, j = _diag_index(size, size, k)
    return scatter(v, (i, j), (size, size))


def diagflat(v: Any, k: int = 0) -> Any:
    """The flattened input on the k-th diagonal of a square matrix."""
    return diag(ravel(v), k)


# ---- repetition and padding ----------------------------------------------------------------


def repeat(x: Any, repeats: Any, axis: Any = None) -> Any:
    """Each entry repeated `repeats` times along `axis` (None: the flattened array)."""
    if axis is None:
        x, axis = ravel(x), 0
    n = _shape(value_of(x))[axis]
    return take(x, np.repeat(np.arange(n), repeats), axis)


def tile(x: Any, reps: Any) -> Any:
    """x repeated `reps` times along each axis (np.tile)."""
    reps = tuple(np.atleast_1d(reps).astype(int))
    shape = _shape(value_of(x))
    d = builtins.max(len(shape), len(reps))
    shape = (1,) * (d - len(shape)) + shape
    reps = (1,) * (d - len(reps)) + reps
    spread = reshape(x, tuple(v for s in shape for v in (1, s)))
    wide = broadcast_to(spread, tuple(v for r, s in zip(reps, shape, strict=True) for v in (r, s)))
    return reshape(wide, tuple(r * s for r, s in zip(reps, shape, strict=True)))


_PAD_BY_INDEX = {"edge", "reflect", "symmetric", "wrap"}


def pad(x: Any, pad_width: Any, mode: str = "constant", **kw: Any) -> Any:
    """x padded along each axis (np.pad modes constant, edge, reflect, symmetric, wrap)."""
    n = _ndim(x)
    widths = np.broadcast_to(np.asarray(pad_width, dtype=int), (n, 2))
    if mode != "constant" and mode not in _PAD_BY_INDEX:
        raise UnsupportedError(
            f"numpy.pad(mode={mode!r}) is not supported on calcml Tensors; "
            f"use one of constant, {', '.join(sorted(_PAD_BY_INDEX))}"
        )
    values = np.broadcast_to(np.asarray(kw.get("constant_values", 0.0), dtype=float), (n, 2))
    for a in range(n):
        before, after = (int(w) for w in widths[a])
        if not before and not after:
            continue
        if mode == "constant":
            shape = list(_shape(value_of(x)))
            parts = []
            if before:
                parts.append(np.full([*shape[:a], before, *shape[a + 1 :]], values[a][0]))
            parts.append(x)
            if after:
                parts.append(np.full([*shape[:a], after, *shape[a + 1 :]], values[a][1]))
            x = concatenate(parts, axis=a)
        else:
            size = _shape(value_of(x))[a]
            x = take(x, np.pad(np.arange(size), (before, after), mode=mode), a)  # type: ignore[call-overload]
    return x


# ---- splitting and joining -----------------------------------------------------------------


def array_split(x: Any, indices_or_sections: Any, axis: int = 0) -> list[Any]:
    """Pieces along `axis` (sections may differ in size by one)."""
    ax = _axis(axis, x)
    size = _shape(value_of(x))[ax]
    pieces = np.array_split(np.arange(size), indices_or_sections)
    return [
        getitem(x, _along(ax, slice(p[0], p[-1] + 1) if p.size else slice(0, 0))) for p in pieces
    ]


def split(x: Any, indices_or_sections: Any, axis: int = 0) -> list[Any]:
    """Equal pieces along `axis` (or pieces cut at the given indices)."""
    if np.ndim(indices_or_sections) == 0:
        size = _shape(value_of(x))[axis]
        if size % int(indices_or_sections):
            raise ShapeError(f"an axis of length {size} does not split into equal sections")
    return array_split(x, indices_or_sections, axis)


def hsplit(x: Any, sections: Any) -> list[Any]:
    """Split along axis 1 (axis 0 for a vector)."""
    return split(x, sections, axis=1 if _ndim(x) > 1 else 0)


def vsplit(x: Any, sections: Any) -> list[Any]:
    """Split along axis 0."""
    return split(x, sections, axis=0)


def dsplit(x: Any, sections: Any) -> list[Any]:
    """Split along axis 2."""
    return split(x, sections, axis=2)


def column_stack(arrays: Any) -> Any:
    """Vectors as columns (matrices as they are), joined along axis 1."""
    cols = [reshape(a, (-1, 1)) if _ndim(a) < 2 else a for a in arrays]
    return concatenate(cols, axis=1)


def append(arr: Any, values: Any, axis: Any = None) -> Any:
    """`values` appended to `arr` along `axis` (None: both flattened)."""
    if axis is None:
        return concatenate([ravel(arr), ravel(values)], axis=0)
    return concatenate([arr, values], axis=axis)


def diff(x: Any, n: int = 1, axis: int = -1, prepend: Any = None, append: Any = None) -> Any:
    """The n-th differences along `axis` (np.diff)."""
    ax = _axis(axis, x)
    if prepend is not None or append is not None:
        edges = (_edge(prepend, x, ax), x, _edge(append, x, ax))
        x = concatenate([p for p in edges if p is not None], axis=ax)
    for _ in range(n):
        x = getitem(x, _along(ax, slice(1, None))) - getitem(x, _along(ax, slice(None, -1)))
    return x


def _edge(v: Any, x: Any, ax: int) -> Any:
    """diff's prepend/append value as an array that joins x along `ax`."""
    if v is None or _ndim(v) > 0:
        return v
    shape = list(_shape(value_of(x)))
    shape[ax] = 1
    return broadcast_to(v if isinstance(v, Tensor) else float(v), tuple(shape))


def array(obj: Any) -> Any:
    """An array from a (nested) list of tensors and numbers, recorded (np.array cannot be)."""
    if isinstance(obj, (list, tuple)):
        return stack([array(o) for o in obj])
    return obj if isinstance(obj, Tensor) else np.asarray(obj, dtype=float)


# ---- sorting -------------------------------------------------------------------------------


def _take_along(x: Any, index: np.ndarray, axis: int) -> Any:
    shape = index.shape
    n = len(shape)
    key = [
        np.arange(s).reshape([-1 if j == i else 1 for j in range(n)]) for i, s in enumerate(shape)
    ]
    key[axis] = index
    return getitem(x, tuple(key))


def sort(x: Any, axis: Any = -1, **kw: Any) -> Any:
    """The entries sorted along `axis` (None: flattened); gradients follow the entries."""
    if axis is None:
        x, axis = ravel(x), -1
    ax = _axis(axis, x)
    return _take_along(x, np.argsort(value_of(x), axis=ax, kind="stable"), ax)


def partition(x: Any, kth: Any, axis: int = -1, **kw: Any) -> Any:
    """np.partition: the k-th entry in its sorted place, smaller ones before, larger after."""
    ax = _axis(axis, x)
    return _take_along(x, np.argpartition(value_of(x), kth, axis=ax), ax)


# ---- products of arrays ----------------------------------------------------------------------


def kron(a: Any, b: Any) -> Any:
    """The Kronecker product (np.kron)."""
    sa, sb = _shape(value_of(a)), _shape(value_of(b))
    d = builtins.max(len(sa), len(sb))
    sa, sb = (1,) * (d - len(sa)) + sa, (1,) * (d - len(sb)) + sb
    a2 = reshape(a, tuple(v for s in sa for v in (s, 1)))
    b2 = reshape(b, tuple(v for s in sb for v in (1, s)))
    return reshape(a2 * b2, tuple(p * q for p, q in zip(sa, sb, strict=True)))


def cross(
    a: Any, b: Any, axisa: int = -1, axisb: int = -1, axisc: int = -1, axis: Any = None
) -> Any:
    """The cross product of 3-vectors (or the z-component for 2-vectors) along the last axis."""
    if axis is not None:
        axisa = axisb = axisc = axis
    a, b = moveaxis(a, axisa, -1), moveaxis(b, axisb, -1)
    na, nb = _shape(value_of(a))[-1], _shape(value_of(b))[-1]
    if {na, nb} - {2, 3}:
        raise ShapeError(f"cross needs vectors of length 2 or 3, got {na} and {nb}")

    def comp(v: Any, i: int, n: int) -> Any:
        return getitem(v, (Ellipsis, i)) if i < n else 0.0

    a0, a1, a2 = (comp(a, i, na) for i in range(3))
    b0, b1, b2 = (comp(b, i, nb) for i in range(3))
    z = a0 * b1 - a1 * b0
    if na == 2 and nb == 2:
        return z
    comps = (a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, z)
    shape = np.broadcast_shapes(*(np.shape(value_of(c)) for c in comps))
    out = stack([broadcast_to(c, shape) for c in comps], axis=-1)
    return moveaxis(out, -1, axisc)


# ---- dtype -----------------------------------------------------------------------------------

ASTYPE = defprim(
    "astype",
    lambda x, dtype: x.astype(dtype),
    vjps=(lambda g, ans, x, dtype: astype(g, value_of(x).dtype),),
    jvps=(lambda t, ans, x, dtype: t.astype(dtype),),
    elementwise=True,
    vjp_text=("g cast back to {0}'s dtype",),
    derivative="a cast between float types: each derivative is 1",
)


def astype(x: Any, dtype: Any) -> Any:
    """x cast to a floating dtype (float16/32/64); an integer cast has no gradient and raises
    `GradientError` inside a transform (index with ``x.data.astype(int)`` instead)."""
    dt = np.dtype(dtype)
    if dt.kind != "f":
        if isinstance(x, Tensor):
            x.check_leaves_graph(f"astype({dt})")
        return np.asarray(value_of(x)).astype(dt)
    if not isinstance(x, Tensor):
        return np.asarray(x).astype(dt)
    return apply(ASTYPE, x, dtype=dt)
