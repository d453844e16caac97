"""Shapes in Unicode and ASCII, the matrix grammar, conventions and the messages for bad input."""

from __future__ import annotations

import numpy as np
import pytest

from calcml.errors import CalcmlError, ParseError, ShapeError, UnsupportedError
from calcml.symbolic.matrix import (
    has_matrix_operator,
    matrix_gradient,
    matrix_jacobian,
    parse_matrix,
    parse_shapes,
)
from calcml.symbolic.matrix.numeric import evaluate, instance
from calcml.symbolic.matrix.render import m_input, m_latex, m_text


@pytest.mark.parametrize(
    "spec",
    [
        "X: n×d, w: d, y: n",
        "X: n x d, w: d, y: n",
        "X: (n, d), w: (d,), y: (n)",
        "X: n*d; w: d; y: n",
    ],
)
def test_shape_spellings_agree(spec: str) -> None:
    assert parse_shapes(spec) == {"X": ("n", "d"), "w": ("d", 1), "y": ("n", 1)}


def test_scalars_and_numeric_sizes() -> None:
    assert parse_shapes("λ: scalar, W: 3×4, r: r") == {"λ": (1, 1), "W": (3, 4), "r": ("r", 1)}


@pytest.mark.parametrize("bad", ["X n×d", "X: n×", "X: 0×2", "1X: n", "X: a b c"])
def test_bad_shape_declarations_raise_parse_error(bad: str) -> None:
    with pytest.raises(ParseError):
        parse_shapes(bad)


S = {"X": ("n", "d"), "w": ("d", 1), "y": ("n", 1), "A": ("d", "d")}


@pytest.mark.parametrize(
    "a, b",
    [
        ("w^T A w", "wᵀ A w"),
        ("X^T (X w - y)", "Xᵀ(Xw − y)"),
        ("y .* (X w)", "y ⊙ (Xw)"),
        ("norm(X w - y)^2", "‖Xw − y‖²"),
        ("norm(X w - y)^2", "||X w - y||^2"),
        ("sum(w)", "1ᵀw"),
        ("inv(A)", "A^-1"),
        ("inv(A)", "A⁻¹"),
        ("logdet(A)", "log det(A)"),
        ("logdet(A)", "log(det(A))"),
        ("trace(A)", "tr(A)"),
        ("norm(A)^2", "‖A‖_F²"),
    ],
)
def test_spellings_parse_to_the_same_expression(a: str, b: str) -> None:
    assert parse_matrix(a, dict(S))[0] == parse_matrix(b, dict(S))[0]


@pytest.mark.parametrize(
    "text",
    ["w^T A w", "norm(X w - y)^2 / n", "sum(sigmoid(X w) .* y)", "X^T (sigmoid(X w) - y)",
     "softmax(X w)", "logsumexp(X w) + trace(A A^T)", "diag(w) A", "(X w) ./ (1 + exp(X w))"],
)  # fmt: skip
def test_input_and_text_forms_round_trip(text: str) -> None:
    e, _ = parse_matrix(text, dict(S))
    dims, values = instance(e, dict(S), np.random.default_rng(0), positive=True)
    for form in (m_input(e), m_text(e)):
        back, _ = parse_matrix(form, dict(S))
        np.testing.assert_allclose(evaluate(back, dims, values), evaluate(e, dims, values))
    assert m_latex(e)


def test_prime_is_not_transpose() -> None:
    with pytest.raises(ParseError, match="prime"):
        parse_matrix("w' x", {"w": ("d", 1), "x": ("d", 1)})


def test_shape_mismatch_names_both_shapes() -> None:
    with pytest.raises(ShapeError, match="cannot multiply"):
        matrix_gradient("w X", "w", "X: n×d, w: d")
    with pytest.raises(ShapeError, match="cannot add"):
        matrix_gradient("norm(X w - w)^2", "w", "X: n×d, w: d")


def test_defaults_by_convention_with_a_note() -> None:
    e, notes = parse_matrix("norm(X w - y)^2 + λ w^T w", {})
    assert e.shape == (1, 1)
    assert notes and "upper-case matrix" in notes[0] and "λ: scalar" in notes[0]
    assert "X: matrix" in notes[0] and "w: vector" in notes[0]


def test_undeclared_name_without_defaults() -> None:
    with pytest.raises(ParseError, match="not declared"):
        parse_matrix("w^T v", {"w": ("d", 1)}, defaults=False)


@pytest.mark.parametrize(
    "text, wrt, shapes, error",
    [
        ("A^2", "A", "A: d×d", UnsupportedError),
        ("det(A)", "A", "A: d×d", UnsupportedError),
        ("w^T x", "w", "w: d, x: d", None),
        ("tan(w)", "w", "w: d", ParseError),
        ("norm(w", "w", "w: d", ParseError),
        ("w^T w", "v", "w: d", ParseError),
        ("X w", "w", "X: n×d, w: d", ShapeError),  # a vector: ask for its Jacobian
    ],
)
def test_out_of_scope_gets_a_short_message(text: str, wrt: str, shapes: str, error: type) -> None:
    if error is None:
        assert matrix_gradient(text, wrt, shapes).result.shape == ("d", 1)
        return
    with pytest.raises(error) as info:
        matrix_gradient(text, wrt, shapes)
    assert isinstance(info.value, CalcmlError) and len(str(info.value)) < 200


def test_sin_and_cos_act_entry_by_entry() -> None:
    d = matrix_gradient("sum(sin(w) .* cos(w))", "w", "w: d")
    dims, values = instance(d.expr, d.shapes, np.random.default_rng(1))
    w = values["w"]
    np.testing.assert_allclose(evaluate(d.result, dims, values), np.cos(2 * w))


def test_jacobian_through_a_matrix_valued_intermediate_is_refused() -> None:
    with pytest.raises(UnsupportedError, match="matrix-valued"):
        matrix_jacobian("inv(diag(x)) b", "x", "x: d, b: d")


def test_matrix_operator_detection() -> None:
    assert has_matrix_operator("w^T x")
    assert has_matrix_operator("‖Xw − y‖²")
    assert has_matrix_operator("y .* x")
    assert not has_matrix_operator("x^2 sin(x)")
    assert not has_matrix_operator("x^Tau")


@pytest.mark.parametrize("text", ["(" * 300 + "w" + ")" * 300, "w + " * 1000 + "w"])
def test_size_limits(text: str) -> None:
    with pytest.raises(ParseError):
        parse_matrix(text, {"w": ("d", 1)})


def test_symbolic_matrix_does_not_import_autodiff() -> None:
    """symbolic/ and autodiff/ meet only in tests: the numeric check here is NumPy alone."""
    from pathlib import Path

    import calcml.symbolic.matrix as pkg

    for path in Path(pkg.__file__).parent.glob("*.py"):
        for line in path.read_text(encoding="utf-8").splitlines():
            code = line.strip()
            assert not (code.startswith(("import ", "from ")) and "autodiff" in code), path.name
