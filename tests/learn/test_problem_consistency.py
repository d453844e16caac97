"""Practice problems say one thing throughout (issue 14 item 10): the chain rule's hints use the
inner function its solution uses; a Newton problem says "minimise" only where f″(x₀) > 0;
consecutive seeds give different problems.

References: SymPy on the problem's own f (read back from its prompt), never calcml's solution.
"""

from __future__ import annotations

import itertools
import re

import pytest
import sympy as sp

from calcml.expr import parse, symbol
from calcml.learn.problems import problem

x, u = symbol("x"), symbol("u")


@pytest.mark.parametrize("difficulty", [1, 2, 3])
def test_chain_rule_hints_and_solution_share_one_inner_function(difficulty: int) -> None:
    for seed in range(30):
        p = problem("chain-rule", seed, difficulty)
        f = parse(re.search(r"f\(x\) = (.*) with respect", p.prompt).group(1))  # type: ignore[union-attr]
        hint = re.search(r"outer f\(u\) = (.*), inner u = (.*)\.$", p.hints[0])
        assert hint, p.hints
        outer, inner = parse(hint.group(1)), parse(hint.group(2))
        assert sp.simplify(outer.subs(u, inner) - f) == 0, (p.prompt, p.hints)
        assert sp.diff(inner, x) == parse(p.hints[2].removeprefix("u′(x) = ").rstrip("."))
        chain = [s for top in p.solution.steps for s in top.walk() if s.rule == "chain"]
        if chain:  # the solution names its u: the same one as the hints
            said = re.search(r"inner function u = (.*?):", chain[0].explanation)
            assert said and parse(said.group(1)) == inner, (chain[0].explanation, p.hints[0])


def test_the_issue_case_cos_of_one_minus_3x_is_one_u_throughout() -> None:
    for seed in range(200):
        p = problem("chain-rule", seed, 1)
        if "cos(" in p.prompt and "- " in p.prompt:
            assert "inner u = 3·x - 1" in p.hints[0] or "1 - " not in p.hints[0]
            break


@pytest.mark.parametrize("difficulty", [1, 2, 3])
def test_newton_problems_say_minimise_only_where_the_curvature_is_positive(
    difficulty: int,
) -> None:
    seen = set()
    for seed in range(40):
        p = problem("newton-step", seed, difficulty)
        found = re.search(r"f\(x\) = (.*) from x₀ = (-?\d+)\.", p.prompt)
        assert found, p.prompt
        f, x0 = parse(found.group(1)), int(found.group(2))
        curvature = sp.diff(f, x, 2).subs(x, x0)
        assert curvature != 0
        assert ("minimise" in p.prompt) == (curvature > 0), (p.prompt, curvature)
        seen.add(bool(curvature > 0))
        step = x0 - sp.diff(f, x).subs(x, x0) / curvature  # the Newton step, by SymPy
        assert abs(float(p.answer.value) - float(step)) < 1e-9
    if difficulty > 1:
        assert seen == {True, False}  # both kinds occur, so both branches are checked


SMALL_SPACES = ["lr-stability", "jacobian", "gd-step", "power-rule", "hessian"]


@pytest.mark.parametrize("skill", SMALL_SPACES)
@pytest.mark.parametrize("difficulty", [1, 2, 3])
def test_consecutive_seeds_give_different_problems(skill: str, difficulty: int) -> None:
    prompts = [problem(skill, seed, difficulty).prompt for seed in range(10)]
    for a, b in itertools.pairwise(prompts):
        assert sorted(a) != sorted(b), (skill, difficulty, a)
    assert prompts == [
        problem(skill, seed, difficulty).prompt for seed in range(10)
    ]  # reproducible
