"""One L2 convention across the course (issue 14 item 11): the penalty (λ/2)‖w‖², gradient λw
(weight decay), in the tour, cheat sheet, lessons, problems and calcml.symbolic.losses; the
other convention (λ‖w‖² → 2λw) is named once, in the applications lesson's note."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sympy as sp

from calcml.cli import main
from calcml.learn import check, problem
from calcml.learn.cheatsheet import cheatsheet
from calcml.learn.lessons import lesson
from calcml.learn.skills import TOPICS

NOTE = re.compile(r"Some courses write the penalty as λ‖w‖², whose\s+gradient is 2λw")
OTHER = re.compile(r"2λw|2·λ·w|(?<![/(])λ‖w‖²|(?<![/(])λ·‖w‖²")


def _outside_the_note(text: str) -> str:
    return NOTE.sub("", text)


def test_lessons_and_cheat_sheet_name_the_other_convention_only_in_the_note() -> None:
    lessons = "\n".join(lesson(t.id).markdown(figures=False) for t in TOPICS)
    assert len(NOTE.findall(lessons)) == 1
    sheet = cheatsheet().markdown()
    assert len(NOTE.findall(sheet)) == 1
    for text in (lessons, sheet):
        assert "(λ/2)‖w‖²" in text and "λw" in text
        found = OTHER.search(_outside_the_note(text))
        assert found is None, text[max(0, found.start() - 80) : found.end() + 40]


@pytest.mark.parametrize("difficulty", [1, 2, 3])
def test_l2_problems_use_half_lambda_and_accept_lambda_w(difficulty: int) -> None:
    for seed in range(10):
        p = problem("l2-gradient", seed, difficulty)
        (w,) = p.answer.variables
        text = "\n".join([p.prompt, *p.hints])
        assert "(λ/2)" in text and not OTHER.search(text), text
        lam = sp.Rational(re.search(r"with λ = (\S+)\.", p.prompt).group(1))  # type: ignore[union-attr]
        # the answer is the data term's gradient plus λw (SymPy's derivative of (λ/2)w²)
        data = sp.diff(p.solution.expr - lam / 2 * w**2, w)
        assert sp.simplify(p.answer.value - data - lam * w) == 0
        wrong = check(p, f"({p.answer.input()}) + {lam}*w")  # the other convention: 2λw
        assert not wrong.correct and wrong.mistake == "l2_factor"


def test_tour_says_half_lambda(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["tour", "--only", "Applications", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "(λ/2)·‖w‖²" in out and not OTHER.search(out)
