"""`calcml backprop` as a user runs it: the traced steps, JSON, a DOT file, bad options."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from calcml.cli import main


def test_backprop_prints_forward_and_backward_passes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["backprop"]) == 0
    out = capsys.readouterr().out
    assert "Forward pass" in out and "Backward pass" in out
    assert "∂L/∂W1" in out and "tanh" in out


def test_backprop_json_gradients_match_the_engine(capsys: pytest.CaptureFixture[str]) -> None:
    from calcml import autodiff as ad
    from calcml.cli.backprop import example_trace

    assert main(["backprop", "--json", "--seed", "3", "--activation", "sigmoid"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["kind"] == "backprop_trace" and data["steps"]
    trace = example_trace(seed=3, activation="sigmoid")
    nodes = {n["name"]: n for n in data["nodes"]}
    params = [nodes[k]["value"] for k in ("W1", "b1", "W2", "b2")]
    x, y = np.array([0.5, -1.0]), np.array([1.0])

    def loss(W1: object, b1: object, W2: object, b2: object) -> object:
        return (((ad.sigmoid(x @ W1 + b1) @ W2 + b2) - y) ** 2).sum()

    expected = ad.grad(loss, argnums=(0, 1, 2, 3))(*map(np.array, params))
    for name, g in zip(("W1", "b1", "W2", "b2"), expected, strict=True):
        np.testing.assert_allclose(np.array(nodes[name]["grad"]), g)
        np.testing.assert_allclose(trace.grads()[name], g)


def test_backprop_writes_dot(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "g.dot"
    assert main(["backprop", "--dot", str(target)]) == 0
    assert target.read_text().startswith("digraph")
    assert str(target) in capsys.readouterr().out


def test_backprop_bad_activation_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["backprop", "--activation", "swish"]) == 2
    err = capsys.readouterr().err
    assert "unknown activation" in err and "Traceback" not in err


def test_tour_has_a_backpropagation_stop(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["tour", "--only", "Backprop", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "Backpropagation" in out and "chain rule" in out
    assert (tmp_path / "backprop.dot").exists()


def test_backprop_plot_saves_the_graph_and_keeps_json_clean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:

    target = tmp_path / "graph.png"
    assert main(["backprop", "--json", "--plot", str(target)]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["nodes"]
    assert target.stat().st_size > 10_000
    assert "saved" in captured.err
