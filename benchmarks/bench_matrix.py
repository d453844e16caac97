"""calcml's matrix calculus (derive + numeric check, with steps) against SymPy's MatrixSymbol.diff.

Over the ML corpus of tests/symbolic/matrix/corpus.py: for each gradient, calcml's time (derive
and verify) and SymPy's (`f.diff(W)` on MatrixSymbols, 10 s limit), how many SymPy can do at all,
the size of both results (nodes in the expression tree), and correctness of both against central
differences of f at random sizes 2–4 (SymPy's result made concrete with `.subs(...).doit()`).

Run: `python benchmarks/bench_matrix.py` (or `make bench`).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import sympy as sp

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "symbolic" / "matrix"))

from corpus import CORPUS

from calcml.errors import CalcmlError
from calcml.expr.functions import relu, sigmoid, softplus
from calcml.symbolic.matrix import matrix_gradient
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
from calcml.symbolic.matrix.numeric import evaluate, finite_gradient, instance
from calcml.symbolic.timelimit import call_with_time_limit

SYMPY_LIMIT = 10.0


class NotInSympy(Exception):
    """An operation SymPy's matrix expressions do not have (softmax, logsumexp, ...)."""


def _dim(d: Any) -> Any:
    return d if isinstance(d, int) else sp.Symbol(d, positive=True, integer=True)


def to_sympy(x: Node) -> Any:
    """calcml's matrix expression as a SymPy matrix expression (MatrixSymbol, MatMul, ...)."""
    if isinstance(x, Var):
        if x.shape == (1, 1):
            return sp.Symbol(x.name, real=True)
        return sp.MatrixSymbol(x.name, _dim(x.rows), _dim(x.cols))
    if isinstance(x, Const):
        return x.value
    if isinstance(x, Ones):
        return sp.OneMatrix(_dim(x.rows), _dim(x.cols))
    if isinstance(x, Zero):
        return sp.ZeroMatrix(_dim(x.rows), _dim(x.cols))
    if isinstance(x, Eye):
        return sp.Identity(_dim(x.n))
    if isinstance(x, Add):
        return (
            sp.Add(*[_sq(to_sympy(t)) for t in x.terms])
            if x.is_scalar()
            else sp.MatAdd(*[to_sympy(t) for t in x.terms])
        )
    if isinstance(x, Scale):
        return _sq(to_sympy(x.c)) * to_sympy(x.x)
    if isinstance(x, MatMul):
        return sp.MatMul(to_sympy(x.a), to_sympy(x.b))
    if isinstance(x, T):
        return sp.Transpose(to_sympy(x.x))
    if isinstance(x, Unary):
        a = to_sympy(x.x)
        r, c = (_dim(s) for s in x.x.shape)
        if x.op == "sum":
            return _sq(sp.MatMul(sp.OneMatrix(1, r), a, sp.OneMatrix(c, 1)))
        if x.op == "sqnorm":
            return _sq(sp.Trace(sp.MatMul(sp.Transpose(a), a)))
        if x.op == "trace":
            return sp.Trace(a)
        if x.op == "logdet":
            return sp.log(sp.Determinant(a))
        if x.op == "inv":
            return sp.Inverse(a)
        raise NotInSympy(x.op)
    if isinstance(x, EMap):
        return _emap(x.fn, [to_sympy(a) for a in x.args], x.shape)
    raise NotInSympy(type(x).__name__)


def _sq(e: Any) -> Any:
    """A 1×1 matrix expression as a scalar (its trace, which SymPy's diff knows best)."""
    if getattr(e, "shape", None) == (1, 1) and isinstance(e, sp.MatrixExpr):
        return sp.Trace(e)
    return e


def _emap(fn: sp.Expr, args: list[Any], shape: Any) -> Any:
    if all(not isinstance(a, sp.MatrixExpr) or a.shape == (1, 1) for a in args):
        return fn.xreplace({U[i]: _sq(a) for i, a in enumerate(args)})
    r, c = (_dim(s) for s in shape)

    def rec(e: sp.Expr) -> Any:
        if e in U:
            a = args[U.index(e)]
            return a if isinstance(a, sp.MatrixExpr) else a * sp.OneMatrix(r, c)
        if not (e.free_symbols & set(U)):
            return e * sp.OneMatrix(r, c)
        if e.is_Add:
            return sp.MatAdd(*[rec(t) for t in e.args])
        if e.is_Mul:
            coeff, rest = e.as_independent(*U)
            parts = [rec(t) for t in rest.as_ordered_factors()]
            prod = parts[0] if len(parts) == 1 else sp.HadamardProduct(*parts)
            return coeff * prod if coeff != 1 else prod
        if e.is_Pow and e.exp.is_Integer and e.exp > 0:
            return sp.HadamardPower(rec(e.base), e.exp)
        if len(e.args) == 1:
            u = sp.Dummy("u", real=True)
            lam = sp.Lambda(u, e.func(u))
            return rec(e.args[0]).applyfunc(lam)
        if e.is_Pow:
            u = sp.Dummy("u", real=True)
            return rec(e.base).applyfunc(sp.Lambda(u, u**e.exp))
        raise NotInSympy(str(e.func))

    return rec(fn)


def _concrete(expr: Any, values: dict[str, np.ndarray], dims: dict[str, int]) -> np.ndarray:
    subs: dict[Any, Any] = {sp.Symbol(k, positive=True, integer=True): v for k, v in dims.items()}
    expr = expr.subs(subs)
    msubs = {}
    for sym in expr.free_symbols:
        if isinstance(sym, sp.MatrixSymbol) and sym.name in values:
            msubs[sym] = sp.ImmutableMatrix(values[sym.name])
        elif isinstance(sym, sp.Symbol) and sym.name in values:
            msubs[sym] = float(values[sym.name][0, 0])
    plain = {sigmoid: lambda z: 1 / (1 + sp.exp(-z)), softplus: lambda z: sp.log(1 + sp.exp(z)),
             relu: lambda z: sp.Max(0, z)}  # fmt: skip
    out = expr.subs(msubs).doit()
    for f, g in plain.items():
        out = out.replace(f, g)
    out = out.doit()
    return (
        np.array(sp.Matrix(out).evalf(), dtype=float)
        if hasattr(out, "shape")
        else np.array([[float(out)]])
    )


def _size_sympy(e: Any) -> int:
    return sum(1 for _ in sp.preorder_traversal(e))


def _close(a: np.ndarray, b: np.ndarray) -> bool:
    return a.size == b.size and bool(np.allclose(a.reshape(b.shape), b, rtol=1e-5, atol=1e-6))


def main() -> int:
    rows = []
    for name, text, wrt, shapes, kind in CORPUS:
        if kind != "gradient":
            continue
        start = time.perf_counter()
        d = matrix_gradient(text, wrt, shapes)
        ours_t = time.perf_counter() - start
        rng = np.random.default_rng(99)
        dims, values = instance(d.expr, d.shapes, rng, positive=True)
        want = finite_gradient(d.expr, wrt, dims, values)
        ours_ok = _close(evaluate(d.result, dims, values), want)
        ours_size = len(walk(d.result))
        sym_t, sym_size, sym_state = float("nan"), 0, "no"
        try:
            f = to_sympy(d.expr)
            w = next(s for s in f.free_symbols if getattr(s, "name", None) == wrt)
            start = time.perf_counter()
            g = call_with_time_limit(lambda f=f, w=w: f.diff(w), SYMPY_LIMIT)
            sym_t = time.perf_counter() - start
            sym_size = _size_sympy(g)
            try:
                got = call_with_time_limit(_concrete, SYMPY_LIMIT, g, values, dims)
                sym_state = "correct" if _close(got, want) else "wrong"
            except (CalcmlError, Exception):
                sym_state = "unevaluable"
        except NotInSympy:
            sym_state = "not expressible"
        except (CalcmlError, Exception) as error:
            sym_state = f"fails ({type(error).__name__})"
        rows.append((name, ours_t, ours_ok, ours_size, sym_t, sym_state, sym_size))
    width = max(len(r[0]) for r in rows)
    print(f"{'expression':<{width}}  calcml s  ok  size | sympy s  sympy result      size")
    for name, ot, ok, osz, st, state, ssz in rows:
        st_s = f"{st:7.3f}" if st == st else "      -"
        print(f"{name:<{width}}  {ot:8.3f}  {'✓' if ok else '✗'}  {osz:4d} | {st_s}  {state:<16} "
              f"{ssz if ssz else '-':>4}")  # fmt: skip
    n = len(rows)
    can = [r for r in rows if r[5] in ("correct", "wrong", "unevaluable")]
    correct = [r for r in rows if r[5] == "correct"]
    both = [r for r in can if r[6]]
    print()
    print(f"gradients in the corpus: {n}; calcml correct: {sum(r[2] for r in rows)}/{n}")
    print(f"SymPy MatrixSymbol.diff returns a result: {len(can)}/{n}; correct: {len(correct)}/{n}")
    print(f"median time  calcml (derive + verify): {statistics.median(r[1] for r in rows):.3f} s;"
          f"  SymPy diff (where it returns): "
          f"{statistics.median(r[4] for r in can) if can else float('nan'):.3f} s")  # fmt: skip
    if both:
        smaller = sum(r[3] <= r[6] for r in both)
        print(f"result size (tree nodes), median calcml {statistics.median(r[3] for r in both)}"
              f" vs SymPy {statistics.median(r[6] for r in both)}; calcml's no larger on "
              f"{smaller}/{len(both)}")  # fmt: skip
    return 0 if all(r[2] for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
