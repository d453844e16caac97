"""`Problem` and the generator registry: `problem(skill, seed, difficulty)`.

A generator is a function `(rng, difficulty) -> Problem` registered for one skill id; it is
seeded, so the same (skill, seed, difficulty) always gives the same problem.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import sympy as sp

from calcml.errors import CalcmlError
from calcml.learn.answers import Answer, format_answer, show
from calcml.learn.values import values_equal
from calcml.result import Result
from calcml.symbolic.steps import Derivation


@dataclass
class Problem(Result):
    """A practice problem with its answer, hints, worked solution and known wrong answers.

    `mistakes` maps a mistake kind (see calcml.learn.mistakes) to the answer that mistake gives.
    """

    skill: str
    prompt: str
    prompt_latex: str
    answer: Answer
    hints: list[str]
    solution: Derivation
    mistakes: dict[str, Any] = field(default_factory=dict)
    seed: int = 0
    difficulty: int = 1

    def text(self) -> str:
        out = [self.prompt]
        if self.answer.choices:
            out.extend(f"  {i}) {c}" for i, c in enumerate(self.answer.choices, 1))
        return "\n".join(out)

    def latex(self) -> str:
        return self.prompt_latex

    def markdown(self) -> str:
        out = [self.prompt, "", f"$$ {self.prompt_latex} $$"]
        if self.answer.choices:
            out.append("")
            out.extend(f"{i}. {c}" for i, c in enumerate(self.answer.choices, 1))
        return "\n".join(out)

    def to_dict(self, reveal: bool = False) -> dict[str, Any]:
        """JSON form; the answer, mistakes and solution only when `reveal`."""
        data: dict[str, Any] = {
            "skill": self.skill,
            "seed": self.seed,
            "difficulty": self.difficulty,
            "prompt": self.prompt,
            "latex": self.prompt_latex,
            "answer_kind": self.answer.kind,
            "hints": list(self.hints),
        }
        if self.answer.shape:
            data["answer_shape"] = list(self.answer.shape)
        if self.answer.choices:
            data["choices"] = list(self.answer.choices)
        if reveal:
            data["answer"] = self.answer.to_dict()
            data["solution"] = self.solution.to_dict()
            data["mistakes"] = {
                k: format_answer(v, self.answer.kind) for k, v in self.mistakes.items()
            }
        return data

    def __rich__(self) -> Any:
        from rich.text import Text

        out = Text(self.prompt, style="bold")
        for i, option in enumerate(self.answer.choices, 1):
            out.append(f"\n  {i}) {option}", style="")
        if self.answer.kind == "vector":
            n = len(self.answer.value)
            out.append(f"\n  (answer: a vector of {n} entries, e.g. [a, b])", "dim")
        elif self.answer.kind == "matrix":
            shape = "×".join(str(n) for n in self.answer.value.shape)
            out.append(f"\n  (answer: a {shape} matrix, e.g. [[a, b], [c, d]])", "dim")
        return out

    def answer_text(self) -> str:
        return show(self.answer.value, self.answer.kind)


Generator = Callable[[random.Random, int], Problem]
GENERATORS: dict[str, Generator] = {}


def generator(skill: str) -> Callable[[Generator], Generator]:
    """Register a problem generator for a skill id."""

    def register(fn: Generator) -> Generator:
        GENERATORS[skill] = fn
        return fn

    return register


def problem(skill: str, seed: int = 0, difficulty: int = 1) -> Problem:
    """A reproducible practice problem for `skill` (difficulty 1 easy .. 3 hard)."""
    from calcml.learn import problems  # noqa: F401 - registers the generators

    if skill not in GENERATORS:
        raise CalcmlError(f"no practice problems for skill {skill!r}; see `calcml roadmap`")
    if difficulty not in (1, 2, 3):
        raise CalcmlError(f"difficulty must be 1, 2 or 3 (got {difficulty})")
    made = _draw(skill, seed, difficulty)
    if seed % 2:  # odd seeds differ from both even neighbours, so consecutive seeds differ
        neighbours = {_drawn_likeness(skill, s, difficulty) for s in (seed - 1, seed + 1)}
        attempt = 0
        while _likeness(made) in neighbours and attempt < MAX_REDRAWS:
            attempt += 1
            made = _draw(skill, seed, difficulty, attempt)
    made.skill, made.seed, made.difficulty = skill, seed, difficulty
    made.mistakes = _distinct_mistakes(made)
    return made


MAX_REDRAWS = 20  # draws an odd seed makes to differ from its neighbours (small problem spaces)


def _likeness(p: Problem) -> str:
    """Problems alike to a learner: the same prompt, or its pieces in another order
    ([sin(x·y), x²·y] and [x²·y, sin(x·y)]); compared by the prompt's sorted characters."""
    return "".join(sorted(p.prompt))


@lru_cache(maxsize=1024)
def _drawn_likeness(skill: str, seed: int, difficulty: int) -> str:
    return _likeness(_draw(skill, seed, difficulty))


def _draw(skill: str, seed: int, difficulty: int, attempt: int = 0) -> Problem:
    """The generator's problem for one seed (attempt > 0: a fresh draw for the same seed)."""
    key = f"{skill}:{seed}:{difficulty}" + (f":{attempt}" if attempt else "")
    return GENERATORS[skill](random.Random(key), difficulty)


def _distinct_mistakes(p: Problem) -> dict[str, Any]:
    """Drop mistakes whose answer equals the right answer or an earlier mistake's."""

    kept: dict[str, Any] = {}
    for kind, wrong in p.mistakes.items():
        if values_equal(wrong, p.answer.value, p.answer):
            continue
        if any(values_equal(wrong, other, p.answer) for other in kept.values()):
            continue
        kept[kind] = wrong
    return kept


def sym_list(*names: str) -> tuple[sp.Symbol, ...]:
    """Real symbols by name."""
    from calcml.expr import symbol

    return tuple(symbol(n) for n in names)
