"""≥ 1,000 seeded random expressions: each derivation equals sympy.diff, every step is sound.

1,200 from the default generator (30 batches × 40) and 150 from its extended mode.
"""

from __future__ import annotations

import pytest
import sympy as sp
from independent import same_function
from treecheck import tree_problems

from calcml.symbolic import derive
from calcml.symbolic.derive import derivation, variables_of
from randexpr import random_exprs

BATCHES = [(seed, nvars) for seed in range(10) for nvars in (1, 2, 3)]
PER_BATCH = 40  # 30 batches × 40 = 1,200 expressions


@pytest.mark.parametrize(("seed", "nvars"), BATCHES)
def test_random_derivations_equal_sympy_and_every_step_is_sound(seed: int, nvars: int) -> None:
    for expr in random_exprs(seed=1000 + seed, n=PER_BATCH, nvars=nvars, depth=3):
        for var in variables_of(expr):
            d = derivation(expr, var, alternative=True)
            assert same_function(d.result, sp.diff(expr, var), variables_of(expr)), expr
            assert d.verified.startswith("checked against sympy.diff"), d.verified
            problems = tree_problems(d)
            assert not problems, (expr, var, problems)


def test_random_single_variable_derive_without_wrt() -> None:
    for expr in random_exprs(seed=77, n=30, nvars=1, depth=3):
        d = derive(expr)
        assert d.wrt == (sp.Symbol("x", real=True),)
        assert same_function(d.result, sp.diff(expr, d.wrt[0]), d.wrt)


@pytest.mark.parametrize("seed", range(6))
def test_random_extended_expressions_max_min_powers_and_more_trig(seed: int) -> None:
    """cot/sec/csc, acos/acot, asinh/atanh, log base 2, 2^u, max, min and f^g."""
    for expr in random_exprs(seed=5000 + seed, n=25, nvars=2, depth=3, extended=True):
        for var in variables_of(expr):
            d = derivation(expr, var, alternative=True)
            assert same_function(d.result, sp.diff(expr, var), variables_of(expr)), expr
            problems = tree_problems(d)
            assert not problems, (expr, var, problems)
