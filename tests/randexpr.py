"""Seeded random expressions for property tests (parser round trips, derivatives, autodiff).

Expressions are compositions of + − × ÷, integer and rational powers, exp, log, sin, cos, tan,
tanh, sinh, cosh, asin, atan, sqrt, abs, sigmoid, softplus and relu over 1–3 real variables.
They are kept moderate in size so that `sympy.diff` on each takes milliseconds.

>>> import random
>>> from calcml.expr import symbol
>>> e = random_expr(random.Random(0), [symbol("x")], depth=3)
>>> e.free_symbols <= {symbol("x")}
True
>>> len(random_exprs(seed=1, n=5, nvars=2, depth=3))
5

Import it from a test with `from randexpr import random_expr, random_exprs` once `tests/` is on
`sys.path` (tests/symbolic/conftest.py shows how).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

import sympy as sp

from calcml.expr.functions import relu, sigmoid, softplus

VARIABLE_NAMES = ("x", "y", "z")

UNARY: tuple[Callable[[sp.Expr], sp.Expr], ...] = (
    sp.exp,
    sp.log,
    sp.sin,
    sp.cos,
    sp.tan,
    sp.tanh,
    sp.sinh,
    sp.cosh,
    sp.asin,
    sp.atan,
    sp.sqrt,
    sp.Abs,
    sigmoid,
    softplus,
    relu,
)

# Opt-in (extended=True): the rest of what calcml.derive knows. Not every consumer supports these.
EXTENDED_UNARY: tuple[Callable[[sp.Expr], sp.Expr], ...] = (
    sp.cot,
    sp.sec,
    sp.csc,
    sp.acos,
    sp.acot,
    sp.asinh,
    sp.atanh,
    # leaky_relu is left out until leaky_relu._eval_is_real stops calling sp.fuzzy_and (which
    # SymPy does not export): any assumption query on a power of it raises AttributeError.
    lambda u: sp.log(u, 2),
    lambda u: sp.Integer(2) ** u,
)


def _binary_extended(rng: random.Random, left: sp.Expr, right: sp.Expr) -> sp.Expr:
    """max, min, or a variable power f^g (differentiated by logarithmic differentiation)."""
    pick = rng.choice(("max", "min", "pow"))
    if pick == "max":
        return sp.Max(left, right)
    if pick == "min":
        return sp.Min(left, right)
    return sp.Pow(left, right)


INTEGER_POWERS = (-3, -2, -1, 2, 2, 3, 4)
RATIONAL_POWERS = (sp.Rational(1, 2), sp.Rational(1, 3), sp.Rational(-1, 2), sp.Rational(3, 2))

_BAD = (sp.zoo, sp.nan, sp.oo, -sp.oo)


def random_leaf(rng: random.Random, variables: Sequence[sp.Symbol]) -> sp.Expr:
    """A variable (most often), a small integer, or a simple rational."""
    roll = rng.random()
    if roll < 0.7:
        return rng.choice(list(variables))
    if roll < 0.9:
        return sp.Integer(rng.choice([-3, -2, -1, 1, 2, 3, 5]))
    return sp.Rational(rng.choice([1, -1, 3]), rng.choice([2, 3, 4]))


def _node(
    rng: random.Random,
    variables: Sequence[sp.Symbol],
    depth: int,
    root: bool = False,
    extended: bool = False,
) -> sp.Expr:
    if depth <= 0 or (not root and rng.random() < 0.15):
        return random_leaf(rng, variables)
    roll = rng.random()
    if roll < 0.4:
        unary = UNARY + EXTENDED_UNARY if extended else UNARY
        return rng.choice(unary)(_node(rng, variables, depth - 1, extended=extended))
    if roll < 0.55:
        base = _node(rng, variables, depth - 1, extended=extended)
        power = rng.choice(INTEGER_POWERS) if rng.random() < 0.7 else rng.choice(RATIONAL_POWERS)
        return sp.Pow(base, power)
    left = _node(rng, variables, depth - 1, extended=extended)
    right = _node(rng, variables, depth - 1, extended=extended)
    if extended and rng.random() < 0.2:
        return _binary_extended(rng, left, right)
    op = rng.choice("+-*/")
    if op == "+":
        return left + right
    if op == "-":
        return left - right
    if op == "*":
        return left * right
    return left / right


def random_expr(
    rng: random.Random, variables: list[sp.Symbol], depth: int, extended: bool = False
) -> sp.Expr:
    """One random expression of nesting depth at most `depth` that uses at least one variable.

    Degenerate draws (constants, ∞, NaN, or more than ~60 operations) are redrawn.
    `extended=True` also draws cot, sec, csc, acos, acot, asinh, atanh, log base 2,
    2^u, max, min and f^g (the default draws stay the same for a given seed).
    """
    if not variables:
        raise ValueError("random_expr needs at least one variable")
    for _ in range(1000):
        try:
            expr = _node(rng, variables, depth, root=True, extended=extended)
        except (ValueError, TypeError):  # e.g. max of a non-real constant such as atanh(2)
            continue
        if not expr.free_symbols or expr.has(*_BAD) or (extended and expr.has(sp.I)):
            continue
        if sp.count_ops(expr) > 60:
            continue
        return expr
    raise RuntimeError("could not draw a non-degenerate expression")  # pragma: no cover


def random_exprs(
    seed: int, n: int, nvars: int = 1, depth: int = 3, extended: bool = False
) -> list[sp.Expr]:
    """`n` random expressions in the real variables x, y, z (the first `nvars`), seeded.

    The same (seed, n, nvars, depth) always gives the same list.
    """
    if not 1 <= nvars <= len(VARIABLE_NAMES):
        raise ValueError(f"nvars must be between 1 and {len(VARIABLE_NAMES)}")
    rng = random.Random(seed)
    variables = [sp.Symbol(name, real=True) for name in VARIABLE_NAMES[:nvars]]
    return [random_expr(rng, variables, depth, extended) for _ in range(n)]
