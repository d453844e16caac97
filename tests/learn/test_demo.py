"""Example answers shown to a learner: each carries the grader's own verdict, and the right
answer written another way is accepted."""

from __future__ import annotations

import pytest
import sympy as sp

from calcml.learn import GENERATORS, check, problem
from calcml.learn.demo import demo_answers, rewritten_form

EXPRESSION_SKILLS = ["sigmoid-derivative", "chain-rule", "product-rule", "quotient-rule"]


@pytest.mark.parametrize("skill", [s for s in EXPRESSION_SKILLS if s in GENERATORS])
@pytest.mark.parametrize("seed", range(6))
def test_demo_answers_carry_the_graders_verdict(skill: str, seed: int) -> None:
    p = problem(skill, seed=seed, difficulty=1)
    shown = demo_answers(p, mistake="chain_factor")
    assert shown[0].why == "the answer" and shown[0].verdict.correct
    for demo in shown:
        assert check(p, demo.text).correct == demo.verdict.correct
        # the right answer in any form is right; a mistake's answer never is
        assert demo.verdict.correct == (demo.why != "chain_factor"), demo.text


@pytest.mark.parametrize("seed", range(12))
def test_rewritten_form_is_the_same_function(seed: int) -> None:
    p = problem("sigmoid-derivative", seed=seed, difficulty=1 + seed % 3)
    other = rewritten_form(p.answer.value)
    assert other is not None and not other.has(sp.Function("sigmoid"))
    (z,) = p.answer.variables or sorted(p.answer.value.free_symbols, key=str)
    for x in (-1.3, -0.2, 0.0, 0.7, 1.9):
        want = complex(sp.N(p.answer.value.subs(z, x)))
        got = complex(sp.N(other.subs(z, x)))
        assert abs(want - got) <= 1e-9 * (1 + abs(want))
