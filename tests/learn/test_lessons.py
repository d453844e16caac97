"""Lessons and cheat sheet: every topic renders with computed examples; the cheat sheet has
every topic and rule (the book and the cheat sheet as HTML pages: tests/web/test_book.py)."""

from __future__ import annotations

import pytest

from calcml.errors import CalcmlError
from calcml.learn.cheatsheet import cheatsheet, derivative_rules, key_formulas
from calcml.learn.lessons import lesson, render_blocks, source
from calcml.learn.mistakes import MISTAKES
from calcml.learn.skills import TOPICS


@pytest.mark.parametrize("topic_id", [t.id for t in TOPICS])
def test_every_lesson_has_formulas_ml_motivation_examples_mistakes(topic_id: str) -> None:
    text = source(topic_id)
    for heading in ("## Key formulas", "## Why it matters in ML", "## Worked examples"):
        assert heading in text
    assert key_formulas(text)
    rendered = lesson(topic_id)
    kinds = [b.kind for b in rendered.blocks]
    failed = [b.text for b in rendered.blocks if b.kind == "error"]
    assert not failed, failed
    assert kinds.count("example") >= 2
    md = rendered.markdown(figures=False)
    assert "Common mistakes" in md and "```text" in md
    assert rendered.to_dict()["title"] == rendered.topic.title
    assert "<pre>" in rendered.html()


def test_lessons_have_figures_embedded_as_png() -> None:
    figures = [b for t in TOPICS for b in lesson(t.id).blocks if b.kind == "figure"]
    assert len(figures) >= 5
    assert all(b.png and b.png.startswith(b"\x89PNG") for b in figures)
    assert "data:image/png;base64," in lesson("derivatives").html()


def test_lesson_examples_are_computed_not_typed() -> None:
    blocks = render_blocks("::: derive x^3 ; x")
    assert blocks[0].kind == "example" and "3·x²" in blocks[0].text


def test_unknown_directive_is_an_error() -> None:
    with pytest.raises(CalcmlError, match="directive"):
        render_blocks("::: nonsense 1")


def test_a_failing_example_is_reported_in_place() -> None:
    blocks = render_blocks("before\n::: derive sin(x ; x\nafter")
    assert [b.kind for b in blocks] == ["markdown", "error", "markdown"]
    assert "could not be computed" in blocks[1].text


def test_lesson_by_number_and_word() -> None:
    assert lesson("4").topic.id == "descent"
    assert lesson("Jacobian").topic.id == "curvature"


def test_cheat_sheet_has_every_topic_rules_and_mistakes() -> None:
    sheet = cheatsheet()
    md = sheet.markdown()
    for t in TOPICS:
        assert f"## {t.number}. {t.title}" in md
    rules = {r.rule for r in derivative_rules()}
    assert {"product", "quotient", "chain", "power", "sin", "exp"} <= rules
    for m in MISTAKES.values():
        assert m.feedback[:30] in md
