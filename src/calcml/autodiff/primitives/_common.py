"""Helpers shared by the primitive modules: shapes of arrays or tensors, and axes."""

from __future__ import annotations

import builtins
from typing import Any

import numpy as np

from calcml.errors import ShapeError


def _shape(x: Any) -> tuple[int, ...]:
    return getattr(x, "shape", ())


def _ndim(x: Any) -> int:
    return len(getattr(x, "shape", ()))


def _axes(axis: Any, ndim: int) -> tuple[int, ...]:
    """`axis` (None, int or tuple) as a sorted tuple of negative axes, so a batch fits in front."""
    if axis is None:
        return tuple(range(-ndim, 0))
    if isinstance(axis, (int, np.integer)):
        axis = (axis,)
    out = []
    for a in axis:
        if not -ndim <= a < builtins.max(ndim, 1):
            raise ShapeError(f"axis {a} is out of range for an array of {ndim} dimensions")
        out.append(int(a) - ndim if a >= 0 else int(a))
    return tuple(sorted(out))


def _keep_shape(shape: tuple[int, ...], axes: tuple[int, ...]) -> tuple[int, ...]:
    n = len(shape)
    return tuple(1 if i - n in axes else d for i, d in enumerate(shape))
