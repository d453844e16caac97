"""NumPy evaluation of matrix expressions and the numeric check every result passes before it is
shown: random small sizes (2–4 per dimension) and values, the result against central differences
of f. Lives in `symbolic/` and does not import `calcml.autodiff` (they meet only in tests).

>>> import numpy as np
>>> from calcml.symbolic.matrix.nodes import Var, matmul
>>> X, w = Var("X", "n", "d"), Var("w", "d", 1)
>>> evaluate(matmul(X, w), {"n": 2, "d": 1}, {"X": np.ones((2, 1)), "w": np.ones((1, 1))}).ravel()
array([1., 1.])
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import numpy as np
import sympy as sp

from calcml.errors import VerificationError
from calcml.symbolic.matrix.nodes import (
    Add,
    Const,
    Dim,
    EMap,
    Eye,
    MatMul,
    Node,
    Ones,
    Scale,
    T,
    U,
    Unary,
    Var,
    Zero,
    walk,
)

Array = np.ndarray
TRIALS = 3  # random instances per check
STEP = 1e-6  # central-difference step
RTOL, ATOL = 1e-5, 1e-6


def _size(d: Dim, dims: dict[str, int]) -> int:
    return d if isinstance(d, int) else dims[d]


@cache
def _compiled(fn: sp.Expr, nargs: int) -> Callable[..., Any]:
    return sp.lambdify(U[:nargs], fn, modules=[{"Heaviside": _heaviside}, "numpy"])  # type: ignore[no-any-return]


def _heaviside(x: Any, h0: Any = 0.5) -> Any:
    return np.heaviside(x, 0.5)


def _softmax(z: Array) -> Array:
    axis = 0 if z.shape[1] == 1 else 1
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)  # type: ignore[no-any-return]


def _logsumexp(z: Array) -> Array:
    axis = 0 if z.shape[1] == 1 else 1
    m = z.max(axis=axis, keepdims=True)
    out = m + np.log(np.exp(z - m).sum(axis=axis, keepdims=True))
    return out.reshape(1, 1) if z.shape[1] == 1 else out  # type: ignore[no-any-return]


def _diag(x: Array) -> Array:
    return np.diag(x[:, 0]) if x.shape[1] == 1 else np.diag(x).reshape(-1, 1)


UNARY_EVAL: dict[str, Callable[[Array], Array]] = {
    "sum": lambda x: np.array([[x.sum()]]),
    "sqnorm": lambda x: np.array([[np.sum(x * x)]]),
    "trace": lambda x: np.array([[np.trace(x)]]),
    "logdet": lambda x: np.array([[np.linalg.slogdet(x)[1]]]),
    "inv": np.linalg.inv,
    "diag": _diag,
    "softmax": _softmax,
    "logsumexp": _logsumexp,
}


def evaluate(x: Node, dims: dict[str, int], values: dict[str, Array]) -> Array:
    """The value of `x` as a 2-D float array (a scalar is 1×1)."""
    dims = {**dims, **{}}
    memo: dict[Node, Array] = {}
    scalars = {sp.Symbol(k, positive=True, integer=True): v for k, v in dims.items()}
    for node in walk(x):
        memo[node] = _eval(node, memo, dims, values, scalars)
    return memo[x]


def _eval(
    n: Node, memo: dict[Node, Array], dims: dict[str, int], values: dict[str, Array], scalars: Any
) -> Array:
    if isinstance(n, Var):
        return values[n.name]
    if isinstance(n, Const):
        return np.array([[float(n.value.xreplace(scalars))]])
    if isinstance(n, Ones):
        return np.ones((_size(n.rows, dims), _size(n.cols, dims)))
    if isinstance(n, Zero):
        return np.zeros((_size(n.rows, dims), _size(n.cols, dims)))
    if isinstance(n, Eye):
        return np.eye(_size(n.n, dims))
    if isinstance(n, Add):
        return sum((memo[t] for t in n.terms[1:]), memo[n.terms[0]])  # type: ignore[no-any-return]
    if isinstance(n, Scale):
        return memo[n.c][0, 0] * memo[n.x]  # type: ignore[no-any-return]
    if isinstance(n, MatMul):
        return memo[n.a] @ memo[n.b]  # type: ignore[no-any-return]
    if isinstance(n, T):
        return memo[n.x].T
    if isinstance(n, Unary):
        return UNARY_EVAL[n.op](memo[n.x])
    if isinstance(n, EMap):
        fn = n.fn.xreplace(scalars) if n.fn.free_symbols - set(U) else n.fn
        args = [memo[a] for a in n.args]
        out = np.asarray(_compiled(fn, len(args))(*args), dtype=float)
        shape = (_size(n.shape[0], dims), _size(n.shape[1], dims))
        return np.broadcast_to(out, shape).astype(float)
    raise TypeError(f"cannot evaluate {type(n).__name__}")


# ------------------------------------------------------------------ random instances


def square_variables(f: Node) -> set[str]:
    """Variables that are inverted or under log det: sampled well conditioned, det > 0."""
    out: set[str] = set()
    for node in walk(f):
        if isinstance(node, Unary) and node.op in ("inv", "logdet"):
            out |= node.x.variables
    return out


def instance(
    f: Node, shapes: dict[str, tuple[Dim, Dim]], rng: np.random.Generator, positive: bool = False
) -> tuple[dict[str, int], dict[str, Array]]:
    """Random sizes 2–4 per named dimension and random values for every variable."""
    names = sorted({d for s in shapes.values() for d in s if isinstance(d, str)})
    dims = {d: int(rng.integers(2, 5)) for d in names}
    special = square_variables(f)
    values: dict[str, Array] = {}
    simplex = {v.name for v in walk(f) if isinstance(v, Var) and v.simplex}
    for name in sorted(shapes):
        r, c = (_size(d, dims) for d in shapes[name])
        if name in simplex:
            p = rng.uniform(0.1, 1.0, size=(r, c))
            values[name] = p / p.sum(axis=0 if c == 1 else 1, keepdims=True)
        elif name in special and r == c:
            a = rng.normal(size=(r, r)) * 0.3
            values[name] = a @ a.T + np.eye(r)
        elif positive:
            values[name] = rng.uniform(0.2, 0.9, size=(r, c))
        else:
            values[name] = rng.normal(size=(r, c))
    return dims, values


def finite_gradient(f: Node, wrt: str, dims: dict[str, int], values: dict[str, Array]) -> Array:
    """Central differences of a scalar f with respect to every entry of `wrt`."""
    base = values[wrt]
    out = np.zeros_like(base)
    for idx in np.ndindex(base.shape):
        plus, minus = base.copy(), base.copy()
        plus[idx] += STEP
        minus[idx] -= STEP
        fp = evaluate(f, dims, {**values, wrt: plus})[0, 0]
        fm = evaluate(f, dims, {**values, wrt: minus})[0, 0]
        out[idx] = (fp - fm) / (2 * STEP)
    return out


def finite_jacobian(f: Node, wrt: str, dims: dict[str, int], values: dict[str, Array]) -> Array:
    """Central differences of a vector f: J[i, j] = ∂f_i/∂x_j (x flattened)."""
    base = values[wrt]
    cols = []
    for idx in np.ndindex(base.shape):
        plus, minus = base.copy(), base.copy()
        plus[idx] += STEP
        minus[idx] -= STEP
        fp = evaluate(f, dims, {**values, wrt: plus}).ravel()
        fm = evaluate(f, dims, {**values, wrt: minus}).ravel()
        cols.append((fp - fm) / (2 * STEP))
    return np.stack(cols, axis=1)


def _close(a: Array, b: Array) -> bool:
    scale = max(1.0, float(np.max(np.abs(b))) if b.size else 1.0)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=RTOL, atol=ATOL * scale * 10))


def verify(
    f: Node,
    result: Node,
    wrt: str,
    shapes: dict[str, tuple[Dim, Dim]],
    kind: str,
    seed: int = 0,
) -> str:
    """Check `result` (gradient, jacobian or hessian of f) numerically; raise VerificationError.

    kind "gradient": result vs central differences of f; "jacobian": of a vector f; "hessian":
    `result` vs central differences of the gradient passed as `f`. Returns a one-line summary.
    """
    rng = np.random.default_rng(seed)
    done = 0
    worst = 0.0
    for attempt in range(TRIALS * 4):
        dims, values = instance(f, shapes, rng, positive=attempt >= TRIALS * 2)
        with np.errstate(all="ignore"):
            fx = evaluate(f, dims, values)
            if not np.all(np.isfinite(fx)):
                continue
            got = evaluate(result, dims, values)
            want = (
                finite_jacobian(f, wrt, dims, values)
                if kind != "gradient"
                else (finite_gradient(f, wrt, dims, values))
            )
        if not np.all(np.isfinite(want)):
            continue
        if kind == "gradient" and got.shape != values[wrt].shape:
            raise VerificationError(
                f"the gradient has shape {got.shape}, the variable {values[wrt].shape}"
            )
        if not _close(got.reshape(want.shape) if got.size == want.size else got, want):
            raise VerificationError(
                f"the {kind} failed its numeric check at sizes {dims}: "
                f"max error {np.max(np.abs(got.ravel() - want.ravel())):.3g}"
            )
        worst = max(worst, float(np.max(np.abs(got.ravel() - want.ravel()), initial=0.0)))
        done += 1
        if done == TRIALS:
            break
    if done == 0:
        raise VerificationError("no random instance where f is finite: cannot check the result")
    return (
        f"checked numerically against central differences on {done} random instances "
        f"(sizes 2–4), max error {worst:.1e}"
    )


def verify_names(
    pairs: list[tuple[Node, Node]],
    definitions: dict[str, Node],
    shapes: dict[str, tuple[Dim, Dim]],
    seed: int = 1,
) -> None:
    """Check that every expression shown with backprop's names (δ₁xᵀ) has the value of its full
    form on a random instance, the names taking their definitions' values; raise otherwise."""
    if not pairs:
        return
    rng = np.random.default_rng(seed)
    fulls = [full for _, full in pairs]
    for attempt in range(TRIALS * 4):
        dims, values = instance(fulls[0], shapes, rng, positive=attempt >= TRIALS * 2)
        with np.errstate(all="ignore"):
            named = {k: evaluate(v, dims, values) for k, v in definitions.items()}
            if not all(np.all(np.isfinite(v)) for v in named.values()):
                continue
            for shown, full in pairs:
                got = evaluate(shown, dims, {**values, **named})
                want = evaluate(full, dims, values)
                if np.all(np.isfinite(want)) and not _close(got, want):
                    raise VerificationError(
                        "internal: an expression shown with the layers' names differs from its "
                        "full form"
                    )
        return
    raise VerificationError("no random instance where the layers' names are finite")
