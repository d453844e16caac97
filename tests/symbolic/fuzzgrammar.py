"""A seeded grammar of expressions for the differential fuzzer (test_differential_fuzz.py).

Each random tree is written three ways, none of them through calcml:
- `text`: what a user types (calcml's input syntax: cbrt, x^(2/5), σ as sigmoid, Greek names);
- `ref`: a SymPy expression built from the definitions (σ(u) = 1/(1 + e^(−u)), softplus(u) =
  log(1 + eᵘ), ReLU(u) = (u + |u|)/2, the real odd root sign(u)·|u|^(p/q)), for sympy.diff,
  sympy.series and sympy.limit;
- `value(point)`: the tree evaluated with mpmath, None outside the real domain or within
  `MARGIN` of a kink, pole or domain edge (so a reference derivative there is meaningful).

>>> import random
>>> t = tree(random.Random(1), ["x", "y"], depth=3)
>>> isinstance(t.text, str) and t.ref.free_symbols <= {sym("x"), sym("y")}
True
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import mpmath
import sympy as sp

MARGIN = mpmath.mpf("1e-3")
BIG = mpmath.mpf("1e8")

# what the user types for a variable -> the name SymPy's symbol has (calcml's vocabulary)
NAMES = {"x": "x", "y": "y", "θ": "theta", "theta": "theta", "λ": "lambda", "α": "alpha"}


def sym(name: str) -> sp.Symbol:
    return sp.Symbol(NAMES.get(name, name), real=True)


Value = Callable[[Mapping[str, mpmath.mpf]], "mpmath.mpf | None"]


@dataclass(frozen=True)
class Tree:
    text: str
    ref: sp.Expr
    value: Value
    smooth: bool  # no kink (|u|, ReLU, odd root at 0) anywhere in the tree


def _real(v: object) -> mpmath.mpf | None:
    if v is None or isinstance(v, mpmath.mpc) or not mpmath.isfinite(v) or abs(v) > BIG:
        return None
    return v  # type: ignore[return-value]


def _apply(f: Callable[[mpmath.mpf], object], guard: Callable[[mpmath.mpf], bool]) -> Callable:
    def value(u: mpmath.mpf | None) -> mpmath.mpf | None:
        if u is None or not guard(u):
            return None
        try:
            return _real(f(u))
        except (ValueError, ZeroDivisionError, OverflowError):
            return None

    return value


def _away(*edges: float) -> Callable[[mpmath.mpf], bool]:
    return lambda u: all(abs(u - e) > MARGIN for e in edges)


ANY = _away()
# name -> (text template, reference builder, mpmath function, domain guard, smooth)
FUNCTIONS: dict[str, tuple[str, Callable[[sp.Expr], sp.Expr], Callable, Callable, bool]] = {
    "exp": ("exp({})", sp.exp, mpmath.exp, lambda u: u < 15, True),
    "log": ("log({})", sp.log, mpmath.log, lambda u: u > MARGIN, True),
    "sin": ("sin({})", sp.sin, mpmath.sin, ANY, True),
    "cos": ("cos({})", sp.cos, mpmath.cos, ANY, True),
    "tan": ("tan({})", sp.tan, mpmath.tan, lambda u: abs(mpmath.cos(u)) > MARGIN, True),
    "sinh": ("sinh({})", sp.sinh, mpmath.sinh, lambda u: abs(u) < 15, True),
    "cosh": ("cosh({})", sp.cosh, mpmath.cosh, lambda u: abs(u) < 15, True),
    "tanh": ("tanh({})", sp.tanh, mpmath.tanh, ANY, True),
    "asin": ("asin({})", sp.asin, mpmath.asin, lambda u: abs(u) < 1 - MARGIN, True),
    "acos": ("acos({})", sp.acos, mpmath.acos, lambda u: abs(u) < 1 - MARGIN, True),
    "atan": ("atan({})", sp.atan, mpmath.atan, ANY, True),
    "asinh": ("asinh({})", sp.asinh, mpmath.asinh, ANY, True),
    "sqrt": ("sqrt({})", sp.sqrt, mpmath.sqrt, lambda u: u > MARGIN, True),
    "cbrt": (
        "cbrt({})",
        lambda u: sp.sign(u) * sp.Abs(u) ** sp.Rational(1, 3),
        lambda u: mpmath.sign(u) * mpmath.cbrt(abs(u)),
        _away(0),
        False,
    ),
    "abs": ("abs({})", sp.Abs, abs, _away(0), False),
    "sigmoid": (
        "sigmoid({})",
        lambda u: 1 / (1 + sp.exp(-u)),
        lambda u: 1 / (1 + mpmath.exp(-u)),
        ANY,
        True,
    ),
    "softplus": (
        "softplus({})",
        lambda u: sp.log(1 + sp.exp(u)),
        lambda u: mpmath.log(1 + mpmath.exp(u)),
        ANY,
        True,
    ),
    "relu": ("relu({})", lambda u: (u + sp.Abs(u)) / 2, lambda u: max(u, 0), _away(0), False),
}
SMOOTH_FUNCTIONS = [k for k, v in FUNCTIONS.items() if v[4]]

# p/q: q odd is the real root sign(u)^p·|u|^(p/q); q = 2 needs u > 0
ROOTS = ((1, 3), (2, 3), (1, 5), (4, 3), (-1, 3), (2, 5), (3, 2), (-1, 2))


def _root(p: int, q: int) -> tuple[Callable[[sp.Expr], sp.Expr], Callable, Callable]:
    r = sp.Rational(p, q)
    if q % 2 == 0:
        return (lambda u: u**r), (lambda u: u ** mpmath.mpf(r)), (lambda u: u > MARGIN)
    odd = p % 2 == 1

    def ref(u: sp.Expr) -> sp.Expr:
        return (sp.sign(u) if odd else 1) * sp.Abs(u) ** r

    def num(u: mpmath.mpf) -> mpmath.mpf:
        return (mpmath.sign(u) if odd else 1) * abs(u) ** (mpmath.mpf(p) / q)

    return ref, num, _away(0)


def leaf(rng: random.Random, names: Sequence[str]) -> Tree:
    if rng.random() < 0.75:
        name = rng.choice(list(names))
        s = sym(name)
        return Tree(name, s, lambda pt, n=s.name: pt[n], True)
    c = sp.Rational(rng.choice((-3, -2, -1, 1, 2, 3, 5)), rng.choice((1, 1, 1, 2, 3)))
    text = f"({c})" if (c < 0 or not c.is_Integer) else str(c)
    return Tree(text, c, lambda pt, c=c: mpmath.mpf(c.p) / c.q, True)


def tree(rng: random.Random, names: Sequence[str], depth: int, smooth_only: bool = False) -> Tree:
    """A random tree of nesting `depth` over the variables `names` (user spellings)."""
    if depth <= 0 or rng.random() < 0.12:
        return leaf(rng, names)
    roll = rng.random()
    if roll < 0.38:
        name = rng.choice(SMOOTH_FUNCTIONS if smooth_only else list(FUNCTIONS))
        template, ref, num, guard, smooth = FUNCTIONS[name]
        inner = tree(rng, names, depth - 1, smooth_only)
        f = _apply(num, guard)
        return Tree(
            template.format(inner.text),
            ref(inner.ref),
            lambda pt: f(inner.value(pt)),
            smooth and inner.smooth,
        )
    if roll < 0.52:
        inner = tree(rng, names, depth - 1, smooth_only)
        if rng.random() < 0.6 or smooth_only:
            k = rng.choice((-2, -1, 2, 2, 3, 4))
            f = _apply(lambda u, k=k: u**k, _away(0) if k < 0 else ANY)
            return Tree(
                f"({inner.text})^{k}", inner.ref**k, lambda pt: f(inner.value(pt)), inner.smooth
            )
        p, q = rng.choice(ROOTS)
        ref, num, guard = _root(p, q)
        f = _apply(num, guard)
        text = f"({inner.text})^({p}/{q})"
        return Tree(text, ref(inner.ref), lambda pt: f(inner.value(pt)), inner.smooth and q == 2)
    if roll < 0.58:  # a symbolic exponent over a positive base: (1 + u²)^v
        base, exp = (
            tree(rng, names, depth - 1, smooth_only),
            tree(rng, names, depth - 1, smooth_only),
        )

        def power(pt: Mapping[str, mpmath.mpf]) -> mpmath.mpf | None:
            u, v = base.value(pt), exp.value(pt)
            if u is None or v is None or abs(v) > 20:
                return None
            return _real((1 + u**2) ** v)

        return Tree(
            f"(1 + ({base.text})^2)^({exp.text})",
            (1 + base.ref**2) ** exp.ref,
            power,
            base.smooth and exp.smooth,
        )
    left, right = tree(rng, names, depth - 1, smooth_only), tree(rng, names, depth - 1, smooth_only)
    op = rng.choice("+-*/")
    ops: dict[str, Callable[[mpmath.mpf, mpmath.mpf], object]] = {
        "+": lambda a, b: a + b,
        "-": lambda a, b: a - b,
        "*": lambda a, b: a * b,
        "/": lambda a, b: a / b if abs(b) > MARGIN else None,
    }

    def combined(pt: Mapping[str, mpmath.mpf]) -> mpmath.mpf | None:
        a, b = left.value(pt), right.value(pt)
        return None if a is None or b is None else _real(ops[op](a, b))

    refs = {"+": sp.Add, "-": lambda a, b: a - b, "*": sp.Mul, "/": lambda a, b: a / b}
    return Tree(
        f"({left.text}) {op} ({right.text})",
        refs[op](left.ref, right.ref),
        combined,
        left.smooth and right.smooth,
    )


def draw(rng: random.Random, names: Sequence[str], depth: int, smooth_only: bool = False) -> Tree:
    """A tree that uses a variable, is not too large, and whose reference SymPy keeps finite."""
    for _ in range(200):
        t = tree(rng, names, depth, smooth_only)
        if t.ref.free_symbols and not t.ref.has(sp.zoo, sp.nan, sp.oo) and sp.count_ops(t.ref) < 45:
            return t
    raise RuntimeError("no expression drawn")  # pragma: no cover


def points(
    t: Tree, names: Sequence[str], rng: random.Random, wanted: int, scale: float = 2.5
) -> list[dict[str, mpmath.mpf]]:
    """Up to `wanted` random points (symbol name -> mpf) where t is real and away from edges."""
    out: list[dict[str, mpmath.mpf]] = []
    keys = sorted({sym(n).name for n in names})
    for _ in range(60 * wanted):
        if len(out) >= wanted:
            break
        pt = {k: mpmath.mpf(rng.uniform(-scale, scale)) for k in keys}
        if t.value(pt) is not None:
            out.append(pt)
    return out
