"""An equality check for the tests that shares no code with `calcml.symbolic.verify` (the product's
own checker must not be the reference it is tested against): SymPy's exact `expand` of the
difference when that is cheap, else evaluation with SymPy's evalf at 30 digits at seeded random
real points where both sides are real, every one of which must agree."""

from __future__ import annotations

import cmath
import random
from collections.abc import Sequence

import sympy as sp

DIGITS = 30
WANTED = 6  # points where both sides are real
AT_LEAST = 3  # fewer real points than this: not shown equal
TRIES = 60
RELATIVE = sp.Float(10) ** -20  # imaginary part treated as round-off
TOLERANCE = sp.Float(10) ** -12  # relative disagreement that makes two values different


def _real_value(e: sp.Expr, point: dict[sp.Symbol, sp.Float]) -> sp.Float | None:
    try:
        v = sp.N(e.xreplace(point), DIGITS)
    except (TypeError, ValueError, ZeroDivisionError, ArithmeticError, RecursionError):
        return None
    if v.has(sp.nan, sp.zoo, sp.oo, -sp.oo) or not v.is_number:
        return None
    re, im = v.as_real_imag()
    if not (re.is_Number and im.is_Number) or abs(im) > RELATIVE * (1 + abs(re)):
        return None
    return re  # type: ignore[no-any-return]


# functions whose value leaves the reals outside their real domain
_PARTIAL = (sp.log, sp.asin, sp.acos, sp.asec, sp.acsc, sp.acosh, sp.atanh, sp.acoth)


def _parts_leaving_the_reals(*es: sp.Expr) -> set[sp.Expr]:
    return {
        node
        for e in es
        for node in sp.preorder_traversal(e)
        if node.free_symbols
        and (isinstance(node, _PARTIAL) or (isinstance(node, sp.Pow) and not node.exp.is_integer))
    }


def same_function(
    a: sp.Expr, b: sp.Expr, variables: Sequence[sp.Symbol] = (), seed: int = 7
) -> bool:
    """True when a and b agree exactly (small difference expanding to 0) or at every sampled real
    point (at least AT_LEAST of them, at 30 digits)."""
    difference = a - b
    if difference == 0:
        return True
    if sp.count_ops(difference) < 60 and sp.expand(difference) == 0:
        return True
    if difference.has(sp.Sum):  # Σ over a symbolic range has no value at a point: SymPy decides
        return bool(sp.simplify(difference) == 0)
    syms = sorted(set(variables) | a.free_symbols | b.free_symbols, key=str)
    rng = random.Random(seed)
    guards = _parts_leaving_the_reals(a, b)
    agree = 0
    for _ in range(TRIES):
        if agree >= WANTED:
            break
        point = {s: sp.Float(rng.uniform(-3, 3), DIGITS) for s in syms}
        if any(_real_value(g, point) is None for g in guards):
            continue  # outside the real domain of a root, log, asin … of either side
        va = _real_value(a, point)
        vb = None if va is None else _real_value(b, point)
        if va is None or vb is None:
            continue
        if abs(va - vb) > TOLERANCE * (1 + abs(va) + abs(vb)):
            return False
        agree += 1
        if not syms:
            break
    if agree >= AT_LEAST or (agree > 0 and not syms):
        return True
    return agree == 0 and _agree_as_complex(a, b, syms, rng)


def _agree_as_complex(a: sp.Expr, b: sp.Expr, syms: list[sp.Symbol], rng: random.Random) -> bool:
    """For sides real nowhere (asin(5)/z …): equal as complex numbers at every sampled point."""
    agree = 0
    for _ in range(TRIES):
        if agree >= WANTED:
            break
        point = {s: sp.Float(rng.uniform(-3, 3), DIGITS) for s in syms}
        try:
            va, vb = (
                complex(sp.N(a.xreplace(point), DIGITS)),
                complex(sp.N(b.xreplace(point), DIGITS)),
            )
        except (TypeError, ValueError, ZeroDivisionError, ArithmeticError, OverflowError):
            continue
        if not all(map(cmath.isfinite, (va, vb))):
            continue
        if abs(va - vb) > 1e-12 * (1 + abs(va) + abs(vb)):
            return False
        agree += 1
    return agree >= AT_LEAST
