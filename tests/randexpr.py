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
    rng: random.Random, variables: Sequence[sp.Symbol], depth: int, root: bool = False
) -> sp.Expr:
    if depth <= 0 or (not root and rng.random() < 0.15):
        return random_leaf(rng, variables)
    roll = rng.random()
    if roll < 0.4:
        return rng.choice(UNARY)(_node(rng, variables, depth - 1))
    if roll < 0.55:
        base = _node(rng, variables, depth - 1)
        power = rng.choice(INTEGER_POWERS) if rng.random() < 0.7 else rng.choice(RATIONAL_POWERS)
        return sp.Pow(base, power)
    left = _node(rng, variables, depth - 1)
    right = _node(rng, variables, depth - 1)
    op = rng.choice("+-*/")
    if op == "+":
        return left + right
    if op == "-":
        return left - right
    if op == "*":
        return left * right
    return left / right


def random_expr(rng: random.Random, variables: list[sp.Symbol], depth: int) -> sp.Expr:
    """One random expression of nesting depth at most `depth` that uses at least one variable.

    Degenerate draws (constants, ∞, NaN, or more than ~60 operations) are redrawn.
    """
    if not variables:
        raise ValueError("random_expr needs at least one variable")
    for _ in range(1000):
        expr = _node(rng, variables, depth, root=True)
        if not expr.free_symbols or expr.has(*_BAD):
            continue
        if sp.count_ops(expr) > 60:
            continue
        return expr
    raise RuntimeError("could not draw a non-degenerate expression")  # pragma: no cover


def random_exprs(seed: int, n: int, nvars: int = 1, depth: int = 3) -> list[sp.Expr]:
    """`n` random expressions in the real variables x, y, z (the first `nvars`), seeded.

    The same (seed, n, nvars, depth) always gives the same list.
    """
    if not 1 <= nvars <= len(VARIABLE_NAMES):
        raise ValueError(f"nvars must be between 1 and {len(VARIABLE_NAMES)}")
    rng = random.Random(seed)
    variables = [sp.Symbol(name, real=True) for name in VARIABLE_NAMES[:nvars]]
    return [random_expr(rng, variables, depth) for _ in range(n)]
