"""calcml.expr.convert.as_expr: the one converter from a user's value to SymPy and its float
policy, checked against Python's own decimal reading of a float (fractions.Fraction) and SymPy's
Float, over many floats (hypothesis)."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

import calcml as cm
from calcml.errors import CalcmlError
from calcml.expr.convert import as_expr

FINITE = st.floats(allow_nan=False, allow_infinity=False)


@given(FINITE)
def test_a_float_is_the_decimal_it_prints_as_exactly(value: float) -> None:
    got = as_expr(value)
    assert isinstance(got, sp.Rational)
    assert Fraction(int(got.p), int(got.q)) == Fraction(repr(value))  # the printed decimal
    assert float(got) == value  # which reads back as the same float


@given(FINITE)
def test_exact_false_keeps_the_float(value: float) -> None:
    got = as_expr(value, exact=False)
    assert isinstance(got, sp.Float) and float(got) == value


@given(st.integers(min_value=-(10**30), max_value=10**30))
def test_integers_stay_integers(value: int) -> None:
    assert as_expr(value) == sp.Integer(value) and isinstance(as_expr(value), sp.Integer)


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
@pytest.mark.parametrize("exact", [True, False])
def test_nan_and_infinities_are_refused(value: float, exact: bool) -> None:
    with pytest.raises(CalcmlError, match="not a finite number"):
        as_expr(value, exact=exact)


@pytest.mark.parametrize("value", [True, [1, 2], None, {"x": 1}, b"x"])
def test_other_values_are_refused_with_a_parse_error(value: object) -> None:
    with pytest.raises(cm.ParseError, match="expected an expression"):
        as_expr(value)


def test_sympy_input_has_real_symbols_and_no_nan_or_zoo() -> None:
    x = sp.Symbol("x")
    got = as_expr(sp.sin(x) / x)
    assert got == cm.parse("sin(x)/x") and all(s.is_real for s in got.free_symbols)
    for undefined in (sp.nan, sp.zoo, x + sp.zoo):
        with pytest.raises(CalcmlError, match="undefined"):
            as_expr(undefined)
    with pytest.raises(CalcmlError, match="scalar expression"):
        as_expr(sp.Eq(x, 1))


def test_text_goes_through_the_parser() -> None:
    assert as_expr("x^2 + 0.5") == cm.parse("x^2 + 0.5")
    with pytest.raises(cm.ParseError):
        as_expr("__import__('os')")
