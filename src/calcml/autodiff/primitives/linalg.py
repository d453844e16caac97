"""Linear algebra: einsum (and tensordot, dot, inner through it), inv, det, slogdet, solve, norm.

einsum's VJP for an operand is another einsum — the upstream gradient with the other operands,
contracted to that operand's indices (indices only it carries are broadcast back; an index it
repeats, as in 'ii', puts the gradient on the diagonal) — and its JVP is the same einsum with
the tangent in the operand's place. Subscripts are first made explicit (ellipses spelled out),
so a batch of seeds gets letters of its own in front.
"""

from __future__ import annotations

import builtins
import string
from collections import Counter
from typing import Any

import numpy as np

from calcml.autodiff.primitives.arithmetic import matmul
from calcml.autodiff.primitives.elementwise import abs, where
from calcml.autodiff.primitives.reductions import max, min, root0, sum
from calcml.autodiff.primitives.shape import _mT, broadcast_to, reshape
from calcml.autodiff.registry import defprim
from calcml.autodiff.tensor import apply, value_of
from calcml.errors import ShapeError, UnsupportedError

# ---- einsum --------------------------------------------------------------------------------


def _explicit(subscripts: str, ndims: list[int]) -> tuple[tuple[str, ...], str]:
    """The operands' and the output's indices with every '...' spelled out as letters."""
    spec = subscripts.replace(" ", "")
    lhs, arrow, out = spec.partition("->")
    ins = lhs.split(",")
    if len(ins) != len(ndims):
        raise ShapeError(f"einsum: {len(ins)} operand specs for {len(ndims)} operands")
    free = [c for c in string.ascii_letters if c not in spec]
    widths = [n - (len(s) - 3) if "..." in s else 0 for s, n in zip(ins, ndims, strict=True)]
    width = builtins.max(widths, default=0)
    ell = "".join(free[:width])
    ins = [s.replace("...", ell[width - w :]) for s, w in zip(ins, widths, strict=True)]
    for s, n in zip(ins, ndims, strict=True):
        if len(s) != n:
            raise ShapeError(f"einsum: the spec {s!r} does not fit an operand with {n} axes")
    if arrow:
        out = out.replace("...", ell)
    else:
        counts = Counter("".join(ins))
        out = ell + "".join(sorted(c for c, k in counts.items() if k == 1 and c not in ell))
    return tuple(ins), out


def _fresh(taken: str, n: int) -> str:
    return "".join([c for c in string.ascii_letters if c not in taken][:n])


def _einsum_vjp(i: int, g: Any, ans: Any, *xs: Any, ins: tuple[str, ...], out: str) -> Any:
    nb = np.ndim(value_of(g)) - np.ndim(value_of(ans))
    own = ins[i]
    batch = _fresh("".join(ins) + out, nb)
    others = [s for j, s in enumerate(ins) if j != i]
    reach = set(out).union(*others)
    unique = "".join(dict.fromkeys(own))
    kept = "".join(c for c in unique if c in reach)
    spec = ",".join([batch + out, *others]) + "->" + batch + kept
    r = einsum(spec, g, *(x for j, x in enumerate(xs) if j != i))
    shape = np.shape(value_of(xs[i]))
    sizes = {c: shape[own.index(c)] for c in unique}
    if kept != unique:  # indices only this operand carries: constant along them
        lead = np.shape(value_of(r))[:nb]
        r = reshape(r, lead + tuple(sizes[c] if c in kept else 1 for c in unique))
        r = broadcast_to(r, lead + tuple(sizes[c] for c in unique))
    if unique == own:
        return r
    # A repeated index ('ii'): the gradient lives on the diagonal, built with identities.
    spelled = ""
    deltas: list[str] = []
    eyes: list[np.ndarray] = []
    seen: set[str] = set()
    for c in own:
        if c in seen:
            d = _fresh("".join(ins) + out + batch + spelled + "".join(deltas), 1)
            deltas.append(c + d)
            eyes.append(np.eye(sizes[c]))
            spelled += d
        else:
            seen.add(c)
            spelled += c
    return einsum(",".join([batch + unique, *deltas]) + "->" + batch + spelled, r, *eyes)


def _einsum_jvp(i: int, t: Any, ans: Any, *xs: Any, ins: tuple[str, ...], out: str) -> Any:
    nb = np.ndim(t) - np.ndim(xs[i])
    batch = _fresh("".join(ins) + out, nb)
    specs = [batch + s if j == i else s for j, s in enumerate(ins)]
    ops = [t if j == i else x for j, x in enumerate(xs)]
    return np.einsum(",".join(specs) + "->" + batch + out, *ops)


EINSUM = defprim(
    "einsum",
    lambda *xs, ins, out: np.einsum(",".join(ins) + "->" + out, *xs),
    vjps=(_einsum_vjp,),
    jvps=(_einsum_jvp,),
    variadic=True,
    vjp_text=("einsum of g with the other operands, to this operand's indices",),
    derivative="∂(Σ Πₖ Aₖ)/∂Aᵢ = the sum of the products of the others",
)


def einsum(subscripts: Any, *operands: Any, **kw: Any) -> Any:
    """Einstein summation (np.einsum with a subscripts string; optimize= is accepted)."""
    if not isinstance(subscripts, str):
        raise UnsupportedError(
            "einsum on calcml Tensors needs the subscripts as a string, e.g. 'ij,jk->ik'"
        )
    ins, out = _explicit(subscripts, [np.ndim(value_of(x)) for x in operands])
    try:
        return apply(EINSUM, *operands, ins=ins, out=out)
    except ShapeError:
        raise
    except ValueError as error:
        raise ShapeError(f"einsum {subscripts!r}: {error}") from None


def tensordot(a: Any, b: Any, axes: Any = 2) -> Any:
    """Sum of products over `axes` (an int N: a's last N with b's first N; or two lists)."""
    na, nb = np.ndim(value_of(a)), np.ndim(value_of(b))
    if isinstance(axes, (int, np.integer)):
        ax_a, ax_b = list(range(na - int(axes), na)), list(range(int(axes)))
    else:
        ax_a, ax_b = (list(np.atleast_1d(v)) for v in axes)
    letters = string.ascii_letters
    sa = list(letters[:na])
    sb = list(letters[na : na + nb])
    for p, q in zip(ax_a, ax_b, strict=True):
        sb[int(q) % nb] = sa[int(p) % na]
    contracted = {sa[int(p) % na] for p in ax_a}
    out = [c for c in sa if c not in contracted] + [c for c in sb if c not in contracted]
    return einsum(f"{''.join(sa)},{''.join(sb)}->{''.join(out)}", a, b)


def dot(a: Any, b: Any) -> Any:
    """np.dot: products for scalars, matmul up to 2-D, else a sum over a's last axis and b's
    second-to-last."""
    na, nb = np.ndim(value_of(a)), np.ndim(value_of(b))
    if na == 0 or nb == 0:
        return a * b
    if na <= 2 and nb <= 2:
        return matmul(a, b)
    return tensordot(a, b, axes=([na - 1], [builtins.max(nb - 2, 0)]))


def inner(a: Any, b: Any) -> Any:
    """Sum of products over the last axes of a and b (np.inner)."""
    na, nb = np.ndim(value_of(a)), np.ndim(value_of(b))
    if na == 0 or nb == 0:
        return a * b
    return tensordot(a, b, axes=([na - 1], [nb - 1]))


def vdot(a: Any, b: Any) -> Any:
    """Sum of the products of the flattened arrays (real np.vdot)."""
    return sum(reshape(a, (-1,)) * reshape(b, (-1,)))


# ---- inverse, determinant, solve -----------------------------------------------------------


def _outer_last(v: Any) -> Any:
    """v with two axes of length 1 appended (a number per matrix, against a matrix)."""
    shape = np.shape(value_of(v))
    return reshape(v, (*shape, 1, 1))


INV = defprim(
    "inv",
    np.linalg.inv,
    vjps=(lambda g, ans, x: -(_mT(ans) @ g @ _mT(ans)),),
    jvps=(lambda t, ans, x: -(ans @ t @ ans),),
    vjp_text=("−{out}ᵀ @ g @ {out}ᵀ",),
    derivative="d(A⁻¹) = −A⁻¹ dA A⁻¹",
    symbol="⁻¹",
)
DET = defprim(
    "det",
    np.linalg.det,
    vjps=(lambda g, ans, x: _outer_last(g * ans) * _mT(inv(x)),),
    jvps=(lambda t, ans, x: ans * np.sum(_mT(np.linalg.inv(x)) * t, axis=(-2, -1)),),
    vjp_text=("g · det({0}) · {0}⁻ᵀ",),
    derivative="∂det(A)/∂A = det(A)·A⁻ᵀ (Jacobi's formula)",
)
LOGABSDET = defprim(
    "logabsdet",
    lambda x: np.linalg.slogdet(x)[1],
    vjps=(lambda g, ans, x: _outer_last(g) * _mT(inv(x)),),
    jvps=(lambda t, ans, x: np.sum(_mT(np.linalg.inv(x)) * t, axis=(-2, -1)),),
    vjp_text=("g · {0}⁻ᵀ",),
    derivative="∂ln|det A|/∂A = A⁻ᵀ",
)


def _solve_vjp_b(g: Any, ans: Any, a: Any, b: Any) -> Any:
    if np.ndim(value_of(b)) == 1:
        return g @ inv(a)  # row vector gᵀA⁻¹ = (A⁻ᵀg)ᵀ, also for a batch of g
    return _mT(inv(a)) @ g


def _solve_vjp_a(g: Any, ans: Any, a: Any, b: Any) -> Any:
    gb = _solve_vjp_b(g, ans, a, b)
    if np.ndim(value_of(b)) == 1:
        n = np.shape(value_of(ans))[-1]
        return -(reshape(gb, (*np.shape(value_of(gb)), 1)) * reshape(ans, (1, n)))
    return -(gb @ _mT(ans))


def _solve_jvp(t: Any, ans: Any, a: Any, b: Any, which: int) -> Any:
    ainv = np.linalg.inv(a)
    vector = np.ndim(b) == 1
    rhs = t if which == 1 else -(t @ ans)
    return rhs @ ainv.T if vector else ainv @ rhs


SOLVE = defprim(
    "solve",
    np.linalg.solve,
    vjps=(_solve_vjp_a, _solve_vjp_b),
    jvps=(
        lambda t, ans, a, b: _solve_jvp(t, ans, a, b, 0),
        lambda t, ans, a, b: _solve_jvp(t, ans, a, b, 1),
    ),
    vjp_text=("−(A⁻ᵀg) {out}ᵀ", "A⁻ᵀ g"),
    derivative="x = A⁻¹b: dx = A⁻¹(db − dA x)",
)


def _square(x: Any, what: str) -> None:
    shape = np.shape(value_of(x))
    if len(shape) < 2 or shape[-1] != shape[-2]:
        raise ShapeError(f"{what} needs square matrices (…, n, n), got shape {shape}")


def inv(x: Any) -> Any:
    """The inverse of a square matrix (or of each in a stack)."""
    _square(x, "inv")
    return apply(INV, x)


def det(x: Any) -> Any:
    """The determinant of a square matrix (or of each in a stack)."""
    _square(x, "det")
    return apply(DET, x)


def slogdet(x: Any) -> tuple[Any, Any]:
    """(sign, ln|det|): the sign is a constant array, ln|det| is differentiable."""
    _square(x, "slogdet")
    sign = np.linalg.slogdet(value_of(x))[0]
    return sign, apply(LOGABSDET, x)


def solve(a: Any, b: Any) -> Any:
    """x with a @ x = b (b a vector or a matrix of right-hand sides)."""
    _square(a, "solve")
    return apply(SOLVE, a, b)


# ---- norms ---------------------------------------------------------------------------------


def _vector_norm(x: Any, ord: Any, axis: Any, keepdims: bool) -> Any:
    if ord is None or ord == 2:
        return root0(sum(x * x, axis=axis, keepdims=keepdims))
    if ord == np.inf:
        return max(abs(x), axis=axis, keepdims=keepdims)
    if ord == -np.inf:
        return min(abs(x), axis=axis, keepdims=keepdims)
    if ord == 1:
        return sum(abs(x), axis=axis, keepdims=keepdims)
    if ord == 0:
        return np.sum(value_of(x) != 0, axis=axis, keepdims=keepdims).astype(float)
    p = float(ord)
    total = sum(abs(x) ** p, axis=axis, keepdims=keepdims)
    positive = value_of(total) > 0
    return where(positive, where(positive, total, 1.0) ** (1.0 / p), 0.0)


def _matrix_norm(x: Any, ord: Any, axis: tuple[int, int], keepdims: bool) -> Any:
    row, col = axis
    if ord in (None, "fro"):
        return root0(sum(x * x, axis=axis, keepdims=keepdims))
    if ord in (1, -1, np.inf, -np.inf):
        inner_axis, outer_axis = (row, col) if ord in (1, -1) else (col, row)
        sums = sum(abs(x), axis=inner_axis, keepdims=True)
        pick = max if ord in (1, np.inf) else min
        out = pick(sums, axis=outer_axis, keepdims=True)
        return out if keepdims else reshape(out, np.squeeze(value_of(out), axis=axis).shape)
    raise UnsupportedError(
        f"numpy.linalg.norm with ord={ord!r} for matrices (singular values) is not supported on "
        "calcml Tensors; supported: None, 'fro', 1, -1, inf, -inf (and any p for vectors)"
    )


def norm(x: Any, ord: Any = None, axis: Any = None, keepdims: bool = False) -> Any:
    """np.linalg.norm: vector p-norms and the Frobenius, 1 and ∞ matrix norms (gradient 0 at
    the zero vector, the subgradient PyTorch also uses)."""
    n = np.ndim(value_of(x))
    if isinstance(ord, str) and ord not in ("fro", "nuc"):
        raise UnsupportedError(f"numpy.linalg.norm: unknown ord={ord!r}")
    if axis is None and ord is not None and n == 2:
        axis = (0, 1)
    if axis is None:
        out = _vector_norm(reshape(x, (-1,)), ord, None, False)
        return reshape(out, (1,) * n) if keepdims else out
    axes = tuple(int(a) % n for a in np.atleast_1d(axis))
    if len(axes) == 2:
        return _matrix_norm(x, ord, (axes[0], axes[1]), keepdims)
    return _vector_norm(x, ord, axes, keepdims)
