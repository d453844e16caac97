"""Elementwise functions: exp, log, trig, tanh, sigmoid, relu, softplus, ...; max/min/where/clip.

Each primitive's forward, VJP and JVP sit together, followed by its public function.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from calcml.autodiff.primitives._common import _shape
from calcml.autodiff.registry import defprim
from calcml.autodiff.tensor import apply, value_of
from calcml.errors import ShapeError


def _sigmoid_fwd(x: Any) -> Any:
    e = np.exp(-np.abs(x))
    return np.where(np.asarray(x) >= 0, 1.0 / (1.0 + e), e / (1.0 + e)).astype(
        np.result_type(x, np.float32), copy=False
    )


def _unary_prim(
    name: str, fwd: Any, vjp: Any, jvp: Any, text: str, derivative: str, floats: bool = False
) -> Any:
    return defprim(
        name,
        fwd,
        vjps=(vjp,),
        jvps=(jvp,),
        elementwise=True,
        vjp_text=(text,),
        derivative=derivative,
        floats=floats,
    )


EXP = _unary_prim(
    "exp",
    np.exp,
    vjp=lambda g, ans, x: g * ans,
    jvp=lambda t, ans, x: t * ans,
    text="g · exp({0})",
    derivative="d/dx exp(x) = exp(x)",
)
LOG = _unary_prim(
    "log",
    np.log,
    vjp=lambda g, ans, x: g / x,
    jvp=lambda t, ans, x: t / x,
    text="g / {0}",
    derivative="d/dx ln(x) = 1/x",
)
LOG1P = _unary_prim(
    "log1p",
    np.log1p,
    vjp=lambda g, ans, x: g / (1.0 + x),
    jvp=lambda t, ans, x: t / (1.0 + x),
    text="g / (1 + {0})",
    derivative="d/dx ln(1 + x) = 1/(1 + x)",
)
SQRT = _unary_prim(
    "sqrt",
    np.sqrt,
    vjp=lambda g, ans, x: g * (0.5 / ans),
    jvp=lambda t, ans, x: t * (0.5 / ans),
    text="g / (2·√{0})",
    derivative="d/dx √x = 1/(2√x)",
)
ABS = _unary_prim(
    "abs",
    np.abs,
    vjp=lambda g, ans, x: g * np.sign(value_of(x)),
    jvp=lambda t, ans, x: t * np.sign(x),
    text="g · sign({0})",
    derivative="d/dx |x| = sign(x)",
)
SIN = _unary_prim(
    "sin",
    np.sin,
    vjp=lambda g, ans, x: g * cos(x),
    jvp=lambda t, ans, x: t * np.cos(x),
    text="g · cos({0})",
    derivative="d/dx sin(x) = cos(x)",
)
COS = _unary_prim(
    "cos",
    np.cos,
    vjp=lambda g, ans, x: -g * sin(x),
    jvp=lambda t, ans, x: -t * np.sin(x),
    text="−g · sin({0})",
    derivative="d/dx cos(x) = −sin(x)",
)
TAN = _unary_prim(
    "tan",
    np.tan,
    vjp=lambda g, ans, x: g * (1.0 + ans * ans),
    jvp=lambda t, ans, x: t * (1.0 + ans * ans),
    text="g · (1 + tan²({0}))",
    derivative="d/dx tan(x) = 1 + tan²(x)",
)
TANH = _unary_prim(
    "tanh",
    np.tanh,
    vjp=lambda g, ans, x: g * (1.0 - ans * ans),
    jvp=lambda t, ans, x: t * (1.0 - ans * ans),
    text="g · (1 − tanh²({0}))",
    derivative="d/dx tanh(x) = 1 − tanh²(x)",
)
SIGMOID = _unary_prim(
    "sigmoid",
    _sigmoid_fwd,
    vjp=lambda g, ans, x: g * (ans * (1.0 - ans)),
    jvp=lambda t, ans, x: t * (ans * (1.0 - ans)),
    text="g · σ({0})(1 − σ({0}))",
    derivative="d/dx σ(x) = σ(x)(1 − σ(x))",
)
# The zero of each scalar type a scalar node may hold (a Python float, or np.float64).
_ZEROS = {float: 0.0, np.float64: np.float64(0.0)}


def _relu_fwd(x: Any) -> Any:
    zero = _ZEROS.get(type(x))
    if zero is not None:  # a scalar node: a comparison instead of a ufunc call
        return x if not x <= 0.0 else zero
    return np.maximum(x, 0.0)


def _relu_vjp(g: Any, ans: Any, x: Any) -> Any:
    """g where relu(x) > 0 (exactly where x > 0), else 0."""
    if type(ans) in _ZEROS:  # a scalar node: a branch instead of a bool-array product
        return g if ans > 0.0 else g * 0.0
    return g * (ans > 0)


RELU = _unary_prim(
    "relu",
    _relu_fwd,
    vjp=_relu_vjp,
    jvp=lambda t, ans, x: t * (ans > 0),
    text="g · [{0} > 0]",
    derivative="d/dx relu(x) = [x > 0]",
    floats=True,
)
SOFTPLUS = _unary_prim(
    "softplus",
    lambda x: np.logaddexp(0.0, x),
    vjp=lambda g, ans, x: g * sigmoid(x),
    jvp=lambda t, ans, x: t * _sigmoid_fwd(x),
    text="g · σ({0})",
    derivative="d/dx softplus(x) = σ(x)",
)
SINH = _unary_prim(
    "sinh",
    np.sinh,
    vjp=lambda g, ans, x: g * cosh(x),
    jvp=lambda t, ans, x: t * np.cosh(x),
    text="g · cosh({0})",
    derivative="d/dx sinh(x) = cosh(x)",
)
COSH = _unary_prim(
    "cosh",
    np.cosh,
    vjp=lambda g, ans, x: g * sinh(x),
    jvp=lambda t, ans, x: t * np.sinh(x),
    text="g · sinh({0})",
    derivative="d/dx cosh(x) = sinh(x)",
)
ARCSIN = _unary_prim(
    "arcsin",
    np.arcsin,
    vjp=lambda g, ans, x: g / sqrt(1.0 - x * x),
    jvp=lambda t, ans, x: t / np.sqrt(1.0 - x * x),
    text="g / √(1 − {0}²)",
    derivative="d/dx arcsin(x) = 1/√(1 − x²)",
)
ARCTAN = _unary_prim(
    "arctan",
    np.arctan,
    vjp=lambda g, ans, x: g / (1.0 + x * x),
    jvp=lambda t, ans, x: t / (1.0 + x * x),
    text="g / (1 + {0}²)",
    derivative="d/dx arctan(x) = 1/(1 + x²)",
)
EXPM1 = _unary_prim(
    "expm1",
    np.expm1,
    vjp=lambda g, ans, x: g * (ans + 1.0),
    jvp=lambda t, ans, x: t * (ans + 1.0),
    text="g · exp({0})",
    derivative="d/dx (eˣ − 1) = eˣ",
)
LEAKY_RELU = defprim(
    "leaky_relu",
    lambda x, slope: np.where(x > 0, x, slope * x),
    vjps=(lambda g, ans, x, slope: g * np.where(value_of(x) > 0, 1.0, slope),),
    jvps=(lambda t, ans, x, slope: t * np.where(x > 0, 1.0, slope),),
    elementwise=True,
    vjp_text=("g · (1 if {0} > 0 else slope)",),
    derivative="d/dx leaky_relu(x) = 1 if x > 0 else slope",
)


def exp(x: Any) -> Any:
    """e^x elementwise."""
    return apply(EXP, x)


def log(x: Any) -> Any:
    """Natural logarithm elementwise."""
    return apply(LOG, x)


def log1p(x: Any) -> Any:
    """ln(1 + x), accurate for small x."""
    return apply(LOG1P, x)


def sqrt(x: Any) -> Any:
    """√x elementwise."""
    return apply(SQRT, x)


def abs(x: Any) -> Any:
    """|x| elementwise (derivative sign(x), 0 at 0)."""
    return apply(ABS, x)


def sin(x: Any) -> Any:
    """sin(x) elementwise."""
    return apply(SIN, x)


def cos(x: Any) -> Any:
    """cos(x) elementwise."""
    return apply(COS, x)


def tan(x: Any) -> Any:
    """tan(x) elementwise."""
    return apply(TAN, x)


def tanh(x: Any) -> Any:
    """tanh(x) elementwise."""
    return apply(TANH, x)


def sigmoid(x: Any) -> Any:
    """σ(x) = 1/(1 + e^(−x)), computed without overflow."""
    return apply(SIGMOID, x)


def relu(x: Any) -> Any:
    """max(x, 0) (derivative taken as 0 at 0)."""
    return apply(RELU, x)


def leaky_relu(x: Any, slope: float = 0.01) -> Any:
    """x if x > 0 else slope·x."""
    return apply(LEAKY_RELU, x, slope=slope)


def sinh(x: Any) -> Any:
    """sinh(x) elementwise."""
    return apply(SINH, x)


def cosh(x: Any) -> Any:
    """cosh(x) elementwise."""
    return apply(COSH, x)


def arcsin(x: Any) -> Any:
    """arcsin(x) elementwise (|x| < 1 for a finite derivative)."""
    return apply(ARCSIN, x)


def arctan(x: Any) -> Any:
    """arctan(x) elementwise."""
    return apply(ARCTAN, x)


def expm1(x: Any) -> Any:
    """e^x − 1, accurate for small x."""
    return apply(EXPM1, x)


def softplus(x: Any) -> Any:
    """ln(1 + e^x), computed without overflow."""
    return apply(SOFTPLUS, x)


def square(x: Any) -> Any:
    """x²."""
    return x * x


# ---- maximum, minimum, logaddexp, where, clip ----------------------------------------------

MAXIMUM = defprim(
    "maximum",
    np.maximum,
    vjps=(
        lambda g, ans, a, b: g * (value_of(a) >= value_of(b)),
        lambda g, ans, a, b: g * (value_of(a) < value_of(b)),
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
        lambda g, ans, a, b: g * (value_of(a) <= value_of(b)),
        lambda g, ans, a, b: g * (value_of(a) > value_of(b)),
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
    x = value_of(x)
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
    return apply(MAXIMUM, a, b)


def minimum(a: Any, b: Any) -> Any:
    """Elementwise min of a and b (ties send the gradient to a)."""
    return apply(MINIMUM, a, b)


def logaddexp(a: Any, b: Any) -> Any:
    """ln(eᵃ + eᵇ) elementwise, without overflow."""
    return apply(LOGADDEXP, a, b)


def where(cond: Any, a: Any, b: Any) -> Any:
    """a where cond else b; `cond` is a constant boolean array (no gradient)."""
    c = np.asarray(value_of(cond), dtype=bool)
    try:
        return apply(WHERE, a, b, cond=c)
    except ShapeError:
        raise ShapeError(
            f"where: shapes {np.shape(c)}, {_shape(a)} and {_shape(b)} do not fit together"
        ) from None


def clip(x: Any, lo: Any = None, hi: Any = None) -> Any:
    """x limited to [lo, hi] (either bound may be None); gradient 1 inside, 0 outside."""
    return apply(CLIP, x, lo=value_of(lo), hi=value_of(hi))
