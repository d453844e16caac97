"""The rest of NumPy's real ufuncs: inverse hyperbolics, arccos, cbrt, sinc, remainder,
logaddexp2, fmax/fmin, arctan2, hypot, nan_to_num, and the degree/radian scalings.

Each primitive's forward, VJP and JVP sit together, followed by its public function. The
rules are written with the public functions, so they also run on Tensors (second order).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from calcml.autodiff.primitives.elementwise import cos, exp, sqrt, where
from calcml.autodiff.registry import defprim, identity
from calcml.autodiff.tensor import apply, value_of

_LN2 = float(np.log(2.0))


def _unary_prim(name: str, fwd: Any, rule: Any, text: str, derivative: str) -> Any:
    """An elementwise primitive whose VJP and JVP are both `d · g` for the local derivative
    `rule(ans, x)` (computed on values for the JVP, on whatever g is for the VJP)."""
    return defprim(
        name,
        fwd,
        vjps=(lambda g, ans, x: g * rule(ans, x),),
        jvps=(lambda t, ans, x: t * rule(ans, x),),
        elementwise=True,
        vjp_text=(text,),
        derivative=derivative,
    )


def _sinc_slope(ans: Any, x: Any) -> Any:
    """d/dx sinc(x) = (cos(πx) − sinc(x))/x; near 0 (|x| < 10⁻³, where that quotient cancels)
    its Taylor polynomial −π²x/3 + π⁴x³/30, which also has the right derivatives at 0."""
    small = np.abs(value_of(x)) < 1e-3
    safe = where(small, 1.0, x)
    series = x * (-(np.pi**2) / 3.0) + x * x * x * (np.pi**4 / 30.0)
    return where(small, series, (cos(np.pi * safe) - where(small, 1.0, ans)) / safe)


ARCSINH = _unary_prim(
    "arcsinh",
    np.arcsinh,
    lambda ans, x: 1.0 / sqrt(x * x + 1.0),
    "g / √({0}² + 1)",
    "d/dx arsinh(x) = 1/√(x² + 1)",
)
ARCCOSH = _unary_prim(
    "arccosh",
    np.arccosh,
    lambda ans, x: 1.0 / sqrt(x * x - 1.0),
    "g / √({0}² − 1)",
    "d/dx arcosh(x) = 1/√(x² − 1)",
)
ARCTANH = _unary_prim(
    "arctanh",
    np.arctanh,
    lambda ans, x: 1.0 / (1.0 - x * x),
    "g / (1 − {0}²)",
    "d/dx artanh(x) = 1/(1 − x²)",
)
ARCCOS = _unary_prim(
    "arccos",
    np.arccos,
    lambda ans, x: -1.0 / sqrt(1.0 - x * x),
    "−g / √(1 − {0}²)",
    "d/dx arccos(x) = −1/√(1 − x²)",
)
CBRT = _unary_prim(
    "cbrt",
    np.cbrt,  # the real cube root: cbrt(−8) = −2
    lambda ans, x: 1.0 / (3.0 * ans * ans),
    "g / (3·∛{0}²)",
    "d/dx ∛x = 1/(3·∛x²) (x ≠ 0)",
)
SINC = _unary_prim(
    "sinc",
    np.sinc,
    _sinc_slope,
    "g · (cos(π{0}) − sinc({0}))/{0}",
    "d/dx sin(πx)/(πx) = (cos(πx) − sinc(x))/x, 0 at x = 0",
)


def _finite(x: Any) -> Any:
    return np.isfinite(value_of(x))


NAN_TO_NUM = defprim(
    "nan_to_num",
    lambda x, nan, posinf, neginf: np.nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf),
    vjps=(lambda g, ans, x, nan, posinf, neginf: g * _finite(x),),
    jvps=(lambda t, ans, x, nan, posinf, neginf: t * _finite(x),),
    elementwise=True,
    vjp_text=("g · [{0} is finite]",),
    derivative="d/dx nan_to_num(x) = 1 where x is finite, 0 where it was replaced",
)


def _floor_quotient(a: Any, b: Any) -> Any:
    return np.floor(value_of(a) / value_of(b))


REMAINDER = defprim(
    "remainder",
    np.remainder,
    vjps=(identity, lambda g, ans, a, b: -g * _floor_quotient(a, b)),
    jvps=(lambda t, ans, a, b: t, lambda t, ans, a, b: -t * _floor_quotient(a, b)),
    elementwise=True,
    vjp_text=("g", "−g · ⌊{0}/{1}⌋"),
    derivative="a mod b = a − b·⌊a/b⌋: ∂/∂a = 1, ∂/∂b = −⌊a/b⌋ (between the jumps)",
    symbol="%",
)
LOGADDEXP2 = defprim(
    "logaddexp2",
    np.logaddexp2,
    vjps=(
        lambda g, ans, a, b: g * exp((a - ans) * _LN2),
        lambda g, ans, a, b: g * exp((b - ans) * _LN2),
    ),
    jvps=(
        lambda t, ans, a, b: t * np.exp2(a - ans),
        lambda t, ans, a, b: t * np.exp2(b - ans),
    ),
    elementwise=True,
    vjp_text=("g · 2^({0} − {out})", "g · 2^({1} − {out})"),
    derivative="∂log₂(2ᵃ + 2ᵇ)/∂a = 2ᵃ/(2ᵃ + 2ᵇ)",
)


def _fmax_first(a: Any, b: Any) -> Any:
    """Where fmax takes `a`: a ≥ b, or b is NaN (fmax ignores NaN)."""
    av, bv = value_of(a), value_of(b)
    return (av >= bv) | np.isnan(bv)


def _fmin_first(a: Any, b: Any) -> Any:
    av, bv = value_of(a), value_of(b)
    return (av <= bv) | np.isnan(bv)


FMAX = defprim(
    "fmax",
    np.fmax,
    vjps=(
        lambda g, ans, a, b: g * _fmax_first(a, b),
        lambda g, ans, a, b: g * ~_fmax_first(a, b),
    ),
    jvps=(
        lambda t, ans, a, b: t * _fmax_first(a, b),
        lambda t, ans, a, b: t * ~_fmax_first(a, b),
    ),
    elementwise=True,
    vjp_text=("g · [{0} ≥ {1} or {1} is NaN]", "g · [{0} < {1} or {0} is NaN]"),
    derivative="∂fmax(a,b)/∂a = [a ≥ b] (NaNs ignored)",
)
FMIN = defprim(
    "fmin",
    np.fmin,
    vjps=(
        lambda g, ans, a, b: g * _fmin_first(a, b),
        lambda g, ans, a, b: g * ~_fmin_first(a, b),
    ),
    jvps=(
        lambda t, ans, a, b: t * _fmin_first(a, b),
        lambda t, ans, a, b: t * ~_fmin_first(a, b),
    ),
    elementwise=True,
    vjp_text=("g · [{0} ≤ {1} or {1} is NaN]", "g · [{0} > {1} or {0} is NaN]"),
    derivative="∂fmin(a,b)/∂a = [a ≤ b] (NaNs ignored)",
)
ARCTAN2 = defprim(
    "arctan2",
    np.arctan2,
    vjps=(
        lambda g, ans, y, x: g * x / (x * x + y * y),
        lambda g, ans, y, x: -g * y / (x * x + y * y),
    ),
    jvps=(
        lambda t, ans, y, x: t * x / (x * x + y * y),
        lambda t, ans, y, x: -t * y / (x * x + y * y),
    ),
    elementwise=True,
    vjp_text=("g · {1}/({0}² + {1}²)", "−g · {0}/({0}² + {1}²)"),
    derivative="∂atan2(y,x)/∂y = x/(x² + y²), ∂/∂x = −y/(x² + y²)",
)
HYPOT = defprim(
    "hypot",
    np.hypot,
    vjps=(lambda g, ans, a, b: g * a / ans, lambda g, ans, a, b: g * b / ans),
    jvps=(lambda t, ans, a, b: t * a / ans, lambda t, ans, a, b: t * b / ans),
    elementwise=True,
    vjp_text=("g · {0}/{out}", "g · {1}/{out}"),
    derivative="∂√(a² + b²)/∂a = a/√(a² + b²)",
)


def arcsinh(x: Any) -> Any:
    """Inverse hyperbolic sine."""
    return apply(ARCSINH, x)


def arccosh(x: Any) -> Any:
    """Inverse hyperbolic cosine (x ≥ 1; the derivative is infinite at 1)."""
    return apply(ARCCOSH, x)


def arctanh(x: Any) -> Any:
    """Inverse hyperbolic tangent (|x| < 1)."""
    return apply(ARCTANH, x)


def arccos(x: Any) -> Any:
    """arccos(x) (|x| ≤ 1; the derivative is infinite at ±1)."""
    return apply(ARCCOS, x)


def cbrt(x: Any) -> Any:
    """The real cube root (∛−8 = −2); its derivative is infinite at 0."""
    return apply(CBRT, x)


def sinc(x: Any) -> Any:
    """NumPy's normalized sinc, sin(πx)/(πx), with sinc(0) = 1."""
    return apply(SINC, x)


def nan_to_num(
    x: Any, copy: bool = True, nan: float = 0.0, posinf: Any = None, neginf: Any = None
) -> Any:
    """NaN and ±∞ replaced by numbers; their gradient is 0 (the replacement is a constant)."""
    return apply(NAN_TO_NUM, x, nan=nan, posinf=posinf, neginf=neginf)


def remainder(a: Any, b: Any) -> Any:
    """a mod b with the sign of b (Python's %, NumPy's remainder/mod)."""
    return apply(REMAINDER, a, b)


def logaddexp2(a: Any, b: Any) -> Any:
    """log₂(2ᵃ + 2ᵇ) without overflow."""
    return apply(LOGADDEXP2, a, b)


def fmax(a: Any, b: Any) -> Any:
    """Elementwise maximum that ignores NaN."""
    return apply(FMAX, a, b)


def fmin(a: Any, b: Any) -> Any:
    """Elementwise minimum that ignores NaN."""
    return apply(FMIN, a, b)


def arctan2(y: Any, x: Any) -> Any:
    """The angle of the point (x, y), in (−π, π]."""
    return apply(ARCTAN2, y, x)


def hypot(a: Any, b: Any) -> Any:
    """√(a² + b²) without overflow."""
    return apply(HYPOT, a, b)


def deg2rad(x: Any) -> Any:
    """Degrees to radians (also np.radians)."""
    return x * (np.pi / 180.0)


def rad2deg(x: Any) -> Any:
    """Radians to degrees (also np.degrees)."""
    return x * (180.0 / np.pi)
