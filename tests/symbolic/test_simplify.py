"""The final form: tidy, learner-recognisable, fast, and shown as its own step."""

from __future__ import annotations

import sys

import pytest
import sympy as sp

from calcml.expr import parse, sigmoid, symbol
from calcml.symbolic import derive
from calcml.symbolic.simplify import tidy

x, y, z, w, b = (symbol(n) for n in "xyzwb")


def test_simplification_is_its_own_rewrite_step() -> None:
    d = derive(sp.exp(x) / x)
    last = d.steps[-1]
    assert (last.rule, last.kind) == ("simplify", "rewrite")
    assert last.after == d.result == (x - 1) * sp.exp(x) / x**2
    assert sp.simplify(last.before - last.after) == 0


def test_no_simplify_step_when_already_tidy() -> None:
    assert all(s.rule != "simplify" for s in derive(sp.sin(x**2)).steps)


def test_bce_of_a_sigmoid_collapses_to_sigma_minus_y() -> None:
    bce = -(y * sp.log(sigmoid(z)) + (1 - y) * sp.log(1 - sigmoid(z)))
    assert derive(bce, z).result == sigmoid(z) - y


def test_sigmoid_of_an_affine_map_keeps_sigma_one_minus_sigma() -> None:
    s = sigmoid(w * x + b)
    assert derive(s, w).result == x * s * (1 - s)


def test_tanh_layer_keeps_one_minus_tanh_squared() -> None:
    assert derive(sp.tanh(w * x + b), w).result == x * (1 - sp.tanh(w * x + b) ** 2)


def test_tidy_cancels_like_terms() -> None:
    assert tidy(x * sp.sin(x) - x * sp.sin(x) + 2 * x * (x + 1) - 2 * x**2).expr == 2 * x


def test_tidy_leaves_function_arguments_alone() -> None:
    e = sigmoid(w * (x + 1)) * (x + 1) * 2 - 2 * sigmoid(w * (x + 1))
    assert tidy(e).expr.has(sigmoid(w * (x + 1)))


def test_derive_never_calls_sympy_simplify(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("sympy.simplify was called")

    monkeypatch.setattr(sp, "simplify", refuse)
    monkeypatch.setattr(sys.modules["sympy.simplify.simplify"], "simplify", refuse)
    derive(sigmoid(sp.tanh(w * x + b) + 1), w)
    derive(sp.exp(x) / (x**2 + 1), x)


def test_derive_of_a_nested_network_expression_is_sympys_derivative() -> None:
    # speed is kept in benchmarks/bench_derive.py; here: the result, against sympy.diff
    e = sigmoid(3 * sp.tanh(w * x + b) + 1)
    got = derive(e, w).result
    reference = sp.diff(e, w)
    for wv, xv, bv in [(0.3, -1.2, 0.5), (-2.0, 0.7, 1.5), (1.1, 2.2, -0.4)]:
        point = {w: wv, x: xv, b: bv}
        a = complex(sp.N(got.subs(point), 30))
        r = complex(sp.N(reference.subs(point), 30))
        assert abs(a - r) <= 1e-12 * max(1.0, abs(r))


def test_the_sigmoid_is_recognised_when_written_with_exponentials() -> None:
    assert derive(1 / (1 + sp.exp(-x))).result == sigmoid(x) * (1 - sigmoid(x))
    assert derive(sp.log(1 + sp.exp(x))).result == sigmoid(x)
    z = w * x + b
    assert derive(1 / (1 + sp.exp(-z)), w).result == x * sigmoid(z) * (1 - sigmoid(z))


@pytest.mark.parametrize(
    ("f", "expected"),
    [
        ("log(cosh(x))", "tanh(x)"),
        ("log(cos(x))", "-tan(x)"),
        ("log(sin(x))", "cot(x)"),
        ("log(cosh(w*x + b))", "w*tanh(w*x + b)"),
    ],
)
def test_ratios_are_named_as_a_learner_expects(f: str, expected: str) -> None:
    d = derive(parse(f), x)
    assert d.result == parse(expected)
    assert any(s.rule == "simplify" and "Write " in s.explanation for s in d.steps)


def test_tidying_never_brings_in_the_imaginary_unit() -> None:
    # -x/√(-x² - 1) "factored" to I·x/√(x² + 1) is no help in real calculus
    d = derive(parse("sqrt(-1 - x^2)"), x)
    assert not d.result.has(sp.I)
