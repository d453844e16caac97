"""Bad input gets a ParseError that says what and where, fast, with no side effect."""

from __future__ import annotations

import pytest

import calcml as cm

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
def test_huge_powers_are_refused_not_evaluated(text: str) -> None:
    # refused by the size check, before SymPy evaluates anything (speed: benchmarks/bench_parse.py)
    with pytest.raises(cm.ParseError, match="too large"):
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


def test_non_text_input_is_a_parse_error() -> None:
    with pytest.raises(cm.ParseError, match="expected text"):
        cm.parse(42)  # type: ignore[arg-type]
