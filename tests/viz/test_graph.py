"""The backprop graph: one box per traced op, with and without Graphviz `dot`."""

from __future__ import annotations

import importlib
import io
import subprocess

import numpy as np
import pytest

from calcml import autodiff as ad
from calcml import viz
from calcml.viz.gallery import example_trace

graph_module = importlib.import_module("calcml.viz.graph")


def _trace():
    return ad.trace(lambda w, b: ad.tanh(w * 2.0 + b), np.array(0.5), np.array(0.1))


def test_one_box_per_traced_op_with_values_and_grads(monkeypatch, saved_png) -> None:
    monkeypatch.setattr(graph_module.shutil, "which", lambda name: None)
    trace = example_trace()
    fig = viz.graph(trace)
    assert fig.spec["drawn_with"] == "matplotlib"
    ops = [n for n in trace.nodes if n.kind == "op"]
    spec_ops = [n for n in fig.spec["nodes"] if n["kind"] == "op"]
    assert [n["id"] for n in spec_ops] == [n.name for n in ops]
    boxes = [p for p in fig.axes[0].patches]
    assert len(boxes) == len(fig.spec["nodes"])
    texts = " ".join(t.get_text() for t in fig.axes[0].texts)
    for n in ops:
        assert f"{n.name} = {n.op}" in texts
    w1 = next(n for n in fig.spec["nodes"] if n["id"] == "w1")
    assert float(w1["grad"]) == pytest.approx(float(trace.grads()["w1"]), rel=1e-3)
    saved_png(fig)


def test_layout_puts_every_op_below_its_inputs() -> None:
    spec = viz.graph_spec(example_trace())
    layer = {n["id"]: n["layer"] for n in spec["nodes"]}
    for e in spec["edges"]:
        assert layer[e["source"]] < layer[e["target"]]


def test_uses_graphviz_when_dot_is_installed(monkeypatch, saved_png) -> None:
    from matplotlib.figure import Figure

    seen = {}

    def fake_run(cmd, input, capture_output, timeout, check):
        seen["cmd"], seen["source"] = cmd, input.decode()
        fig = Figure(figsize=(3, 2))
        fig.add_subplot().plot([0, 1], [1, 0])
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
        return subprocess.CompletedProcess(cmd, 0, stdout=buf.getvalue(), stderr=b"")

    monkeypatch.setattr(graph_module.shutil, "which", lambda name: "/usr/bin/dot")
    monkeypatch.setattr(graph_module.subprocess, "run", fake_run)
    fig = viz.graph(_trace())
    assert fig.spec["drawn_with"] == "graphviz"
    assert seen["cmd"][0] == "/usr/bin/dot" and "-Tpng" in seen["cmd"]
    assert seen["source"].startswith("digraph") and '"L" [shape=record' in seen["source"]
    saved_png(fig)


def test_falls_back_when_dot_fails(monkeypatch) -> None:
    def broken(*args, **kwargs):
        raise subprocess.CalledProcessError(1, "dot")

    monkeypatch.setattr(graph_module.shutil, "which", lambda name: "/usr/bin/dot")
    monkeypatch.setattr(graph_module.subprocess, "run", broken)
    fig = viz.graph(_trace())
    assert fig.spec["drawn_with"] == "matplotlib"
    assert any("dot failed" in n for n in fig.spec["notes"])


def test_dot_source_has_one_record_per_node_and_every_edge() -> None:
    spec = viz.graph_spec(_trace())
    dot = spec["dot"]
    assert dot.count("shape=record") == len(spec["nodes"])
    assert dot.count("->") == len(spec["edges"])


def test_vanishing_gradients_are_measured_by_backprop(saved_png) -> None:
    from calcml.autodiff import nn

    fig = viz.vanishing_gradients(("sigmoid", "relu"), depth=6)
    nets = {n["activation"]: n["grad_norms"] for n in fig.spec["networks"]}
    assert len(nets["sigmoid"]) == 7
    assert nets["sigmoid"][0] < 1e-2 * nets["sigmoid"][-1]  # vanished toward the input
    assert nets["relu"][0] > 1e-2 * nets["relu"][-1]
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(64, 4)), rng.normal(size=(64, 1))
    net = nn.MLP([4, *([16] * 6), 1], activation="sigmoid", seed=0)
    ((net(X) - y) ** 2).mean().backward()
    assert np.linalg.norm(net.layers[0].W.grad) == pytest.approx(nets["sigmoid"][0])
    saved_png(fig)


def test_an_edge_skipping_layers_runs_beside_the_boxes(monkeypatch) -> None:
    monkeypatch.setattr(graph_module.shutil, "which", lambda name: None)

    def loss(w, b):
        z = w * 2.0 + b
        a, c = ad.sigmoid(z), ad.tanh(z)
        return (a * c - c).sum()  # c feeds both a product and the later subtraction

    fig = viz.graph(ad.trace(loss, np.array(0.3), np.array(-0.2)))
    layer = {n["id"]: n["layer"] for n in fig.spec["nodes"]}
    assert any(layer[e["target"]] - layer[e["source"]] > 1 for e in fig.spec["edges"])
    lanes = [line for line in fig.axes[0].get_lines() if len(line.get_xdata()) == 5]
    assert lanes
    for line in lanes:
        xs, ys = line.get_xdata(), line.get_ydata()
        lane_x, top, bottom = xs[2], ys[2], ys[3]
        crossed = [n for n in fig.spec["nodes"] if bottom < -n["layer"] < top]
        assert crossed and all(abs(lane_x - n["x"]) > 0.5 for n in crossed)  # box half-width
