"""The computational graph of a backprop trace: one box per value (inputs, constants, each
traced op) with its forward value and its gradient ∂L/∂node; arrows from inputs to results.

Drawn by Graphviz `dot` when it is installed, else by a pure-Python layered layout with
matplotlib, so it always works. `graph_spec` holds nodes (with layout), edges and DOT source.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from typing import Any

import numpy as np

from calcml.errors import CalcmlError
from calcml.viz.figure import CalcmlFigure, add_notes, new_figure, render, renderer
from calcml.viz.spec import Spec
from calcml.viz.style import GREY, ORANGE, SKY, VERMILLION

DOT_TIMEOUT = 20  # seconds
MAX_LABEL = 26


def _short(text: str | None, limit: int = MAX_LABEL) -> str:
    if text is None:
        return "—"
    flat = " ".join(str(text).split()).replace(" ,", ",").replace("[ ", "[")
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _graph_of(trace: Any) -> tuple[dict[str, Any], str]:
    if isinstance(trace, dict):
        g = trace.get("graph", trace)
        return g, str(trace.get("output", ""))
    if hasattr(trace, "graph"):
        return trace.graph(), str(getattr(trace, "output", ""))
    raise CalcmlError("expected a backprop trace (calcml.autodiff.trace) or its graph dict")


def layout(
    nodes: list[dict[str, Any]], edges: list[dict[str, Any]]
) -> dict[str, tuple[float, int]]:
    """Layered layout, top to bottom: each op one layer below its deepest input, each leaf
    just above its first consumer; within a layer, nodes sit near their neighbours."""
    ids = [n["id"] for n in nodes]
    inputs: dict[str, list[str]] = {i: [] for i in ids}
    consumers: dict[str, list[str]] = {i: [] for i in ids}
    for e in sorted(edges, key=lambda e: e.get("input_index", 0)):
        inputs[e["target"]].append(e["source"])
        consumers[e["source"]].append(e["target"])
    is_leaf = {n["id"]: n.get("kind") != "op" for n in nodes}
    layer: dict[str, int] = {}

    def depth(i: str, seen: frozenset[str] = frozenset()) -> int:
        if i in layer:
            return layer[i]
        if is_leaf[i] or i in seen:
            layer[i] = 0
            return 0
        layer[i] = 1 + max((depth(s, seen | {i}) for s in inputs[i]), default=-1)
        return layer[i]

    for i in ids:
        depth(i)
    for i in ids:
        if is_leaf[i] and consumers[i]:
            layer[i] = max(0, min(layer[c] for c in consumers[i]) - 1)
    x: dict[str, float] = {}
    for k in range(max(layer.values(), default=0) + 1):
        row = [i for i in ids if layer[i] == k and not is_leaf[i]]
        for i in row:
            placed = [x[s] for s in inputs[i] if s in x]
            x[i] = float(np.mean(placed)) if placed else 0.0
    for i in ids:
        if is_leaf[i]:
            if consumers[i]:
                c = consumers[i][0]
                slot = inputs[c].index(i)
                x[i] = x.get(c, 0.0) + (slot - (len(inputs[c]) - 1) / 2) * 1.1
            else:
                x[i] = 0.0
    for k in set(layer.values()):  # push apart, keep each row centred on its wishes
        row = sorted((i for i in ids if layer[i] == k), key=lambda i: x[i])
        wish = [x[i] for i in row]
        pos = list(wish)
        for j in range(1, len(pos)):
            pos[j] = max(pos[j], pos[j - 1] + 1.15)
        shift = float(np.mean(np.array(wish) - np.array(pos)))
        for i, p in zip(row, pos, strict=True):
            x[i] = p + shift
    return {i: (x[i], layer[i]) for i in ids}


def graph_spec(trace: Any, title: str | None = None) -> Spec:
    """Data for the graph of a trace: nodes (value, grad, layout), edges, and DOT source."""
    g, output = _graph_of(trace)
    nodes = [dict(n) for n in g["nodes"]]
    known = {n["id"] for n in nodes}
    for e in g["edges"]:  # scalar constants appear only as edge sources: give them a box
        if e["source"] not in known:
            nodes.insert(
                0,
                {
                    "id": e["source"],
                    "label": e["source"],
                    "op": None,
                    "kind": "constant",
                    "shape": [],
                    "data": e["source"],
                    "grad": None,
                },
            )
            known.add(e["source"])
    edges = [dict(e) for e in g["edges"]]
    pos = layout(nodes, edges)
    for n in nodes:
        n["x"], n["layer"] = pos[n["id"]]
    ops = sum(1 for n in nodes if n.get("kind") == "op")
    spec: Spec = {
        "kind": "graph",
        "title": title or f"Computational graph: {ops} operations, gradients flowing back",
        "output": output,
        "nodes": nodes,
        "edges": edges,
        "notes": [
            "Each box: the value from the forward pass and grad = ∂L/∂(box) from the backward "
            "pass; arrows run forward, gradients flow against them."
        ],
    }
    spec["dot"] = to_dot(spec)
    return spec


def to_dot(spec: Spec) -> str:
    """Graphviz DOT for the spec: a record {name = op | value | grad} per node."""

    def esc(s: str) -> str:
        for ch in '\\{}|<>"':
            s = s.replace(ch, "\\" + ch)
        return s

    lines = ["digraph backprop {", "  rankdir=TB;", '  node [fontname="Helvetica", fontsize=10];']
    fills = {"input": "#cce6f7", "constant": "#e6e6e6", "op": "#fbe3b0"}
    for n in spec["nodes"]:
        head = f"{n['label']} = {n['op']}" if n.get("op") else n["label"]
        label = (
            f"{{ {esc(head)} | value {esc(_short(n.get('data')))} | "
            f"grad {esc(_short(n.get('grad')))} }}"
        )
        fill = fills.get(n.get("kind", ""), "white")
        lines.append(
            f'  "{esc(n["id"])}" [shape=record, style=filled, fillcolor="{fill}", label="{label}"];'
        )
    for e in spec["edges"]:
        lines.append(f'  "{esc(e["source"])}" -> "{esc(e["target"])}";')
    lines.append("}")
    return "\n".join(lines)


def dot_binary() -> str | None:
    """Path of Graphviz `dot`, or None when it is not installed."""
    return shutil.which("dot")


def run_dot(source: str, binary: str) -> np.ndarray:
    """Render DOT to an RGBA image with `dot -Tpng`."""
    from matplotlib.image import imread

    done = subprocess.run(
        [binary, "-Tpng", "-Gdpi=110"],
        input=source.encode(),
        capture_output=True,
        timeout=DOT_TIMEOUT,
        check=True,
    )
    return np.asarray(imread(io.BytesIO(done.stdout), format="png"))


@renderer("graph")
def _draw_graph(spec: Spec) -> CalcmlFigure:
    binary = dot_binary()
    if binary is not None:
        try:
            image = run_dot(spec["dot"], binary)
        except (OSError, subprocess.SubprocessError, ValueError, SyntaxError) as error:
            spec["notes"] = [
                *spec["notes"],
                f"dot failed ({type(error).__name__}); drawn by calcml.",
            ]
        else:
            spec["drawn_with"] = "graphviz"
            h, w = image.shape[:2]
            fig, axes = new_figure(spec, height=min(11.0, 8.0 * h / max(w, 1) + 0.8))
            axes[0, 0].imshow(image)
            axes[0, 0].set_axis_off()
            return fig
    spec["drawn_with"] = "matplotlib"
    return _draw_layered(spec)


def _draw_edges(
    ax: Any, edges: list[dict[str, Any]], where: dict[str, tuple[float, float]], w: float, h: float
) -> list[float]:
    """Arrows from input to result. An edge that skips layers is routed down a lane beside the
    boxes it would cross, so it never runs through them. Returns the lanes' x positions."""
    arrow = {"arrowstyle": "-|>", "color": "#555555", "lw": 1.0, "shrinkA": 0, "shrinkB": 0}
    lanes: list[float] = []
    used: dict[float, int] = {}
    for e in edges:
        (x0, y0), (x1, y1) = where[e["source"]], where[e["target"]]
        if y0 - y1 <= 1:
            ax.annotate("", xy=(x1, y1 + h / 2), xytext=(x0, y0 - h / 2), arrowprops=arrow)
            continue
        between = [x for x, y in where.values() if y1 < y < y0]
        right, left = max(between) + w / 2 + 0.12, min(between) - w / 2 - 0.12
        lane = right if abs(right - (x0 + x1) / 2) <= abs(left - (x0 + x1) / 2) else left
        k = used.get(lane, 0)
        used[lane] = k + 1
        lane += 0.08 * k if lane == right else -0.08 * k
        lanes.append(lane)
        top, bottom = y0 - 0.5, y1 + 0.5
        x_in = x1 + (0.3 if lane > x1 else -0.3) * w  # enter beside the other arrows
        ax.plot(
            [x0, x0, lane, lane, x_in],
            [y0 - h / 2, top, top, bottom, bottom],
            color="#555555",
            lw=1.0,
            zorder=1,
        )
        ax.annotate("", xy=(x_in, y1 + h / 2), xytext=(x_in, bottom), arrowprops=arrow)
    return lanes


def _draw_layered(spec: Spec) -> CalcmlFigure:
    from matplotlib.patches import FancyBboxPatch

    nodes = spec["nodes"]
    layers = max(n["layer"] for n in nodes) + 1
    xs = [n["x"] for n in nodes]
    span = max(xs) - min(xs) + 1.2
    fig, axes = new_figure(spec, height=0.95 * layers + 1.2)
    ax = axes[0, 0]
    ax.set_axis_off()
    ax.set_ylim(-(layers - 1) - 0.5, 0.5)
    w, h = 1.0, 0.62
    fills = {"input": "#cce6f7", "constant": "#eeeeee", "op": "#fbe3b0"}
    edges_of = {"input": SKY, "constant": GREY, "op": ORANGE}
    font = 8.5 if span < 5 else 7
    where = {n["id"]: (n["x"], -n["layer"]) for n in nodes}
    lanes = _draw_edges(ax, spec["edges"], where, w, h)
    ax.set_xlim(min([*xs, *lanes]) - 0.6, max([*xs, *lanes]) + 0.6)
    for n in nodes:
        x, y = where[n["id"]]
        kind = n.get("kind", "op")
        is_out = n["id"] == spec.get("output")
        ax.add_patch(
            FancyBboxPatch(
                (x - w / 2, y - h / 2),
                w,
                h,
                boxstyle="round,pad=0.02,rounding_size=0.06",
                fc=fills.get(kind, "white"),
                ec=VERMILLION if is_out else edges_of.get(kind, GREY),
                lw=2.2 if is_out else 1.2,
                zorder=3,
            )
        )
        shape = n.get("shape") or []
        dims = f" ({'×'.join(map(str, shape))})" if len(shape) > 0 and np.prod(shape) > 1 else ""
        head = f"{n['label']} = {n['op']}" if n.get("op") else f"{n['label']}{dims}"
        room = 34 if span < 4.5 else 22
        lines = [head, f"value {_short(n.get('data'), room)}"]
        if kind != "constant":
            lines.append(f"grad  {_short(n.get('grad'), room)}")
        ax.text(
            x,
            y + h * 0.22,
            lines[0],
            ha="center",
            va="center",
            fontsize=font + 0.5,
            fontweight="bold",
            zorder=4,
        )
        ax.text(
            x,
            y - h * 0.14,
            "\n".join(lines[1:]),
            ha="center",
            va="center",
            fontsize=font,
            family="monospace",
            zorder=4,
            linespacing=1.2,
        )
    add_notes(fig, spec)
    return fig


def graph(trace: Any, title: str | None = None) -> CalcmlFigure:
    """The computational graph of a backprop trace (Graphviz when installed, else matplotlib)."""
    return render(graph_spec(trace, title))
