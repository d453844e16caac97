"""Under --json every error is one JSON object on stderr — {"error", "column" (parse errors),
"kind"} — with the exit codes unchanged (2 bad input, 1 a bug); without --json, text as
before."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from calcml.cli import main

CASES = [
    (["derive", "sin(x", "--json"], "parse", True),
    (["parse", "2 * (x + 1", "--json"], "parse", True),
    (["gradient", "sinn(x)", "--json"], "parse", True),
    (["limit", "1/x", "--side", "up", "--json"], "input", False),
    (["descend", "x^2", "--from", "a", "--json"], "input", False),
    (["descend", "x^2", "--from", "1", "--steps", "0", "--json"], "input", False),
    (["descend", "x^2", "--from", "1", "--steps", "ten", "--json"], "usage", False),
    (["train", "svm", "--json"], "input", False),
    (["check", "chain-rul", "--answer", "1", "--json"], "input", False),
    (["derive", "--json"], "usage", False),
    (["derive", "x", "--nope", "--json"], "usage", False),
    (["lesson", "nothing-like-it", "--json"], "input", False),
]


@pytest.mark.parametrize("args,kind,has_column", CASES, ids=[" ".join(c[0][:2]) for c in CASES])
def test_errors_under_json_are_one_json_object(
    args: list[str], kind: str, has_column: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(args) == 2
    out, err = capsys.readouterr()
    assert out == ""
    payload = json.loads(err)
    assert payload["kind"] == kind and payload["error"]
    assert ("column" in payload) == has_column
    if has_column:
        assert isinstance(payload["column"], int) and payload["column"] >= 1


def test_a_file_error_after_the_result_is_json_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "f").write_text("")
    assert main(["derive", "x^2", "--json", "--plot", str(tmp_path / "f" / "p.png")]) == 2
    out, err = capsys.readouterr()
    assert json.loads(out)["result"]
    lines = [line for line in err.splitlines() if line.startswith("{")]
    assert json.loads(lines[-1])["kind"] == "file"


def test_a_bug_under_json_is_kind_internal_exit_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import calcml.symbolic

    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("oops")

    monkeypatch.setattr(calcml.symbolic, "derive", broken)
    monkeypatch.delenv("CALCML_DEBUG", raising=False)
    assert main(["derive", "x^2", "--json"]) == 1
    payload = json.loads(capsys.readouterr().err)
    assert payload["kind"] == "internal" and "ZeroDivisionError" in payload["error"]


def test_without_json_errors_stay_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["derive", "sin(x"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error:") and "^" in err
