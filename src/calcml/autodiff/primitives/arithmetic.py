"""Arithmetic: + − · / ** and the matrix product, with NumPy's broadcasting (and dot, outer).

Each primitive's forward, VJP and JVP sit together, followed by its public function.
"""

from __future__ import annotations

import builtins
import operator
from typing import Any

import numpy as np

from calcml.autodiff.primitives._common import _ndim, _shape
from calcml.autodiff.primitives.elementwise import log, where
from calcml.autodiff.primitives.shape import _col, _mT, reshape
from calcml.autodiff.registry import defprim, identity
from calcml.autodiff.tensor import Tensor, apply, value_of

ADD = defprim(
    "add",
    operator.add,
    vjps=(identity, identity),
    jvps=(identity, identity),
    elementwise=True,
    vjp_text=("g", "g"),
    derivative="∂(a+b)/∂a = 1, ∂(a+b)/∂b = 1",
    symbol="+",
    floats=True,
)
SUB = defprim(
    "sub",
    operator.sub,
    vjps=(identity, lambda g, ans, a, b: -g),
    jvps=(identity, lambda t, ans, a, b: -t),
    elementwise=True,
    vjp_text=("g", "−g"),
    derivative="∂(a−b)/∂a = 1, ∂(a−b)/∂b = −1",
    symbol="−",
    floats=True,
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
    floats=True,
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
    floats=True,
)


def _pow_dbase(g: Any, ans: Any, x: Any, p: Any) -> Any:
    """p·x^(p−1); where p = 0 the power is the constant 1, so 0 (not 0·0⁻¹ = nan at x = 0)."""
    if isinstance(p, (int, float)):
        if p == 2:
            return g * (2.0 * x)
        if p == 0:
            return g * 0.0
        return g * (p * x ** (p - 1))
    zero = value_of(p) == 0
    if not np.any(zero):
        return g * (p * x ** (p - 1))
    return g * where(zero, 0.0, p * where(zero, 1.0, x) ** (p - 1))


def _log_base(x: Any) -> Any:
    xv = value_of(x)
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
    return apply(ADD, a, b)


def subtract(a: Any, b: Any) -> Any:
    """a − b (broadcasting)."""
    return apply(SUB, a, b)


def multiply(a: Any, b: Any) -> Any:
    """a · b elementwise (broadcasting)."""
    return apply(MUL, a, b)


def divide(a: Any, b: Any) -> Any:
    """a / b elementwise (broadcasting)."""
    return apply(DIV, a, b)


def negative(x: Any) -> Any:
    """−x."""
    return apply(NEG, x)


def power(x: Any, p: Any) -> Any:
    """x ** p elementwise; differentiable in both (in p only where x > 0)."""
    return apply(POW, x, p)


def matmul(a: Any, b: Any) -> Any:
    """Matrix product a @ b with NumPy's rules (1-D operands, stacks of matrices)."""
    if not isinstance(a, Tensor) and not isinstance(b, Tensor):
        return operator.matmul(value_of(a), value_of(b))
    return apply(MATMUL, a, b)


def outer(a: Any, b: Any) -> Any:
    """Outer product of two vectors."""
    return reshape(a, (-1, 1)) * reshape(b, (1, -1))
