"""Is a learner's expression equal to the expected one? Symbolic first, then numeric.

Both sides are evaluated at random points of the domain (WeBWorK-style: several points, a
relative tolerance); a point where the expected answer is defined but the learner's is not is a
domain mismatch. The symbolic test is guarded (the difference is expanded and cancelled only
when it is small, so hostile input never reaches an expensive simplification); it confirms an
agreement as exact, or decides when too few points could be evaluated.

>>> from calcml.expr import parse, symbol
>>> x = symbol("x")
>>> compare(parse("sigmoid(x)(1 - sigmoid(x))"), parse("e^(-x)/(1 + e^(-x))^2"), [x]).equal
True
"""

from __future__ import annotations

import cmath
import random
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import sympy as sp

DEFAULT_DOMAIN = (-2.0, 2.0)
POINTS = 6
MIN_POINTS = 3
TRIES = 40
MAX_SYMBOLIC_OPS = 120
MAX_EXPANDED_POWER = 12


@dataclass
class Comparison:
    """The outcome: `how` is 'exact', 'numeric', 'different', 'domain' or 'undecided'.

    `point` is a witness (variable name -> value) for 'different' and 'domain', with the two
    values there.
    """

    equal: bool
    how: str
    point: dict[str, float] = field(default_factory=dict)
    given_value: complex | None = None
    expected_value: complex | None = None


def compare(
    given: sp.Expr,
    expected: sp.Expr,
    variables: Sequence[sp.Symbol] = (),
    domain: Mapping[str, tuple[float, float]] | None = None,
    tolerance: float = 1e-6,
    seed: int = 0,
) -> Comparison:
    """Compare two scalar expressions over the real domain of their variables.

    Cheap checks first: identical trees; then the numeric test, whose counterexample settles
    'different' at once; an agreement (or too few usable points) is then confirmed by the
    guarded symbolic test, which upgrades the verdict to 'exact' (or decides 'undecided').
    """
    if given == expected:
        return Comparison(True, "exact")
    found = numeric(given, expected, variables, domain or {}, tolerance, seed)
    if found.how in ("different", "domain"):
        return found
    difference = given - expected
    if difference == 0 or symbolically_zero(difference):
        return Comparison(True, "exact")
    return found


def symbolically_zero(e: sp.Expr) -> bool:
    """True when a cheap, guarded expand/cancel shows e == 0 (False means 'not shown')."""
    if not _small(e):
        return False
    expanded = sp.expand(e)
    if expanded == 0:
        return True
    if not _small(expanded):
        return False
    return bool(sp.cancel(sp.together(expanded)) == 0)


def _small(e: sp.Expr) -> bool:
    if sp.count_ops(e) > MAX_SYMBOLIC_OPS:
        return False
    for p in e.atoms(sp.Pow):
        exp = p.exp
        if exp.is_Integer and abs(int(exp)) > MAX_EXPANDED_POWER and p.base.is_Add:
            return False
        if not exp.is_number and p.base.is_Add:
            return False
    return True


def numeric(
    given: sp.Expr,
    expected: sp.Expr,
    variables: Sequence[sp.Symbol],
    domain: Mapping[str, tuple[float, float]],
    tolerance: float,
    seed: int = 0,
) -> Comparison:
    """Compare at random real points: equal within `tolerance` at all of them."""
    rng = random.Random(seed)
    syms = sorted(set(variables) | given.free_symbols | expected.free_symbols, key=str)
    at_expected, at_given = evaluator(expected, syms), evaluator(given, syms)
    checked = 0
    for _ in range(TRIES):
        if checked >= POINTS:
            break
        point = {s: _draw(rng, domain.get(str(s), DEFAULT_DOMAIN)) for s in syms}
        want = at_expected(point)
        if want is None or cmath.isinf(want):
            continue
        got = at_given(point)
        named = {str(s): float(v) for s, v in point.items()}
        if got is None:
            return Comparison(False, "domain", named, None, want)
        if not close(got, want, tolerance):
            return Comparison(False, "different", named, got, want)
        checked += 1
        if not syms:
            break
    if checked >= MIN_POINTS or (checked and not syms):
        return Comparison(True, "numeric")
    return Comparison(False, "undecided")


def close(a: complex, b: complex, tolerance: float) -> bool:
    """Relative closeness, with an absolute floor near zero."""
    return abs(a - b) <= tolerance * max(abs(a), abs(b)) + 1e-10


def evaluator(
    e: sp.Expr, syms: Sequence[sp.Symbol]
) -> Callable[[Mapping[sp.Symbol, sp.Float]], complex | None]:
    """Evaluate e at points: compiled to NumPy float64 first (fast, and a huge value is just inf,
    so hostile input like exp(exp(exp(x))) costs nothing), exact evalf where NumPy cannot."""
    compiled = _compile(e, tuple(syms))
    if compiled is None:  # an expression NumPy cannot print: evalf only
        return lambda point: value_at(e, point)

    def at(point: Mapping[sp.Symbol, sp.Float]) -> complex | None:
        args = [float(point[s]) for s in syms]
        try:
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                raw = compiled(*args)
            v = complex(raw)
        except (OverflowError, FloatingPointError):
            return complex(float("inf"), 0.0)
        except Exception:  # not numeric in NumPy (e.g. an unevaluated function): evalf
            return value_at(e, point)
        if cmath.isnan(v):
            return None
        if cmath.isinf(v):
            return complex(float("inf"), 0.0)
        if abs(v.imag) > 1e-9 * (1 + abs(v.real)):
            return None
        return complex(v.real, 0.0)

    return at


@lru_cache(maxsize=1024)
def _compile(e: sp.Expr, syms: tuple[sp.Symbol, ...]) -> Callable[..., Any] | None:
    """e compiled to a NumPy function of syms (cached: answers are compared many times)."""
    try:
        return sp.lambdify(list(syms), e, modules=["numpy"])  # type: ignore[no-any-return]
    except Exception:
        return None


def value_at(e: sp.Expr, point: Mapping[sp.Symbol, sp.Float]) -> complex | None:
    """The real value of e at the point (inf when too large), None where undefined or not real."""
    try:
        v = complex(e.evalf(17, subs=dict(point)))
    except OverflowError:
        return complex(float("inf"), 0.0)
    except (TypeError, ValueError, ZeroDivisionError, ArithmeticError):
        return None
    if cmath.isinf(v) and v.imag == 0:
        return v
    if cmath.isnan(v) or cmath.isinf(v) or abs(v.imag) > 1e-9 * (1 + abs(v.real)):
        return None
    return complex(v.real, 0.0)


def _draw(rng: random.Random, interval: tuple[float, float]) -> sp.Float:
    lo, hi = interval
    for _ in range(20):
        v = rng.uniform(lo, hi)
        if abs(v - round(v)) > 0.05:  # avoid integers, where kinks and poles live
            return sp.Float(v, 17)
    return sp.Float(rng.uniform(lo, hi), 17)
