"""Every differentiable operation: forward, VJP and JVP side by side, then its public function.

The public functions (`exp`, `sum`, `softmax`, ...) accept Tensors or plain NumPy values: on
plain values they just compute, so the derivative rules below can use them on either.

>>> from calcml.autodiff.tensor import Tensor
>>> x = Tensor([0.0, 1.0], requires_grad=True)
>>> y = sigmoid(x).sum()
>>> y.backward()
>>> x.grad.round(4)
array([0.25  , 0.1966])
"""

from __future__ import annotations

import builtins
import math
import operator
from typing import Any

import numpy as np

from calcml.autodiff.registry import defprim
from calcml.autodiff.tensor import Tensor, _binary, make, value_of
from calcml.errors import ShapeError

# ---- helpers ------------------------------------------------------------------------------


def _shape(x: Any) -> tuple[int, ...]:
    return getattr(x, "shape", ())


def _ndim(x: Any) -> int:
    return len(getattr(x, "shape", ()))


def _val(x: Any) -> Any:
    return x.data if isinstance(x, Tensor) else x


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


def _unary(prim: Any, x: Any) -> Any:
    if isinstance(x, Tensor):
        return make(prim.fwd(x.data), prim, (x,), None)
    return prim.fwd(value_of(x))


def _with(prim: Any, x: Any, **params: Any) -> Any:
    if isinstance(x, Tensor):
        return make(prim.fwd(x.data, **params), prim, (x,), params)
    return prim.fwd(value_of(x), **params)


def _mT(a: Any) -> Any:
    return swapaxes(a, -1, -2) if _ndim(a) > 2 else transpose(a)


def _col(a: Any) -> Any:
    """Append an axis of length 1 (a[..., None])."""
    return reshape(a, (*_shape(a), 1))


# ---- arithmetic ------------------------------------------------------------------------------

ADD = defprim(
    "add",
    operator.add,
    vjps=(lambda g, ans, a, b: g, lambda g, ans, a, b: g),
    jvps=(lambda t, ans, a, b: t, lambda t, ans, a, b: t),
    elementwise=True,
    vjp_text=("g", "g"),
    derivative="∂(a+b)/∂a = 1, ∂(a+b)/∂b = 1",
    symbol="+",
)
SUB = defprim(
    "sub",
    operator.sub,
    vjps=(lambda g, ans, a, b: g, lambda g, ans, a, b: -g),
    jvps=(lambda t, ans, a, b: t, lambda t, ans, a, b: -t),
    elementwise=True,
    vjp_text=("g", "−g"),
    derivative="∂(a−b)/∂a = 1, ∂(a−b)/∂b = −1",
    symbol="−",
)
MUL = defprim(
    "mul",
    operator.mul,
    vjps=(lambda g, ans, a, b: g * b, lambda g, ans, a, b: g * a),
    jvps=(lambda t, ans, a, b: t * b, lambda t, ans, a, b: a * t),
    elementwise=True,
    vjp_text=("g · {1}", "g · {0}"),
    derivative="∂(a·b)/∂a = b, ∂(a·b)/∂b = a",
    symbol="·",
)
DIV = defprim(
    "div",
    operator.truediv,
    vjps=(lambda g, ans, a, b: g / b, lambda g, ans, a, b: -g * ans / b),
    jvps=(lambda t, ans, a, b: t / b, lambda t, ans, a, b: -t * ans / b),
    elementwise=True,
    vjp_text=("g / {1}", "−g · {out} / {1}"),
    derivative="∂(a/b)/∂a = 1/b, ∂(a/b)/∂b = −a/b²",
    symbol="/",
)
NEG = defprim(
    "neg",
    operator.neg,
    vjps=(lambda g, ans, x: -g,),
    jvps=(lambda t, ans, x: -t,),
    elementwise=True,
    vjp_text=("−g",),
    derivative="d(−x)/dx = −1",
    symbol="−",
)


def _pow_dbase(g: Any, ans: Any, x: Any, p: Any) -> Any:
    if isinstance(p, (int, float)):
        if p == 2:
            return g * (2.0 * x)
        return g * (p * x ** (p - 1))
    return g * (p * x ** (p - 1))


def _log_base(x: Any) -> Any:
    xv = _val(x)
    positive = xv > 0
    return where(positive, log(where(positive, x, 1.0)), 0.0)


POW = defprim(
    "pow",
    operator.pow,
    vjps=(_pow_dbase, lambda g, ans, x, p: g * ans * _log_base(x)),
    jvps=(
        lambda t, ans, x, p: _pow_dbase(t, ans, x, p),
        lambda t, ans, x, p: t * ans * _log_base(x),
    ),
    elementwise=True,
    vjp_text=("g · {1} · {0}^({1}−1)", "g · {out} · ln {0}"),
    derivative="∂(x^p)/∂x = p·x^(p−1), ∂(x^p)/∂p = x^p·ln x",
    symbol="^",
)


def _mm_vjp_a(g: Any, ans: Any, a: Any, b: Any) -> Any:
    if _ndim(b) == 1:
        return _col(g) * b
    if _ndim(a) == 1 and _ndim(b) > 2:
        return (b @ _col(g))[..., 0]
    return g @ _mT(b)  # one GEMM, also for a batch of seeds


def _mm_vjp_b(g: Any, ans: Any, a: Any, b: Any) -> Any:
    if _ndim(a) == 1:
        if _ndim(b) == 1:
            return _col(g) * a
        return _col(a) * reshape(g, (*_shape(g)[:-1], 1, _shape(g)[-1]))
    if _ndim(b) == 1:
        return g @ a if _ndim(a) == 2 else (_mT(a) @ _col(g))[..., 0]
    return _mT(a) @ g


def _mm_jvp_a(t: Any, ans: Any, a: Any, b: Any) -> Any:
    nb = t.ndim - a.ndim
    if nb and b.ndim > builtins.max(a.ndim, 2):
        if a.ndim == 1:
            tt = t.reshape(t.shape[:nb] + (1,) * (b.ndim - 2) + (1, a.shape[0]))
            return (tt @ b)[..., 0, :]
        return t.reshape(t.shape[:nb] + (1,) * (b.ndim - a.ndim) + a.shape) @ b
    return t @ b


def _mm_jvp_b(t: Any, ans: Any, a: Any, b: Any) -> Any:
    nb = t.ndim - b.ndim
    if a.ndim == 1 and b.ndim == 1:
        return t @ a
    if a.ndim == 2 and b.ndim == 1:
        return t @ a.T  # one GEMM for a batch of tangents
    if nb and a.ndim > b.ndim:
        if b.ndim == 1:
            tt = t.reshape(t.shape[:nb] + (1,) * (a.ndim - 2) + (b.shape[0], 1))
            return (a @ tt)[..., 0]
        return a @ t.reshape(t.shape[:nb] + (1,) * (a.ndim - b.ndim) + b.shape)
    return a @ t


MATMUL = defprim(
    "matmul",
    operator.matmul,
    vjps=(_mm_vjp_a, _mm_vjp_b),
    jvps=(_mm_jvp_a, _mm_jvp_b),
    vjp_text=("g @ {1}ᵀ", "{0}ᵀ @ g"),
    derivative="∂(A@B)/∂A · g = g @ Bᵀ, ∂(A@B)/∂B · g = Aᵀ @ g",
    symbol="@",
)


def add(a: Any, b: Any) -> Any:
    """a + b (broadcasting)."""
    return _binary(ADD, a, b)


def subtract(a: Any, b: Any) -> Any:
    """a − b (broadcasting)."""
    return _binary(SUB, a, b)


def multiply(a: Any, b: Any) -> Any:
    """a · b elementwise (broadcasting)."""
    return _binary(MUL, a, b)


def divide(a: Any, b: Any) -> Any:
    """a / b elementwise (broadcasting)."""
    return _binary(DIV, a, b)


def negative(x: Any) -> Any:
    """−x."""
    return _unary(NEG, x)


def power(x: Any, p: Any) -> Any:
    """x ** p elementwise; differentiable in both (in p only where x > 0)."""
    return _binary(POW, x, p)


def matmul(a: Any, b: Any) -> Any:
    """Matrix product a @ b with NumPy's rules (1-D operands, stacks of matrices)."""
    if not isinstance(a, Tensor) and not isinstance(b, Tensor):
        return operator.matmul(value_of(a), value_of(b))
    return _binary(MATMUL, a, b)


# ---- elementwise functions ---------------------------------------------------------------


def _sigmoid_fwd(x: Any) -> Any:
    e = np.exp(-np.abs(x))
    return np.where(np.asarray(x) >= 0, 1.0 / (1.0 + e), e / (1.0 + e)).astype(
        np.result_type(x, np.float32), copy=False
    )


def _unary_prim(name: str, fwd: Any, vjp: Any, jvp: Any, text: str, derivative: str) -> Any:
    return defprim(
        name,
        fwd,
        vjps=(vjp,),
        jvps=(jvp,),
        elementwise=True,
        vjp_text=(text,),
        derivative=derivative,
    )


EXP = _unary_prim(
    "exp",
    np.exp,
    lambda g, ans, x: g * ans,
    lambda t, ans, x: t * ans,
    "g · exp({0})",
    "d/dx exp(x) = exp(x)",
)
LOG = _unary_prim(
    "log",
    np.log,
    lambda g, ans, x: g / x,
    lambda t, ans, x: t / x,
    "g / {0}",
    "d/dx ln(x) = 1/x",
)
LOG1P = _unary_prim(
    "log1p",
    np.log1p,
    lambda g, ans, x: g / (1.0 + x),
    lambda t, ans, x: t / (1.0 + x),
    "g / (1 + {0})",
    "d/dx ln(1 + x) = 1/(1 + x)",
)
SQRT = _unary_prim(
    "sqrt",
    np.sqrt,
    lambda g, ans, x: g * (0.5 / ans),
    lambda t, ans, x: t * (0.5 / ans),
    "g / (2·√{0})",
    "d/dx √x = 1/(2√x)",
)
ABS = _unary_prim(
    "abs",
    np.abs,
    lambda g, ans, x: g * np.sign(_val(x)),
    lambda t, ans, x: t * np.sign(x),
    "g · sign({0})",
    "d/dx |x| = sign(x)",
)
SIN = _unary_prim(
    "sin",
    np.sin,
    lambda g, ans, x: g * cos(x),
    lambda t, ans, x: t * np.cos(x),
    "g · cos({0})",
    "d/dx sin(x) = cos(x)",
)
COS = _unary_prim(
    "cos",
    np.cos,
    lambda g, ans, x: -g * sin(x),
    lambda t, ans, x: -t * np.sin(x),
    "−g · sin({0})",
    "d/dx cos(x) = −sin(x)",
)
TAN = _unary_prim(
    "tan",
    np.tan,
    lambda g, ans, x: g * (1.0 + ans * ans),
    lambda t, ans, x: t * (1.0 + ans * ans),
    "g · (1 + tan²({0}))",
    "d/dx tan(x) = 1 + tan²(x)",
)
TANH = _unary_prim(
    "tanh",
    np.tanh,
    lambda g, ans, x: g * (1.0 - ans * ans),
    lambda t, ans, x: t * (1.0 - ans * ans),
    "g · (1 − tanh²({0}))",
    "d/dx tanh(x) = 1 − tanh²(x)",
)
SIGMOID = _unary_prim(
    "sigmoid",
    _sigmoid_fwd,
    lambda g, ans, x: g * (ans * (1.0 - ans)),
    lambda t, ans, x: t * (ans * (1.0 - ans)),
    "g · σ({0})(1 − σ({0}))",
    "d/dx σ(x) = σ(x)(1 − σ(x))",
)
RELU = _unary_prim(
    "relu",
    lambda x: np.maximum(x, 0.0),
    lambda g, ans, x: g * (_val(x) > 0),
    lambda t, ans, x: t * (x > 0),
    "g · [{0} > 0]",
    "d/dx relu(x) = [x > 0]",
)
SOFTPLUS = _unary_prim(
    "softplus",
    lambda x: np.logaddexp(0.0, x),
    lambda g, ans, x: g * sigmoid(x),
    lambda t, ans, x: t * _sigmoid_fwd(x),
    "g · σ({0})",
    "d/dx softplus(x) = σ(x)",
)
SINH = _unary_prim(
    "sinh",
    np.sinh,
    lambda g, ans, x: g * cosh(x),
    lambda t, ans, x: t * np.cosh(x),
    "g · cosh({0})",
    "d/dx sinh(x) = cosh(x)",
)
COSH = _unary_prim(
    "cosh",
    np.cosh,
    lambda g, ans, x: g * sinh(x),
    lambda t, ans, x: t * np.sinh(x),
    "g · sinh({0})",
    "d/dx cosh(x) = sinh(x)",
)
ARCSIN = _unary_prim(
    "arcsin",
    np.arcsin,
    lambda g, ans, x: g / sqrt(1.0 - x * x),
    lambda t, ans, x: t / np.sqrt(1.0 - x * x),
    "g / √(1 − {0}²)",
    "d/dx arcsin(x) = 1/√(1 − x²)",
)
ARCTAN = _unary_prim(
    "arctan",
    np.arctan,
    lambda g, ans, x: g / (1.0 + x * x),
    lambda t, ans, x: t / (1.0 + x * x),
    "g / (1 + {0}²)",
    "d/dx arctan(x) = 1/(1 + x²)",
)
EXPM1 = _unary_prim(
    "expm1",
    np.expm1,
    lambda g, ans, x: g * (ans + 1.0),
    lambda t, ans, x: t * (ans + 1.0),
    "g · exp({0})",
    "d/dx (eˣ − 1) = eˣ",
)
LEAKY_RELU = defprim(
    "leaky_relu",
    lambda x, slope: np.where(x > 0, x, slope * x),
    vjps=(lambda g, ans, x, slope: g * np.where(_val(x) > 0, 1.0, slope),),
    jvps=(lambda t, ans, x, slope: t * np.where(x > 0, 1.0, slope),),
    elementwise=True,
    vjp_text=("g · (1 if {0} > 0 else slope)",),
    derivative="d/dx leaky_relu(x) = 1 if x > 0 else slope",
)


def exp(x: Any) -> Any:
    """e^x elementwise."""
    return _unary(EXP, x)


def log(x: Any) -> Any:
    """Natural logarithm elementwise."""
    return _unary(LOG, x)


def log1p(x: Any) -> Any:
    """ln(1 + x), accurate for small x."""
    return _unary(LOG1P, x)


def sqrt(x: Any) -> Any:
    """√x elementwise."""
    return _unary(SQRT, x)


def abs(x: Any) -> Any:
    """|x| elementwise (derivative sign(x), 0 at 0)."""
    return _unary(ABS, x)


def sin(x: Any) -> Any:
    """sin(x) elementwise."""
    return _unary(SIN, x)


def cos(x: Any) -> Any:
    """cos(x) elementwise."""
    return _unary(COS, x)


def tan(x: Any) -> Any:
    """tan(x) elementwise."""
    return _unary(TAN, x)


def tanh(x: Any) -> Any:
    """tanh(x) elementwise."""
    return _unary(TANH, x)


def sigmoid(x: Any) -> Any:
    """σ(x) = 1/(1 + e^(−x)), computed without overflow."""
    return _unary(SIGMOID, x)


def relu(x: Any) -> Any:
    """max(x, 0) (derivative taken as 0 at 0)."""
    return _unary(RELU, x)


def leaky_relu(x: Any, slope: float = 0.01) -> Any:
    """x if x > 0 else slope·x."""
    return _with(LEAKY_RELU, x, slope=slope)


def sinh(x: Any) -> Any:
    """sinh(x) elementwise."""
    return _unary(SINH, x)


def cosh(x: Any) -> Any:
    """cosh(x) elementwise."""
    return _unary(COSH, x)


def arcsin(x: Any) -> Any:
    """arcsin(x) elementwise (|x| < 1 for a finite derivative)."""
    return _unary(ARCSIN, x)


def arctan(x: Any) -> Any:
    """arctan(x) elementwise."""
    return _unary(ARCTAN, x)


def expm1(x: Any) -> Any:
    """e^x − 1, accurate for small x."""
    return _unary(EXPM1, x)


def softplus(x: Any) -> Any:
    """ln(1 + e^x), computed without overflow."""
    return _unary(SOFTPLUS, x)


def square(x: Any) -> Any:
    """x²."""
    return x * x


# ---- maximum, minimum, where, clip ---------------------------------------------------------

MAXIMUM = defprim(
    "maximum",
    np.maximum,
    vjps=(
        lambda g, ans, a, b: g * (_val(a) >= _val(b)),
        lambda g, ans, a, b: g * (_val(a) < _val(b)),
    ),
    jvps=(lambda t, ans, a, b: t * (a >= b), lambda t, ans, a, b: t * (a < b)),
    elementwise=True,
    vjp_text=("g · [{0} ≥ {1}]", "g · [{0} < {1}]"),
    derivative="∂max(a,b)/∂a = [a ≥ b]",
)
MINIMUM = defprim(
    "minimum",
    np.minimum,
    vjps=(
        lambda g, ans, a, b: g * (_val(a) <= _val(b)),
        lambda g, ans, a, b: g * (_val(a) > _val(b)),
    ),
    jvps=(lambda t, ans, a, b: t * (a <= b), lambda t, ans, a, b: t * (a > b)),
    elementwise=True,
    vjp_text=("g · [{0} ≤ {1}]", "g · [{0} > {1}]"),
    derivative="∂min(a,b)/∂a = [a ≤ b]",
)
LOGADDEXP = defprim(
    "logaddexp",
    np.logaddexp,
    vjps=(
        lambda g, ans, a, b: g * exp(a - ans),
        lambda g, ans, a, b: g * exp(b - ans),
    ),
    jvps=(lambda t, ans, a, b: t * np.exp(a - ans), lambda t, ans, a, b: t * np.exp(b - ans)),
    elementwise=True,
    vjp_text=("g · exp({0} − {out})", "g · exp({1} − {out})"),
    derivative="∂ln(eᵃ + eᵇ)/∂a = eᵃ/(eᵃ + eᵇ)",
)
WHERE = defprim(
    "where",
    lambda a, b, cond: np.where(cond, a, b),
    vjps=(
        lambda g, ans, a, b, cond: where(cond, g, 0.0),
        lambda g, ans, a, b, cond: where(cond, 0.0, g),
    ),
    jvps=(
        lambda t, ans, a, b, cond: np.where(cond, t, 0.0),
        lambda t, ans, a, b, cond: np.where(cond, 0.0, t),
    ),
    elementwise=True,
    vjp_text=("g where cond, else 0", "g where not cond, else 0"),
    derivative="∂where(c,a,b)/∂a = [c]",
)


def _in_range(x: Any, lo: Any, hi: Any) -> Any:
    x = _val(x)
    keep = np.ones(np.shape(x), dtype=bool)
    if lo is not None:
        keep &= x >= lo
    if hi is not None:
        keep &= x <= hi
    return keep


CLIP = defprim(
    "clip",
    lambda x, lo, hi: np.clip(x, lo, hi),
    vjps=(lambda g, ans, x, lo, hi: g * _in_range(x, lo, hi),),
    jvps=(lambda t, ans, x, lo, hi: t * _in_range(x, lo, hi),),
    elementwise=True,
    vjp_text=("g · [lo ≤ {0} ≤ hi]",),
    derivative="d/dx clip(x) = [lo ≤ x ≤ hi]",
)


def maximum(a: Any, b: Any) -> Any:
    """Elementwise max of a and b (ties send the gradient to a)."""
    return _binary(MAXIMUM, a, b)


def minimum(a: Any, b: Any) -> Any:
    """Elementwise min of a and b (ties send the gradient to a)."""
    return _binary(MINIMUM, a, b)


def logaddexp(a: Any, b: Any) -> Any:
    """ln(eᵃ + eᵇ) elementwise, without overflow."""
    return _binary(LOGADDEXP, a, b)


def where(cond: Any, a: Any, b: Any) -> Any:
    """a where cond else b; `cond` is a constant boolean array (no gradient)."""
    c = np.asarray(_val(cond), dtype=bool)
    if not isinstance(a, Tensor) and not isinstance(b, Tensor):
        return np.where(c, value_of(a), value_of(b))
    try:
        out = np.where(c, _val(a), _val(b))
    except ValueError:
        raise ShapeError(
            f"where: shapes {np.shape(c)}, {_shape(a)} and {_shape(b)} do not fit together"
        ) from None
    return make(out, WHERE, (a, b), {"cond": c})


def clip(x: Any, lo: Any = None, hi: Any = None) -> Any:
    """x limited to [lo, hi] (either bound may be None); gradient 1 inside, 0 outside."""
    return _with(CLIP, x, lo=_val(lo), hi=_val(hi))


# ---- reductions ----------------------------------------------------------------------------


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


# ---- shape operations ----------------------------------------------------------------------


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
    xv = _val(x)
    shape = _resolve_shape(np.shape(xv), shape)
    if not isinstance(x, Tensor):
        return np.reshape(value_of(x), shape)
    if np.shape(xv) == shape:
        return x
    return make(np.reshape(xv, shape), RESHAPE, (x,), {"shape": shape})


def transpose(x: Any, axes: Any = None) -> Any:
    """Permute the axes (default: reverse them)."""
    n = np.ndim(_val(x))
    perm = tuple(range(n))[::-1] if axes is None else tuple(int(a) % n for a in axes)
    if sorted(perm) != list(range(n)):
        raise ShapeError(f"axes {axes} are not a permutation of the {n} axes of shape {_shape(x)}")
    if not isinstance(x, Tensor):
        return np.transpose(value_of(x), perm)
    return make(np.transpose(x.data, perm), TRANSPOSE, (x,), {"axes": perm})


def swapaxes(x: Any, a: int, b: int) -> Any:
    """Exchange two axes."""
    n = np.ndim(_val(x))
    perm = list(range(n))
    perm[a], perm[b] = perm[b], perm[a]
    return transpose(x, perm)


def broadcast_to(x: Any, shape: Any) -> Any:
    """x repeated to `shape` by NumPy's broadcasting rules."""
    shape = tuple(shape) if not isinstance(shape, int) else (shape,)
    xv = _val(x)
    if np.shape(xv) == shape and isinstance(x, Tensor):
        return x
    try:
        out = np.broadcast_to(xv, shape)
    except ValueError:
        raise ShapeError(f"cannot broadcast shape {np.shape(xv)} to {shape}") from None
    if not isinstance(x, Tensor):
        return out
    return make(out, BROADCAST_TO, (x,), {"shape": shape})


def expand_dims(x: Any, axis: Any) -> Any:
    """Insert axes of length 1 at `axis`."""
    return reshape(x, np.expand_dims(_shape_probe(x), axis).shape)


def squeeze(x: Any, axis: Any = None) -> Any:
    """Remove axes of length 1."""
    return reshape(x, np.squeeze(_shape_probe(x), axis).shape)


def _shape_probe(x: Any) -> np.ndarray:
    """A zero-copy array of x's shape, to let NumPy work out a new shape."""
    return np.broadcast_to(np.empty((), dtype=bool), np.shape(_val(x)))


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
        return make(
            _scatter(g.data, key, _shape(x), nb),
            UNINDEX,
            (g,),
            {
                "key": key,
                "shape": _shape(x),
                "nb": nb,
            },
        )
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
    if not isinstance(x, Tensor):
        return value_of(x)[key]
    try:
        out = x.data[key]
    except IndexError as error:
        raise ShapeError(f"index {key} does not fit shape {x.shape}: {error}") from None
    return make(out, GETITEM, (x,), {"key": key})


# ---- joining ---------------------------------------------------------------------------------


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
    values = [_val(x) for x in xs]
    if not values:
        raise ShapeError("concatenate needs at least one array")
    (ax,) = _axes(axis, np.ndim(values[0]))
    try:
        out = np.concatenate(values, axis=ax)
    except ValueError:
        shapes = ", ".join(str(np.shape(v)) for v in values)
        raise ShapeError(f"cannot concatenate shapes {shapes} along axis {axis}") from None
    if not builtins.any(isinstance(x, Tensor) for x in xs):
        return out
    return make(out, CONCATENATE, xs, {"axis": ax})


def stack(xs: Any, axis: int = 0) -> Any:
    """Join arrays along a new axis."""
    xs = list(xs)
    shapes = {np.shape(_val(x)) for x in xs}
    if len(shapes) > 1:
        raise ShapeError(f"stack needs equal shapes, got {', '.join(map(str, shapes))}")
    n = np.ndim(_val(xs[0])) + 1
    ax = axis % n
    return concatenate([expand_dims(x, ax) for x in xs], axis=ax)


def dot(a: Any, b: Any) -> Any:
    """np.dot for vectors and matrices (the same as matmul there)."""
    if np.ndim(_val(a)) == 0 or np.ndim(_val(b)) == 0:
        return a * b
    if np.ndim(_val(a)) > 2 or np.ndim(_val(b)) > 2:
        from calcml.errors import UnsupportedError

        raise UnsupportedError("numpy.dot on arrays with more than 2 axes is not supported")
    return matmul(a, b)


def outer(a: Any, b: Any) -> Any:
    """Outer product of two vectors."""
    return reshape(a, (-1, 1)) * reshape(b, (1, -1))
