"""SymPy's own limit tests through calcml: the real-variable cases of sympy/series/tests/
test_limits.py, test_gruntz.py and test_demidovich.py (any variable name, SymPy's parameters
given values that satisfy their assumptions), written into data/sympy_limits.json by
make_sympy_limits.py.

Every case ends one of four ways, counted by `outcome` (`python tests/symbolic/
sympy_suite_report.py` prints the table):
- agree: calcml's value is SymPy's;
- sympy wrong: they differ, and the numbers (mpmath at 60 digits approaching the point)
  support calcml's value and not SymPy's; each such case is listed in SYMPY_WRONG with the proof;
- gave up: calcml says it cannot decide (allowed, but listed in GAVE_UP: a case calcml decides
  today must stay decided); 'safety net' when the request's safety net (seconds, so the
  machine's load) stopped it first: allowed, counted;
- wrong: anything else. There must be none.
Where f has no real values near the point (SymPy's value holds over the complex numbers)
calcml must not claim a real limit.
"""

from __future__ import annotations

import hashlib

import pytest
import sympy as sp
from sympy_reference import (
    Case,
    approaches,
    confirm,
    load,
    not_real_near,
    real_values_approach,
    skipped,
)

import calcml as cm
from calcml.errors import TimeLimitError
from calcml.expr import to_input
from calcml.symbolic.limit_result import DNE, UNDECIDED
from calcml.symbolic.limits import LimitDomainError

CASES = load()
SAFETY_NET = 60.0  # seconds: only a safety net (the answers count work, not time)

# case id -> why SymPy's value is wrong (the test re-proves it numerically each run)
SYMPY_WRONG: dict[str, str] = {}

# case id -> what stops calcml (a give-up is allowed, never a wrong value)
GAVE_UP: dict[str, str] = {
    "exp(exp(sqrt(log(log(x)))*log(log(log(x)))^3)*sqrt(log(x))*log(log(x))^2)*log(x)^2/sqrt(x)"
    " as x → oo (both)": "→ 0 only past x = 10^(10^k): no sample reaches the decay",
}


def _sides(case: Case) -> list[str]:
    if case.at in ("oo", "-oo"):
        return ["left"]
    return ["left", "right"] if case.side == "both" else [case.side]


def _shown(value: object) -> str:
    if value == DNE:
        return "DNE"
    if value in (sp.oo, -sp.oo):
        return str(value)
    return to_input(value)  # type: ignore[arg-type]


def _agree(value: object, sympy: str) -> bool:
    if sympy == "DNE":
        return value == DNE
    if sympy in ("oo", "-oo"):
        return value == (sp.oo if sympy == "oo" else -sp.oo)
    if not isinstance(value, sp.Expr) or value in (sp.oo, -sp.oo):
        return False
    return bool(sp.simplify(value - cm.parse(sympy)) == 0)


def outcome(case: Case) -> tuple[str, str]:
    """('agree' | 'complex' | 'sympy wrong' | 'gave up' | 'safety net' | 'wrong', what calcml
    said)."""
    if "complex" in [confirm(case, s) for s in _sides(case)]:
        # SymPy's value holds over the complex numbers; f has (almost) no real values here:
        # calcml must not claim it as a real limit
        try:
            r = cm.limit(case.expr, case.var, case.at, side=case.side, time_limit=SAFETY_NET)
        except LimitDomainError:
            return "complex", "no real values"
        if isinstance(r.value, sp.Expr):  # a value on the real part of the domain: check it
            ok = all(real_values_approach(case, s, r.value) for s in _sides(case))
            return ("complex" if ok else "wrong"), _shown(r.value)
        return "complex", str(r.value)
    try:
        r = cm.limit(case.expr, case.var, case.at, side=case.side, time_limit=SAFETY_NET)
    except TimeLimitError as error:  # the safety net, not an answer: depends on the load
        return "safety net", str(error)
    except LimitDomainError as error:  # right only where the numbers are not real
        real = not all(not_real_near(case, s) for s in _sides(case))
        return ("wrong" if real else "complex"), str(error)
    if r.value is UNDECIDED:
        return "gave up", r.reason
    said = _shown(r.value)
    if _agree(r.value, case.sympy):
        return "agree", said
    proof = [approaches(case, s, said) for s in _sides(case)]
    refuted = [approaches(case, s, case.sympy) for s in _sides(case)]
    if all(p == "confirmed" for p in proof) and "confirmed" not in refuted:
        return "sympy wrong", said
    return "wrong", f"calcml {said}, SymPy {case.sympy}; numbers: calcml {proof}, SymPy {refuted}"


def test_the_corpus_is_sympys_real_variable_suite() -> None:
    sources = {c.source.split("::")[0] for c in CASES}
    assert sources == {"test_limits.py", "test_gruntz.py", "test_demidovich.py"}
    assert len(CASES) >= 250
    assert {c.sympy for c in CASES} >= {"oo", "-oo", "DNE"}
    assert sum(c.at in ("oo", "-oo") for c in CASES) >= 80
    assert len({c.var for c in CASES}) >= 5  # not only x
    assert sum(bool(c.params) for c in CASES) >= 30  # SymPy's parameters, given values
    # every assertion left out says why
    assert all(s["reason"] for s in skipped())
    ids = {c.id for c in CASES}
    assert set(SYMPY_WRONG) <= ids and set(GAVE_UP) <= ids


# `make test` runs a fixed third of the cases of test_limits.py and test_demidovich.py (chosen by
# a hash of the case, so the same ones every run) minus those whose numeric reference alone takes
# many seconds; test_gruntz.py's towers (up to a minute each) and the rest run under `make soak`.
SLOW_REFERENCE = {
    "x + exp(-exp(x)) as x → oo (both)",
    "(x^(-x - 1)*(x^(x + 1) + (x + 1)^x))^x as x → oo (both)",
    "(1 + 1/(x^2 + cos(x)))^(x^2 + x) as x → oo (both)",
}


def _in_make_test(case: Case) -> bool:
    digest = hashlib.sha256(case.id.encode()).digest()
    return (
        digest[0] % 3 == 0
        and not case.source.startswith("test_gruntz.py")
        and case.id not in SLOW_REFERENCE
        and "5^(-5*x" not in case.expr
    )


@pytest.mark.parametrize(
    "case",
    [c if _in_make_test(c) else pytest.param(c, marks=pytest.mark.soak) for c in CASES],
    ids=lambda c: c.id,
)
def test_sympy_suite_limit(case: Case) -> None:
    kind, said = outcome(case)
    assert kind != "wrong", said
    if kind == "sympy wrong":
        assert case.id in SYMPY_WRONG, f"calcml {said} is supported, SymPy {case.sympy} is not"
    if kind == "gave up":
        assert case.id in GAVE_UP, f"calcml gave up on a case it decided before: {said}"
    if case.id in SYMPY_WRONG:
        assert kind == "sympy wrong", (kind, said)
