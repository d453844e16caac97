"""An interactive practice session, apart from any terminal: it reads lines and writes results.

Commands at the answer prompt: `hint`, `solution` (give up and see it), `skip`, `quit`.
Anything else is an answer. A wrong answer can be retried; after `MAX_TRIES` counted wrong
answers the solution is shown. Unreadable answers are explained and not counted.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from calcml.errors import CalcmlError
from calcml.expr import to_text
from calcml.learn.answers import show
from calcml.learn.grader import Verdict, check
from calcml.learn.problems import problem
from calcml.learn.problems.base import Problem
from calcml.learn.skills import SKILLS, skill
from calcml.symbolic.steps import Derivation

MAX_TRIES = 3
NOT_COUNTED = "(not counted toward mastery: this problem's solution was shown)"
COMMANDS = {
    "hint": "hint",
    "h": "hint",
    "?": "hint",
    "solution": "solution",
    "show": "solution",
    "give up": "solution",
    "skip": "skip",
    "next": "skip",
    "n": "skip",
    "quit": "quit",
    "exit": "quit",
    "q": "quit",
}


@dataclass
class Outcome:
    """What happened to one problem."""

    skill: str
    seed: int
    difficulty: int
    correct: bool = False
    tries: int = 0
    hints: int = 0
    verdicts: list[Verdict] = field(default_factory=list)


class Session:
    """Serve problems from `skills`, read answers with `read` (None = end of input) and show
    everything with `write` (strings or renderable results). `progress` (a calcml.store
    Progress) records attempts and picks the next skill when given."""

    def __init__(
        self,
        skills: Sequence[str],
        read: Callable[[str], str | None],
        write: Callable[[Any], None],
        progress: Any = None,
        seed: int | None = None,
        difficulty: int | None = None,
    ) -> None:
        self.skills = list(skills)
        self.read = read
        self.write = write
        self.progress = progress
        self.seed = seed
        self.difficulty = difficulty
        self.rng = random.Random()
        self.outcomes: list[Outcome] = []

    def run(self, count: int | None = None) -> list[Outcome]:
        """Serve problems until `count` are done, `quit`, or the input ends."""
        n = 0
        while count is None or n < count:
            outcome = self.one(*self.next_problem(n))
            if outcome is None:
                break
            self.outcomes.append(outcome)
            n += 1
        solved = sum(o.correct for o in self.outcomes)
        self.write(f"Session over: {solved} of {len(self.outcomes)} solved.")
        return self.outcomes

    def next_problem(self, n: int) -> tuple[str, int, int]:
        if self.progress is not None and len(self.skills) > 1:
            requires = {s.id: s.requires for s in SKILLS}
            pool = self.skills
            last = self.outcomes[-1] if self.outcomes else None
            if last is not None and not last.correct:  # skipped or given up: move on
                pool = [s for s in self.skills if s != last.skill]
            chosen = self.progress.next_skill(pool, requires)
        else:
            chosen = self.skills[n % len(self.skills)]
        seed = self.seed + n if self.seed is not None else self.rng.randrange(1_000_000)
        if self.difficulty is not None:
            difficulty = self.difficulty
        elif self.progress is not None:
            difficulty = self.progress.difficulty_for(chosen)
        else:
            difficulty = 1
        return chosen, seed, difficulty

    def one(self, skill_id: str, seed: int, difficulty: int) -> Outcome | None:
        """One problem; None when the learner quits or the input ends."""
        p = self._problem(skill_id, seed, difficulty)
        outcome = Outcome(skill_id, p.seed, difficulty)
        self.write(_header(p))
        self.write(p)
        self.write("(type an answer, or: hint, solution, skip, quit)")
        while True:
            line = self.read("answer> ")
            if line is None:
                return None
            said = line.strip()
            command = COMMANDS.get(said.lower())
            if command == "quit":
                return None
            if command == "skip":
                self._note_revealed(p, difficulty)
                self.write(f"Skipped. The answer was {p.answer_text()}.")
                return outcome
            if command == "hint":
                self._hint(p, outcome)
                continue
            if command == "solution":
                if self.progress is not None and outcome.tries == 0:  # review it again soon
                    gave_up = Verdict(False, 0.0, "gave up and read the solution")
                    self.progress.record(skill_id, p.seed, difficulty, "", gave_up, outcome.hints)
                self._solution(p, difficulty)
                return outcome
            verdict = check(p, said)
            outcome.verdicts.append(verdict)
            self.write(verdict)
            if self.progress is not None:
                if verdict.counted and self.progress.revealed(skill_id, p.seed, difficulty):
                    self.write(NOT_COUNTED)
                self.progress.record(skill_id, p.seed, difficulty, said, verdict, outcome.hints)
            if not verdict.counted:
                continue
            outcome.tries += 1
            if verdict.correct:
                outcome.correct = True
                self.write(brief(p.solution))
                return outcome
            if outcome.tries >= MAX_TRIES:
                self.write(f"That was {MAX_TRIES} tries — here is the worked solution.")
                self._solution(p, difficulty)
                return outcome

    def _problem(self, skill_id: str, seed: int, difficulty: int) -> Problem:
        """The problem for this seed, or for the next seeds if a generator ever fails."""
        for attempt in range(5):
            try:
                return problem(skill_id, seed + attempt, difficulty)
            except CalcmlError:
                raise
            except Exception:  # a generator bug must not end the session
                continue
        return problem(skill_id, 0, difficulty)

    def _hint(self, p: Problem, outcome: Outcome) -> None:
        if outcome.hints < len(p.hints):
            outcome.hints += 1
            self.write(f"Hint {outcome.hints}/{len(p.hints)}: {p.hints[outcome.hints - 1]}")
        else:
            self.write("No more hints — type `solution` to see the worked solution.")

    def _solution(self, p: Problem, difficulty: int) -> None:
        self._note_revealed(p, difficulty)
        self.write(f"Answer: {p.answer_text()}")
        self.write(p.solution)

    def _note_revealed(self, p: Problem, difficulty: int) -> None:
        """The answer is about to be shown: answers to this problem no longer count."""
        if self.progress is not None:
            self.progress.reveal(p.skill, p.seed, difficulty)


def brief(d: Derivation) -> str:
    """A worked solution in a few lines: the result, the top-level steps, each component's result
    (the full derivation is `d.text()`)."""
    out = [f"{d.question} = {_value(d.result)}"]
    for i, step in enumerate(d.steps, 1):
        line = f"  {i}. [{step.rule}] {step.explanation}"
        if step.kind != "note":
            line += f" = {to_text(step.after)}"
        out.append(line)
    out.extend(f"  {c.question} = {to_text(c.result)}" for c in d.components)
    return "\n".join(out)


def _value(result: Any) -> str:
    if isinstance(result, sp.Expr) and result.is_number:
        return show(result, "number")
    return to_text(result) if not isinstance(result, str) else result


def _header(p: Problem) -> str:
    s = skill(p.skill)
    return f"── {s.title} ({p.skill}, difficulty {p.difficulty}, seed {p.seed}) ──"
