"""`d/dx x^2`, `d/dx(x^2)`, `∂/∂w (…)`, `\\frac{d}{dx}(…)`: a request to differentiate, never a
product with variables d and dx (issue 14 item 2) — in parse, in every verb, in the grader.

References: `sympy.diff` of the expression built without the operator.
"""

from __future__ import annotations

import random

import pytest
import sympy as sp

import calcml
from calcml.expr import parse, symbol, to_input, to_latex, to_text
from calcml.expr.convert import as_expr
from calcml.learn.answers import Answer
from calcml.learn.grader import check
from calcml.learn.problems.base import Problem
from calcml.symbolic.steps import Derivation
from randexpr import random_exprs

x, y, w = symbol("x"), symbol("y"), symbol("w")
EXPRS = [f for f in random_exprs(seed=14, n=30, nvars=2, depth=3) if parse(to_input(f)) == f][:25]


def _reads_back_from_latex(f: sp.Expr) -> bool:
    try:
        return bool(parse(to_latex(f).replace("\\left", "").replace("\\right", "")) == f)
    except calcml.ParseError:
        return False  # a LaTeX form the parser does not read (sinh^{3}{…}): not this test's


def _forms(body: str, var: str) -> list[str]:
    """Every way the issue lists of asking for d/d<var> of body (without parentheses only when
    body does not start with one: `d/dx (a)/b` is d/dx(a) / b, as `sin (a)/b` is sin(a)/b)."""
    bare = body if not body.startswith("(") else f"1*{body}"
    return [
        f"d/d{var}({body})",
        f"d/d{var} ({body})",
        f"d/d{var} {bare}",
        f"\\frac{{d}}{{d{var}}}({body})",
        f"\\frac{{d}}{{d {var}}} {bare}",
        f"∂/∂{var} ({body})",
        f"\\frac{{\\partial}}{{\\partial {var}}}({body})",
    ]


@pytest.mark.parametrize("index", range(len(EXPRS)))
def test_every_form_of_d_dx_is_the_derivative_sympy_computes(index: int) -> None:
    f = EXPRS[index]
    body = to_input(f)
    for var in (x, y):
        want = sp.diff(f, var)
        for text in _forms(body, var.name):
            got = as_expr(text)
            assert not {symbol("d"), symbol("dx"), symbol("dy")} & got.free_symbols, text
            assert sp.simplify(got - want) == 0 or got.equals(want), text


def test_the_operator_takes_its_parentheses_or_the_rest_of_its_bracket() -> None:
    assert as_expr("d/dx(x^2) + x") == 2 * x + x  # parentheses: the operand is inside them
    assert as_expr("d/dx x^2 + x") == 2 * x + 1  # no parentheses: the rest of the expression
    assert as_expr("(d/dx x^3 + x) * y") == (3 * x**2 + 1) * y  # … of its bracket
    assert as_expr("3 + d/dw w^2 x") == 3 + 2 * w * x
    assert as_expr("xd/dy") == symbol("xd") / symbol("dy")  # a name that only ends in d


@pytest.mark.parametrize("index", range(0, len(EXPRS), 3))
def test_a_printed_request_reads_back(index: int) -> None:
    asked = parse(f"d/dx({to_input(EXPRS[index])})")
    assert isinstance(asked, sp.Derivative)
    assert parse(to_text(asked)) == asked and parse(to_input(asked)) == asked
    if _reads_back_from_latex(EXPRS[index]):
        assert parse(to_latex(asked).replace("\\left", "").replace("\\right", "")) == asked


def test_derive_reads_a_leading_d_dx_as_its_request_and_says_so() -> None:
    rng = random.Random(5)
    for f in rng.sample(EXPRS, 8):
        for text in _forms(to_input(f), "x")[:4]:
            result = calcml.derive(text)
            assert sp.simplify(result.result - sp.diff(f, x)) == 0, text
            assert result.wrt == (x,)
            assert any(n.startswith("read d/dx(") for n in result.notes), result.notes
        same = calcml.derive(f"d/dx({to_input(f)})", "x")
        assert sp.simplify(same.result - sp.diff(f, x)) == 0


def test_a_derivative_inside_another_verb_is_carried_out_and_said() -> None:
    g = calcml.gradient("d/dx(x^3 y) + y^2", "x, y")  # = 3x²y + y²
    assert list(g.result) == [6 * x * y, 3 * x**2 + 2 * y]
    assert any("read d/dx(x³·y)" in n for n in g.notes)
    crit = calcml.critical_points("d/dx(x^3/3 - x^2) + y^2")  # x² − 2x + y²: minimum at (1, 0)
    assert [p.coords for p in crit.points] == [(1, 0)]
    assert any("as the derivative it asks for" in n for n in crit.notes)
    again = calcml.derive("d/dx(x^3 y)", "y")  # d/dy of 3x²y
    assert again.result == 3 * x**2


def test_an_empty_or_bad_request_is_a_parse_error_with_a_column() -> None:
    for text, column in (("\\frac{d}{dx}", 1), ("d/dx", 1), ("2 + d/de x", 8)):
        with pytest.raises(calcml.ParseError) as info:
            parse(text)
        assert info.value.column == column, (text, info.value)


def _problem(expected: sp.Expr) -> Problem:
    answer = Answer("expression", expected, (x,))
    return Problem("test", "q", "q", answer, ["hint"], Derivation("q", expected, expected))


@pytest.mark.parametrize("index", range(0, len(EXPRS), 4))
def test_the_grader_reads_an_answer_starting_with_d_dx_as_its_derivative(index: int) -> None:
    f = EXPRS[index].subs(y, 2)
    problem = _problem(sp.diff(f, x))
    verdict = check(problem, f"d/dx({to_input(f)})")
    assert verdict.correct, verdict.feedback
    assert "as the derivative it asks for" in verdict.feedback
    wrong = check(problem, f"d/dx({to_input(f + x**3)})")
    assert not wrong.correct and "as the derivative it asks for" in wrong.feedback
