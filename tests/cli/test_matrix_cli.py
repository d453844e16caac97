"""`calcml derive | gradient | jacobian | hessian --shapes ...`: the matrix engine from the CLI."""

from __future__ import annotations

import json

import numpy as np
import pytest

from calcml.cli import main
from calcml.symbolic.matrix import parse_matrix
from calcml.symbolic.matrix.numeric import evaluate, instance
from calcml.symbolic.matrix.shapes import parse_shapes

LS = ["norm(X w - y)^2", "--wrt", "w", "--shapes", "X: n×d, w: d, y: n"]


def test_derive_with_shapes_prints_steps_and_shapes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["derive", *LS]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "∇_w [‖Xw − y‖²] = 2Xᵀ(Xw − y)   (d)"
    assert "[differential]" in out and "[matrix product]" in out
    assert "checked numerically" in out


def test_gradient_json_has_shapes_and_round_trips(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["gradient", *LS, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["kind"] == "gradient"
    assert data["shape"] == data["wrt_shape"] == ["d", 1]
    assert data["shapes"] == {"X": ["n", "d"], "w": ["d", 1], "y": ["n", 1]}
    assert set(data["result"]) == {"expr", "latex", "text", "shape"}
    for step in data["steps"]:
        for shown in step["shown"]:
            assert "shape" in shown
    shapes = parse_shapes("X: n×d, w: d, y: n")
    back, _ = parse_matrix(data["result"]["expr"], dict(shapes))
    f, _ = parse_matrix(data["expr"]["expr"], dict(shapes))
    dims, values = instance(f, shapes, np.random.default_rng(0))
    want = 2 * values["X"].T @ (values["X"] @ values["w"] - values["y"])  # independent: NumPy
    np.testing.assert_allclose(evaluate(back, dims, values), want)


def test_hessian_and_jacobian_verbs(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["hessian", "w^T A w", "--wrt", "w", "--shapes", "A: d x d, w: d"]) == 0
    assert capsys.readouterr().out.startswith("∇²_w [wᵀAw] = A + Aᵀ   (d×d)")
    assert main(["jacobian", "softmax(z)", "--wrt", "z", "--shapes", "z: (k,)"]) == 0
    assert "diag(softmax(z)) − softmax(z)softmax(z)ᵀ" in capsys.readouterr().out


def test_matrix_operator_without_shapes_uses_conventions(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["derive", "w^T x", "--wrt", "w"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("∇_w [wᵀx] = x")
    assert "shapes by convention" in out


@pytest.mark.parametrize(
    "argv",
    [
        ["derive", "w' x", "--wrt", "w", "--shapes", "w: d, x: d"],
        ["derive", "w X", "--wrt", "w", "--shapes", "X: n×d, w: d"],
        ["gradient", "w^T x", "--shapes", "w: d, x: d"],
        ["derive", "A^2", "--wrt", "A", "--shapes", "A: d×d"],
        ["derive", "w^T x", "--wrt", "w", "--shapes", "w d"],
    ],
)
def test_bad_matrix_input_exits_2_with_a_message(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "error" in err.lower() and "Traceback" not in err


def test_scalar_questions_still_go_to_the_scalar_engine(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["derive", "x^2 sin(x)"]) == 0
    assert capsys.readouterr().out.startswith("d/dx x²·sin(x)")
