"""Practice with vector/matrix answers: equivalent forms accepted, transposed/wrong shapes named;
the matrix-calculus lesson and the identities table of the cheat sheet."""

from __future__ import annotations

import re

import pytest

from calcml.learn.cheatsheet import cheatsheet
from calcml.learn.grader import check
from calcml.learn.lessons import lesson
from calcml.learn.problems import problem
from calcml.learn.roadmap import Roadmap
from calcml.learn.skills import TOPICS, skills_of

SKILLS = ["quadratic-form-gradient", "linear-model-gradient", "dense-layer-backprop"]


def _names(p: object) -> dict[str, str]:
    """name -> shape from the prompt's 'with X: n×d, w: d, y: n.'"""
    decl = re.search(r"with (.*?)\. Write", p.prompt).group(1)  # type: ignore[attr-defined]
    return dict(part.split(": ") for part in decl.split(", "))


@pytest.mark.parametrize("seed", range(6))
def test_linear_model_gradient_accepts_expanded_and_factored_forms(seed: int) -> None:
    p = problem("linear-model-gradient", seed, 1)
    X, w, y = list(_names(p))
    for form in (
        f"2 {X}^T ({X} {w} - {y})",
        f"2 {X}^T {X} {w} - 2 {X}^T {y}",
        f"2*({X}ᵀ{X}{w} − {X}ᵀ{y})",
        f"({X}^T {X} {w} - {X}^T {y}) * 2",
    ):
        verdict = check(p, form)
        assert verdict.correct, (form, verdict.feedback)


@pytest.mark.parametrize("seed", range(4))
def test_transposed_and_wrongly_shaped_answers_are_named(seed: int) -> None:
    p = problem("linear-model-gradient", seed, 1)
    X, w, y = list(_names(p))
    transposed = check(p, f"2 ({X} {w} - {y})^T {X}")
    assert not transposed.correct and transposed.mistake == "matrix_transposed"
    assert "transpose" in transposed.feedback
    wrong = check(p, f"2 ({X} {w} - {y})")
    assert not wrong.correct and wrong.mistake == "wrong_shape"
    assert "shape" in wrong.feedback
    assert check(p, f"{X}^T ({X} {w} - {y})").mistake == "matrix_lost_factor"
    unreadable = check(p, f"{X}^T ({X} {w}")
    assert not unreadable.counted


def test_quadratic_form_names_the_symmetric_assumption() -> None:
    p = problem("quadratic-form-gradient", 0, 1)
    A, x = list(_names(p))
    assert check(p, f"{A} {x} + {A}^T {x}").correct
    assert check(p, f"2 {A} {x}").mistake == "matrix_symmetric_assumed"


def test_dense_layer_backprop_in_matrix_form() -> None:
    p = problem("dense-layer-backprop", 1, 2)
    names = _names(p)
    x = next(n for n in names if n not in ("W", "b", "y"))
    z = f"W {x} + b"
    delta = f"((sigmoid({z}) - y) .* sigmoid({z}) .* (1 - sigmoid({z})))"
    assert check(p, f"{delta} {x}^T").correct
    assert check(p, f"{x} {delta}^T").mistake == "matrix_transposed"
    assert check(p, f"(sigmoid({z}) - y) {x}^T").mistake == "matrix_missing_derivative"


def test_three_skills_in_the_matrix_topic_after_topic_3() -> None:
    ids = [t.id for t in TOPICS]
    assert ids.index("matrix-calculus") == ids.index("partials") + 1
    assert {s.id for s in skills_of("matrix-calculus")} >= set(SKILLS)
    assert "Calculus with vectors and matrices" in Roadmap().text()


def test_matrix_lesson_computes_its_examples() -> None:
    text = lesson("matrix-calculus").text()
    assert "2Xᵀ(Xw − y)" in text
    assert "Xᵀ(σ(Xw) − y)/n" in text
    assert "could not be computed" not in text


def test_cheat_sheet_has_the_identities_table() -> None:
    sheet = cheatsheet().markdown()
    assert "Matrix calculus identities" in sheet
    assert "d(AB) = dA·B + A·dB" in sheet and "log-determinant" in sheet
