"""The grader: `check(problem, answer_text) -> Verdict(correct, score, feedback, mistake)`.

1. read the answer safely (calcml.parse per entry); unreadable text gets feedback on what to fix
   and is not counted as a wrong attempt;
2. check its type and shape (a row for a column, a transposed matrix);
3. compare with the expected answer: exact symbolic test, then numeric at random points
   (calcml.learn.equivalence), all under a time limit;
4. if wrong, recognise a common mistake (the problem's own wrong answers, then generic
   detectors) and aim the feedback at it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import sympy as sp

from calcml.errors import ParseError, TimeLimitError
from calcml.expr import to_text
from calcml.expr.convert import evaluate_asked
from calcml.expr.variables import glued_hints
from calcml.learn.answers import Answer, drop_lhs, read_answer, show
from calcml.learn.equivalence import Comparison
from calcml.learn.mistakes import DETECTORS, MISTAKES
from calcml.learn.problems.base import Problem
from calcml.learn.values import compare_scalar, same_direction, values_equal
from calcml.result import Result
from calcml.symbolic.inputs import reading_notes
from calcml.symbolic.timelimit import call_with_time_limit

TIME_LIMIT = 3.0


@dataclass
class Verdict(Result):
    """The grader's judgement of one answer.

    `counted` is False when the answer could not be read or checked (a typo is not a wrong
    attempt); `mistake` names the recognised mistake kind, if any; `how` tells how a right answer
    was confirmed ('exact', 'numeric', 'choice').
    """

    correct: bool
    score: float
    feedback: str
    mistake: str | None = None
    counted: bool = True
    how: str = ""
    given: str = ""

    def text(self) -> str:
        mark = "✓ correct" if self.correct else ("✗ not yet" if self.counted else "? not counted")
        return f"{mark} — {self.feedback}"

    def latex(self) -> str:
        return rf"\text{{{self.text()}}}"

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "correct": self.correct,
            "score": self.score,
            "feedback": self.feedback,
            "mistake": self.mistake,
            "counted": self.counted,
        }
        if self.mistake in MISTAKES:
            data["mistake_title"] = MISTAKES[self.mistake].title
        if self.how:
            data["how"] = self.how
        if self.given:
            data["given"] = self.given
        return data

    def __rich__(self) -> Any:
        from rich.text import Text

        if self.correct:
            return Text.assemble(("✓ correct", "bold green"), " — ", self.feedback)
        if not self.counted:
            return Text.assemble(("? not counted", "bold yellow"), " — ", self.feedback)
        title = f" ({MISTAKES[self.mistake].title})" if self.mistake in MISTAKES else ""
        return Text.assemble(("✗ not yet", "bold red"), title, " — ", self.feedback)


def check(problem: Problem, answer_text: str, time_limit: float = TIME_LIMIT) -> Verdict:
    """Grade a learner's answer text against a problem (never raises on bad input).

    A `time_limit` that is not a positive finite number of seconds (nan, inf, 0, text) is
    replaced by the default TIME_LIMIT: grading must not fail because of a setting.
    """
    time_limit = _usable_time_limit(time_limit)
    expected = problem.answer
    if expected.kind == "matrix-expression":  # vector/matrix expressions: calcml.learn.matrix_grade
        from calcml.learn.matrix_grade import grade_matrix

        ok, feedback, kind, counted = grade_matrix(expected.value, answer_text)
        return Verdict(ok, float(ok), feedback, kind, counted, "numeric" if ok else "", answer_text)
    try:
        given = read_answer(answer_text, expected.kind, expected.choices)
    except ParseError as error:
        return _unreadable(error)
    reading = ""
    if isinstance(given, sp.Basic) and given.has(sp.Derivative):
        notes = reading_notes(drop_lhs(answer_text))
        given = (
            evaluate_asked(given)
            if not isinstance(given, sp.MatrixBase)
            else given.applyfunc(evaluate_asked)
        )
        reading = f"({'; '.join(notes)}) " if notes else ""
    if isinstance(given, str):
        shown = given
    else:
        shown = show(given, "matrix" if isinstance(given, sp.MatrixBase) else "expression")
    problem_type = _type_problem(given, expected)
    if problem_type is not None:
        problem_type.given = shown
        return problem_type
    try:
        verdict = call_with_time_limit(_judge, time_limit, problem, given, decimal(answer_text))
    except TimeLimitError:
        return Verdict(
            False,
            0.0,
            f"your answer took longer than {time_limit:g} s to check — simplify it and try again",
            counted=False,
            given=shown,
        )
    verdict.given = shown
    verdict.feedback = reading + verdict.feedback
    return verdict


def _usable_time_limit(seconds: Any) -> float:
    usable = isinstance(seconds, (int, float)) and not isinstance(seconds, bool)
    if usable and math.isfinite(seconds) and seconds > 0:
        return float(seconds)
    return TIME_LIMIT


_DECIMAL = re.compile(r"\d\.\d|(?<![\w.])\.\d|\d\.(?![\d.])|\d[eE][+-]?\d")


def decimal(text: str) -> bool:
    """True when the answer text has a decimal number (0.33, .5, 1e-3): an approximate answer,
    compared with the relative tolerance; exact answers are compared exactly."""
    return bool(_DECIMAL.search(text))


def _unreadable(error: ParseError) -> Verdict:
    caret = error.caret()
    where = f"\n{caret}" if caret else ""
    return Verdict(
        False,
        0.0,
        f"I could not read your answer: {error.message}.{where}\n"
        "Fix it and try again — this attempt does not count.",
        counted=False,
    )


def _type_problem(given: Any, expected: Answer) -> Verdict | None:
    """A Verdict when the answer has the wrong type or shape, else None."""
    kind = expected.kind
    if kind == "choice":
        return None
    if kind == "number" and given.free_symbols:
        names = ", ".join(sorted(str(s) for s in given.free_symbols))
        return Verdict(
            False,
            0.0,
            f"the answer is a number, but yours contains {names} — evaluate it",
            counted=False,
        )
    if kind in ("expression", "vector", "matrix"):
        unknown = _unknown_names(given, expected)
        if unknown is not None:
            return unknown
    if kind in ("vector", "matrix"):
        want = expected.value.shape
        have = given.shape
        if have == want:
            return None
        if have == (1, 1):
            return Verdict(
                False,
                0.0,
                f"the answer is {_shape(want, kind)} — write all of it in brackets, "
                + ("e.g. [a, b]" if kind == "vector" else "e.g. [[a, b], [c, d]]"),
                counted=False,
            )
        if kind == "vector" and have == (1, want[0]):
            return _mistake("row_vs_column")
        if kind == "matrix" and have == (want[1], want[0]):
            return None  # compared below, where a transposed answer is recognised
        return Verdict(
            False,
            0.0,
            f"{MISTAKES['wrong_shape'].feedback} The answer is {_shape(want, kind)}; yours is "
            f"{_shape(have, kind)}.",
            mistake="wrong_shape",
        )
    return None


def _unknown_names(given: Any, expected: Answer) -> Verdict | None:
    """Not counted: the answer uses a variable the problem does not have (a typo, or `xy`
    written for x·y)."""
    allowed = {str(s) for s in expected.variables} | {str(s) for s in expected.value.free_symbols}
    extra = sorted(str(s) for s in given.free_symbols if str(s) not in allowed)
    if not extra:
        return None
    names = ", ".join(extra)
    uses = ", ".join(sorted(allowed)) or "no variables"
    glued = glued_hints(extra, known=allowed)
    tip = f": {'; '.join(glued)}" if glued else " — a typo?"
    return Verdict(
        False,
        0.0,
        f"your answer uses {names}, which is not in this problem (it uses {uses}){tip}",
        counted=False,
    )


def _judge(problem: Problem, given: Any, approximate: bool = False) -> Verdict:
    answer = problem.answer
    if answer.kind == "choice":
        if given == answer.value:
            return Verdict(True, 1.0, "right.", how="choice")
    elif isinstance(given, sp.MatrixBase) and given.shape == answer.value.shape:
        if answer.direction:
            if same_direction(list(given), list(answer.value)):
                return Verdict(True, 1.0, "right (any nonzero multiple is accepted).")
        else:
            pairs = zip(given, answer.value, strict=True)
            results = [compare_scalar(g, e, answer, approximate) for g, e in pairs]
            if all(r.equal for r in results):
                how = "exact" if all(r.how == "exact" for r in results) else "numeric"
                return Verdict(True, 1.0, _right(how), how=how)
    elif not isinstance(given, sp.MatrixBase):
        result = compare_scalar(given, answer.value, answer, approximate)
        if result.equal:
            if answer.kind == "number" and result.how != "exact":
                exact = show(answer.value, "number")
                return Verdict(True, 1.0, f"right (the exact value is {exact}).", how=result.how)
            return Verdict(True, 1.0, _right(result.how), how=result.how)
    found = _recognise(problem, given, approximate)
    if found is not None:
        return found
    return _wrong(problem, given, approximate)


def _right(how: str) -> str:
    if how == "exact":
        return "right."
    return "right (equal to the expected answer at every point checked)."


def _recognise(problem: Problem, given: Any, approximate: bool = False) -> Verdict | None:
    answer = problem.answer
    for kind, wrong in problem.mistakes.items():
        if values_equal(given, wrong, answer, approximate):
            return _mistake(kind)
    for kind, detect in DETECTORS.items():
        if detect(given, answer.value, lambda a, b: values_equal(a, b, answer, approximate)):
            return _mistake(kind)
    return None


def _mistake(kind: str) -> Verdict:
    return Verdict(False, 0.0, MISTAKES[kind].feedback, mistake=kind)


def _wrong(problem: Problem, given: Any, approximate: bool = False) -> Verdict:
    answer = problem.answer
    if answer.kind == "choice":
        return Verdict(False, 0.0, "not this one — ask for a `hint`, or look at the solution.")
    if isinstance(given, sp.MatrixBase):
        if given.shape != answer.value.shape:  # a transposed shape that is not the transpose
            return Verdict(
                False,
                0.0,
                f"The answer is {_shape(answer.value.shape, answer.kind)}; yours is "
                f"{_shape(given.shape, answer.kind)}.",
                mistake="wrong_shape",
            )
        if answer.direction:
            return Verdict(False, 0.0, "that vector does not point along the answer's direction.")
        pairs = zip(given, answer.value, strict=True)
        flags = [compare_scalar(g, e, answer, approximate).equal for g, e in pairs]
        right = sum(flags)
        wrong_at = [_entry_name(i, answer) for i, ok in enumerate(flags) if not ok]
        return Verdict(
            False,
            right / len(flags),
            f"{right} of {len(flags)} entries are right; check entry " + ", ".join(wrong_at) + ".",
        )
    result = compare_scalar(given, answer.value, answer, approximate)
    if answer.kind == "number":
        if result.given_value is not None and result.expected_value is not None:
            gap = abs(result.given_value - result.expected_value)
            if gap <= 0.01 * abs(result.expected_value):
                return Verdict(
                    False,
                    0.0,
                    "close, but not within the tolerance — give at least 4 significant digits "
                    "or an exact value (a fraction, √2, σ(1) …).",
                )
        return Verdict(False, 0.0, "that number is not right — check the arithmetic.")
    return Verdict(False, 0.0, _counterexample(result))


def _counterexample(result: Comparison) -> str:
    if result.how == "infinite":
        return "an infinite (or undefined) answer is never equal to a finite one."
    at = ", ".join(f"{k} = {v:.3g}" for k, v in result.point.items())
    if result.how == "domain":
        return (
            f"your answer is undefined at {at}, where the right answer is defined — "
            "check logs, roots and denominators."
        )
    if result.how == "different" and result.given_value is not None:
        return (
            f"not equal to the answer: at {at} yours gives {_num(result.given_value)}, "
            f"the answer gives {_num(result.expected_value)}."
        )
    return "that is not equal to the answer."


def _num(v: complex | None) -> str:
    if v is None:
        return "undefined"
    return f"{v.real:.6g}"


def _entry_name(i: int, answer: Answer) -> str:
    if answer.kind == "vector":
        return str(i + 1)
    cols = answer.value.cols
    return f"({i // cols + 1}, {i % cols + 1})"


def _shape(shape: tuple[int, ...], kind: str) -> str:
    if kind == "vector" and len(shape) == 2 and shape[1] == 1:
        return f"a column of {shape[0]}"
    return "×".join(str(n) for n in shape)


__all__ = ["TIME_LIMIT", "Verdict", "check", "to_text"]
