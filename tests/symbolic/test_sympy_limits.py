"""SymPy's own limit tests (the real-variable cases of sympy/series/tests/test_limits.py,
written into data/sympy_limits.json by make_sympy_limits.py): calcml decides each one SymPy
decides right, and is right where SymPy's value holds only over the complex numbers.

SymPy's expected values are not trusted as they stand: each is confirmed numerically first
(`sympy_reference.confirm`, mpmath/NumPy written in the tests)."""

from __future__ import annotations

import pytest
import sympy as sp
from sympy_reference import Case, confirm, load, real_values_approach

import calcml as cm
from calcml.symbolic.limit_result import DNE
from calcml.symbolic.limits import LimitDomainError

CASES = load()
SAFETY_NET = 60.0  # seconds: only a safety net (the answers count work, not time)


def _sides(case: Case) -> list[str]:
    if case.at in ("oo", "-oo"):
        return ["left"]
    return ["left", "right"] if case.side == "both" else [case.side]


def test_the_corpus_is_sympys_real_variable_suite() -> None:
    assert len(CASES) >= 120
    assert {c.sympy for c in CASES} >= {"oo", "-oo", "DNE"}
    assert sum(c.at in ("oo", "-oo") for c in CASES) >= 40


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_sympy_suite_limit(case: Case) -> None:
    verdicts = [confirm(case, side) for side in _sides(case)]
    assert "unconfirmed" not in verdicts, "the reference could not confirm SymPy's value"
    if "complex" in verdicts:
        # SymPy's value holds over the complex numbers; f has (almost) no real values here:
        # calcml must not claim it as a real limit
        try:
            r = cm.limit(case.expr, "x", case.at, side=case.side, time_limit=SAFETY_NET)
        except LimitDomainError:
            return
        if isinstance(r.value, sp.Expr):  # a value on the real part of the domain: check it
            assert all(real_values_approach(case, s, r.value) for s in _sides(case))
        return
    r = cm.limit(case.expr, "x", case.at, side=case.side, time_limit=SAFETY_NET)
    if case.sympy == "DNE":
        assert r.value == DNE, r.reason
    elif case.sympy in ("oo", "-oo"):
        assert r.value == (sp.oo if case.sympy == "oo" else -sp.oo), r.reason
    else:
        assert isinstance(r.value, sp.Expr) and r.value not in (sp.oo, -sp.oo), r.reason
        assert sp.simplify(r.value - cm.parse(case.sympy)) == 0
