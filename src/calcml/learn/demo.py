"""Answers to show a learner as examples (tour, lessons), each one graded by the grader.

An example answer is never labelled by hand: whatever is shown as right or wrong is what
`check` says about it, so a demo cannot present as accepted an answer the grader rejects.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from calcml.expr.functions import sigmoid, softplus
from calcml.learn.answers import format_answer
from calcml.learn.grader import Verdict, check
from calcml.learn.problems.base import Problem


@dataclass(frozen=True)
class DemoAnswer:
    """One example answer: what the learner would type, why it is shown, and its verdict."""

    text: str
    why: str
    verdict: Verdict


# functions whose exponential form is real (sin and cos would bring in I)
REAL_EXP_FORMS: tuple[type[sp.Function], ...] = (sigmoid, softplus, sp.tanh, sp.sinh, sp.cosh)


def rewritten_form(value: sp.Expr) -> sp.Expr | None:
    """The same expression written another way (σ, softplus and the hyperbolic functions as
    exponentials, one fraction), or None when that changes nothing."""
    if not isinstance(value, sp.Expr):
        return None
    other = sp.together(value.rewrite(list(REAL_EXP_FORMS), sp.exp))
    return None if other == value or other.has(sp.I) else other


def demo_answers(problem: Problem, mistake: str | None = None) -> list[DemoAnswer]:
    """The right answer, the answer `mistake` gives (if the problem has it), and the right
    answer written another way — each graded by `check`."""
    kind = problem.answer.kind
    shown: list[tuple[str, str]] = [(problem.answer.input(), "the answer")]
    if mistake is not None and mistake in problem.mistakes:
        shown.append((format_answer(problem.mistakes[mistake], kind), mistake))
    if kind == "expression":
        other = rewritten_form(problem.answer.value)
        if other is not None:
            shown.append((format_answer(other, kind), "another form"))
    return [DemoAnswer(text, why, check(problem, text)) for text, why in shown]
