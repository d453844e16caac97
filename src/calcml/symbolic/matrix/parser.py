"""Text → matrix expression, with declared shapes; its own LALR grammar (`grammar.lark`).

User text is never run as code: numbers become exact rationals through `fractions`, names
are looked up in the declared shapes, and calls in the table `CALLS`. Undeclared names get the
default shapes of `shapes.default_shape` (when defaults are allowed); their sizes are inferred by
unifying dimensions, re-reading the text until the shapes agree.

>>> from calcml.symbolic.matrix.render import m_text
>>> e, notes = parse_matrix("norm(X w - y)^2", {"X": ("n", "d"), "w": ("d", 1), "y": ("n", 1)})
>>> m_text(e), e.shape
('‖Xw − y‖²', (1, 1))
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

import sympy as sp
from lark import Lark, Token, Transformer, v_args
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedInput, VisitError

from calcml.errors import CalcmlError, ParseError, ShapeError, UnsupportedError
from calcml.expr.functions import relu, sigmoid, softplus
from calcml.symbolic.matrix.nodes import (
    SCALAR,
    Const,
    DimMismatch,
    Eye,
    Node,
    Ones,
    U,
    Var,
    dim_size,
    emap,
    matmul,
    scale,
    shape_text,
    transpose,
    unary,
)
from calcml.symbolic.matrix.shapes import default_shape, is_inferred, normalize_name

MAX_LENGTH = 2_000  # characters in one matrix expression
MAX_DEPTH = 200  # nesting of parentheses

ELEMENTWISE: dict[str, Callable[[sp.Expr], sp.Expr]] = {
    "sigmoid": sigmoid, "σ": sigmoid, "tanh": sp.tanh, "relu": relu, "ReLU": relu,
    "exp": sp.exp, "log": sp.log, "ln": sp.log, "softplus": softplus, "sqrt": sp.sqrt,
    "step": sp.Heaviside, "sin": sp.sin, "cos": sp.cos,
}  # fmt: skip
MATRIX_OPERATORS = re.compile(
    r"ᵀ|\^T(?![A-Za-z0-9_])|\^\{T\}|⊙|\.\*|‖|\|\||\bnorm\(|\btrace\(|\btr\(|\blogdet\b|"
    r"\blog\s*det\b|\bdiag\(|\bsoftmax\(|\blogsumexp\(|\binv\("
)


def has_matrix_operator(text: str) -> bool:
    """Whether text uses a vector/matrix operator (ᵀ, ^T, ⊙, .*, ‖·‖, trace, ...)."""
    return bool(MATRIX_OPERATORS.search(text))


@cache
def _lark() -> Lark:
    grammar = (Path(__file__).parent / "grammar.lark").read_text(encoding="utf-8")
    return Lark(grammar, parser="lalr", maybe_placeholders=False)


class _OnesRow:
    """`1ᵀ` before its size is known: the next factor fixes it."""


ONES_ROW = _OnesRow()


class _Juxt(list):  # type: ignore[type-arg]
    """'Xw' read as X w: a postfix (ᵀ, ⁻¹, ²) applies to the last name only."""


def _postfix(a: Any, op: Callable[[Any], Any]) -> Any:
    if isinstance(a, _Juxt):
        return _Juxt([*a[:-1], op(a[-1])])
    return op(a)


def _n(x: Any) -> Node:
    if isinstance(x, _Juxt):
        out: Any = x[0]
        for part in x[1:]:
            out = mul(out, part)
        return _n(out)
    if isinstance(x, _OnesRow):
        raise ParseError("1ᵀ must be followed by the vector it sums, as in 1ᵀv")
    return x  # type: ignore[no-any-return]


def mul(a: Any, b: Any) -> Node:
    """Juxtaposition or *: scalar multiple or matrix product."""
    if isinstance(a, _OnesRow):
        b = _n(b)
        return matmul(transpose(Ones(b.shape[0], 1)), b)
    a, b = _n(a), _n(b)
    if a.is_scalar():
        return scale(a, b)
    if b.is_scalar():
        return scale(b, a)
    return matmul(a, b)


def plus(a: Node, b: Node) -> Node:
    from calcml.symbolic.matrix.nodes import add

    if a.is_scalar() != b.is_scalar():  # 1 - y: a scalar broadcast over a vector
        return emap(U[0] + U[1], [a, b])
    return add(a, b)


def _power(base: Node, k: Node) -> Node:
    if not k.is_scalar():
        raise ShapeError(f"an exponent must be a scalar, got {shape_text(k.shape)}")
    if not base.is_scalar() and base.shape[0] != 1 and base.shape[1] != 1:
        raise UnsupportedError(
            "a power of a matrix is ambiguous: write A A for the matrix product or A .* A "
            "for the elementwise square"
        )
    return emap(U[0] ** U[1], [base, k])


def _sqnorm(x: Node) -> Node:
    return unary("sqnorm", x)


def _dot(a: Node, b: Node) -> Node:
    if a.shape != b.shape:
        raise ShapeError(f"inner product of {shape_text(a.shape)} and {shape_text(b.shape)}")
    if a.shape[1] == 1:
        return matmul(transpose(a), b)
    return unary("sum", emap(U[0] * U[1], [a, b]))


def _mean(x: Node) -> Node:
    return scale(Const(1 / (dim_size(x.shape[0]) * dim_size(x.shape[1]))), unary("sum", x))


def _det(x: Node) -> Node:
    raise UnsupportedError("det(X) alone is not supported; write log det(X) (or logdet(X))")


# name -> (number of arguments, builder)
CALLS: dict[str, tuple[int, Callable[..., Node]]] = {
    "sum": (1, lambda x: unary("sum", x)),
    "mean": (1, _mean),
    "trace": (1, lambda x: unary("trace", x)),
    "tr": (1, lambda x: unary("trace", x)),
    "diag": (1, lambda x: unary("diag", x)),
    "softmax": (1, lambda x: unary("softmax", x)),
    "logsumexp": (1, lambda x: unary("logsumexp", x)),
    "lse": (1, lambda x: unary("logsumexp", x)),
    "logdet": (1, lambda x: unary("logdet", x)),
    "det": (1, _det),
    "inv": (1, lambda x: unary("inv", x)),
    "norm": (1, lambda x: emap(sp.sqrt(U[0]), [_sqnorm(x)])),
    "dot": (2, _dot),
    "inner": (2, _dot),
    "transpose": (1, transpose),
}


@v_args(inline=True)
class _Build(Transformer):  # type: ignore[type-arg]
    def __init__(
        self,
        shapes: dict[str, tuple[Any, Any]],
        dims: set[str],
        defaults: bool,
        simplex: frozenset[str] = frozenset(),
    ):
        super().__init__()
        self.simplex = simplex
        self.shapes = shapes
        self.dims = dims
        self.defaults = defaults
        self.defaulted: dict[str, tuple[Any, Any]] = {}

    def number(self, tok: Token) -> Node:
        value = Fraction(str(tok))
        return Const(sp.Rational(value.numerator, value.denominator))

    def negnumber(self, _m: Token, tok: Token) -> Node:
        return scale(Const(sp.Integer(-1)), self.number(tok))

    def name(self, tok: Token) -> Node:
        name = normalize_name(str(tok))
        if name in self.shapes:
            return Var(name, *self.shapes[name], simplex=name in self.simplex)
        if name in self.dims:
            return Const(dim_size(name))
        split = self._split(name)
        if split is not None:
            return _Juxt(split)  # type: ignore[return-value]
        if name == "I":
            raise ParseError("write the identity as eye(n), with its size", column=tok.column)
        if not self.defaults:
            raise ParseError(f"{name} is not declared in the shapes", column=tok.column)
        shape = default_shape(name)
        self.shapes[name] = shape
        self.defaulted[name] = shape
        return Var(name, *shape)

    def _split(self, name: str) -> list[Node] | None:
        """'Xw' → X w when X and w are declared (textbook juxtaposition of one-letter names)."""
        known = [k for k in (*self.shapes, *self.dims) if name.startswith(k)]
        for k in sorted(known, key=len, reverse=True):
            rest = name[len(k) :]
            if not rest:
                continue
            tail = [self._known(rest)] if self._known(rest) is not None else self._split(rest)
            if tail is not None and all(t is not None for t in tail):
                head = self._known(k)
                assert head is not None
                return [head, *tail]  # type: ignore[list-item]
        return None

    def _known(self, name: str) -> Node | None:
        if name in self.shapes:
            return Var(name, *self.shapes[name], simplex=name in self.simplex)
        if name in self.dims:
            return Const(dim_size(name))
        return None

    def call(self, tok: Token, args: Any) -> Node:
        name = str(tok)
        values = [_n(a) for a in args.children if not isinstance(a, Token)]
        if name in ("ones", "eye"):
            return self._sized(name, args, tok)
        if name in ELEMENTWISE:
            if len(values) != 1:
                raise ParseError(f"{name} takes one argument", column=tok.column)
            return emap(ELEMENTWISE[name](U[0]), values)
        if name in CALLS:
            count, build = CALLS[name]
            if len(values) != count:
                raise ParseError(f"{name} takes {count} argument(s)", column=tok.column)
            return build(*values)
        if name in self.shapes or name in self.dims or not self.defaults:
            if len(values) != 1:
                return self._unknown(tok)
            return _Juxt([self.name(tok), values[0]])  # type: ignore[return-value]  # x (…)ᵀ
        return self._unknown(tok)

    def _unknown(self, tok: Token) -> Node:
        raise ParseError(f"unknown function {tok}", column=tok.column)

    def _sized(self, name: str, args: Any, tok: Token) -> Node:
        dims = []
        for a in args.children:
            if isinstance(a, Token):
                continue
            if isinstance(a, Const) and (a.value.is_Integer or a.value.is_Symbol):
                dims.append(int(a.value) if a.value.is_Integer else str(a.value))
            else:
                raise ParseError(f"{name}(…) takes dimension names or sizes", column=tok.column)
        if name == "eye" and len(dims) == 1:
            return Eye(dims[0])
        if name == "ones" and len(dims) in (1, 2):
            return Ones(dims[0], dims[1] if len(dims) == 2 else 1)
        raise ParseError(f"wrong number of sizes for {name}", column=tok.column)

    def norm(self, _o: Token, x: Any, _c: Token, *fro: Token) -> Node:
        return emap(sp.sqrt(U[0]), [_sqnorm(_n(x))])

    def add(self, a: Any, _op: Token, b: Any) -> Node:
        return plus(_n(a), _n(b))

    def sub(self, a: Any, _op: Token, b: Any) -> Node:
        return plus(_n(a), scale(Const(sp.Integer(-1)), _n(b)))

    def neg(self, _op: Token, a: Any) -> Node:
        return scale(Const(sp.Integer(-1)), _n(a))

    def mul(self, a: Any, *rest: Any) -> Node:
        a = a if isinstance(a, _OnesRow) else _n(a)
        return mul(a, _n(rest[-1]))

    def div(self, a: Any, _op: Token, b: Any) -> Node:
        a, b = _n(a), _n(b)
        if b.is_scalar():
            return scale(emap(1 / U[0], [b]), a)
        return emap(U[0] / U[1], [a, b])

    def hadamard(self, a: Any, _op: Token, b: Any) -> Node:
        return emap(U[0] * U[1], [_n(a), _n(b)])

    def ediv(self, a: Any, _op: Token, b: Any) -> Node:
        return emap(U[0] / U[1], [_n(a), _n(b)])

    def transpose(self, a: Any, _op: Token) -> Any:
        if isinstance(a, Const) and a.value == 1:
            return ONES_ROW
        return _postfix(a, lambda x: transpose(_n(x)))

    def inverse(self, a: Any, _op: Token) -> Any:
        def inv(x: Any) -> Node:
            x = _n(x)
            return emap(1 / U[0], [x]) if x.is_scalar() else unary("inv", x)

        return _postfix(a, inv)

    def square(self, a: Any, _op: Token) -> Any:
        return _postfix(a, lambda x: emap(U[0] ** 2, [_n(x)]))  # ² is elementwise, as NumPy **

    def epower(self, a: Any, _op: Token, k: Any) -> Any:
        k = _n(k)
        if not k.is_scalar():
            raise ShapeError(f"an exponent must be a scalar, got {shape_text(k.shape)}")
        return _postfix(a, lambda x: emap(U[0] ** U[1], [_n(x), k]))

    def power(self, a: Any, _op: Token, k: Any) -> Any:
        return _postfix(a, lambda x: _power(_n(x), _n(k)))

    def args(self, *items: Any) -> Any:
        from lark import Tree

        return Tree("args", list(items))


def _prescan(text: str) -> str:
    """‖…‖ and ||…|| → ⟦…⟧ (same columns); 'log det' → logdet; ' is refused."""
    text = unicodedata.normalize("NFC", text)
    if "'" in text or "′" in text:
        col = max(text.find("'"), text.find("′")) + 1
        raise ParseError(
            "' is prime notation, not a transpose: write xᵀ or x^T", column=col, text=text
        )
    text = re.sub(r"\blog\s*\(\s*det\s*\(", lambda m: "logdet((".ljust(len(m.group(0))), text)
    text = re.sub(r"\blog\s+det\b", lambda m: "logdet".ljust(len(m.group(0))), text)
    text = text.replace("||", "‖ ")
    out, opened = [], False
    for ch in text:
        if ch == "‖":
            out.append("⟧" if opened else "⟦")
            opened = not opened
        else:
            out.append(ch)
    if opened:
        raise ParseError("a norm ‖…‖ is not closed", text=text)
    return "".join(out)


def parse_matrix(
    text: str,
    shapes: dict[str, tuple[Any, Any]],
    defaults: bool = True,
    simplex: frozenset[str] = frozenset(),
) -> tuple[Node, list[str]]:
    """Parse `text` with the declared `shapes`; returns the expression and notes on defaults."""
    if not isinstance(text, str) or not text.strip():
        raise ParseError("empty expression")
    if len(text) > MAX_LENGTH:
        raise ParseError(f"the expression is longer than {MAX_LENGTH} characters")
    if text.count("(") > MAX_DEPTH:
        raise ParseError(f"more than {MAX_DEPTH} parentheses")
    scanned = _prescan(text)
    try:
        tree = _lark().parse(scanned)
    except UnexpectedCharacters as exc:
        pos = exc.pos_in_stream or 0
        raise ParseError(f"unexpected character {text[pos]!r}", exc.column, text) from None
    except UnexpectedInput as exc:
        tok = getattr(exc, "token", None)
        what = f"unexpected {str(tok)!r}" if tok is not None and str(tok) else "unexpected end"
        raise ParseError(what, getattr(exc, "column", 0), text) from None
    except LarkError as exc:
        raise ParseError(f"cannot read the expression ({type(exc).__name__})") from None
    dims = {d for s in shapes.values() for d in s if isinstance(d, str)}
    current = dict(shapes)
    defaulted: set[str] = set()
    for _ in range(4 * len(text) + 4):
        build = _Build(dict(current), dims, defaults, simplex)
        try:
            node = build.transform(tree)
        except VisitError as exc:
            err = exc.orig_exc
            defaulted |= set(build.defaulted)
            if isinstance(err, DimMismatch) and _unify(current, build.defaulted, err):
                continue
            if isinstance(err, CalcmlError):
                raise err from None
            raise
        defaulted |= set(build.defaulted)
        renamed = _rename_inferred(build.shapes)
        if renamed != build.shapes:
            current = renamed
            continue
        return _n(node), _notes(defaulted, build.shapes)
    raise ShapeError("the shapes could not be inferred; declare them with --shapes")


def _unify(current: dict[str, Any], defaulted: dict[str, Any], err: DimMismatch) -> bool:
    """Replace an inferred dimension by the one it must equal; False when both are declared."""
    for a, b in err.pairs:
        if is_inferred(b) and not is_inferred(a):
            a, b = b, a
        if not is_inferred(a):
            continue
        for name, shape in {**current, **defaulted}.items():
            current[name] = tuple(b if d == a else d for d in shape)
        return True
    return False


SPARE_DIMS = ("n", "d", "m", "k", "p", "q", "r", "s", "h")


def _rename_inferred(shapes: dict[str, Any]) -> dict[str, Any]:
    """Inferred sizes that stayed free get plain letters not used elsewhere (n, d, m, ...)."""
    used = {d for s in shapes.values() for d in s if not is_inferred(d)} | set(shapes)
    spare = [d for d in SPARE_DIMS if d not in used]
    spare += [f"k{i}" for i in range(1, 2 * len(shapes) + 3)]
    mapping: dict[Any, Any] = {}
    for shape in shapes.values():
        for d in shape:
            if is_inferred(d) and d not in mapping:
                mapping[d] = spare[len(mapping)]
    return {k: tuple(mapping.get(d, d) for d in s) for k, s in shapes.items()}


def _notes(defaulted: set[str], final: dict[str, Any]) -> list[str]:
    if not defaulted:
        return []
    parts = []
    for name in sorted(defaulted):
        shape = final[name]
        kind = "scalar" if shape == SCALAR else "vector" if shape[1] == 1 else "matrix"
        parts.append(f"{name}: {kind} {shape_text(shape)}")
    return [
        "shapes by convention (upper-case matrix, lower-case vector, Greek scalar; sizes "
        "inferred): " + ", ".join(parts)
    ]
