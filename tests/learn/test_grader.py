"""The grader on hand-made problems: equivalent forms accepted, near misses rejected, unreadable
and hostile answers handled (not counted, within the time limit), types and shapes checked."""

from __future__ import annotations

import pytest
import sympy as sp

from calcml.expr import parse, symbol
from calcml.learn.answers import Answer
from calcml.learn.grader import check
from calcml.learn.problems.base import Problem
from calcml.symbolic.steps import Derivation

x, y, z = symbol("x"), symbol("y"), symbol("z")


def make(answer: Answer, mistakes: dict | None = None) -> Problem:
    sol = Derivation("q", answer.value, answer.value)
    return Problem("test", "q", "q", answer, ["hint"], sol, mistakes or {})


def expr_problem(text: str, *variables: sp.Symbol, domain: dict | None = None) -> Problem:
    return make(Answer("expression", parse(text), variables or (x,), domain or {}))


EQUIVALENT = [
    ("sigmoid(x)*(1 - sigmoid(x))", "e^(-x)/(1 + e^(-x))^2"),
    ("e^(-x)/(1 + e^(-x))^2", "sigmoid(x)(1 - sigmoid(x))"),
    ("2x", "x + x"),
    ("(x+1)^2", "x^2 + 2x + 1"),
    ("sin(2x)", "2 sin(x) cos(x)"),
    ("1 - tanh(x)^2", "1/cosh(x)^2"),
    ("softplus(x)", "log(1 + exp(x))"),
    ("x/(x^2+1)", "1/(x + 1/x)"),
    ("3x^2 cos(x^3)", "cos(x³)·3x²"),
    ("2*(x - 1)", "2x - 2"),
    ("exp(log(x))", "x"),
    ("sqrt(x^2)", "|x|"),
    ("log(x^2)", "2 log(|x|)"),
    ("0.5*x", "x/2"),
    (r"\frac{1}{2}x^{2}", "x^2/2"),
    ("sigmoid(-x)", "1 - sigmoid(x)"),
]


@pytest.mark.parametrize(("expected", "given"), EQUIVALENT)
def test_equivalent_forms_are_accepted(expected: str, given: str) -> None:
    verdict = check(expr_problem(expected), given)
    assert verdict.correct, verdict


NEAR_MISSES = [
    ("sigmoid(x)*(1 - sigmoid(x))", "sigmoid(x)*(1 + sigmoid(x))"),
    ("2x", "2x + 0.01"),
    ("x^2 + 1", "x^2"),
    ("sin(2x)", "2 sin(x)"),
    ("log(x^2)", "2 log(x)"),  # undefined for x < 0: a domain mismatch
    ("1/(1 + x^2)", "1/(1 + x)^2"),
    ("e^x", "e^x + 1e-3"),
    ("tanh(x)", "tan(x)"),
    ("x^3", "x^3.01"),
]


@pytest.mark.parametrize(("expected", "given"), NEAR_MISSES)
def test_near_misses_are_rejected(expected: str, given: str) -> None:
    verdict = check(expr_problem(expected), given)
    assert not verdict.correct and verdict.counted, verdict


def test_domain_mismatch_is_explained() -> None:
    verdict = check(expr_problem("log(x^2)"), "2 log(x)")
    assert "undefined" in verdict.feedback


def test_counterexample_names_a_point() -> None:
    verdict = check(expr_problem("x^2 + 1"), "x^2")
    assert "at x =" in verdict.feedback


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("sin(x", "ends too early"),
        ("2x +* 3", "unexpected"),
        ("", "empty"),
        ("   ", "empty"),
        ("sinn(x)", "sinn"),
        ("[1, 2", "not a list"),
    ],
)
def test_unreadable_answers_say_what_to_fix_and_do_not_count(text: str, fragment: str) -> None:
    verdict = check(expr_problem("2x"), text)
    assert not verdict.correct and not verdict.counted
    assert fragment in verdict.feedback
    assert "does not count" in verdict.feedback


HOSTILE = [
    "x" * 5000,
    "(" * 3000 + "x" + ")" * 3000,
    "9" * 5000,
    "x^(10^(10^10))",
    "(x+1)^100000",
    "exp(exp(exp(exp(exp(x)))))",
    "+".join(["sin(x)^" + str(k) for k in range(300)]),
    "__import__('os').system('echo hi')",
    "x.__class__",
    "lambda: 1",
    "\x00\x01",
    "10^10^10^10",
    "[" * 500 + "]" * 500,
    "|" * 200,
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_answers_return_quickly_without_raising(text: str) -> None:
    # the outcome, not the clock: never accepted, and a give-up is "not counted", said so
    verdict = check(expr_problem("2x"), text, time_limit=2.0)
    assert not verdict.correct and verdict.score == 0.0 and verdict.feedback


def test_number_answers_use_a_relative_tolerance() -> None:
    p = make(Answer("number", sp.Rational(1, 3), tolerance=1e-3))
    assert check(p, "1/3").correct
    assert check(p, "0.3333").correct
    assert not check(p, "0.33").correct
    assert not check(p, "0.3").correct


def test_a_number_with_a_variable_is_the_wrong_type_and_not_counted() -> None:
    p = make(Answer("number", sp.Integer(4)))
    verdict = check(p, "2x")
    assert not verdict.counted and "number" in verdict.feedback


def test_an_unknown_variable_is_flagged_as_a_typo() -> None:
    verdict = check(expr_problem("2x"), "2t")
    assert not verdict.counted and "t" in verdict.feedback


VEC = Answer("vector", sp.Matrix([2 * x, 3 * y**2]), (x, y))


@pytest.mark.parametrize("text", ["[2x, 3y^2]", "(2x, 3y^2)", "[[2x], [3y^2]]", "[2x; 3y²]"])
def test_vector_notations_are_accepted(text: str) -> None:
    assert check(make(VEC), text).correct


def test_a_row_for_a_column_is_a_shape_mistake() -> None:
    verdict = check(make(VEC), "[[2x, 3y^2]]")
    assert verdict.mistake == "row_vs_column" and verdict.counted


def test_a_vector_of_the_wrong_length_is_a_shape_mistake() -> None:
    verdict = check(make(VEC), "[2x, 3y^2, 0]")
    assert verdict.mistake == "wrong_shape"


def test_partial_credit_for_vectors_names_the_wrong_entry() -> None:
    verdict = check(make(VEC), "[2x, 3y]")
    assert not verdict.correct and verdict.score == 0.5 and "entry 2" in verdict.feedback


J = Answer("matrix", sp.Matrix([[y, x], [0, 2 * y]]), (x, y))


def test_transposed_jacobian_is_recognised() -> None:
    verdict = check(make(J), "[[y, 0], [x, 2y]]")
    assert verdict.mistake == "transposed"
    assert "J[i, j]" in verdict.feedback


def test_matrix_notations() -> None:
    assert check(make(J), "[[y, x], [0, 2y]]").correct
    assert check(make(J), "[y, x; 0, 2y]").correct
    verdict = check(make(J), "[[y, x, 1], [0, 2y]]")
    assert not verdict.counted and "different lengths" in verdict.feedback


def test_non_square_transpose_is_recognised() -> None:
    wide = Answer("matrix", sp.Matrix([[1, 2, 3], [4, 5, 6]]))
    assert check(make(wide), "[[1, 4], [2, 5], [3, 6]]").mistake == "transposed"
    assert check(make(wide), "[[1, 4], [2, 5], [3, 7]]").mistake == "wrong_shape"


CHOICE = Answer("choice", "saddle point", choices=("minimum", "maximum", "saddle point"))


@pytest.mark.parametrize("text", ["saddle point", "Saddle Point", "3", "sad", "  saddle   point "])
def test_choice_answers_by_name_number_or_prefix(text: str) -> None:
    assert check(make(CHOICE), text).correct


def test_wrong_and_unknown_choices() -> None:
    assert not check(make(CHOICE), "minimum").correct
    verdict = check(make(CHOICE), "banana")
    assert not verdict.counted and "1) minimum" in verdict.feedback


def test_specific_mistakes_win_over_generic_ones() -> None:
    p = make(Answer("expression", 6 * x, (x,)), {"chain_factor": 3 * x})
    assert check(p, "3x").mistake == "chain_factor"
    assert check(p, "-6x").mistake == "sign"
    assert check(p, "5x").mistake == "constant_factor"
    assert check(p, "x^2").mistake is None


def test_verdict_json() -> None:
    data = check(make(CHOICE), "minimum").to_dict()
    assert set(data) >= {"correct", "score", "feedback", "mistake", "counted"}


def test_a_list_where_one_expression_is_expected_is_unreadable() -> None:
    verdict = check(expr_problem("2x"), "[2x, 3]")
    assert not verdict.counted


def test_a_left_hand_side_is_ignored() -> None:
    assert check(expr_problem("3x^2"), "f'(x) = 3x^2").correct
    assert check(expr_problem("3x^2"), "dy/dx = 3 x²").correct
    assert not check(expr_problem("3x^2"), "y =").counted


def test_a_close_number_asks_for_more_digits() -> None:
    p = make(Answer("number", sp.Rational(1, 3), tolerance=1e-3))
    verdict = check(p, "0.332")
    assert not verdict.correct and "significant digits" in verdict.feedback


def test_a_scalar_for_a_vector_is_not_counted() -> None:
    verdict = check(make(VEC), "2x")
    assert not verdict.counted and "[a, b]" in verdict.feedback


@pytest.mark.parametrize("text", [*HOSTILE[:6], "[" + ", ".join(["x^99999"] * 64) + "]"])
def test_hostile_answers_to_vector_and_matrix_problems(text: str) -> None:
    for problem in (make(VEC), make(J)):
        verdict = check(problem, text, time_limit=2.0)
        assert not verdict.correct and verdict.feedback


@pytest.mark.parametrize(
    ("expected", "given"),
    [("12x cos(3x^2)", "2x cos(3x^2)"), ("2(3x+1)", "3x + 1"), ("(2/3) x", "2x")],
)
def test_a_constant_factor_off_is_recognised(expected: str, given: str) -> None:
    verdict = check(expr_problem(expected), given)
    assert verdict.mistake == "constant_factor" and "constant multiple" in verdict.feedback


def test_no_constant_factor_for_unrelated_answers() -> None:
    assert check(expr_problem("2x"), "x^2").mistake is None
    assert check(expr_problem("sin(x)"), "pi sin(x)").mistake is None  # not a simple rational


def test_glued_names_get_a_product_tip_and_do_not_count() -> None:
    verdict = check(make(J), "[[y, x], [0, 2 xy]]")
    assert not verdict.counted and "x*y" in verdict.feedback
    verdict = check(expr_problem("x*y", x, y), "xy")
    assert not verdict.counted and "x y" in verdict.feedback
