"""The parser reads every construct learners type, into the SymPy expression built by hand."""

from __future__ import annotations

import pytest
import sympy as sp

import calcml as cm
from calcml.expr import leaky_relu, relu, sigmoid, softplus, symbol

x, y, z, w, b = (symbol(n) for n in "xyzwb")
theta, mu, sigma = symbol("theta"), symbol("mu"), symbol("sigma")

CASES: list[tuple[str, sp.Expr]] = [
    # numbers
    ("3", sp.Integer(3)),
    ("0.5", sp.Rational(1, 2)),
    (".25", sp.Rational(1, 4)),
    ("1e-3", sp.Rational(1, 1000)),
    ("2.5E2", sp.Integer(250)),
    # variables and constants
    ("x", x),
    ("w1", symbol("w1")),
    ("x_1", symbol("x_1")),
    ("x_{12}", symbol("x_12")),
    ("x₁", symbol("x_1")),
    ("theta", theta),
    ("θ", theta),
    ("mu + sigma", mu + sigma),
    ("μ", mu),
    ("ς", sigma),
    ("pi", sp.pi),
    ("π", sp.pi),
    ("e", sp.E),
    ("oo", sp.oo),
    ("inf", sp.oo),
    ("-∞", -sp.oo),
    # operators
    ("x + y - z", x + y - z),
    ("x*y/z", x * y / z),
    ("x^2", x**2),
    ("x**2", x**2),
    ("2^3^2", sp.Integer(512)),
    ("-x^2", -(x**2)),
    ("x^-1", 1 / x),
    ("2^-x", 2 ** (-x)),
    ("--x", x),
    ("x − y", x - y),
    ("x × y ÷ z", x * y / z),
    ("(x + 1)/(x - 1)", (x + 1) / (x - 1)),
    ("a/b/c", symbol("a") / symbol("b") / symbol("c")),
    ("|x|", sp.Abs(x)),
    ("|x - 1| + |y|", sp.Abs(x - 1) + sp.Abs(y)),
    ("||x| - 1|", sp.Abs(sp.Abs(x) - 1)),
    ("2|x|", 2 * sp.Abs(x)),
    ("|x||y|", sp.Abs(x) * sp.Abs(y)),
    # implicit multiplication
    ("2x", 2 * x),
    ("3 sin(x)", 3 * sp.sin(x)),
    ("x y", x * y),
    ("(x+1)(x-1)", (x + 1) * (x - 1)),
    ("2 pi x", 2 * sp.pi * x),
    ("x(x + 1)", x * (x + 1)),
    ("2(x + 1)", 2 * (x + 1)),
    ("x^2 y", x**2 * y),
    ("sin x", sp.sin(x)),
    ("2x sin x", 2 * x * sp.sin(x)),
    ("sin x cos x", sp.sin(x) * sp.cos(x)),
    ("sin 2x", sp.sin(2 * x)),
    ("sin x^2", sp.sin(x**2)),
    ("ln x + 1", sp.log(x) + 1),
    # functions
    ("sqrt(x)", sp.sqrt(x)),
    ("cbrt(x)", sp.sign(x) * sp.Abs(x) ** sp.Rational(1, 3)),  # the real cube root
    ("exp(x)", sp.exp(x)),
    ("e^x", sp.exp(x)),
    ("log(x)", sp.log(x)),
    ("ln(x)", sp.log(x)),
    ("log(x, 2)", sp.log(x) / sp.log(2)),
    ("log_2(x)", sp.log(x) / sp.log(2)),
    ("log_{10}(x)", sp.log(x) / sp.log(10)),
    ("ln|x|", sp.log(sp.Abs(x))),
    ("sin|x| + 1", sp.sin(sp.Abs(x)) + 1),
    ("sin(x) + cos(x) + tan(x)", sp.sin(x) + sp.cos(x) + sp.tan(x)),
    ("sec(x) + csc(x) + cot(x)", sp.sec(x) + sp.csc(x) + sp.cot(x)),
    ("asin(x) + acos(x) + atan(x)", sp.asin(x) + sp.acos(x) + sp.atan(x)),
    ("arcsin(x) + arccos(x) + arctan(x)", sp.asin(x) + sp.acos(x) + sp.atan(x)),
    ("sinh(x) + cosh(x) + tanh(x)", sp.sinh(x) + sp.cosh(x) + sp.tanh(x)),
    ("sech(x) + csch(x) + coth(x)", sp.sech(x) + sp.csch(x) + sp.coth(x)),
    ("asinh(x) + acosh(x) + atanh(x)", sp.asinh(x) + sp.acosh(x) + sp.atanh(x)),
    ("abs(x) + sign(x)", sp.Abs(x) + sp.sign(x)),
    ("erf(x)", sp.erf(x)),
    ("min(x, y)", sp.Min(x, y)),
    ("max(x, y, 0)", sp.Max(x, y, 0)),
    ("sin^2(x) + cos^2 x", sp.sin(x) ** 2 + sp.cos(x) ** 2),
    ("sin²(x)", sp.sin(x) ** 2),
    ("sin^{-1}(x)", sp.asin(x)),
    ("tanh^{-1}(x)", sp.atanh(x)),
    # ML functions
    ("sigmoid(w*x + b)", sigmoid(w * x + b)),
    ("σ(z)", sigmoid(z)),
    ("sigma(z)", sigmoid(z)),
    ("relu(x)", relu(x)),
    ("ReLU(x)", relu(x)),
    ("leaky_relu(x)", leaky_relu(x, sp.Rational(1, 100))),
    ("leaky_relu(x, 0.2)", leaky_relu(x, sp.Rational(1, 5))),
    ("softplus(x)", softplus(x)),
    # its own Unicode output
    ("x²·sin(x)", x**2 * sp.sin(x)),
    ("σ(w·x + b)", sigmoid(w * x + b)),
    ("x⁻¹", 1 / x),
    ("√x", sp.sqrt(x)),
    ("√(x + 1)", sp.sqrt(x + 1)),
    ("e^(-x)/(1 + e^(-x))²", sp.exp(-x) / (1 + sp.exp(-x)) ** 2),
    # LaTeX
    (r"\frac{a}{b}", symbol("a") / symbol("b")),
    (r"\frac12", sp.Rational(1, 2)),
    (r"\sqrt{x}", sp.sqrt(x)),
    (r"\sqrt[3]{x}", sp.sign(x) * sp.Abs(x) ** sp.Rational(1, 3)),
    (r"x^{2}", x**2),
    (r"e^{-x}", sp.exp(-x)),
    (r"x \cdot y", x * y),
    (r"x \times y", x * y),
    (r"\sin(x)", sp.sin(x)),
    (r"\sin x", sp.sin(x)),
    (r"\ln(x)", sp.log(x)),
    (r"\exp(x)", sp.exp(x)),
    (r"\sigma(z)", sigmoid(z)),
    (r"\left( x + 1 \right)^2", (x + 1) ** 2),
    (r"\left| x \right|", sp.Abs(x)),
    (r"\alpha + \beta", symbol("alpha") + symbol("beta")),
    (r"\theta^{2}", theta**2),
    (r"\pi", sp.pi),
    (r"\infty", sp.oo),
    (r"\operatorname{ReLU}(x)", relu(x)),
    (r"\frac{1}{1 + e^{-z}}", 1 / (1 + sp.exp(-z))),
    (r"x\,y", x * y),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_parse_reads_construct_as_the_expression_built_by_hand(
    text: str, expected: sp.Expr
) -> None:
    assert cm.parse(text) == expected


def test_parse_makes_every_variable_a_real_symbol() -> None:
    expr = cm.parse("a*x + theta + w_1")
    assert expr.free_symbols and all(s.is_real for s in expr.free_symbols)


def test_parse_keeps_decimals_exact() -> None:
    assert cm.parse("0.1 + 0.2") == sp.Rational(3, 10)


def test_parse_leaves_huge_symbolic_exponent_unevaluated() -> None:
    assert cm.parse("x^(10^100)") == x ** (sp.Integer(10) ** 100)


def test_as_expr_accepts_text_numbers_and_expressions() -> None:
    from calcml.expr.convert import as_expr

    assert as_expr("x + 1") == x + 1
    assert as_expr(0.25) == sp.Rational(1, 4)
    assert as_expr(3) == 3
    assert as_expr(x) is x
    with pytest.raises(cm.ParseError):
        as_expr([1, 2])


def test_sorted_variables_compares_numbers_as_numbers() -> None:
    from calcml.expr import sorted_variables

    names = [str(s) for s in sorted_variables(cm.parse("x10 + x2 + y + x1 + b").free_symbols)]
    assert names == ["b", "x1", "x2", "x10", "y"]


def test_gradient_and_descent_agree_on_variable_order() -> None:
    from calcml.optim.objective import as_objective

    expr = "x10^2 + x2^2 + x1"
    assert [str(v) for v in cm.gradient(expr).wrt] == ["x1", "x2", "x10"]
    assert list(as_objective(expr).names) == ["x1", "x2", "x10"]
