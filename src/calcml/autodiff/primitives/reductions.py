"""Reductions along axes: sum, mean, max, min, prod, cumsum, var, std, and the stable
logsumexp, softmax, log_softmax.

Axes are stored as negative numbers so the rules also work for a batch of seeds in front.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from calcml.autodiff.primitives._common import _axes, _keep_shape, _ndim, _shape
from calcml.autodiff.primitives.elementwise import exp, where
from calcml.autodiff.primitives.shape import broadcast_to, getitem, reshape, transpose
from calcml.autodiff.registry import defprim
from calcml.autodiff.tensor import Tensor, apply, value_of


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
    xv = value_of(x)
    hit = xv == np.reshape(value_of(ans), _keep_shape(np.shape(xv), axis))
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
    return apply(prim, x, axis=_axes(axis, np.ndim(value_of(x))), keepdims=keepdims)


def sum(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    """Sum over `axis` (None: all axes)."""
    return _reduce(SUM, x, axis, keepdims)


def mean(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    """Mean over `axis` (None: all axes)."""
    shape = np.shape(value_of(x))
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
    axes = _axes(axis, np.ndim(value_of(x)))
    return apply(LOGSUMEXP, x, axis=axes, keepdims=keepdims)


def softmax(x: Any, axis: int = -1) -> Any:
    """e^x / Σ e^x along `axis`, computed without overflow."""
    (ax,) = _axes(axis, np.ndim(value_of(x)))
    return apply(SOFTMAX, x, axis=ax)


def log_softmax(x: Any, axis: int = -1) -> Any:
    """x − logsumexp(x) along `axis` (stable)."""
    return x - logsumexp(x, axis=axis, keepdims=True)


# ---- product, cumulative sum, variance and standard deviation ------------------------------


def _others_product(x: Any, ans: Any, axis: tuple[int, ...]) -> Any:
    """∂prod/∂xⱼ = the product of the other entries, exact also where entries are 0.

    Without zeros it is prod/xⱼ; with zeros each entry's product over the others is taken
    directly (the reduced axes flattened into one, a mask leaving xⱼ out).
    """
    xv = value_of(x)
    if np.all(xv != 0):
        return reshape(ans, _keep_shape(_shape(x), axis)) / x
    shape = _shape(x)
    n = len(shape)
    kept = [i for i in range(n) if i - n not in axis]
    moved = transpose(x, [*kept, *(a + n for a in axis)])
    front = tuple(shape[i] for i in kept)
    m = int(np.prod([shape[a] for a in axis]))
    flat = reshape(moved, (*front, 1, m))
    eye = np.eye(m, dtype=bool)
    others = prod(where(eye, 1.0, flat), axis=-1)  # (*front, m): the product leaving one out
    back = reshape(others, front + tuple(shape[a] for a in axis))
    inverse = np.argsort([*kept, *(a + n for a in axis)])
    return transpose(back, [int(i) for i in inverse])


def _prod_vjp(g: Any, ans: Any, x: Any, axis: Any, keepdims: bool) -> Any:
    gshape = _shape(g)
    nb = len(gshape) - _ndim(ans)
    if not keepdims:
        g = reshape(g, gshape[:nb] + _keep_shape(_shape(x), axis))
    return g * _others_product(x, ans, axis)


PROD = defprim(
    "prod",
    lambda x, axis, keepdims: np.prod(x, axis=axis, keepdims=keepdims),
    vjps=(_prod_vjp,),
    jvps=(
        lambda t, ans, x, axis, keepdims: np.sum(
            t * _others_product(x, ans, axis), axis=axis, keepdims=keepdims
        ),
    ),
    vjp_text=("g · (product of the other entries)",),
    derivative="∂(Πᵢ xᵢ)/∂xⱼ = Πᵢ≠ⱼ xᵢ",
    symbol="Π",
)


def _reversed(axis: int) -> tuple[Any, ...]:
    return (Ellipsis, slice(None, None, -1)) + (slice(None),) * (-axis - 1)


CUMSUM = defprim(
    "cumsum",
    lambda x, axis: np.cumsum(x, axis=axis),
    vjps=(
        lambda g, ans, x, axis: getitem(
            cumsum(getitem(g, _reversed(axis)), axis=axis), _reversed(axis)
        ),
    ),
    jvps=(lambda t, ans, x, axis: np.cumsum(t, axis=axis),),
    vjp_text=("g summed from the end (a reversed cumulative sum)",),
    derivative="∂(x₁ + … + xᵢ)/∂xⱼ = [j ≤ i]",
)


def prod(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    """Product over `axis` (None: all axes); exact gradients also where entries are 0."""
    return _reduce(PROD, x, axis, keepdims)


def cumsum(x: Any, axis: Any = None) -> Any:
    """Running sums along `axis` (None: over the flattened array)."""
    if axis is None:
        x = reshape(x, (-1,))
        axis = -1
    (ax,) = _axes(axis, np.ndim(value_of(x)))
    return apply(CUMSUM, x, axis=ax)


def _count(x: Any, axis: Any) -> int:
    shape = np.shape(value_of(x))
    return int(np.prod([shape[a] for a in _axes(axis, len(shape))]))


def var(x: Any, axis: Any = None, ddof: int = 0, keepdims: bool = False) -> Any:
    """Variance over `axis` with `ddof` delta degrees of freedom (NumPy's np.var)."""
    centered = x - mean(x, axis=axis, keepdims=True)
    scale = 1.0 / (_count(x, axis) - ddof) if _count(x, axis) > ddof else np.nan
    return sum(centered * centered, axis=axis, keepdims=keepdims) * scale


def _half_reciprocal(ans: Any) -> Any:
    """1/(2·ans) where ans > 0, else 0."""
    positive = value_of(ans) > 0
    return where(positive, 0.5 / where(positive, ans, 1.0), 0.0)


ROOT0 = defprim(
    "sqrt0",
    np.sqrt,
    vjps=(
        lambda g, ans, x: (
            g * where(value_of(ans) > 0, 0.5 / where(value_of(ans) > 0, ans, 1.0), 0.0)
        ),
    ),
    jvps=(lambda t, ans, x: t * np.where(ans > 0, 0.5 / np.where(ans > 0, ans, 1.0), 0.0),),
    elementwise=True,
    vjp_text=("g / (2·√{0}), 0 where {0} = 0",),
    derivative="d/dv √v = 1/(2√v) for v > 0; 0 at v = 0 (where std and norm are not smooth)",
    symbol="√",
)


def root0(v: Any) -> Any:
    """√v for a v that is 0 only where it is identically 0 or at a kink (a variance, a sum of
    squares): there it passes gradient 0 (the subgradient |x| gets at 0), not 0·∞ = nan."""
    return apply(ROOT0, v)


def std(x: Any, axis: Any = None, ddof: int = 0, keepdims: bool = False) -> Any:
    """Standard deviation (np.std); gradient 0 where it is 0 (e.g. over one element)."""
    return root0(var(x, axis=axis, ddof=ddof, keepdims=keepdims))
