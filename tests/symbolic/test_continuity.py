"""`calcml.continuity` and `calcml.differentiable`: the conditions in order, the kinds of
discontinuity, one-sided derivatives and ReLU's subgradient."""

from __future__ import annotations

import json

import pytest
import sympy as sp

import calcml as cm
from calcml.errors import CalcmlError


@pytest.mark.parametrize(
    ("expr", "at", "kind"),
    [
        ("(x^2 - 1)/(x - 1)", "1", "removable"),
        ("sin(x)/x", "0", "removable"),
        ("abs(x)/x", "0", "jump"),
        ("heaviside(x)", "0", "jump"),
        ("sign(x)", "0", "jump"),
        ("1/x", "0", "infinite"),
        ("1/x^2", "0", "infinite"),
        ("exp(1/x)", "0", "infinite"),
        ("sin(1/x)", "0", "oscillating"),
    ],
)
def test_discontinuities_are_named(expr: str, at: str, kind: str) -> None:
    r = cm.continuity(expr, "x", at)
    assert r.continuous is False
    assert r.kind == kind


@pytest.mark.parametrize(
    ("expr", "at"),
    [
        ("sin(x)", "0"),
        ("abs(x)", "0"),
        ("relu(x)", "0"),
        ("x*sin(1/x) + x^2", "1"),
        ("sigmoid(x)", "2"),
    ],
)
def test_continuous_functions_pass_all_three_conditions(expr: str, at: str) -> None:
    r = cm.continuity(expr, "x", at)
    assert r.continuous is True and r.kind is None
    assert [c.holds for c in r.conditions] == [True, True, True]


def test_conditions_are_checked_in_order_and_stop_at_the_first_failure() -> None:
    r = cm.continuity("(x^2 - 1)/(x - 1)", "x", 1)
    assert [c.name for c in r.conditions] == ["f(a) is defined", "the limit exists"]
    assert [c.holds for c in r.conditions] == [False, True]
    assert any("removes the discontinuity" in n for n in r.notes)


def test_a_defined_point_with_a_different_limit_is_removable() -> None:
    # sign(x)^2 is 1 near 0 but 0 at 0
    r = cm.continuity("sign(x)^2", "x", 0)
    assert r.value == 0 and r.limit.value == 1
    assert (r.continuous, r.kind) == (False, "removable")
    assert r.conditions[2].holds is False


def test_one_sided_continuity_is_noted() -> None:
    r = cm.continuity("heaviside(x)", "x", 0)
    assert r.value == sp.Rational(1, 2)
    r = cm.continuity("sqrt(x)", "x", 0)
    assert any("continuous from the right" in n for n in r.notes)


def test_continuity_renders_and_serialises() -> None:
    r = cm.continuity("abs(x)/x", "x", 0)
    data = json.loads(json.dumps(r.to_dict()))
    assert data["kind"] == "jump" and data["continuous"] is False
    assert (data["left"], data["right"], data["value"]) == ("-1", "1", "DNE")
    assert "jump discontinuity" in r.text() and r.markdown() and r.latex()


def test_continuity_at_infinity_is_an_error() -> None:
    with pytest.raises(CalcmlError):
        cm.continuity("x", "x", "oo")


def test_abs_is_continuous_but_not_differentiable_at_zero() -> None:
    d = cm.differentiable("abs(x)", "x", 0)
    assert (d.continuous, d.differentiable, d.left, d.right) == (True, False, -1, 1)
    assert any("∂f(0) = [-1, 1]" in n for n in d.notes)


def test_relu_at_zero_has_one_sided_derivatives_and_a_subgradient_note() -> None:
    d = cm.differentiable("relu(x)", "x", 0)
    assert (d.continuous, d.differentiable, d.left, d.right) == (True, False, 0, 1)
    assert any("subgradient" in n and "ReLU′(0) = 0" in n for n in d.notes)
    assert len(d.quotients) == 2 and d.quotients[0].side == "left"
    assert "left derivative" in d.text()


def test_smooth_functions_are_differentiable_with_the_derivative() -> None:
    assert cm.differentiable("x^2", "x", 3).derivative == 6
    assert cm.differentiable("sigmoid(x)", "x", 0).derivative == sp.Rational(1, 4)
    assert cm.differentiable("x*abs(x)", "x", 0).derivative == 0


def test_vertical_tangent_and_discontinuity_are_not_differentiable() -> None:
    d = cm.differentiable("sign(x)", "x", 0)
    assert d.differentiable is False and d.continuous is False
    d = cm.differentiable("x^(1/3)", "x", 1)
    assert d.differentiable is True
    data = json.loads(json.dumps(cm.differentiable("abs(x)", "x", 0).to_dict()))
    assert data["left_derivative"] == "-1" and data["right_derivative"] == "1"


def test_subgradients_only_at_convex_corners() -> None:
    convex = " ".join(cm.differentiable("abs(x)", "x", 0).notes)
    assert "∂f(0) = [-1, 1]" in convex
    concave = " ".join(cm.differentiable("-abs(x)", "x", 0).notes)
    assert "no subgradient" in concave and "∂f(0)" not in concave


def test_relu_note_names_the_relu_that_switches_at_the_point() -> None:
    notes = " ".join(cm.differentiable("relu(x + 1)", "x", -1).notes)
    assert "ReLU(x + 1)" in notes and "PyTorch" in notes
    # the corner here is |x - 1|'s; ReLU(x) is smooth at 1, so no ReLU note
    notes = " ".join(cm.differentiable("relu(x) + abs(x - 1)", "x", 1).notes)
    assert "ReLU" not in notes


def test_json_states_the_question() -> None:
    assert (
        cm.continuity("abs(x)/x", "x", 0).to_dict()["question"] == "Is |x|/x continuous at x = 0?"
    )
    assert cm.differentiable("abs(x)", "x", 0).to_dict()["question"].startswith("Is |x| differ")
