"""Every skill's generator, over many seeds: its own answer is accepted, its worked solution
agrees with the answer, and each mutated wrong answer is rejected with that mistake's feedback.

Seeds per skill under `make soak`: 200, fewer for the slowest generators (CALCML_LEARN_SEEDS=200
runs every skill at 200); `make test` runs the first fifth of them (at least 8 seeds, every
difficulty), so the suite stays within its time on two cores. The difficulty cycles 1, 2, 3
with the seed.
"""

from __future__ import annotations

import os

import pytest
import sympy as sp

from calcml.learn.answers import format_answer
from calcml.learn.grader import check
from calcml.learn.mistakes import MISTAKES
from calcml.learn.problems import GENERATORS, problem
from calcml.learn.skills import SKILLS
from calcml.learn.values import values_equal

FULL = 200
# the slowest generators (tens of ms per problem with its checks) run fewer seeds by default
SLOW = {
    "quotient-rule": 40,
    "sigmoid-derivative": 40,
    "hessian": 60,
    "gradient-vector": 60,
    "backprop-neuron": 80,
    "linear-regression-step": 80,
    "logistic-regression-gradient": 80,
    "l2-gradient": 80,
    "product-rule": 80,
    "tanh-derivative": 100,
    "backprop-2layer": 100,
    "mse-derivative": 100,
    "partial-derivative": 100,
    "lagrange": 100,
    "power-rule": 120,
    "cross-entropy-derivative": 120,
    "gradient-at-point": 120,
    "classify-critical-point": 120,
    "multivariable-chain": 120,
    "exp-log": 120,
    "gd-step": 120,
}
OVERRIDE = os.environ.get("CALCML_LEARN_SEEDS")


MAKE_TEST_SHARE = 5  # `make test` runs 1/5 of each skill's seeds; the rest run under soak


def cases(skill: str, share: str) -> list[tuple[int, int]]:
    """(seed, difficulty) pairs: 'test' the first fifth (at least 8), 'soak' the rest."""
    count = int(OVERRIDE) if OVERRIDE else SLOW.get(skill, FULL)
    first = min(count, max(8, count // MAKE_TEST_SHARE))
    seeds = range(first) if share == "test" else range(first, count)
    return [(seed, seed % 3 + 1) for seed in seeds]


@pytest.mark.parametrize("share", ["test", pytest.param("soak", marks=pytest.mark.soak)])
@pytest.mark.parametrize("skill", [s.id for s in SKILLS])
def test_generated_problems_grade_their_own_answers_and_mistakes(skill: str, share: str) -> None:
    kinds_seen: set[str] = set()
    for seed, difficulty in cases(skill, share):
        p = problem(skill, seed, difficulty)
        where = f"{skill} seed={seed} d={difficulty}: {p.prompt}"
        right = check(p, p.answer.input())
        assert right.correct and right.score == 1.0, (where, p.answer.input(), right)
        assert values_equal(p.solution.result, p.answer.value, p.answer), (
            where,
            p.solution.result,
        )
        for kind, wrong in p.mistakes.items():
            verdict = check(p, format_answer(wrong, p.answer.kind))
            assert not verdict.correct, (where, kind)
            assert verdict.mistake == kind, (where, kind, verdict)
            assert verdict.feedback.startswith(MISTAKES[kind].feedback[:20]), (where, kind)
            kinds_seen.add(kind)
        assert p.hints and all(isinstance(h, str) and h for h in p.hints), where
        assert p.prompt and p.prompt_latex, where
    if cases(skill, share):
        assert kinds_seen or skill in NO_MISTAKES, f"{skill} never produced a mistake to detect"


NO_MISTAKES = {"limit-substitution", "limit-lhopital", "lagrange"}


@pytest.mark.parametrize("skill", [s.id for s in SKILLS])
def test_generation_is_reproducible_and_seeds_vary(skill: str) -> None:
    first, again = problem(skill, 7, 2), problem(skill, 7, 2)
    assert first.prompt == again.prompt
    assert first.answer.input() == again.answer.input()
    prompts = {problem(skill, seed, 1).prompt for seed in range(12)}
    assert len(prompts) >= 2


def test_every_skill_has_a_generator_and_back() -> None:
    assert {s.id for s in SKILLS} == set(GENERATORS)


def test_negated_answers_are_sign_errors_when_no_specific_mistake_matches() -> None:
    p = problem("power-rule", 3, 1)
    verdict = check(p, format_answer(-p.answer.value, "expression"))
    assert verdict.mistake == "sign"


def test_problem_json_hides_the_answer_unless_revealed() -> None:
    p = problem("gradient-vector", 1, 2)
    hidden = p.to_dict()
    assert "answer" not in hidden and hidden["answer_kind"] == "vector"
    shown = p.to_dict(reveal=True)
    assert shown["answer"]["input"].startswith("[")
    assert shown["solution"]["result"]


def test_unknown_skill_and_bad_difficulty_are_user_errors() -> None:
    from calcml.errors import CalcmlError

    with pytest.raises(CalcmlError, match="no practice problems"):
        problem("not-a-skill", 0)
    with pytest.raises(CalcmlError, match="difficulty"):
        problem("power-rule", 0, 5)


def test_direction_answers_accept_any_nonzero_multiple() -> None:
    p = problem("first-principal-component", 2, 1)
    v = p.answer.value
    assert check(p, format_answer(-3 * v, "vector")).correct
    assert not check(p, "[0, 0]").correct
    assert isinstance(v, sp.MatrixBase)


def test_every_mistake_kind_is_produced_by_a_generator_or_a_detector() -> None:
    from calcml.learn.mistakes import DETECTORS

    seen: set[str] = set()
    for s in SKILLS:
        for seed in range(6):
            seen |= set(problem(s.id, seed, seed % 3 + 1).mistakes)
    shape_checks = {"row_vs_column", "wrong_shape"}  # recognised by the grader's shape check
    assert set(MISTAKES) - seen - set(DETECTORS) - shape_checks == set()


def test_public_api_of_calcml_learn() -> None:
    from calcml import learn

    p = learn.problem("hessian", seed=2, difficulty=2)
    assert isinstance(p, learn.Problem)
    assert learn.check(p, p.answer.input()).correct
    assert len(learn.SKILLS) >= 30 and "chain_factor" in learn.MISTAKES


@pytest.mark.parametrize("skill", [s.id for s in SKILLS])
def test_problems_and_solutions_render_in_every_format(skill: str) -> None:
    import json

    for difficulty in (1, 2, 3):
        p = problem(skill, 3, difficulty)
        data = json.loads(json.dumps(p.to_dict(reveal=True)))
        assert data["skill"] == skill and data["answer"]["kind"] == p.answer.kind
        assert p.solution.text() and p.solution.latex() and p.solution.markdown()
        assert p.markdown() and p.latex() == p.prompt_latex
