"""What every generated problem prints reads as ordinary math and English (issue 14 item 11):
a negative number substituted into a product or sum is in parentheses ("-3·(-3) - 2", never
"-3·-3 + -2"), counts agree with their noun ("1 output", never "1 outputs"), and no "-0"."""

from __future__ import annotations

import re

import pytest

from calcml.learn import GENERATORS, problem

GLITCHES = {
    "a negative operand without parentheses": re.compile(r"(?:[·×^]|\+|−|(?<![=(,\[]) -) ?-\d"),
    "a plural after 1": re.compile(
        r"(?<![\d.,])1 (?:steps|inputs|outputs|passes|layers|points|units)\b"
    ),
    "a negative zero": re.compile(r"(?<![\w.])-0(?![.\d])"),
}


def _text(p) -> str:  # type: ignore[no-untyped-def]
    solution = p.solution.text() if p.solution is not None else ""
    return "\n".join([p.prompt, *p.hints, solution])


@pytest.mark.parametrize("skill", sorted(GENERATORS))
def test_problem_text_has_no_glitches(skill: str) -> None:
    for difficulty in (1, 2, 3):
        for seed in range(8):
            text = _text(problem(skill, seed, difficulty))
            for what, pattern in GLITCHES.items():
                found = pattern.search(text)
                where = text[max(0, found.start() - 60) : found.end() + 20] if found else ""
                assert found is None, f"{what} in {skill} d{difficulty} s{seed}: {where!r}"
