"""`calcml.learn.lesson(4)` works like `calcml lesson 4`; a topic is found by a word of its
title, summary or skills ('gradient', 'pca'), the place where the word weighs most winning."""

from __future__ import annotations

import pytest

from calcml.errors import CalcmlError
from calcml.learn import lesson
from calcml.learn.skills import SKILLS, TOPICS, topic


@pytest.mark.parametrize("t", TOPICS, ids=[t.id for t in TOPICS])
def test_a_number_given_as_int_or_text_is_the_same_topic(t: object) -> None:
    assert topic(t.number) is t  # type: ignore[attr-defined]
    if t.number.isdigit():  # type: ignore[attr-defined]
        assert topic(int(t.number)) is t  # type: ignore[attr-defined]


def test_lesson_accepts_an_int() -> None:
    assert lesson(4).title == lesson("4").title


@pytest.mark.parametrize(
    "word,expected",
    [("gradient", "partials"), ("pca", "applications"), ("PCA", "applications"),
     ("hessian", "curvature"), ("taylor", "beyond"), ("backpropagation", "backprop")],
)  # fmt: skip
def test_a_word_finds_its_lesson(word: str, expected: str) -> None:
    assert topic(word).id == expected


def test_every_skill_id_word_finds_a_topic_holding_it_or_says_which() -> None:
    for s in SKILLS:
        try:
            assert topic(s.id.split("-")[0]).id
        except CalcmlError as error:
            assert "several topics" in error.message


def test_an_unknown_word_lists_the_topics() -> None:
    with pytest.raises(CalcmlError, match="topics: 1=functions"):
        topic("quaternions")
