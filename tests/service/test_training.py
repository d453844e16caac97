"""The service's `train` answers what `calcml train --json` prints (web learners see the same
descent, labels and conditioning as the terminal): both call `calcml.ml.training.train`, so
the estimator, its settings, the report and the refusals cannot drift apart."""

from __future__ import annotations

import json
from typing import Any

import pytest

from calcml.cli import main
from calcml.service import EngineService, ServiceConfig, models
from calcml.service.errors import InputError


@pytest.mark.parametrize(
    ("fields", "argv"),
    [
        ({"model": "linear", "method": "gd"}, ["train", "linear", "--method", "gd"]),
        ({"model": "logistic", "data": "iris"}, ["train", "logistic", "--data", "iris"]),
        ({"model": "linear", "data": "iris"}, ["train", "linear", "--data", "iris"]),
        (
            {"model": "linear", "method": "gd", "lr": 0.05, "l2": 0.1},
            ["train", "linear", "--method", "gd", "--lr", "0.05", "--l2", "0.1"],
        ),
        (
            {"model": "logistic", "method": "gd", "data": "moons", "l2": 0.0},
            ["train", "logistic", "--method", "gd", "--data", "moons", "--l2", "0"],
        ),
        (
            {"model": "mlp", "data": "blobs", "epochs": 40, "hidden": [4, 3], "method": "gd"},
            ["train", "mlp", "--data=blobs", "--epochs=40", "--hidden=4,3", "--method=gd"],
        ),
    ],
)
def test_train_answers_as_the_cli_prints(
    capsys: pytest.CaptureFixture[str], fields: dict[str, Any], argv: list[str]
) -> None:
    main([*argv, "--json"])
    printed = json.loads(capsys.readouterr().out)
    with EngineService(ServiceConfig(inline=True)) as svc:
        answered = json.loads(svc.call(models.request("train", fields)).to_json())
    assert answered == printed


@pytest.mark.parametrize(
    ("fields", "argv", "words"),
    [
        (  # 64·64 weights × 2000 epochs is past the work bound in both faces
            {"model": "mlp", "hidden": [64, 64, 64, 64], "epochs": 2000},
            ["train", "mlp", "--hidden", "64,64,64,64", "--epochs", "2000"],
            "epochs × weights",
        ),
        ({"model": "linear", "method": "adam"}, ["train", "linear", "--method", "adam"], "adam"),
        ({"model": "logistic", "epochs": 5}, ["train", "logistic", "--epochs", "5"], "mlp"),
        (
            {"model": "logistic", "data": "linear"},
            ["train", "logistic", "--data", "linear"],
            "numeric target",
        ),
    ],
)
def test_train_refuses_what_the_cli_refuses(
    capsys: pytest.CaptureFixture[str], fields: dict[str, Any], argv: list[str], words: str
) -> None:
    assert main(argv) == 2
    said = capsys.readouterr().err
    assert words in said
    with EngineService(ServiceConfig(inline=True)) as svc, pytest.raises(InputError) as caught:
        svc.call(models.request("train", fields))
    assert words in str(caught.value)
