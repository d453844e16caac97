"""The chain of a vector/matrix expression as a diagram: every sub-expression with its shape, an
arrow from each part to the operation that uses it, and the parts that depend on the variable
highlighted — the path along which the gradient flows back, each Ḡ having its part's shape."""

from __future__ import annotations

from typing import Any

from calcml.errors import CalcmlError
from calcml.viz.figure import CalcmlFigure, add_notes, new_figure, renderer
from calcml.viz.spec import Spec
from calcml.viz.style import BLUE, GREY

MAX_NODES = 40  # sub-expressions drawn at most (a larger chain is refused with this number)


def matrix_chain_spec(
    f: Any, wrt: str, shapes: str | dict[str, Any] | None = None, question: str = ""
) -> Spec:
    """Data: the distinct sub-expressions of `f` (text or a parsed matrix Node) with their
    shapes, their layer (leaves 0, f last), the edges part → operation, and which depend on
    `wrt`."""
    from calcml.symbolic.matrix import parse_matrix, parse_shapes
    from calcml.symbolic.matrix.nodes import Node, walk
    from calcml.symbolic.matrix.render import m_latex, m_text
    from calcml.symbolic.matrix.result import dims_text

    expr = f if isinstance(f, Node) else parse_matrix(str(f), parse_shapes(shapes))[0]
    nodes = walk(expr)
    if len(nodes) > MAX_NODES:
        raise CalcmlError(
            f"the chain has {len(nodes)} parts; the diagram draws at most {MAX_NODES}"
        )
    layer: dict[Any, int] = {}
    for node in nodes:  # children come before parents
        layer[node] = 1 + max((layer[c] for c in node.children), default=-1)
    index = {node: i for i, node in enumerate(nodes)}
    per_layer: dict[int, int] = {}
    rows: list[int] = []
    for node in nodes:
        rows.append(per_layer.get(layer[node], 0))
        per_layer[layer[node]] = rows[-1] + 1
    out_nodes = [
        {
            "text": m_text(node),
            "latex": m_latex(node),
            "shape": dims_text(node.shape),
            "x": layer[node],
            "y": rows[i] - (per_layer[layer[node]] - 1) / 2,
            "on_path": bool(node.depends_on(wrt)),
        }
        for i, node in enumerate(nodes)
    ]
    edges = sorted({(index[c], index[node]) for node in nodes for c in node.children})
    title = question or f"The chain of {m_text(expr)}"
    return {
        "kind": "matrix_chain",
        "title": f"{title}: every part with its shape",
        "wrt": wrt,
        "nodes": out_nodes,
        "edges": [list(e) for e in edges],
        "notes": [
            f"Blue: the parts that depend on {wrt}; the gradient flows back along them, from "
            f"the right to {wrt}, each Ḡ with its part's shape. Grey: constants for this "
            "derivative."
        ],
    }


@renderer("matrix_chain")
def _draw(spec: Spec) -> CalcmlFigure:
    nodes, edges = spec["nodes"], spec["edges"]
    depth = max((n["x"] for n in nodes), default=0) + 1
    height = max(3.0, 0.9 * max(sum(1 for n in nodes if n["x"] == x) for x in range(depth)) + 1.5)
    fig, axes = new_figure(spec, height=min(height, 12.0))
    ax = axes[0, 0]
    ax.set_axis_off()
    for a, b in edges:
        start, end = nodes[a], nodes[b]
        ax.annotate(
            "",
            xy=(end["x"], end["y"]),
            xytext=(start["x"], start["y"]),
            arrowprops={"arrowstyle": "->", "color": GREY, "shrinkA": 22, "shrinkB": 22},
        )
    for n in nodes:
        colour = BLUE if n["on_path"] else GREY
        ax.text(
            n["x"],
            n["y"],
            f"{n['text']}\n({n['shape']})",
            ha="center",
            va="center",
            fontsize=9,
            color="white" if n["on_path"] else "black",
            bbox={"boxstyle": "round,pad=0.4", "fc": colour, "ec": colour, "alpha": 0.9},
        )
    ys = [n["y"] for n in nodes] or [0.0]
    ax.set_xlim(-0.6, depth - 0.4)
    ax.set_ylim(min(ys) - 0.8, max(ys) + 0.8)
    add_notes(fig, spec)
    return fig


def matrix_chain(derivation: Any) -> CalcmlFigure:
    """The chain diagram of a MatrixDerivation (what `--plot` draws for a matrix result)."""
    from calcml.viz.figure import render

    spec = matrix_chain_spec(derivation.expr, derivation.wrt, question=derivation.question)
    return render(spec)
