"""The backprop trace as a result: its nodes (the forward pass) and steps (the chain rule),
rendered as text, Markdown, LaTeX, JSON and Graphviz DOT. `calcml.autodiff.trace` records it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import numpy as np

from calcml.result import Result
from calcml.text import array_text, operand


def fmt_array(a: Any, precision: int = 4) -> str:
    """A short rendering: a number for one entry, else a clipped nested list (never -0)."""
    return array_text(a, precision)


def _loss_named(output: str) -> str:
    """Which node L stands for, without saying "L = L" when the output is itself named L."""
    return "L is the output" if output == "L" else f"L is the output {output}"


def is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _json_array(a: Any) -> Any:
    if a is None:
        return None
    a = np.asarray(a, dtype=float)
    return a.item() if a.ndim == 0 else a.tolist()


@dataclass(frozen=True)
class TraceNode:
    """One value of the forward pass: a leaf (op None), a constant, or an op's result."""

    name: str
    op: str | None
    inputs: tuple[str, ...]
    value: np.ndarray
    grad: np.ndarray | None
    kind: str  # "input", "constant" or "op"
    formula: str = ""

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self.value.shape)

    def text(self) -> str:
        how = f"{self.op}({', '.join(self.inputs)})" if self.kind == "op" else self.kind
        return f"{self.name} = {how}   shape {self.shape}   value {fmt_array(self.value)}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "op": self.op,
            "kind": self.kind,
            "inputs": list(self.inputs),
            "shape": list(self.shape),
            "value": _json_array(self.value),
            "grad": _json_array(self.grad),
            "derivative": self.formula,
        }


@dataclass(frozen=True)
class TraceStep:
    """One application of the chain rule: node `node` sends gradient to its input `input`."""

    index: int
    node: str
    op: str
    expr: str
    input: str
    upstream: np.ndarray
    formula: str
    local: np.ndarray | None
    product: np.ndarray
    accumulated: np.ndarray

    def text(self) -> str:
        head = f"{self.expr} → {self.input}: ∂L/∂{self.input} += {self.formula}"
        if self.formula == "g":
            return f"{head} = {fmt_array(self.product)}"
        if self.local is not None and not np.all(self.local == 1):
            times = "·" if self.upstream.size == 1 or self.local.size == 1 else "⊙"
            body = f"{fmt_array(self.upstream)} {times} {operand(fmt_array(self.local))}"
            return f"{head} = {body} = {fmt_array(self.product)}"
        return f"{head} = {fmt_array(self.product)}   (g = {fmt_array(self.upstream)})"

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "node": self.node,
            "op": self.op,
            "expr": self.expr,
            "input": self.input,
            "upstream": _json_array(self.upstream),
            "formula": self.formula,
            "local": _json_array(self.local),
            "product": _json_array(self.product),
            "accumulated": _json_array(self.accumulated),
        }


class Trace(Result):
    """A recorded forward and backward pass; renders as text, Markdown, JSON and DOT."""

    def __init__(self, nodes: list[TraceNode], steps: list[TraceStep], output: str) -> None:
        self.nodes = nodes
        self.steps = steps
        self.output = output
        self.by_name = {n.name: n for n in nodes}

    @property
    def value(self) -> np.ndarray:
        return self.by_name[self.output].value

    def grads(self) -> dict[str, np.ndarray | None]:
        """The gradient of the output with respect to each input, by name."""
        return {n.name: n.grad for n in self.nodes if n.kind == "input"}

    def text(self) -> str:
        lines = [f"Forward pass ({len(self.nodes)} nodes):"]
        lines += [f"  {n.text()}" for n in self.nodes]
        lines.append(
            f"Backward pass ({len(self.steps)} chain-rule steps from ∂L/∂L = 1, "
            f"{_loss_named(self.output)}; g is the upstream gradient ∂L/∂node):"
        )
        for s in self.steps:
            lines.append(f"  {s.index:>2}. {s.node} = {s.text()}")
            if s.accumulated.shape != s.product.shape or not np.array_equal(
                s.accumulated, s.product
            ):
                lines.append(f"      ∂L/∂{s.input} so far: {fmt_array(s.accumulated)}")
        lines.append("Gradients (each has its variable's shape):")
        for name, g in self.grads().items():
            shape = self.by_name[name].shape
            value = fmt_array(g) if g is not None else "0 (unused)"
            lines.append(f"  ∂L/∂{name}  shape {shape}  = {value}")
        return "\n".join(lines)

    def latex(self) -> str:
        rows = [
            rf"\frac{{\partial L}}{{\partial {s.input}}} \mathrel{{+}}= \text{{{s.formula}}}"
            for s in self.steps
        ]
        return r"\begin{aligned}" + r"\\ ".join(rows) + r"\end{aligned}"

    def markdown(self) -> str:
        out = ["**Forward pass**", "", "| node | op | inputs | shape | value | ∂L/∂node |"]
        out.append("|---|---|---|---|---|---|")
        for n in self.nodes:
            grad = fmt_array(n.grad) if n.grad is not None else "—"
            out.append(
                f"| `{n.name}` | {n.op or n.kind} | {', '.join(n.inputs)} | {n.shape} "
                f"| `{fmt_array(n.value)}` | `{grad}` |"
            )
        out += ["", f"**Backward pass** from L = `{self.output}`", ""]
        out.append("| # | node | to input | upstream g | local rule | product | accumulated |")
        out.append("|---|---|---|---|---|---|---|")
        for s in self.steps:
            local = fmt_array(s.local) if s.local is not None else "—"
            out.append(
                f"| {s.index} | `{s.node}` ({s.op}) | `{s.input}` | `{fmt_array(s.upstream)}` "
                f"| {s.formula} = `{local}` | `{fmt_array(s.product)}` "
                f"| `{fmt_array(s.accumulated)}` |"
            )
        return "\n".join(out)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": "backprop_trace",
            "output": self.output,
            "value": _json_array(self.value),
            "nodes": [n.to_dict() for n in self.nodes],
            "steps": [s.to_dict() for s in self.steps],
            "graph": self.graph(),
        }

    def graph(self) -> dict[str, Any]:
        """A node/edge list for drawing (edges point from input to result)."""
        nodes = [
            {
                "id": n.name,
                "label": n.name,
                "op": n.op,
                "kind": n.kind,
                "shape": list(n.shape),
                "data": fmt_array(n.value),
                "grad": fmt_array(n.grad) if n.grad is not None else None,
            }
            for n in self.nodes
        ]
        edges = [
            {"source": src, "target": n.name, "input_index": i}
            for n in self.nodes
            for i, src in enumerate(n.inputs)
        ]
        return {"nodes": nodes, "edges": edges}

    def dot(self) -> str:
        """Graphviz DOT source: a record {name | data | grad} per value, an oval per op."""

        def esc(s: str) -> str:
            for ch in '\\{}|<>"':
                s = s.replace(ch, "\\" + ch)
            return s

        lines = ["digraph backprop {", "  rankdir=LR;", '  node [fontname="Helvetica"];']
        for n in self.nodes:
            grad = fmt_array(n.grad) if n.grad is not None else "—"
            label = f"{{ {esc(n.name)} | data {esc(fmt_array(n.value))} | grad {esc(grad)} }}"
            lines.append(f'  "{n.name}" [shape=record, label="{label}"];')
            if n.kind == "op":
                lines.append(f'  "{n.name}_op" [shape=ellipse, label="{esc(n.op or "")}"];')
                lines.append(f'  "{n.name}_op" -> "{n.name}";')
                for src in n.inputs:
                    lines.append(f'  "{src}" -> "{n.name}_op";')
        lines.append("}")
        return "\n".join(lines)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)
