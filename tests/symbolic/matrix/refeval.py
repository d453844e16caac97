"""Independent evaluators of a matrix expression for the tests: HIPS autograd (differentiable
NumPy) and SymPy matrices of entry symbols (componentwise). Neither uses calcml's derivatives."""

from __future__ import annotations

from typing import Any

import autograd.numpy as anp
import numpy as np
import sympy as sp

from calcml.expr.functions import relu, sigmoid, softplus
from calcml.symbolic.matrix.nodes import (
    Add,
    Const,
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

_PLAIN = {
    sigmoid: lambda z: 1 / (1 + sp.exp(-z)),
    softplus: lambda z: sp.log(1 + sp.exp(z)),
    relu: lambda z: z * sp.Heaviside(z),
}


def plain(fn: sp.Expr) -> sp.Expr:
    """The ML functions written out in exp/log, so any backend can evaluate them."""
    for f, g in _PLAIN.items():
        fn = fn.replace(f, g)
    return fn


def _ag_softmax(z: Any) -> Any:
    axis = 0 if z.shape[1] == 1 else 1
    e = anp.exp(z - anp.max(z, axis=axis, keepdims=True))
    return e / anp.sum(e, axis=axis, keepdims=True)


def _ag_lse(z: Any) -> Any:
    axis = 0 if z.shape[1] == 1 else 1
    out = anp.log(anp.sum(anp.exp(z), axis=axis, keepdims=True))
    return anp.reshape(out, (1, 1)) if z.shape[1] == 1 else out


AG_UNARY = {
    "sum": lambda x: anp.reshape(anp.sum(x), (1, 1)),
    "sqnorm": lambda x: anp.reshape(anp.sum(x * x), (1, 1)),
    "trace": lambda x: anp.reshape(anp.trace(x), (1, 1)),
    "logdet": lambda x: anp.reshape(anp.linalg.slogdet(x)[1], (1, 1)),
    "inv": anp.linalg.inv,
    "diag": lambda x: anp.diag(x[:, 0]) if x.shape[1] == 1 else anp.reshape(anp.diag(x), (-1, 1)),
    "softmax": _ag_softmax,
    "logsumexp": _ag_lse,
}
AG_NAMES = {"exp": anp.exp, "log": anp.log, "tanh": anp.tanh, "sqrt": anp.sqrt,
            "Heaviside": lambda x, h=0.5: anp.where(x > 0, 1.0, 0.0)}  # fmt: skip


def ag_eval(x: Node, dims: dict[str, int], values: dict[str, Any]) -> Any:
    """Evaluate with autograd.numpy (values may be autograd boxes)."""
    subs = {sp.Symbol(k, positive=True, integer=True): v for k, v in dims.items()}
    size = lambda d: d if isinstance(d, int) else dims[d]  # noqa: E731
    memo: dict[Node, Any] = {}
    for n in walk(x):
        if isinstance(n, Var):
            v = values[n.name]
        elif isinstance(n, Const):
            v = anp.array([[float(n.value.xreplace(subs))]])
        elif isinstance(n, Ones):
            v = anp.ones((size(n.rows), size(n.cols)))
        elif isinstance(n, Zero):
            v = anp.zeros((size(n.rows), size(n.cols)))
        elif isinstance(n, Eye):
            v = anp.eye(size(n.n))
        elif isinstance(n, Add):
            v = memo[n.terms[0]]
            for t in n.terms[1:]:
                v = v + memo[t]
        elif isinstance(n, Scale):
            v = memo[n.c][0, 0] * memo[n.x]
        elif isinstance(n, MatMul):
            v = anp.dot(memo[n.a], memo[n.b])
        elif isinstance(n, T):
            v = anp.transpose(memo[n.x])
        elif isinstance(n, Unary):
            v = AG_UNARY[n.op](memo[n.x])
        elif isinstance(n, EMap):
            fn = plain(n.fn).xreplace(subs)
            f = sp.lambdify(U[: len(n.args)], fn, modules=[AG_NAMES])
            v = f(*(memo[a] for a in n.args))
            shape = (size(n.shape[0]), size(n.shape[1]))
            v = v + anp.zeros(shape)
        else:
            raise TypeError(type(n).__name__)
        memo[n] = v
    return memo[x]


def sympy_values(shapes: dict[str, tuple[Any, Any]], dims: dict[str, int]) -> dict[str, sp.Matrix]:
    """A SymPy matrix of real entry symbols per variable: X → [[X_0_0, X_0_1], ...]."""
    out = {}
    for name, (r, c) in shapes.items():
        rr = r if isinstance(r, int) else dims[r]
        cc = c if isinstance(c, int) else dims[c]
        out[name] = sp.Matrix(
            rr, cc, lambda i, j, name=name: sp.Symbol(f"{name}_{i}_{j}", real=True)
        )
    return out


def _sp_softmax(m: sp.Matrix) -> sp.Matrix:
    if m.shape[1] == 1:
        e = m.applyfunc(sp.exp)
        return e / sum(e)
    return sp.Matrix.vstack(*[_sp_softmax(m[i, :].T).T for i in range(m.shape[0])])


def _sp_lse(m: sp.Matrix) -> sp.Matrix:
    if m.shape[1] == 1:
        return sp.Matrix([[sp.log(sum(m.applyfunc(sp.exp)))]])
    return sp.Matrix([[_sp_lse(m[i, :].T)[0, 0]] for i in range(m.shape[0])])


SP_UNARY = {
    "sum": lambda x: sp.Matrix([[sum(x)]]),
    "sqnorm": lambda x: sp.Matrix([[sum(e**2 for e in x)]]),
    "trace": lambda x: sp.Matrix([[x.trace()]]),
    "logdet": lambda x: sp.Matrix([[sp.log(x.det())]]),
    "inv": lambda x: x.inv(),
    "diag": lambda x: (
        sp.diag(*x) if x.shape[1] == 1 else sp.Matrix([x[i, i] for i in range(x.rows)])
    ),
    "softmax": _sp_softmax,
    "logsumexp": _sp_lse,
}


def sympy_eval(x: Node, dims: dict[str, int], values: dict[str, sp.Matrix]) -> sp.Matrix:
    """Evaluate with SymPy matrices of symbols: each entry an exact scalar expression."""
    subs = {sp.Symbol(k, positive=True, integer=True): v for k, v in dims.items()}
    size = lambda d: d if isinstance(d, int) else dims[d]  # noqa: E731
    memo: dict[Node, sp.Matrix] = {}
    for n in walk(x):
        if isinstance(n, Var):
            v = values[n.name]
        elif isinstance(n, Const):
            v = sp.Matrix([[n.value.xreplace(subs)]])
        elif isinstance(n, Ones):
            v = sp.ones(size(n.rows), size(n.cols))
        elif isinstance(n, Zero):
            v = sp.zeros(size(n.rows), size(n.cols))
        elif isinstance(n, Eye):
            v = sp.eye(size(n.n))
        elif isinstance(n, Add):
            v = memo[n.terms[0]]
            for t in n.terms[1:]:
                v = v + memo[t]
        elif isinstance(n, Scale):
            v = memo[n.c][0, 0] * memo[n.x]
        elif isinstance(n, MatMul):
            v = memo[n.a] * memo[n.b]
        elif isinstance(n, T):
            v = memo[n.x].T
        elif isinstance(n, Unary):
            v = SP_UNARY[n.op](memo[n.x])
        elif isinstance(n, EMap):
            shape = (size(n.shape[0]), size(n.shape[1]))
            fn = n.fn.xreplace(subs)

            def entry(i: int, j: int, n: EMap = n, fn: sp.Expr = fn) -> sp.Expr:
                vals = {}
                for k, a in enumerate(n.args):
                    m = memo[a]
                    vals[U[k]] = m[0, 0] if m.shape == (1, 1) else m[i, j]
                return fn.xreplace(vals)

            v = sp.Matrix(shape[0], shape[1], entry)
        else:
            raise TypeError(type(n).__name__)
        memo[n] = v
    return memo[x]


def as_float(m: sp.Matrix, point: dict[sp.Symbol, float]) -> np.ndarray:
    return np.array(m.xreplace(point).evalf(), dtype=float)
