"""Bad input gets a ParseError that says what and where, fast, with no side effect."""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy as sp

import calcml as cm
from calcml.expr import to_input, to_text
from calcml.expr.parser import MAX_EXACT_DIGITS
from calcml.symbolic.budget import request

ERRORS: list[tuple[str, str, int]] = [
    ("sin(x))", "unexpected ')'", 7),
    ("sinn(x)", "did you mean 'sin'", 1),
    ("tahn(x)", "did you mean 'tanh'", 1),
    ("foo(x)", "unknown function 'foo'", 1),
    ("sinx", "write sin(x)", 1),
    ("2 +", "ends too early", 4),
    ("(x + 1", "ends too early", 7),
    ("", "empty expression", 1),
    ("sin(x, y)", "sin takes 1 argument, got 2", 1),
    ("max(x)", "max takes 2 or more arguments", 1),
    ("log_1(x)", "base of 2 or more", 1),
    ("log_2(x, 3)", "log_2 takes 1 argument", 1),
    ("x $ y", "unexpected character '$'", 3),
    (r"\foo{x}", "unknown LaTeX command", 1),
    ("1/0", "undefined", 0),
    ("oo - oo", "undefined", 0),
    ("x\ny", "line break", 2),
    ("1e5000", "number too large", 1),
]


@pytest.mark.parametrize(("text", "message", "column"), ERRORS, ids=[e[0] for e in ERRORS])
def test_parse_error_names_the_problem_and_its_column(text: str, message: str, column: int) -> None:
    with pytest.raises(cm.ParseError) as caught:
        cm.parse(text)
    assert message in caught.value.message
    assert caught.value.column == column


def test_parse_error_caret_points_at_the_column() -> None:
    with pytest.raises(cm.ParseError) as caught:
        cm.parse("sin(x))")
    assert caught.value.caret() == "sin(x))\n      ^"


def test_parse_error_is_a_calcml_error() -> None:
    assert issubclass(cm.ParseError, cm.CalcmlError)


@pytest.mark.parametrize(
    "text",
    ["9^9^9^9", "10^10^10^10", "2**3**4**5", "(1/2)^(10^7)", "(10^1000)^1000", "(-3)^(10^9)"],
)
def test_huge_powers_are_refused_before_they_are_computed(text: str) -> None:
    # with exact powers guarded at a tiny size, reaching SymPy's power would raise BudgetExceeded
    with request(max_digits=2000), pytest.raises(cm.ParseError, match="too large"):
        cm.parse(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x" * 2001, r"too long \(2001 characters; at most 2000\)"),
        ("(" * 60 + "x" + ")" * 60, "brackets nested too deeply at column 51"),
        ("-" * 500 + "x", "nested too deeply"),
        ("x^" * 300 + "x", "nested too deeply"),
        ("|" * 80 + "x", "brackets nested too deeply at column 51"),
    ],
    ids=["too-long", "deep-parens", "many-signs", "power-tower", "many-bars"],
)
def test_pathological_input_is_refused_by_its_limit(text: str, message: str) -> None:
    # refused by a documented size limit (speed: benchmarks/bench_parse.py)
    with pytest.raises(cm.ParseError, match=message):
        cm.parse(text)


@pytest.mark.parametrize("terms", [101, 400, 650])
@pytest.mark.parametrize("op", ["+", "-", "*", "/"])
def test_a_long_flat_chain_is_not_deep_nesting(terms: int, op: str) -> None:
    text = op.join(f"x{i % 7}" if op in "+-" else "x" for i in range(terms))
    result = cm.parse(text)
    names = sorted({f"x{i % 7}" for i in range(terms)}) if op in "+-" else ["x"]
    ns = {n: sp.Symbol(n, real=True) for n in names}
    reference = ns[names[0]] if op in "*/" else ns["x0"]
    for i in range(1, terms):
        term = ns[f"x{i % 7}"] if op in "+-" else ns["x"]
        reference = {"+": reference + term, "-": reference - term}.get(op) or (
            reference * term if op == "*" else reference / term
        )
    assert sp.expand(result - reference) == 0


@pytest.mark.parametrize("depth", [49, 60])
def test_real_nesting_is_still_limited(depth: int) -> None:
    text = "sin(" * depth + "x" + ")" * depth
    if depth > 50:
        with pytest.raises(cm.ParseError, match="nested too deeply"):
            cm.parse(text)
    else:
        assert cm.parse(text).count(sp.sin) == depth


@pytest.mark.parametrize(
    "text", ["10^5000", "2^2^2^2^2", "10^3000*10^3000", "(10^2500)/(10^-2500)", "7^4800"]
)
def test_exact_numbers_past_the_stated_digits_are_refused(text: str) -> None:
    with pytest.raises(cm.ParseError, match=f"{MAX_EXACT_DIGITS}"):
        cm.parse(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10^3999", 10**3999),
        ("-(7^4700)", -(7**4700)),
        ("2^13000/3^8000", Fraction(2**13000, 3**8000)),
    ],
)
def test_exact_numbers_within_the_limit_print_and_parse_back(text: str, expected: object) -> None:
    value = cm.parse(text)
    assert value == sp.Rational(expected)
    assert cm.parse(to_input(value)) == value
    assert cm.parse(to_text(value)) == value


def test_non_text_input_is_a_parse_error() -> None:
    with pytest.raises(cm.ParseError, match="expected text"):
        cm.parse(42)  # type: ignore[arg-type]
