"""Matrix expressions: small frozen records with a shape, built through canonicalising constructors.

Every node has a 2-D shape (rows, cols) whose entries are dimension names ("n", "d") or 1: a
scalar is 1×1, a column vector n×1 (the CS229/d2l convention), a row vector 1×n. Elementwise
arithmetic is one node, `EMap`: a SymPy expression in the placeholders u0, u1, ... applied entry by
entry to its arguments (scalars broadcast), so that elementwise algebra is scalar algebra.

The constructors (`add`, `scale`, `matmul`, `transpose`, `emap`, ...) check shapes (raising
`ShapeError` naming both shapes) and keep results in one canonical form: scalars pulled to the
front, transposes pushed to the leaves, like terms collected, common factors taken out.

>>> X, w = Var("X", "n", "d"), Var("w", "d", 1)
>>> matmul(X, w).shape
('n', 1)
>>> transpose(matmul(X, w)) == matmul(transpose(w), transpose(X))
True
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import sympy as sp

from calcml.errors import ShapeError, UnsupportedError

Dim = str | int
Shape = tuple[Dim, Dim]
SCALAR: Shape = (1, 1)
MAX_ARGS = 32  # placeholders an elementwise map may hold

U = tuple(sp.Symbol(f"u{i}", real=True) for i in range(MAX_ARGS))


class DimMismatch(ShapeError):
    """Two shapes that do not fit; `pairs` lists the dimensions that differ (for inference)."""

    def __init__(self, message: str, pairs: list[tuple[Dim, Dim]]) -> None:
        super().__init__(message)
        self.pairs = pairs


def mismatch(message: str, s1: Shape, s2: Shape) -> DimMismatch:
    return DimMismatch(message, [(a, b) for a, b in zip(s1, s2, strict=True) if a != b])


class Node:
    """Base of matrix-expression nodes; subclasses are frozen dataclasses (hashable, comparable)."""

    @property
    def shape(self) -> Shape:
        raise NotImplementedError

    @property
    def children(self) -> tuple[Node, ...]:
        return ()

    @cached_property
    def variables(self) -> frozenset[str]:
        """Names of the variables this expression depends on."""
        out: set[str] = set()
        for child in self.children:
            out |= child.variables
        return frozenset(out)

    def depends_on(self, name: str) -> bool:
        return name in self.variables

    def is_scalar(self) -> bool:
        return self.shape == SCALAR


@dataclass(frozen=True, eq=True)
class Var(Node):
    """A declared variable; a scalar is 1×1, a vector n×1, a matrix m×n."""

    name: str
    rows: Dim
    cols: Dim
    simplex: bool = False  # declared one-hot / probability rows: each row sums to 1

    @property
    def shape(self) -> Shape:
        return (self.rows, self.cols)

    @cached_property
    def variables(self) -> frozenset[str]:
        return frozenset({self.name})


@dataclass(frozen=True)
class Const(Node):
    """A scalar constant: a number or an expression in dimension names (1/n, √d)."""

    value: sp.Expr

    @property
    def shape(self) -> Shape:
        return SCALAR


@dataclass(frozen=True)
class Ones(Node):
    """The all-ones matrix (a vector 1 when cols == 1)."""

    rows: Dim
    cols: Dim = 1

    @property
    def shape(self) -> Shape:
        return (self.rows, self.cols)


@dataclass(frozen=True)
class Eye(Node):
    """The identity matrix I of size n."""

    n: Dim

    @property
    def shape(self) -> Shape:
        return (self.n, self.n)


@dataclass(frozen=True)
class Zero(Node):
    rows: Dim
    cols: Dim

    @property
    def shape(self) -> Shape:
        return (self.rows, self.cols)


@dataclass(frozen=True)
class Add(Node):
    terms: tuple[Node, ...]

    @property
    def shape(self) -> Shape:
        return self.terms[0].shape

    @property
    def children(self) -> tuple[Node, ...]:
        return self.terms


@dataclass(frozen=True)
class Scale(Node):
    """A scalar expression `c` times a vector or matrix `x`."""

    c: Node
    x: Node

    @property
    def shape(self) -> Shape:
        return self.x.shape

    @property
    def children(self) -> tuple[Node, ...]:
        return (self.c, self.x)


@dataclass(frozen=True)
class MatMul(Node):
    a: Node
    b: Node

    @property
    def shape(self) -> Shape:
        return (self.a.shape[0], self.b.shape[1])

    @property
    def children(self) -> tuple[Node, ...]:
        return (self.a, self.b)


@dataclass(frozen=True)
class T(Node):
    x: Node

    @property
    def shape(self) -> Shape:
        return (self.x.shape[1], self.x.shape[0])

    @property
    def children(self) -> tuple[Node, ...]:
        return (self.x,)


@dataclass(frozen=True)
class EMap(Node):
    """fn(u0, u1, ...) applied entry by entry to `args` (1×1 arguments broadcast)."""

    fn: sp.Expr
    args: tuple[Node, ...]

    @property
    def shape(self) -> Shape:
        for arg in self.args:
            if not arg.is_scalar():
                return arg.shape
        return SCALAR

    @property
    def children(self) -> tuple[Node, ...]:
        return self.args


@dataclass(frozen=True)
class Unary(Node):
    """A named matrix function of one argument (sum, trace, inverse, softmax ...)."""

    op: str
    x: Node

    @property
    def shape(self) -> Shape:
        return UNARY_SHAPES[self.op](self.x.shape)

    @property
    def children(self) -> tuple[Node, ...]:
        return (self.x,)


def _square(s: Shape, op: str) -> Shape:
    if s[0] != s[1]:
        raise DimMismatch(f"{op} needs a square matrix, got {shape_text(s)}", [(s[0], s[1])])
    return s


def _diag_shape(s: Shape) -> Shape:
    if s[1] == 1:
        return (s[0], s[0])
    return (_square(s, "diag")[0], 1)


def _row_reduce(s: Shape) -> Shape:
    return SCALAR if s[1] == 1 else (s[0], 1)


# op -> the shape of op(x) from the shape of x. Softmax and logsumexp act on a column vector, or
# on each row of a matrix (rows are examples).
UNARY_SHAPES = {
    "sum": lambda s: SCALAR,
    "sqnorm": lambda s: SCALAR,
    "trace": lambda s: (_square(s, "trace"), SCALAR)[1],
    "logdet": lambda s: (_square(s, "log det"), SCALAR)[1],
    "inv": lambda s: _square(s, "inverse"),
    "diag": _diag_shape,
    "softmax": lambda s: s,
    "logsumexp": _row_reduce,
}


def shape_text(s: Shape) -> str:
    """'n×d', 'd' for a column vector, '1×d' for a row, 'scalar'."""
    if s == SCALAR:
        return "scalar"
    if s[1] == 1:
        return f"{s[0]} (column)"
    return f"{s[0]}×{s[1]}"


def dim_size(d: Dim) -> sp.Expr:
    return sp.Integer(d) if isinstance(d, int) else sp.Symbol(d, positive=True, integer=True)


# ---------------------------------------------------------------- canonicalising constructors


def const(value: object) -> Const:
    if isinstance(value, sp.Expr):
        return Const(value)
    if isinstance(value, int):
        return Const(sp.Integer(value))
    raise TypeError(f"not a SymPy constant: {value!r}")


ONE = Const(sp.Integer(1))


def zero(shape: Shape) -> Node:
    return Const(sp.Integer(0)) if shape == SCALAR else Zero(*shape)


def is_zero(x: Node) -> bool:
    return isinstance(x, Zero) or (isinstance(x, Const) and x.value == 0)


def split_coeff(x: Node) -> tuple[sp.Expr, Node]:
    """x = c·core with c a constant (1 when there is none)."""
    if isinstance(x, Scale) and isinstance(x.c, Const):
        return x.c.value, x.x
    if isinstance(x, Const):
        return x.value, ONE
    return sp.Integer(1), x


def _factors(x: Node) -> list[Node]:
    if isinstance(x, MatMul):
        return _factors(x.a) + _factors(x.b)
    return [x]


def _chain(factors: list[Node]) -> Node:
    out = factors[0]
    for f in factors[1:]:
        out = matmul(out, f)
    return out


def add(*terms: Node) -> Node:
    """Sum with like terms collected and a common left or right factor taken out."""
    flat: list[Node] = []
    for t in terms:
        flat.extend(t.terms if isinstance(t, Add) else [t])
    shape = flat[0].shape
    for t in flat[1:]:
        if t.shape != shape:
            raise mismatch(
                f"cannot add {shape_text(shape)} and {shape_text(t.shape)}: shapes must agree",
                shape,
                t.shape,
            )
    coeffs: dict[Node, sp.Expr] = {}
    for t in flat:
        c, core = split_coeff(t)
        coeffs[core] = coeffs.get(core, sp.Integer(0)) + c
    items = [(core, sp.factor_terms(c)) for core, c in coeffs.items() if c != 0]
    items = [(core, c) for core, c in items if not is_zero(core)]
    if not items:
        return zero(shape)
    emaps: list[tuple[Node, sp.Expr]] = [(core, c) for core, c in items if isinstance(core, EMap)]
    if len(emaps) >= 2:
        merged = _merge_emaps(emaps)
        rest = [(core, c) for core, c in items if not isinstance(core, EMap)]
        return add(merged, *(scale(const(c), core) for core, c in rest))
    nodes = [scale(const(c), core) for core, c in items]
    if len(nodes) == 1:
        return nodes[0]
    grouped = _group_scalar_factors(nodes)
    if grouped is not None:
        return grouped
    factored = _take_out_common(nodes)
    if factored is not None:
        return factored
    return Add(tuple(nodes))


def _group_scalar_factors(nodes: list[Node]) -> Node | None:
    """s·A + s·B → s·(A + B) for a scalar expression s."""
    seen: dict[Node, list[Node]] = {}
    for n in nodes:
        c, core = split_coeff(n)
        if isinstance(core, Scale):
            seen.setdefault(core.c, []).append(n)
    for factor, members in seen.items():
        if len(members) >= 2:
            inner = []
            for m in members:
                c, core = split_coeff(m)
                assert isinstance(core, Scale)
                inner.append(scale(Const(c), core.x))
            rest = [n for n in nodes if n not in members]
            return add(scale(factor, add(*inner)), *rest)
    return None


def _take_out_common(nodes: list[Node]) -> Node | None:
    """A·B + C·B → (A + C)·B and A·B + A·C → A·(B + C), for two terms sharing a factor."""
    for i in range(len(nodes)):
        for j in range(i + 1, len(nodes)):
            ci, xi = split_coeff(nodes[i])
            cj, xj = split_coeff(nodes[j])
            fi, fj = _factors(xi), _factors(xj)
            if len(fi) + len(fj) < 3:
                continue
            merged: Node | None = None
            if fi[-1] == fj[-1] and (len(fi) > 1 or len(fj) > 1):
                left = add(
                    scale(const(ci), _rest(fi[:-1], fi[-1], "left")),
                    scale(const(cj), _rest(fj[:-1], fj[-1], "left")),
                )
                merged = matmul(left, fi[-1])
            elif fi[0] == fj[0] and (len(fi) > 1 or len(fj) > 1):
                right = add(
                    scale(const(ci), _rest(fi[1:], fi[0], "right")),
                    scale(const(cj), _rest(fj[1:], fj[0], "right")),
                )
                merged = matmul(fi[0], right)
            if merged is not None:
                others = [n for k, n in enumerate(nodes) if k not in (i, j)]
                return add(merged, *others) if others else merged
    return None


def _rest(factors: list[Node], shared: Node, side: str) -> Node:
    if factors:
        return _chain(factors)
    n = shared.shape[0] if side == "left" else shared.shape[1]
    return ONE if n == 1 else Eye(n)


def _merge_emaps(items: list[tuple[Node, sp.Expr]]) -> Node:
    args: list[Node] = []
    fn = sp.Integer(0)
    for core, c in items:
        assert isinstance(core, EMap)
        fn += c * _rebase(core, args)
    return emap(fn, args)


def _rebase(m: EMap, args: list[Node]) -> sp.Expr:
    """m.fn with its placeholders renumbered into the shared argument list `args`."""
    sub = {}
    for i, a in enumerate(m.args):
        if a not in args:
            args.append(a)
        sub[U[i]] = U[args.index(a)]
    return m.fn.xreplace(sub)


def scale(c: Node, x: Node) -> Node:
    """c·x for a scalar expression c."""
    if not c.is_scalar():
        raise ShapeError(f"a scale factor must be a scalar, got {shape_text(c.shape)}")
    if is_zero(c) or is_zero(x):
        return zero(x.shape)
    if isinstance(c, Const) and c.value == 1:
        return x
    if x.is_scalar() and not isinstance(c, Const):
        return emap(U[0] * U[1], [c, x])
    if isinstance(c, Const) and isinstance(x, Const):
        return Const(c.value * x.value)
    if isinstance(c, Const) and isinstance(x, Scale) and isinstance(x.c, Const):
        return scale(Const(c.value * x.c.value), x.x)
    if isinstance(x, Scale) and isinstance(x.c, Const):  # keep the constant in front
        return scale(Const(x.c.value), scale(c, x.x))
    if isinstance(c, Scale):
        cc, core = split_coeff(c)
        return scale(Const(cc), scale(core, x))
    return Scale(c, x)


def matmul(a: Node, b: Node) -> Node:
    """Matrix product; a 1×1 factor becomes a scalar multiple."""
    if a.is_scalar() and not b.is_scalar() and b.shape[0] != 1:
        return scale(a, b)
    if b.is_scalar() and not a.is_scalar() and a.shape[1] != 1:
        return scale(b, a)
    if a.shape[1] != b.shape[0]:
        raise DimMismatch(
            f"cannot multiply {shape_text(a.shape)} by {shape_text(b.shape)}: "
            f"inner dimensions {a.shape[1]} and {b.shape[0]} differ",
            [(a.shape[1], b.shape[0])],
        )
    shape = (a.shape[0], b.shape[1])
    if is_zero(a) or is_zero(b):
        return zero(shape)
    if isinstance(a, Eye):
        return b
    if isinstance(b, Eye):
        return a
    if a.is_scalar() and b.is_scalar():
        return scale(a, b)
    if a.is_scalar():
        return scale(a, b)
    if b.is_scalar():
        return scale(b, a)
    ca, xa = split_coeff(a)
    cb, xb = split_coeff(b)
    if ca != 1 or cb != 1:
        return scale(Const(ca * cb), matmul(xa, xb))
    if isinstance(a, Scale):
        return scale(a.c, matmul(a.x, b))
    if isinstance(b, Scale):
        return scale(b.c, matmul(a, b.x))
    if isinstance(a, MatMul):  # right-nested chains: A(BC)
        return matmul(a.a, matmul(a.b, b))
    if isinstance(a, Var) and a.simplex and isinstance(b, Ones) and a.cols != 1:
        return Ones(a.rows, b.cols)  # each row of a one-hot / probability matrix sums to 1
    if isinstance(a, T) and isinstance(a.x, Ones) and isinstance(b, Var) and b.simplex:
        return Ones(a.x.cols, b.cols) if b.cols == 1 else MatMul(a, b)
    if isinstance(a, Ones) and isinstance(b, T) and isinstance(b.x, Ones) and a.cols == 1:
        return Ones(a.rows, b.x.rows)
    if isinstance(a, Unary) and a.op == "softmax" and isinstance(b, Ones):
        return Ones(a.shape[0], b.cols)  # each softmax row sums to 1
    if isinstance(a, T) and isinstance(a.x, Ones) and isinstance(b, Unary) and b.op == "softmax":
        return ONE if b.shape[1] == 1 else MatMul(a, b)
    if isinstance(a, Ones) and isinstance(b, Ones):
        return scale(Const(dim_size(a.cols)), Ones(a.rows, b.cols))
    if isinstance(a, T) and isinstance(a.x, Ones) and a.x.cols == 1 and b.shape[1] == 1:
        return unary("sum", b)  # 1ᵀv = sum(v)
    if isinstance(a, T) and isinstance(a.x, Ones) and isinstance(b, Ones):
        return scale(Const(dim_size(a.x.rows)), Ones(a.x.cols, b.cols))
    return MatMul(a, b)


def transpose(x: Node) -> Node:
    """xᵀ, pushed down to the leaves: (AB)ᵀ = BᵀAᵀ, (A + B)ᵀ = Aᵀ + Bᵀ."""
    if x.is_scalar():
        return x
    if isinstance(x, T):
        return x.x
    if isinstance(x, Zero):
        return Zero(x.cols, x.rows)
    if isinstance(x, Eye):
        return x
    if isinstance(x, Scale):
        return scale(x.c, transpose(x.x))
    if isinstance(x, Add):
        return add(*(transpose(t) for t in x.terms))
    if isinstance(x, MatMul):
        return matmul(transpose(x.b), transpose(x.a))
    if isinstance(x, Ones) and x.cols != 1:
        return Ones(x.cols, x.rows)
    if isinstance(x, Unary) and x.op == "diag" and x.x.shape[1] == 1:
        return x  # a diagonal matrix is symmetric
    return T(x)


def unary(op: str, x: Node) -> Node:
    """A named matrix function; shapes are checked by UNARY_SHAPES."""
    UNARY_SHAPES[op](x.shape)
    if op == "sum" and isinstance(x, Scale):
        return scale(x.c, unary("sum", x.x))
    if op == "trace" and isinstance(x, Scale):
        return scale(x.c, unary("trace", x.x))
    if op == "trace" and isinstance(x, Add):
        return add(*(unary("trace", t) for t in x.terms))
    if (
        op == "sum"
        and x.shape[1] == 1
        and ((isinstance(x, Var) and x.simplex) or (isinstance(x, Unary) and x.op == "softmax"))
    ):
        return Const(sp.Integer(1))
    if op in ("sum", "trace") and isinstance(x, Zero):
        return Const(sp.Integer(0))
    if op == "trace" and isinstance(x, Eye):
        return Const(dim_size(x.n))
    if op == "inv" and isinstance(x, Unary) and x.op == "inv":
        return x.x
    if op == "diag" and x.shape[1] == 1:
        c, core = split_coeff(x)
        if isinstance(core, Ones):
            return scale(Const(c), Eye(x.shape[0]))
    return Unary(op, x)


def emap(fn: sp.Expr, args: list[Node] | tuple[Node, ...]) -> Node:
    """fn(u0, u1, ...) entry by entry; nested maps, constants and ones are folded into fn."""
    if isinstance(fn, int):
        fn = sp.Integer(fn)
    shape = SCALAR
    for a in args:
        if not a.is_scalar():
            if shape != SCALAR and a.shape != shape:
                raise mismatch(
                    f"elementwise operation on {shape_text(shape)} and {shape_text(a.shape)}: "
                    "shapes must agree",
                    shape,
                    a.shape,
                )
            shape = a.shape
    new_args: list[Node] = []
    sub: dict[sp.Symbol, sp.Expr] = {}
    if len(args) > MAX_ARGS:
        raise UnsupportedError("too many arguments in one elementwise expression")
    for i, a in enumerate(args):
        sub[U[i]] = _inline(a, new_args)
    fn = _tidy(fn.xreplace(sub))
    used = [i for i in range(len(new_args)) if U[i] in fn.free_symbols]
    renumber = {U[i]: U[k] for k, i in enumerate(used)}
    fn = fn.xreplace(renumber)
    kept = [new_args[i] for i in used]
    if not kept:
        return scale(Const(fn), Ones(*shape)) if shape != SCALAR else Const(fn)
    coeff, core = fn.as_independent(*U[: len(kept)], as_Add=False)
    if _all_negative(core):
        coeff, core = -coeff, -core
    if len(kept) == 1 and core == U[0] and kept[0].shape == shape:
        return scale(Const(coeff), kept[0])
    node = EMap(core, tuple(kept))
    if node.shape != shape:  # all arguments were scalars broadcast to a shape
        return scale(node, Ones(*shape))
    return scale(Const(coeff), node) if coeff != 1 else node


def _inline(a: Node, new_args: list[Node]) -> sp.Expr:
    """The scalar expression standing for argument `a` inside an elementwise map."""
    if isinstance(a, Const):
        return a.value
    if isinstance(a, Ones) or (isinstance(a, T) and isinstance(a.x, Ones)):
        return sp.Integer(1)
    if isinstance(a, Zero):
        return sp.Integer(0)
    if isinstance(a, EMap):
        return _rebase(a, new_args)
    if isinstance(a, Scale) and isinstance(a.c, Const):
        return a.c.value * _inline(a.x, new_args)
    if a not in new_args:
        new_args.append(a)
    return U[new_args.index(a)]


def _all_negative(e: sp.Expr) -> bool:
    terms = e.args if e.is_Add else (e,)
    return all(t.could_extract_minus_sign() for t in terms)


def _tidy(fn: sp.Expr) -> sp.Expr:
    """Elementwise algebra is scalar algebra: cancel quotients, take out common factors."""
    divides = any(p.exp.is_negative and p.base.free_symbols & set(U) for p in fn.atoms(sp.Pow))
    if not divides:
        options = [sp.factor_terms(fn), sp.factor_terms(sp.expand(fn))]
        return min(options, key=lambda e: (sp.count_ops(e), len(str(e))))
    fn = sp.cancel(sp.together(fn))
    num, den = sp.fraction(fn)
    num = sp.factor_terms(sp.expand(num))
    return sp.factor_terms(num / den) if den != 1 else num


def walk(x: Node) -> list[Node]:
    """Distinct sub-expressions, children before parents (a topological order)."""
    seen: set[Node] = set()
    order: list[Node] = []
    stack: list[tuple[Node, bool]] = [(x, False)]
    while stack:
        node, done = stack.pop()
        if done:
            if node not in seen:
                seen.add(node)
                order.append(node)
            continue
        if node in seen:
            continue
        stack.append((node, True))
        stack.extend((c, False) for c in reversed(node.children) if c not in seen)
    return order
