"""`calcml derive | gradient | jacobian | hessian` as a user runs them."""

from __future__ import annotations

import json

import pytest

import calcml as cm
from calcml.cli import main


def test_derive_prints_numbered_rule_steps(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["derive", "x^2 sin(x)"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("d/dx x²·sin(x) = ")
    assert "1. [product]" in out
    assert "1.1. [power]" in out
    assert "checked against sympy.diff" in out


def test_derive_json_has_the_documented_shape(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["derive", "sigmoid(w*x + b)", "--wrt", "w", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["question"] == "∂/∂w σ(w·x + b)"
    assert set(data["result"]) == {"expr", "text", "latex"}
    assert cm.parse(data["result"]["expr"]) == cm.derive("sigmoid(w*x + b)", "w").result
    for step in data["steps"]:
        assert {"rule", "explanation", "before", "after", "substeps"} <= set(step)


def test_gradient_json_states_the_shape(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["gradient", "x^2*y + y^3", "--wrt", "x,y", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["shape"] == [2]
    assert len(data["components"]) == 2


def test_jacobian_takes_several_expressions(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["jacobian", "x*y", "x + y^2", "--wrt", "x,y", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["shape"] == [2, 2]
    assert data["result"]["text"] == "[[y, x], [1, 2·y]]"


def test_hessian_notes_symmetry(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["hessian", "x^2*y + y^3"]) == 0
    out = capsys.readouterr().out
    assert "mixed partials agree" in out
    assert "shape 2×2" in out


@pytest.mark.parametrize(
    "argv",
    [["derive", "sin(x"], ["derive", "x*y"], ["gradient", "x^2", "--wrt", "1x"]],
)
def test_bad_input_exits_2_without_traceback(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "error:" in err
    assert "Traceback" not in err


def test_tour_has_a_derivatives_stop(capsys: pytest.CaptureFixture[str], tmp_path) -> None:
    assert main(["tour", "--only", "derivatives", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "Derivatives" in out
    assert "σ(z) - y" in out


def test_help_teaches_with_examples(capsys: pytest.CaptureFixture[str]) -> None:
    for verb in ("derive", "gradient", "jacobian", "hessian"):
        assert main([verb, "--help"]) == 0
        out = capsys.readouterr().out
        assert f'calcml {verb} "' in out  # an example to copy


def test_derivative_of_a_step_reads_as_zero_off_the_jump(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["derive", "x*sign(x)", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert cm.parse(data["result"]["expr"]) == cm.parse("sign(x)")  # no DiracDelta: it parses
