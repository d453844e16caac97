"""The renderers print what a learner expects and what the parser reads back."""

from __future__ import annotations

import pytest
import sympy as sp

import calcml as cm
from calcml.expr import expr_dict, relu, sigmoid, symbol, to_input, to_latex, to_text

x, y, w, b, z = (symbol(n) for n in "xywbz")

TEXT = [
    (x**2 * sp.sin(x), "x²·sin(x)"),
    (sigmoid(w * x + b), "σ(w·x + b)"),
    (sigmoid(z) * (1 - sigmoid(z)), "σ(z)·(1 - σ(z))"),
    (1 - sp.tanh(z) ** 2, "1 - tanh(z)²"),
    (sp.Abs(x), "|x|"),
    (sp.sqrt(x + 1), "√(x + 1)"),
    (1 / sp.sqrt(x**2 + 1), "1/√(x² + 1)"),
    (sp.exp(-x), "e^(-x)"),
    (1 / x**2, "1/x²"),
    (symbol("theta") ** 2, "θ²"),
    (relu(x), "ReLU(x)"),
    (sp.pi * x, "π·x"),
]


@pytest.mark.parametrize(("expr", "text"), TEXT, ids=[t for _, t in TEXT])
def test_to_text_prints_unicode_and_parses_back(expr: sp.Expr, text: str) -> None:
    assert to_text(expr) == text
    assert cm.parse(text) == expr


def test_to_latex_uses_sigma_and_operatorname_relu() -> None:
    assert to_latex(sigmoid(z)) == r"\sigma\left(z\right)"
    assert to_latex(relu(z)) == r"\operatorname{ReLU}\left(z\right)"
    assert to_latex(sigmoid(z) ** 2) == r"\sigma\left(z\right)^{2}"


def test_expr_dict_has_input_latex_and_text_and_input_parses_back() -> None:
    expr = sigmoid(w * x + b) * sp.log(x)
    data = expr_dict(expr)
    assert set(data) == {"expr", "latex", "text"}
    assert cm.parse(data["expr"]) == expr
    assert to_input(expr) == data["expr"]


def test_to_text_renders_matrices_row_by_row() -> None:
    assert to_text(sp.Matrix([[x, 1], [0, y]])) == "[[x, 1], [0, y]]"


def test_unevaluated_denominator_prints_single_parentheses() -> None:
    inner = sp.Mul(x, sp.sqrt(x + 4) + 2, evaluate=False)
    expr = sp.Mul(x, sp.Pow(inner, -1, evaluate=False), evaluate=False)
    assert to_text(expr) == "x/(x·(√(x + 4) + 2))"
    assert cm.parse(to_input(expr)) == cm.parse("x/(x*(sqrt(x + 4) + 2))")
