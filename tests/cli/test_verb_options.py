"""What every verb shares: an expression may start with a minus sign; the variable option is
--wrt with --var and --vars as aliases; every verb that prints a result takes --json."""

from __future__ import annotations

import json

import pytest

from calcml.cli import main
from calcml.cli.app import app

LEADING_MINUS = [
    ["parse", "-log(σ(x))"],
    ["derive", "-log(σ(x))"],
    ["gradient", "-x^2 - y^2"],
    ["jacobian", "-x*y", "-x - y"],
    ["hessian", "-x^2*y"],
    ["limit", "-sin(x)/x"],
    ["continuity", "-abs(x)"],
    ["taylor", "-exp(x)"],
    ["critical", "-x^2 - y^2"],
    ["descend", "-x^2 + x^4", "--from", "1", "--steps", "20"],
    ["newton", "-x^2 + x^4", "--from", "1"],
]


@pytest.mark.parametrize("args", LEADING_MINUS, ids=[a[0] for a in LEADING_MINUS])
def test_an_expression_may_start_with_a_minus(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*args, "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert "-" in json.dumps(payload, ensure_ascii=False)


VARIABLE_VERBS = [
    (["derive", "x*y"], "y"),
    (["gradient", "x*y + y"], "y,x"),
    (["jacobian", "x*y", "x + y"], "y,x"),
    (["hessian", "x^2*y"], "y,x"),
    (["limit", "sin(x*y)/x"], "x"),
    (["continuity", "abs(x)"], "x"),
    (["taylor", "exp(x)"], "x"),
    (["critical", "x^2 + y^2"], "x,y"),
    (["descend", "x^2 + 2y^2", "--from", "1,1", "--steps", "5"], "y,x"),
    (["newton", "x^2 + 2y^2", "--from", "1,1"], "y,x"),
]


@pytest.mark.parametrize("args,names", VARIABLE_VERBS, ids=[a[0] for a, _ in VARIABLE_VERBS])
def test_wrt_var_and_vars_are_one_option(
    args: list[str], names: str, capsys: pytest.CaptureFixture[str]
) -> None:
    outputs = []
    for flag in ("--wrt", "--var", "--vars"):
        assert main([*args, flag, names, "--json"]) == 0, flag
        outputs.append(json.loads(capsys.readouterr().out))
    assert outputs[0] == outputs[1] == outputs[2]


# verbs that print no result of their own: an interactive session, files, the tour; and the
# command groups `admin` (the operator's status lines) and `progress` (its export is JSON)
NO_RESULT = {"practice", "cheatsheet", "book", "gallery", "tour", "serve", "admin", "progress"}


def test_every_verb_that_prints_a_result_takes_json() -> None:
    import typer.main

    command = typer.main.get_command(app)
    verbs = command.commands  # type: ignore[attr-defined]
    for name, verb in verbs.items():
        flags = {opt for p in verb.params for opt in getattr(p, "opts", [])}
        assert ("--json" in flags) == (name not in NO_RESULT), name


def test_the_app_help_promises_json_only_where_it_is(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "any verb" not in capsys.readouterr().out
