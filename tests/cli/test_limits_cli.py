"""`calcml limit | continuity | taylor | critical` as a user runs them, and the tour stops."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import calcml as cm
from calcml.cli import main


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    assert main([*args, "--json"]) == 0
    data: dict[str, object] = json.loads(capsys.readouterr().out)
    return data


@pytest.mark.parametrize(
    ("args", "value"),
    [
        (["limit", "sin(x)/x", "--var", "x", "--at", "0"], "1"),
        (["limit", "(x - 1)/(x^2 + 2x - 3)", "--at", "1"], "1/4"),
        (["limit", "1/x", "--at", "0", "--side", "right"], "oo"),
        (["limit", "1/x", "--at", "0", "--side", "left"], "-oo"),
        (["limit", "abs(x)/x", "--at", "0"], "DNE"),
        (["limit", "sigmoid(x)", "--at", "-oo"], "0"),
        (["limit", "2^(1/x)", "--at", "0", "--side", "left"], "0"),
    ],
)
def test_limit_json_value_is_a_string(
    capsys: pytest.CaptureFixture[str], args: list[str], value: str
) -> None:
    data = run_json(capsys, *args)
    assert data["value"] == value


def test_limit_prints_steps_and_evidence(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["limit", "(sqrt(x + 4) - 2)/x", "--at", "0"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "lim x → 0 (√(x + 4) - 2)/x = 1/4"
    assert "[conjugate]" in out and "numeric evidence" in out


def test_limit_json_steps_and_both_sides(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, "limit", "abs(x)/x", "--at", "0")
    assert (data["left"], data["right"], data["exists"]) == ("-1", "1", False)
    assert data["steps"] and set(data["evidence"]) == {"left", "right"}
    assert cm.parse(data["expr"]["expr"]) == cm.parse("abs(x)/x")  # type: ignore[index]


def test_bad_input_exits_2_without_a_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["limit", "sqrt(-1 - x^2)", "--at", "0"]) == 2
    err = capsys.readouterr().err
    assert "no real values" in err and "Traceback" not in err
    assert main(["limit", "sin(x", "--at", "0"]) == 2
    assert main(["limit", "x", "--at", "0", "--side", "up"]) == 2


def test_continuity_verb(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, "continuity", "abs(x)/x", "--at", "0")
    assert (data["continuous"], data["kind"]) == (False, "jump")
    assert main(["continuity", "(x^2 - 1)/(x - 1)", "--at", "1"]) == 0
    assert "removable discontinuity" in capsys.readouterr().out


def test_continuity_with_differentiability(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, "continuity", "relu(x)", "--at", "0", "--differentiable")
    assert (data["continuous"], data["differentiable"]) == (True, False)
    assert (data["left_derivative"], data["right_derivative"]) == ("0", "1")


def test_taylor_verb_one_and_two_variables(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, "taylor", "exp(x)", "--at", "0", "--order", "3")
    assert data["remainder"] == "O(x⁴)"
    assert cm.parse(data["polynomial"]["expr"]) == cm.parse("1 + x + x^2/2 + x^3/6")  # type: ignore[index]
    data = run_json(
        capsys, "taylor", "exp(x)*cos(y)", "--var", "x,y", "--at", "0,0", "--order", "2"
    )
    assert cm.parse(data["polynomial"]["expr"]) == cm.parse("1 + x + x^2/2 - y^2/2")  # type: ignore[index]
    assert main(["taylor", "sin(x)", "--order", "3"]) == 0
    assert "x - x³/6 + O(x⁴)" in capsys.readouterr().out


def test_critical_verb(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, "critical", "x^3 - 3x + y^2", "--wrt", "x,y")
    assert [p["kind"] for p in data["points"]] == ["saddle", "minimum"]  # type: ignore[index]
    assert main(["critical", "x^2 - y^2"]) == 0
    assert "saddle" in capsys.readouterr().out


def test_tour_stops(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["tour", "--only", "limits", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "Functions & limits" in out and "2^(1/x)" in out and "jump discontinuity" in out
    assert main(["tour", "--only", "taylor", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "Taylor & curvature" in out and "minimum" in out


@pytest.mark.parametrize(
    "argv",
    [
        ["limit", "sin(x)/x", "--time-limit", "-1"],  # used to hang (import lock left held)
        ["continuity", "abs(x)", "--time-limit", "0"],
        ["critical", "x^2", "--time-limit", "-2"],
        ["taylor", "abs(x)", "--order", "2"],  # a corner: not a failed verification (exit 1)
        ["taylor", "sqrt(x^2 + y^2)", "--wrt", "x,y", "--at", "0,0", "--order", "1"],
        ["limit", "x^(1/x)", "--at", "0", "--side", "left"],  # not real left of 0
    ],
)
def test_more_bad_input_exits_2_quickly(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "error:" in err and "Traceback" not in err


def test_taylor_json_result_is_in_powers_of_x_minus_a(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, "taylor", "sqrt(x)", "--at", "4", "--order", "2")
    result = data["result"]
    text = str(result["text"])  # type: ignore[index]
    assert "(x - 4)/4" in text and "(x - 4)²/64" in text
    assert cm.parse(result["expr"]).expand() == cm.parse(data["polynomial"]["expr"])  # type: ignore[index]


def test_help_teaches_with_examples(capsys: pytest.CaptureFixture[str]) -> None:
    for verb in ("limit", "continuity", "taylor", "critical"):
        assert main([verb, "--help"]) == 0
        assert "calcml " + verb in capsys.readouterr().out.split("Usage", 1)[1].split("╭")[0]
