"""`calcml tour`: the stops a learner walks through."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from calcml.cli import main, tour


def test_tour_numbers_its_stops_consecutively_whatever_their_sort_keys(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    fake = [
        tour.TourSection(order, f"stop with key {order}", lambda _out, o=order: shown.append(o))
        for order in (9, 0, 4, 2)
    ]
    monkeypatch.setattr(tour, "SECTIONS", fake)
    assert main(["tour", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    numbers = [int(n) for n in re.findall(r"(\d+)\. stop with key", out)]
    assert numbers == [0, 1, 2, 3]
    assert shown == [0, 2, 4, 9]


def _shown_answers(out: str) -> list[tuple[str, str]]:
    """(answer text, the mark printed on the next line) for every `answer>` line."""
    lines = out.splitlines()
    return [
        (line.removeprefix("answer> "), lines[i + 1][:1])
        for i, line in enumerate(lines)
        if line.startswith("answer> ")
    ]


def test_every_answer_the_tour_presents_as_correct_is_accepted_by_the_grader(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from calcml.cli.output import console
    from calcml.learn import check, problem

    monkeypatch.setattr(console, "width", 400)  # one answer per line, unwrapped
    assert main(["tour", "--only", "practice", "--out", str(tmp_path)]) == 0
    shown = _shown_answers(capsys.readouterr().out)
    assert len(shown) >= 3
    assert sum(mark == "✓" for _, mark in shown) >= 2
    p = problem("sigmoid-derivative", seed=3, difficulty=1)  # the tour's problem
    for text, mark in shown:
        assert mark in "✓✗"
        assert check(p, text).correct == (mark == "✓"), text
