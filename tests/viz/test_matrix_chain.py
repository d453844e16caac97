"""The chain of a vector/matrix derivative as a diagram (`--plot` on a matrix question, and the
web calculator's figure): every distinct part with its shape, arrows part → operation, the parts
that depend on the variable marked — checked on the ML corpus against a NumPy evaluation."""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib.image
import numpy as np
import pytest

from calcml import viz
from calcml.cli import main
from calcml.errors import CalcmlError
from calcml.symbolic.matrix import matrix_gradient, parse_matrix, parse_shapes
from calcml.symbolic.matrix.nodes import Var, walk
from calcml.symbolic.matrix.numeric import instance
from calcml.viz.matrix_chain import MAX_NODES, matrix_chain_spec
from symbolic.matrix.corpus import CORPUS
from symbolic.matrix.refeval import ag_eval

CASES = [c for c in CORPUS if c[4] == "gradient"][::3]


def _dims(shape: str, dims: dict[str, int]) -> tuple[int, int]:
    if shape == "scalar":
        return (1, 1)
    rows, _, cols = shape.partition("×")
    size = lambda d: int(d) if d.isdigit() else dims[d]  # noqa: E731
    return (size(rows), size(cols) if cols else 1)


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_chain_shapes_edges_and_path_agree_with_a_numpy_evaluation(case: tuple) -> None:
    _, text, wrt, shapes, _ = case
    spec = matrix_chain_spec(text, wrt, shapes)
    f, _ = parse_matrix(text, parse_shapes(shapes))
    parts = walk(f)
    nodes = spec["nodes"]
    assert len(nodes) == len(parts) and spec["kind"] == "matrix_chain"
    rng = np.random.default_rng(7)
    dims, values = instance(f, {v.name: v.shape for v in parts if isinstance(v, Var)}, rng)
    bumped = {**values, wrt: values[wrt] + rng.normal(size=values[wrt].shape)}
    for node, part in zip(nodes, parts, strict=True):
        value = np.atleast_2d(ag_eval(part, dims, values))
        assert value.shape == _dims(node["shape"], dims), (text, node)  # the shape shown is right
        changed = not np.allclose(ag_eval(part, dims, bumped), value, equal_nan=True)
        if changed:  # a part whose value moves with wrt is on the gradient's path
            assert node["on_path"], (text, node)
    for a, b in spec["edges"]:
        assert nodes[a]["x"] < nodes[b]["x"]  # a part is left of the operation that uses it
    assert nodes[-1]["on_path"] and nodes[-1]["shape"] == "scalar"


def test_plot_option_on_a_matrix_question_saves_the_chain_and_json_stays_clean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "chain.png"
    args = ["gradient", "norm(sigmoid(X w) - y)^2", "--wrt", "w", "--shapes", "X: n×d, w: d, y: n"]
    assert main([*args, "--json", "--plot", str(target)]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["kind"] == "gradient"
    assert "figure saved" in captured.err
    pixels = matplotlib.image.imread(target)
    assert pixels.shape[0] > 200 and pixels.std() > 0.05  # drawn, not blank
    assert list(tmp_path.iterdir()) == [target]  # written atomically: no temp file left


def test_figure_for_a_matrix_derivation_is_the_chain() -> None:
    d = matrix_gradient("w^T A w", "w", "A: d×d, w: d")
    fig = viz.figure_for(d)
    assert fig.spec["kind"] == "matrix_chain"
    assert {n["text"] for n in fig.spec["nodes"]} >= {"w", "A", "wᵀAw"}


def test_a_chain_too_long_to_draw_is_refused_with_the_maximum() -> None:
    long = " + ".join(f"norm(A{i} w)^2" for i in range(MAX_NODES))
    with pytest.raises(CalcmlError, match=str(MAX_NODES)):
        matrix_chain_spec(long, "w", "w: d")
