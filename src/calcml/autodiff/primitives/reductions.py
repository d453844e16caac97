"""Reductions along axes: sum, mean, max, min, and the stable logsumexp, softmax, log_softmax.

Axes are stored as negative numbers so the rules also work for a batch of seeds in front.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from calcml.autodiff.primitives._common import _axes, _keep_shape, _ndim, _shape, _val, _with
from calcml.autodiff.primitives.elementwise import exp
from calcml.autodiff.primitives.shape import broadcast_to, reshape
from calcml.autodiff.registry import defprim
from calcml.autodiff.tensor import Tensor, make, value_of


def _sum_vjp(g: Any, ans: Any, x: Any, axis: Any, keepdims: bool) -> Any:
    gshape = _shape(g)
    nb = len(gshape) - _ndim(ans)
    if not isinstance(g, Tensor):
        if not keepdims:
            g = np.reshape(g, gshape[:nb] + _keep_shape(x.shape, axis))
        out = np.empty(gshape[:nb] + x.shape, dtype=g.dtype)
        out[...] = g
        return out
    if not keepdims:
        g = reshape(g, gshape[:nb] + _keep_shape(_shape(x), axis))
    return broadcast_to(g, gshape[:nb] + _shape(x))


SUM = defprim(
    "sum",
    lambda x, axis, keepdims: np.add.reduce(x, axis=axis, keepdims=keepdims),
    vjps=(_sum_vjp,),
    jvps=(lambda t, ans, x, axis, keepdims: np.sum(t, axis=axis, keepdims=keepdims),),
    vjp_text=("g copied to every summed entry",),
    derivative="∂(Σᵢ xᵢ)/∂xⱼ = 1",
    symbol="Σ",
)


def _argmax_weights(ans: Any, x: Any, axis: Any) -> np.ndarray:
    """1/k at each of the k entries that attain the max (min), else 0."""
    xv = _val(x)
    hit = xv == np.reshape(_val(ans), _keep_shape(np.shape(xv), axis))
    return hit / hit.sum(axis=axis, keepdims=True)


def _extreme_vjp(g: Any, ans: Any, x: Any, axis: Any, keepdims: bool) -> Any:
    gshape = _shape(g)
    nb = len(gshape) - _ndim(ans)
    if not keepdims:
        g = reshape(g, gshape[:nb] + _keep_shape(_shape(x), axis))
    return g * _argmax_weights(ans, x, axis)


def _extreme_jvp(t: Any, ans: Any, x: Any, axis: Any, keepdims: bool) -> Any:
    return np.sum(t * _argmax_weights(ans, x, axis), axis=axis, keepdims=keepdims)


MAX = defprim(
    "max",
    lambda x, axis, keepdims: np.max(x, axis=axis, keepdims=keepdims),
    vjps=(_extreme_vjp,),
    jvps=(_extreme_jvp,),
    vjp_text=("g to the maximal entry (shared on ties)",),
    derivative="∂max(x)/∂xⱼ = [xⱼ is the max]",
)
MIN = defprim(
    "min",
    lambda x, axis, keepdims: np.min(x, axis=axis, keepdims=keepdims),
    vjps=(_extreme_vjp,),
    jvps=(_extreme_jvp,),
    vjp_text=("g to the minimal entry (shared on ties)",),
    derivative="∂min(x)/∂xⱼ = [xⱼ is the min]",
)


def _reduce(prim: Any, x: Any, axis: Any, keepdims: bool) -> Any:
    axes = _axes(axis, np.ndim(_val(x)))
    if not isinstance(x, Tensor):
        return prim.fwd(value_of(x), axis=axes, keepdims=keepdims)
    return make(prim.fwd(x.data, axes, keepdims), prim, (x,), {"axis": axes, "keepdims": keepdims})


def sum(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    """Sum over `axis` (None: all axes)."""
    return _reduce(SUM, x, axis, keepdims)


def mean(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    """Mean over `axis` (None: all axes)."""
    shape = np.shape(_val(x))
    axes = _axes(axis, len(shape))
    count = int(np.prod([shape[a] for a in axes])) if axes else 1
    return _reduce(SUM, x, axes, keepdims) * (1.0 / count if count else np.nan)


def max(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    """Maximum over `axis`; the gradient goes to the maximal entry (split evenly on ties)."""
    return _reduce(MAX, x, axis, keepdims)


def min(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    """Minimum over `axis`; the gradient goes to the minimal entry (split evenly on ties)."""
    return _reduce(MIN, x, axis, keepdims)


# ---- stable log-sum-exp and softmax --------------------------------------------------------


def _logsumexp_fwd(x: Any, axis: Any, keepdims: bool) -> Any:
    m = np.max(x, axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0.0)
    out = np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True)) + m
    return out if keepdims else np.squeeze(out, axis=axis)


def _lse_weights(ans: Any, x: Any, axis: Any, keepdims: bool) -> Any:
    return exp(x - reshape(ans, _keep_shape(_shape(x), axis)))


def _lse_vjp(g: Any, ans: Any, x: Any, axis: Any, keepdims: bool) -> Any:
    gshape = _shape(g)
    nb = len(gshape) - _ndim(ans)
    if not keepdims:
        g = reshape(g, gshape[:nb] + _keep_shape(_shape(x), axis))
    return g * _lse_weights(ans, x, axis, keepdims)


LOGSUMEXP = defprim(
    "logsumexp",
    _logsumexp_fwd,
    vjps=(_lse_vjp,),
    jvps=(
        lambda t, ans, x, axis, keepdims: np.sum(
            t * _lse_weights(ans, x, axis, keepdims), axis=axis, keepdims=keepdims
        ),
    ),
    vjp_text=("g · softmax({0})",),
    derivative="∂ logsumexp(x)/∂xⱼ = softmax(x)ⱼ",
)


def _softmax_fwd(x: Any, axis: int) -> Any:
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


SOFTMAX = defprim(
    "softmax",
    _softmax_fwd,
    vjps=(lambda g, ans, x, axis: ans * (g - sum(g * ans, axis=axis, keepdims=True)),),
    jvps=(lambda t, ans, x, axis: ans * (t - np.sum(t * ans, axis=axis, keepdims=True)),),
    vjp_text=("{out} ⊙ (g − Σ g ⊙ {out})",),
    derivative="∂sᵢ/∂xⱼ = sᵢ(δᵢⱼ − sⱼ)",
)


def logsumexp(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    """ln Σ e^x over `axis`, computed without overflow (the max is subtracted first)."""
    axes = _axes(axis, np.ndim(_val(x)))
    return _with(LOGSUMEXP, x, axis=axes, keepdims=keepdims)


def softmax(x: Any, axis: int = -1) -> Any:
    """e^x / Σ e^x along `axis`, computed without overflow."""
    (ax,) = _axes(axis, np.ndim(_val(x)))
    return _with(SOFTMAX, x, axis=ax)


def log_softmax(x: Any, axis: int = -1) -> Any:
    """x − logsumexp(x) along `axis` (stable)."""
    return x - logsumexp(x, axis=axis, keepdims=True)
