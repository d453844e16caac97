"""The cheat sheet's rule table states each rule in general, typeset (issue 14 item 14).

Before: its "meaning" column was the explanation of one sample derivation ("the factor 3 stays",
"Quotient rule with f = sin(x) and g = x") and its Markdown held HTML entities (`&gt;`).
References: `sympy.diff` (through `Derivative.doit`) for each function rule's typeset formula,
read back with `calcml.parse`; the vendored KaTeX in strict mode for every formula.
"""

from __future__ import annotations

import re

import pytest
import sympy as sp

import calcml
from calcml.expr import to_text
from calcml.learn.cheatsheet import cheatsheet, derivative_rules
from calcml.symbolic.rules import FUNCTIONS
from calcml.symbolic.rules.statements import STATEMENTS
from katex_check import katex_errors

# what the old sheet took its rows from: no row may carry a piece of these
SAMPLES = ["3*x", "x^3 + x", "x^2*sin(x)", "sin(x)/x", "sin(x^2)", "2^x", "x^x", "log(x, 2)"]


def _rule_table(markdown: str) -> str:
    return markdown.split("## Derivative rules", 1)[1].split("\n## ", 1)[0]


def test_the_markdown_has_no_html_entities() -> None:
    md = cheatsheet().markdown()
    assert not re.findall(r"&(?:gt|lt|amp|quot|#x?[0-9a-f]+);", md)
    assert "u > 0" in _rule_table(md)  # the relu and abs rows say where, with a plain >


def test_no_rule_is_stated_by_the_example_it_was_seen_in() -> None:
    table = _rule_table(cheatsheet().markdown())
    pieces = set()
    for sample in SAMPLES:
        for step in calcml.derive(sample, "x").all_steps():
            if step.wrt is None or step.wrt.name == "x":  # a step on the sample, not on u
                pieces |= {to_text(step.before), to_text(step.after)}
    concrete = sorted(p for p in pieces if len(p) >= 4)  # sin(x), x·sin(x), 2ˣ·log(2) …
    assert concrete
    assert [p for p in concrete if p in table] == []
    assert "factor 3" not in table and "f = sin(x)" not in table


def test_every_rule_the_engine_knows_has_one_general_row() -> None:
    rows = derivative_rules()
    keys = [r.rule for r in rows]
    assert keys[: len(STATEMENTS)] == list(STATEMENTS)
    assert {fr.rule for fr in FUNCTIONS.values()} <= set(keys)
    assert len(keys) == len(set(keys))


# the Dirac delta is a distribution: its "derivative" δ′ is no function to compare
SMOOTH_SOMEWHERE = [f for f in FUNCTIONS if FUNCTIONS[f].rule != "dirac_delta"]


@pytest.mark.parametrize("func", SMOOTH_SOMEWHERE, ids=lambda f: FUNCTIONS[f].rule)
def test_each_function_rule_typeset_is_the_derivative(func: type) -> None:
    """sympy.diff of the typeset left side equals its right side; for a function with a jump
    or a kink (where SymPy answers with δ or not at all), a central difference at points away
    from the integers equals it."""
    row = next(r for r in derivative_rules() if r.rule == FUNCTIONS[func].rule)
    left, right = row.latex.split(" = ")
    asked = calcml.parse(left)  # \frac{d}{du} f(u): the derivative it asks for
    assert isinstance(asked, sp.Derivative)
    u, a = calcml.parse("u"), calcml.parse("a")
    stated = calcml.parse(right)
    if not FUNCTIONS[func].kink:
        assert sp.simplify(sp.diff(asked.expr, u) - stated) == 0
        return
    slope = {a: sp.Rational(1, 5)}  # leaky ReLU's slope
    h = sp.Rational(1, 10**6)
    for at in (sp.Rational(-27, 10), sp.Rational(-7, 20), sp.Rational(2, 5), sp.Rational(8, 5)):
        f = asked.expr.subs(slope)
        numeric = (f.subs(u, at + h) - f.subs(u, at - h)) / (2 * h)
        assert float(numeric) == pytest.approx(float(stated.subs(slope).subs(u, at)), abs=1e-6)


def test_the_steps_print_the_registry_statement() -> None:
    steps = {s.rule: s.formula for s in calcml.derive("sin(x)/x + 3*x^x", "x").all_steps()}
    assert steps["quotient"] == STATEMENTS["quotient"].formula_in("x")
    assert steps["constant_multiple"] == STATEMENTS["constant_multiple"].formula_in("x")
    assert steps["logarithmic"] == STATEMENTS["logarithmic"].formula_in("x")


def test_every_formula_renders_in_strict_katex_and_the_html_typesets_it() -> None:
    from calcml.web.book import cheatsheet_html

    rows = derivative_rules()
    errors = katex_errors([r.latex for r in rows])
    assert [(r.rule, e) for r, e in zip(rows, errors, strict=True) if e] == []
    page = cheatsheet_html()
    table = page.split("Derivative rules", 1)[1].split("</table>", 1)[0]
    assert table.count('<span class="math" data-tex="') == len(rows)
    assert "$" not in table and "&amp;gt;" not in page


def test_the_text_form_shows_unicode_formulas() -> None:
    text = cheatsheet().text()
    table = _rule_table(text)
    assert "$" not in table and "d/dx (f/g) = (f′·g − f·g′)/g²" in table
