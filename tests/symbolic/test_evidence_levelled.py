"""Values that level off at a number are never evidence of divergence (fuzz seed 2034).

A teacher step once answered −∞ for (x·atan x − x²)/(x² − softplus x) at ∞ (SymPy's limit of a
component was wrong), and the evidence "agreed": the values rise monotonically toward −1, which
`_diverges` read as growth. The references here are the functions' own closed forms.
"""

from __future__ import annotations

import random

import pytest
import sympy as sp

import calcml as cm
from calcml.symbolic.evidence import gather

x = sp.Symbol("x", real=True)


def levelling(seed: int) -> tuple[sp.Expr, sp.Expr]:
    """L + c·g(x) with g → 0 at +∞ monotonically (from either side): its limit is L."""
    rng = random.Random(seed)
    level = sp.Rational(rng.randint(-9, 9), rng.randint(1, 4))
    c = sp.Rational(rng.choice([-3, -2, -1, 1, 2, 3]), rng.randint(1, 3))
    g = rng.choice(
        [1 / x, 1 / x**2, 1 / sp.sqrt(x), sp.exp(-x), sp.pi / 2 - sp.atan(x), 1 / (x + sp.log(x))]
    )
    return level + c * g, level


def unbounded(seed: int) -> tuple[sp.Expr, sp.Expr]:
    """a·g(x) + b with g → +∞ slowly (log, log log, a small root): its limit is sign(a)·∞."""
    rng = random.Random(seed)
    a = sp.Rational(rng.choice([-2, -1, 1, 2]), rng.randint(1, 3))
    g = rng.choice([sp.log(x), sp.log(sp.log(x)), x ** sp.Rational(1, 50), sp.sqrt(x)])
    return a * g + rng.randint(-5, 5), sp.oo if a > 0 else -sp.oo


@pytest.mark.parametrize("seed", range(12))
def test_values_levelling_off_support_their_level_and_no_infinity(seed: int) -> None:
    f, level = levelling(seed)
    ev = gather(f, x, sp.oo, "-", seconds=None)
    assert ev.supports(level) is True, f
    assert ev.supports(sp.oo) is False, f
    assert ev.supports(-sp.oo) is False, f


@pytest.mark.parametrize("seed", range(8))
def test_slowly_unbounded_values_still_support_their_infinity(seed: int) -> None:
    f, infinity = unbounded(seed)
    ev = gather(f, x, sp.oo, "-", seconds=None)
    assert ev.supports(infinity) is True, f
    assert ev.supports(-infinity) is False, f


@pytest.mark.soak
@pytest.mark.parametrize(("a", "b", "k"), [(1, 1, 1), (2, 3, 1), (1, 1, 2), (3, 2, 3)])
def test_a_wrong_component_limit_does_not_make_the_answer_infinite(a: int, b: int, k: int) -> None:
    f = f"(x*atan(x) - {a}*x^2)/({b}*x^2 - softplus({k}*x))"
    reference = sp.limit(
        (x * sp.atan(x) - a * x**2) / (b * x**2 - sp.log(1 + sp.exp(k * x))), x, sp.oo
    )
    assert reference == sp.Rational(-a, b)  # the leading terms: −a·x² / b·x²
    assert cm.limit(f, "x", "oo").value == reference
