# ruff: noqa: E501  (a data table: one case per line reads best)
"""The NumPy functions that HIPS autograd's own tests differentiate (autograd 1.9:
tests/test_systematic.py, test_numpy.py, test_scalar_ops.py, test_linalg.py), as data: for each
function, the shapes and domains it is differentiated on (broadcasting and axis arguments
included). Our own cases, written from that list; used by test_ad_numpy_coverage.py and
counted by benchmarks/bench_autodiff.py.

A case is ``Case(function, label, f, args)``: ``f(m, *args)`` is written once against a NumPy
namespace ``m`` — plain NumPy for calcml (its Tensors route every call through NumPy's
protocols) and ``autograd.numpy`` for the reference. `argnums` are the arguments to
differentiate; `ref` False means autograd cannot answer the case (no such function or no VJP:
cbrt, flip, pad modes other than constant, vector norms ord=1/±inf, matrix norms other than
Frobenius, einsum with a repeated index; or a wrong answer: diag of a non-square matrix,
cross with broadcasting, norm with keepdims) and central differences are the reference.
"""

from __future__ import annotations

import operator as op
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

RNG = np.random.default_rng(20260101)


def R(*shape: int) -> np.ndarray:
    """Normal values."""
    return RNG.normal(size=shape)


def U(lo: float, hi: float, *shape: int) -> np.ndarray:
    """Uniform values in [lo, hi]."""
    return RNG.uniform(lo, hi, size=shape)


def away(*shape: int) -> np.ndarray:
    """Values in ±[0.3, 2] (away from kinks at 0)."""
    return RNG.choice([-1.0, 1.0], size=shape) * RNG.uniform(0.3, 2.0, size=shape)


def spd(n: int) -> np.ndarray:
    a = R(n, n)
    return a @ a.T + n * np.eye(n)


@dataclass(frozen=True)
class Case:
    function: str
    label: str
    f: Callable[..., Any]
    args: tuple[Any, ...]
    argnums: tuple[int, ...] = (0,)
    ref: bool = True
    second: bool = True
    kw: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.function}[{self.label}]"


CASES: list[Case] = []


def add(function: str, label: str, f: Callable[..., Any], *args: Any, **kw: Any) -> None:
    CASES.append(Case(function, label, f, tuple(args), **kw))


# ---- unary ufuncs (test_systematic's unary_ufunc_check, with its domains) -------------------
UNARY = {
    "sin": None, "cos": None, "tan": (-1.1, 1.1), "tanh": None, "sinh": None, "cosh": None,
    "arcsin": (-0.9, 0.9), "arccos": (-0.9, 0.9), "arctan": None,
    "arcsinh": (-0.9, 0.9), "arccosh": (1.1, 4.0), "arctanh": (-0.9, 0.9),
    "exp": None, "exp2": None, "expm1": None, "log": (0.2, 2.0), "log10": (0.2, 2.0),
    "log1p": (0.2, 2.0), "log2": (0.2, 2.0), "sqrt": (1.0, 3.0), "square": None,
    "reciprocal": (0.5, 2.0), "negative": None, "abs": "away", "absolute": "away",
    "fabs": "away", "deg2rad": None, "radians": None, "rad2deg": None, "degrees": None,
    "sinc": None,
}  # fmt: skip
for _name, _dom in UNARY.items():
    for _shape in [(), (3, 4)]:

        def _draw(dom: Any = _dom, shape: tuple[int, ...] = _shape) -> np.ndarray:
            if dom == "away":
                return away(*shape)
            if dom is None:
                return U(-2.0, 2.0, *shape)
            return U(dom[0], dom[1], *shape)

        add(_name, str(_shape), lambda m, x, n=_name: getattr(m, n)(x), _draw())
add("cbrt", "(3, 4) both signs", lambda m, x: np.cbrt(x), away(3, 4), ref=False)
add("nan_to_num", "nan/inf entries", lambda m, x: m.sin(m.nan_to_num(x + np.array([0.0, np.nan, np.inf, -np.inf]))), R(4))  # fmt: skip

# ---- binary ufuncs, with broadcasting ------------------------------------------------------
PAIRS = [((3, 4), (3, 4)), ((3, 1), (1, 4)), ((), (4,)), ((4,), (3, 4))]
BINARY: dict[str, tuple[Callable[..., Any], tuple[float, float], tuple[float, float]]] = {
    "add": (lambda m, a, b: m.add(a, b), (-2, 2), (-2, 2)),
    "subtract": (lambda m, a, b: m.subtract(a, b), (-2, 2), (-2, 2)),
    "multiply": (lambda m, a, b: m.multiply(a, b), (-2, 2), (-2, 2)),
    "true_divide": (lambda m, a, b: m.true_divide(a, b), (-2, 2), (0.3, 2.0)),
    "true_divide_neg": (lambda m, a, b: m.true_divide(a, b), (-2, 2), (-2.0, -0.3)),
    "power": (lambda m, a, b: m.power(a, b), (0.7, 2.0), (-2, 2)),
    "logaddexp": (lambda m, a, b: m.logaddexp(a, b), (-2, 2), (-2, 2)),
    "logaddexp2": (lambda m, a, b: m.logaddexp2(a, b), (-2, 2), (-2, 2)),
    "remainder": (lambda m, a, b: m.remainder(a, b), (-0.9, 0.9), (0.7, 1.9)),
    "mod": (lambda m, a, b: m.mod(a, b), (-2, 2), (0.8, 2.1)),
    "mod_neg": (lambda m, a, b: m.mod(a, b), (-2, 2), (-2.0, -0.3)),
    "maximum": (lambda m, a, b: m.maximum(a, b), (-2, 2), (-2, 2)),
    "minimum": (lambda m, a, b: m.minimum(a, b), (-2, 2), (-2, 2)),
    "fmax": (lambda m, a, b: m.fmax(a, b), (-2, 2), (-2, 2)),
    "fmin": (lambda m, a, b: m.fmin(a, b), (-2, 2), (-2, 2)),
    "arctan2": (lambda m, a, b: m.arctan2(a, b), (-2, 2), (0.3, 2.0)),
    "hypot": (lambda m, a, b: m.hypot(a, b), (0.3, 2), (-2, 2)),
    "op.add": (lambda m, a, b: op.add(a, b), (-2, 2), (-2, 2)),
    "op.sub": (lambda m, a, b: op.sub(a, b), (-2, 2), (-2, 2)),
    "op.mul": (lambda m, a, b: op.mul(a, b), (-2, 2), (-2, 2)),
    "op.truediv": (lambda m, a, b: op.truediv(a, b), (-2, 2), (0.5, 2.0)),
    "op.pow": (lambda m, a, b: op.pow(a, b), (0.7, 2.0), (-2, 2)),
    "op.mod": (lambda m, a, b: op.mod(a, b), (-2, 2), (0.3, 2.0)),
    "op.mod_neg": (lambda m, a, b: op.mod(a, b), (-2, 2), (-2.0, -0.3)),
}
for _name, (_f, _da, _db) in BINARY.items():
    for _sa, _sb in PAIRS:
        _a, _b = U(_da[0], _da[1], *_sa), U(_db[0], _db[1], *_sb)
        if "mod" in _name or _name == "remainder":  # keep a/b away from the jumps
            _b = np.where(np.abs(np.remainder(_a / _b, 1.0) - 0.5) > 0.45, _b * 1.1, _b)
        add(_name.removesuffix("_neg"), f"{_sa}, {_sb}", _f, _a, _b, argnums=(0, 1))

# ---- reductions (stat_check: axis None/0/1, keepdims) --------------------------------------
STATS = ["sum", "mean", "max", "min", "prod", "var", "std"]
for _name in STATS:
    for _axis in [None, 0, 1, (0, 1), -1]:
        for _keep in [False, True]:
            _x = U(0.3, 1.5, 3, 4) if _name == "prod" else R(3, 4)
            add(_name, f"axis={_axis} keepdims={_keep}", lambda m, x, n=_name, a=_axis, k=_keep: getattr(m, n)(x, axis=a, keepdims=k), _x)  # fmt: skip
    add(_name, "3-D axis (1, 2)", lambda m, x, n=_name: getattr(m, n)(x, axis=(1, 2)), U(0.5, 1.5, 2, 3, 2))  # fmt: skip
for _ddof in [0, 1]:
    for _name in ["var", "std"]:
        add(_name, f"ddof={_ddof}", lambda m, x, n=_name, d=_ddof: getattr(m, n)(x, ddof=d), R(3, 4))  # fmt: skip
        add(_name, f"ddof={_ddof} axis=1", lambda m, x, n=_name, d=_ddof: getattr(m, n)(x, axis=1, ddof=d), R(3, 4))  # fmt: skip
add("cumsum", "axis=0", lambda m, x: m.cumsum(x, axis=0), R(3, 4))
add("cumsum", "axis=1", lambda m, x: m.cumsum(x, axis=1), R(3, 4))
add("cumsum", "1-D", lambda m, x: m.cumsum(x), R(6))
add("cumsum", "no axis", lambda m, x: m.cumsum(x), R(3, 4))

# ---- products ------------------------------------------------------------------------------
for _a, _b in [(1.5, 0.3), (R(3), R(3)), (R(2, 3), R(3)), (R(3), R(3, 4)), (R(2, 3), R(3, 4)), (R(2, 3), 0.3), (R(2, 3, 4), R(4)), (R(2, 3, 4), R(4, 2)), (R(4), R(2, 4, 3))]:  # fmt: skip
    add("dot", f"{np.shape(_a)}·{np.shape(_b)}", lambda m, a, b: m.dot(a, b), _a, _b, argnums=(0, 1))  # fmt: skip
add("outer", "(4)⊗(3)", lambda m, a, b: m.outer(a, b), R(4), R(3), argnums=(0, 1))
add("inner", "(2,3)·(4,3)", lambda m, a, b: m.inner(a, b), R(2, 3), R(4, 3), argnums=(0, 1))
add("inner", "(3)·(3)", lambda m, a, b: m.inner(a, b), R(3), R(3), argnums=(0, 1))
add("matmul", "(2,3,4)@(4,2)", lambda m, a, b: m.matmul(a, b), R(2, 3, 4), R(4, 2), argnums=(0, 1))
TENSORDOT = [
    (R(1, 3), R(3), [(1,), (0,)]), (R(2, 3, 2), R(3, 4, 2), [(1,), (0,)]),
    (R(3), R(1, 3), [(0,), (1,)]), (R(3, 4, 2), R(2, 3, 2), [(0,), (1,)]),
    (R(2, 3), R(1, 2, 3), [(0, 1), (1, 2)]), (R(2, 3, 4), R(2, 2, 3, 4), [(1, 0), (2, 1)]),
    (R(2, 2), R(2, 2), 1), (R(4, 2, 2), R(2, 2, 4), 2),
]  # fmt: skip
for _a, _b, _axes in TENSORDOT:
    add("tensordot", f"{_a.shape}·{_b.shape} axes={_axes}", lambda m, a, b, ax=_axes: m.tensordot(a, b, axes=ax), _a, _b, argnums=(0, 1))  # fmt: skip
EINSUM = [
    ("ij->ji", [R(4, 4)]), ("ij->ji", [R(3, 4)]), ("ij,jk->ik", [R(2, 3), R(3, 4)]),
    ("ijk,lji->lki", [R(3, 4, 4), R(4, 4, 3)]), ("...jk,...lj->...lk", [R(3, 4, 4), R(3, 4, 4)]),
    ("...,...->...", [R(3, 4, 4), R(3, 4, 4)]), ("ijk,lji,lli->lki", [R(3, 4, 4), R(4, 4, 3), R(4, 4, 3)]),
    ("ii->i", [R(3, 3)]), ("ii", [R(3, 3)]), ("i,i", [R(4), R(4)]), ("ij,j", [R(2, 3), R(3)]),
    ("bij,bjk->bik", [R(2, 2, 3), R(2, 3, 2)]), ("ij,ij->i", [R(1, 3), R(4, 3)]),
]  # fmt: skip
for _spec, _ops in EINSUM:
    _repeats = any(len(set(s)) < len(s) for s in _spec.split("->")[0].split(","))
    # autograd's own VJP fails on an operand with a repeated index ('ii'): differences only
    add("einsum", _spec, lambda m, *xs, s=_spec: m.einsum(s, *xs), *_ops, argnums=tuple(range(len(_ops))), ref=not _repeats)  # fmt: skip
add("kron", "(2,2)⊗(3,2)", lambda m, a, b: m.kron(a, b), R(2, 2), R(3, 2), argnums=(0, 1))
add("kron", "(3)⊗(2,2)", lambda m, a, b: m.kron(a, b), R(3), R(2, 2), argnums=(0, 1))
add("cross", "3-vectors (4,3)", lambda m, a, b: m.cross(a, b), R(4, 3), R(4, 3), argnums=(0, 1))
add("cross", "3-vectors broadcast", lambda m, a, b: m.cross(a, b), R(3), R(2, 3), argnums=(0, 1), ref=False)  # fmt: skip
add("cross", "axis=0", lambda m, a, b: m.cross(a, b, axis=0), R(3, 2), R(3, 2), argnums=(0, 1))

# ---- shape and index manipulations ---------------------------------------------------------
for _axes in [None, [0, 1, 2], [0, 2, 1], [2, 0, 1], [2, 1, 0], [1, 0, 2], [1, 2, 0]]:
    add("transpose", f"axes={_axes}", lambda m, x, a=_axes: m.transpose(x, a), R(2, 3, 4))
add("transpose", ".T", lambda m, x: x.T, R(3, 4))
add("reshape", "method", lambda m, x: x.reshape((6, 4)), R(2, 3, 4))
add("reshape", "method, no tuple", lambda m, x: x.reshape(6, 4), R(2, 3, 4))
add("reshape", "call", lambda m, x: m.reshape(x, (4, 6)), R(2, 3, 4))
add("astype", "float64 method", lambda m, x: (x * 2.0).astype(np.float64), R(2, 3))
add("ravel", "method", lambda m, x: x.ravel(), R(2, 3, 4))
add("ravel", "call", lambda m, x: m.ravel(x), R(2, 3, 4))
add("flatten", "method", lambda m, x: x.flatten(), R(2, 3, 4))
add("squeeze", "call", lambda m, x: m.squeeze(x), R(2, 1, 4))
add("squeeze", "method", lambda m, x: x.squeeze(), R(2, 1, 4))
add("expand_dims", "axis=2", lambda m, x: m.expand_dims(x, 2), R(2, 1, 4))
for _fn in ["atleast_1d", "atleast_2d", "atleast_3d"]:
    for _x in [1.2, R(1), R(7), R(1, 4), R(2, 4), R(2, 4, 5)]:
        add(_fn, str(np.shape(_x)), lambda m, x, n=_fn: getattr(m, n)(x), _x)
add("flipud", "(4,5)", lambda m, x: m.flipud(x), R(4, 5))
add("fliplr", "(4,5)", lambda m, x: m.fliplr(x), R(4, 5))
add("flip", "axis=None", lambda m, x: m.flip(x), R(3, 4), ref=False)  # autograd: no VJP
add("flip", "axis=1", lambda m, x: m.flip(x, 1), R(3, 4), ref=False)
for _k in [1, 2, 3]:
    add("rot90", f"k={_k}", lambda m, x, k=_k: m.rot90(x, k), R(3, 4))
add("roll", "2 along axis 1", lambda m, x: m.roll(x, 2, axis=1), R(4, 5))
add("roll", "no axis", lambda m, x: m.roll(x, 3), R(4, 5))
add("roll", "-1 along axis 0", lambda m, x: m.roll(x, -1, axis=0), R(4, 5))
add("triu", "k=2", lambda m, x: m.triu(x, k=2), R(5, 5))
add("triu", "k=-1 (4,5)", lambda m, x: m.triu(x, k=-1), R(4, 5))
add("tril", "k=2", lambda m, x: m.tril(x, k=2), R(5, 5))
add("tril", "k=0 stack", lambda m, x: m.tril(x), R(2, 3, 3))
add("diag", "matrix → vector", lambda m, x: m.diag(x), R(5, 5))
add("diag", "vector → matrix", lambda m, x: m.diag(x), R(4))
add("diag", "vector, k=1", lambda m, x: m.diag(x, 1), R(3))
add("diag", "(4,5) k=-1", lambda m, x: m.diag(x, -1), R(4, 5), ref=False)  # autograd: wrong shape
add("diagflat", "(2,2)", lambda m, x: np.diagflat(x), R(2, 2), ref=False)
add("diagonal", "(4,4)", lambda m, x: m.diagonal(x, axis1=-1, axis2=-2), R(4, 4))
add("diagonal", "(3,4,4)", lambda m, x: m.diagonal(x, axis1=-1, axis2=-2), R(3, 4, 4))
for _shape, _off in [((5, 5), -1), ((4, 5), 0), ((5, 4), 1), ((10, 11), 3), ((5, 6, 4, 3), 2)]:
    add("trace", f"{_shape} offset={_off}", lambda m, x, o=_off: m.trace(x, offset=o), R(*_shape))
add("clip", "0.1..1.1", lambda m, x: m.clip(x, 0.1, 1.1), away(5, 5) * 0.7 + 0.55)
_MASK = R(4, 5) > 0
add("where", "mask", lambda m, a, b: m.where(_MASK, a, b), R(4, 5), R(4, 5), argnums=(0, 1))  # fmt: skip
for _shape, _r, _axis in [((5, 3, 4), 2, 1), ((5, 3, 4), 1, 1), ((5, 3), 2, 0), ((5,), 2, 0), ((5, 1), 1, 0), ((2, 3), 3, None)]:  # fmt: skip
    add("repeat", f"{_shape} ×{_r} axis={_axis}", lambda m, x, r=_r, a=_axis: m.repeat(x, r, axis=a), R(*_shape))  # fmt: skip
add("tile", "(2,3) reps (2,1)", lambda m, x: m.tile(x, (2, 1)), R(2, 3))
add("tile", "(3,) reps 2", lambda m, x: m.tile(x, 2), R(3))
add("tile", "(2,) reps (2,2)", lambda m, x: m.tile(x, (2, 2)), R(2))
for _mode in ["constant", "edge", "reflect", "symmetric", "wrap"]:
    add("pad", _mode, lambda m, x, md=_mode: m.pad(x, ((1, 2), (2, 1)), mode=md), R(3, 4), ref=_mode == "constant")  # fmt: skip
add("pad", "constant 1.5, width 1", lambda m, x: m.pad(x, 1, mode="constant", constant_values=1.5), R(3, 4))  # fmt: skip
add("moveaxis", "0 → -1", lambda m, x: m.moveaxis(x, 0, -1), R(2, 3, 4))
add("moveaxis", "[0, 1] → [2, 0]", lambda m, x: m.moveaxis(x, [0, 1], [2, 0]), R(2, 3, 4))
add("swapaxes", "keywords", lambda m, x: m.swapaxes(x, axis1=0, axis2=2), R(2, 3, 4))
add("diff", "n=1", lambda m, x: m.diff(x), R(3, 5))
add("diff", "n=2 axis=0", lambda m, x: m.diff(x, n=2, axis=0), R(4, 3))
add("diff", "prepend/append", lambda m, x: np.diff(x, prepend=0.0, append=1.0), R(5), ref=False)
add("sort", "(1)", lambda m, x: m.sort(x), R(1))
add("sort", "(7)", lambda m, x: m.sort(x), R(7))
add("sort", "(3,4) axis 0", lambda m, x: m.sort(x, axis=0), R(3, 4), ref=False)
for _k in [0, 3, 6]:
    add("partition", f"(7) kth={_k}", lambda m, x, k=_k: m.partition(x, k), R(7))
    add("partition", f"(14) kth={_k}", lambda m, x, k=_k: m.partition(x, k), R(14))

# ---- joining and splitting -----------------------------------------------------------------
_C = R(5, 6, 4)
add("concatenate", "axis 0", lambda m, x: m.concatenate((_C, x, _C)), R(5, 6, 4))
add("concatenate", "axis 1 unnamed", lambda m, x: m.concatenate((_C, x, _C), 1), R(5, 6, 4))
add("stack", "axis 1", lambda m, a, b: m.stack([a, b], axis=1), R(3, 2), R(3, 2), argnums=(0, 1))
add("hstack", "matrices", lambda m, a, b: m.hstack([a, b]), R(3, 2), R(3, 1), argnums=(0, 1))
add("vstack", "vectors", lambda m, a, b: m.vstack([a, b]), R(3), R(3), argnums=(0, 1))
add("column_stack", "vector and matrix", lambda m, a, b: m.column_stack([a, b]), R(3), R(3, 2), argnums=(0, 1))  # fmt: skip
add("append", "flattened", lambda m, a, b: m.append(a, b), R(3), 4.0, argnums=(0, 1))
add("append", "axis 0", lambda m, a, b: m.append(a, b, axis=0), R(2, 3), R(1, 3), argnums=(0, 1))
add("split", "first of two", lambda m, x: m.split(x, 2)[0], R(10))
add("split", "at indices, axis 1", lambda m, x: m.split(x, [1, 3], axis=1)[1], R(2, 5))
add("array_split", "3 uneven", lambda m, x: m.array_split(x, 3)[2] * 2.0, R(7))
add("hsplit", "(3,4) in 2", lambda m, x: m.hsplit(x, 2)[1], R(3, 4))
add("vsplit", "(4,3) in 2", lambda m, x: m.vsplit(x, 2)[0], R(4, 3))
add("dsplit", "(2,2,4) in 2", lambda m, x: m.dsplit(x, 2)[1], R(2, 2, 4))


def _array_of(m: Any) -> Callable[[Any], Any]:
    """np.array of a nested list of tensors: calcml.autodiff.array (NumPy's np.array cannot
    return a Tensor) against autograd's np.array."""
    if m is np:
        from calcml import autodiff as ad

        return ad.array
    return m.array


add("array", "1-D of scalars", lambda m, x: _array_of(m)([x, x * 1.0, x + 2.5]), 3.0)
add("array", "2-D of scalars", lambda m, x: _array_of(m)([[x, x * 1.0, x + 2.5], [x**2, x, x / 2.0]]), 3.0)  # fmt: skip
add("array", "of arrays", lambda m, x: _array_of(m)([[2 * x, x + 1], [x, x]]), R(3, 2))
add("index", "ints", lambda m, x: x[3, 0, 1], R(5, 6, 4))
add("index", "slices", lambda m, x: x[::-1, 2:4, :], R(5, 6, 4))
add("index", "lists", lambda m, x: x[[0, 1, 2], :, :], R(5, 6, 4))
add("index", "mixed", lambda m, x: x[3, 2:, [1, 3]], R(5, 6, 4))
add("index", "repeated", lambda m, x: m.sum(x[[0, 1, 0]]), R(3))
add("index", "dot of slices", lambda m, x: m.dot(x[:2], x[2:]), R(4))
add("sum", "builtin sum of a list", lambda m, a, b: sum([a, b]), R(3, 2), R(3, 2), argnums=(0, 1))

# ---- linear algebra (autograd's test_linalg) -----------------------------------------------
add("linalg.inv", "(3,3)", lambda m, a: m.linalg.inv(a), spd(3) + R(3, 3))
add("linalg.inv", "stack (2,3,3)", lambda m, a: m.linalg.inv(a), np.stack([spd(3), spd(3)]))
add("linalg.det", "(3,3)", lambda m, a: m.linalg.det(a), R(3, 3) + 2 * np.eye(3))
add("linalg.det", "stack (2,3,3)", lambda m, a: m.linalg.det(a), np.stack([spd(3), spd(3)]) * 0.3)
add("linalg.slogdet", "(3,3)", lambda m, a: m.linalg.slogdet(a)[1], R(3, 3) + 2 * np.eye(3))
add("linalg.slogdet", "negative det", lambda m, a: m.linalg.slogdet(a)[1], -spd(3))
add("linalg.solve", "vector b", lambda m, a, b: m.linalg.solve(a, b), spd(3) + R(3, 3), R(3), argnums=(0, 1))  # fmt: skip
add("linalg.solve", "matrix b", lambda m, a, b: m.linalg.solve(a, b), spd(3) + R(3, 3), R(3, 2), argnums=(0, 1))  # fmt: skip
for _ord in [None, 1, 2, 3, np.inf, -np.inf]:
    add("linalg.norm", f"vector ord={_ord}", lambda m, x, o=_ord: m.linalg.norm(x, ord=o), away(5), ref=_ord in (None, 2, 3))  # fmt: skip
for _ord in [None, "fro", 1, -1, np.inf, -np.inf]:
    add("linalg.norm", f"matrix ord={_ord}", lambda m, x, o=_ord: m.linalg.norm(x, ord=o), away(3, 4), ref=_ord in (None, "fro"))  # fmt: skip
add("linalg.norm", "axis=1 keepdims", lambda m, x: m.linalg.norm(x, axis=1, keepdims=True), away(3, 4), ref=False)  # fmt: skip
add("linalg.norm", "axis=(0, 2) fro", lambda m, x: m.linalg.norm(x, axis=(0, 2)), away(2, 3, 4))


def functions() -> list[str]:
    """The distinct functions the cases differentiate."""
    return sorted({c.function for c in CASES})
