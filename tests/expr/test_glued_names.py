"""Names glued from a product (`xy`, `xe^x`, `xsin(x)`): one rule (`glued_hints`) and every verb,
the grader and the parser say "did you mean …?" the same way (issue 14 item 3).

The expected hint is built from the two letters the test glued, never from calcml's output.
"""

from __future__ import annotations

import random
import string

import pytest

import calcml
from calcml.errors import ParseError
from calcml.expr import parse
from calcml.expr.names import CONSTANTS, FUNCTIONS, GREEK_NAMES
from calcml.expr.variables import glued_hints, glued_split
from calcml.learn.answers import Answer
from calcml.learn.grader import check
from calcml.learn.problems.base import Problem
from calcml.symbolic.steps import Derivation

RESERVED = set(FUNCTIONS) | set(GREEK_NAMES) | set(CONSTANTS) | {"d", "dx", "i"}


def _pairs(seed: int, count: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    out: list[tuple[str, str]] = []
    letters = [c for c in string.ascii_lowercase if c not in RESERVED]
    while len(out) < count:
        a, b = rng.sample(letters, 2)
        glued = a + b
        if glued in RESERVED or any(glued.startswith(f) for f in RESERVED if len(f) > 1):
            continue
        out.append((a, b))
    return out


def _verbs(a: str, b: str) -> list[tuple[str, object]]:
    f = f"{a}^2 + {b}^2 - {a}{b}"
    return [
        ("derive", lambda: calcml.derive(f, a)),
        ("gradient", lambda: calcml.gradient(f, f"{a}, {b}")),
        ("hessian", lambda: calcml.hessian(f, f"{a}, {b}")),
        ("jacobian", lambda: calcml.jacobian([f, f"{a}{b}"], f"{a}, {b}")),
        ("critical", lambda: calcml.critical_points(f)),
        ("taylor", lambda: calcml.taylor(f"sin({a}{b}) + {a}", a, 0, 2)),
        ("limit", lambda: calcml.limit(f"sin({a}{b} {a})/{a}", a, 0)),
        ("continuity", lambda: calcml.continuity(f"{a}{b} + {a}", a, 0)),
        ("differentiable", lambda: calcml.differentiable(f"{a}{b} + {a}", a, 0)),
    ]


@pytest.mark.parametrize(("a", "b"), _pairs(14, 4))
def test_every_verb_says_did_you_mean_for_a_name_glued_from_two_variables(a: str, b: str) -> None:
    want = f"'{a}{b}' is one variable name — did you mean {a}·{b}?"
    for verb, run in _verbs(a, b):
        result = run()  # type: ignore[operator]
        assert any(want in note for note in result.notes), (verb, result.notes)
        assert any(want in note for note in result.to_dict().get("notes", [])), verb
        assert want in result.text(), verb


@pytest.mark.parametrize(("a", "b"), _pairs(15, 3))
def test_spaced_products_and_long_names_get_no_hint(a: str, b: str) -> None:
    spaced = calcml.critical_points(f"{a}^2 + {b}^2 - {a} {b}")
    assert not any("did you mean" in n for n in spaced.notes)
    assert calcml.derive(f"rate*{a}", a).notes == []  # a word, not a product
    assert calcml.derive(f"theta*{a}", a).notes == []  # a Greek letter's name


def test_the_four_variable_problem_of_the_issue_is_flagged_and_its_reading_is_said() -> None:
    result = calcml.critical_points("x^2 + y^2 + z^2 - xy")
    assert [str(v) for v in result.variables] == ["x", "xy", "y", "z"]  # the literal reading
    assert any("did you mean x·y?" in n for n in result.notes)


@pytest.mark.parametrize(("a", "b"), _pairs(16, 4))
def test_a_variable_glued_to_e_is_read_as_a_product_with_e(a: str, b: str) -> None:
    with pytest.raises(calcml.CalcmlError, match=rf"did you mean {a}·e\?"):
        calcml.derive(f"{a}e^{a}")  # two variables, a and ae: which one? + the hint
    result = calcml.derive(f"{a}e^{a}", a)
    assert any(f"did you mean {a}·e?" in n for n in result.notes)


@pytest.mark.parametrize(("a", "b"), _pairs(17, 4))
def test_a_variable_glued_to_a_function_is_pointed_out_by_the_parser(a: str, b: str) -> None:
    for f in ("sin", "exp", "log"):
        with pytest.raises(ParseError, match=rf"did you mean {a}·{f}\(…\)\? \(write {a}\*{f}"):
            parse(f"2{a}{f}({a})")
    assert parse(f"2{a}*sin({a})") == parse(f"2 {a} sin({a})")


def test_a_split_joins_back_to_the_name_from_known_pieces() -> None:
    rng = random.Random(3)
    for _ in range(200):
        known = ["".join(rng.sample("abcfghjkmnpqrstuvwxyz", rng.choice([1, 1, 2]))) for _ in "123"]
        name = "".join(rng.sample([*known, "e"], 2))
        cut = glued_split(name, [*known, name])
        if name in known:
            continue
        assert cut is not None and "".join(cut) == name, (name, known)
        assert len(cut) >= 2 and all(p in known or p in ("e", "pi") for p in cut)


def test_the_preview_rule_without_context_is_kept() -> None:
    assert glued_hints(["x", "xy", "theta", "rate"]) == [
        "'xy' is one variable name — did you mean x·y? (write x*y or x y)"
    ]
    assert glued_hints(["ab"], known=["c"]) == []  # nothing known splits it


def _problem(expected: str, *names: str) -> Problem:
    from calcml.expr import symbol

    answer = Answer("expression", parse(expected), tuple(symbol(n) for n in names))
    return Problem("test", "q", "q", answer, ["hint"], Derivation("q", answer.value, answer.value))


@pytest.mark.parametrize(("a", "b"), _pairs(18, 4))
def test_the_grader_routes_glued_names_through_the_same_rule(a: str, b: str) -> None:
    verdict = check(_problem(f"{a}*{b}", a, b), f"3{a}{b}")
    assert not verdict.counted
    assert f"did you mean {a}·{b}? (write {a}*{b} or {a} {b})" in verdict.feedback
