"""The service's `train` answers what `calcml train --json` prints (web learners see the same
descent, labels and conditioning as the terminal)."""

from __future__ import annotations

import json

import pytest

from calcml.cli import main
from calcml.service import EngineService, ServiceConfig, models


@pytest.mark.parametrize(
    ("fields", "argv"),
    [
        ({"model": "linear", "method": "gd"}, ["train", "linear", "--method", "gd"]),
        ({"model": "logistic", "data": "iris"}, ["train", "logistic", "--data", "iris"]),
    ],
)
def test_train_answers_as_the_cli_prints(
    capsys: pytest.CaptureFixture[str], fields: dict[str, str], argv: list[str]
) -> None:
    main([*argv, "--json"])
    printed = json.loads(capsys.readouterr().out)
    with EngineService(ServiceConfig(inline=True)) as svc:
        answered = json.loads(svc.call(models.request("train", fields)).to_json())
    assert answered == printed
