"""`calcml parse` as a user runs it: output, JSON, exit codes, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import calcml as cm
from calcml.cli import main


def test_parse_prints_canonical_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", "2x sin x"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "2·x·sin(x)"


def test_parse_json_has_expr_text_latex_variables(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", "--json", "σ(w x + b)"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["text"] == "σ(w·x + b)"
    assert data["variables"] == ["b", "w", "x"]
    assert cm.parse(data["expr"]) == cm.parse("sigmoid(w*x + b)")


def test_parse_error_exits_2_with_caret_and_no_traceback(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["parse", "sin(x))"]) == 2
    err = capsys.readouterr().err
    assert "unexpected ')' at column 7" in err
    assert "      ^" in err
    assert "Traceback" not in err


def test_unknown_verb_is_a_usage_error_exit_2() -> None:
    assert main(["no-such-verb"]) == 2


def test_help_lists_the_verbs(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "parse" in out and "tour" in out


def test_console_script_runs_as_a_new_user_would() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "calcml", "parse", "x^2"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "x²"


def test_help_lists_every_design_verb_in_course_order(capsys: pytest.CaptureFixture[str]) -> None:
    from calcml.cli import COURSE_ORDER

    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    listed = [line.split()[1] for line in out.splitlines() if line.startswith("│ ")]
    verbs = [word for word in listed if word in COURSE_ORDER]
    assert verbs == COURSE_ORDER


def test_error_messages_are_printed_verbatim_not_as_markup(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from calcml.cli.output import report_error

    assert report_error(cm.CalcmlError("value [nan] at [bold]x[/bold]")) == 2
    assert "value [nan] at [bold]x[/bold]" in capsys.readouterr().err
