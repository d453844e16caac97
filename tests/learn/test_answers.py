"""Reading answers (vectors, matrices, choices, left-hand sides) and the equivalence check."""

from __future__ import annotations

import pytest
import sympy as sp

from calcml.errors import ParseError
from calcml.expr import parse, symbol
from calcml.learn.answers import format_answer, read_answer, read_rows
from calcml.learn.equivalence import compare

x, y = symbol("x"), symbol("y")


@pytest.mark.parametrize(
    ("text", "rows"),
    [
        ("[1, 2]", [[1, 2]]),
        ("(1, 2)", [[1, 2]]),
        ("1, 2", [[1, 2]]),
        ("[[1, 2], [3, 4]]", [[1, 2], [3, 4]]),
        ("[1, 2; 3, 4]", [[1, 2], [3, 4]]),
        ("[max(1, 2), 3]", [[2, 3]]),
        ("[(1+2)*3, sin(0)]", [[9, 0]]),
    ],
)
def test_read_rows(text: str, rows: list[list[int]]) -> None:
    assert read_rows(text) == [[sp.Integer(v) for v in row] for row in rows]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("[1, , 2]", "empty"),
        ("[1, 2", "unbalanced"),
        ("[1, 2]]", "unbalanced"),
        ("[[1], 2]", "mix"),
    ],
)
def test_bad_lists(text: str, fragment: str) -> None:
    with pytest.raises(ParseError, match=fragment):
        read_answer(text, "vector")


def test_round_trip_of_every_kind() -> None:
    values = [
        (parse("sigmoid(x)(1 - sigmoid(x))"), "expression"),
        (sp.Rational(-3, 7), "number"),
        (sp.Matrix([2 * x, y**2]), "vector"),
        (sp.Matrix([[1, x], [y, 2]]), "matrix"),
    ]
    for value, kind in values:
        assert read_answer(format_answer(value, kind), kind) == value


def test_row_vector_stays_a_row() -> None:
    assert read_answer("[[1, 2]]", "vector").shape == (1, 2)
    assert read_answer("[[1], [2]]", "vector").shape == (2, 1)


def test_too_many_entries() -> None:
    with pytest.raises(ParseError, match="too many"):
        read_answer("[" + ", ".join(["1"] * 100) + "]", "vector")


def test_compare_reports_how_and_where() -> None:
    assert compare(parse("(x+1)^2"), parse("x^2+2x+1"), [x]).how == "exact"
    assert compare(parse("sin(x)^2 + cos(x)^2"), parse("1"), [x]).equal
    different = compare(parse("x + 1"), parse("x"), [x])
    assert different.how == "different" and "x" in different.point
    domain = compare(parse("sqrt(x)"), parse("x"), [x], {"x": (-2.0, -1.0)})
    assert domain.how == "domain"


def test_compare_respects_the_domain() -> None:
    # |x| = x only for x > 0: equal on a positive domain, not on the default one
    assert compare(parse("|x|"), parse("x"), [x], {"x": (0.5, 3.0)}).equal
    assert not compare(parse("|x|"), parse("x"), [x]).equal


def test_compare_constants_without_variables() -> None:
    assert compare(parse("sqrt(2)/2"), parse("1/sqrt(2)")).equal
    # a decimal answer (the parser reads 0.70711 as 70711/100000) is compared within tolerance
    assert compare(parse("0.70711"), parse("1/sqrt(2)"), tolerance=1e-3, approximate=True).equal
    assert not compare(parse("0.7"), parse("1/sqrt(2)"), tolerance=1e-3, approximate=True).equal
    # ... and the same fraction typed exactly is a different number
    assert not compare(parse("70711/100000"), parse("1/sqrt(2)"), tolerance=1e-3).equal
