"""`--plot FILE` on the symbolic verbs saves a figure of the same result, and --json stays JSON."""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib.image
import pytest

from calcml.cli import main

VERBS = [
    ["derive", "x^2*sin(x)"],
    ["gradient", "x^2 + 3y^2", "--wrt", "x,y"],
    ["hessian", "x^2*y + y^3", "--wrt", "x,y"],
    ["limit", "sin(x)/x", "--var", "x", "--at", "0"],
    ["continuity", "abs(x)/x", "--at", "0"],
    ["taylor", "exp(x)", "--at", "0", "--order", "3"],
    ["critical", "x^3 - 3x + y^2", "--wrt", "x,y"],
]


@pytest.mark.parametrize("args", VERBS, ids=[v[0] for v in VERBS])
def test_plot_option_saves_a_non_blank_figure_and_json_stays_clean(
    args: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / f"{args[0]}.png"
    assert main([*args, "--json", "--plot", str(target)]) == 0
    captured = capsys.readouterr()
    assert isinstance(json.loads(captured.out), dict)
    assert "saved" in captured.err
    pixels = matplotlib.image.imread(target)
    assert pixels.std() > 0.01
