"""Backprop you can read: the forward pass as nodes, the backward pass as chain-rule steps.

>>> import numpy as np
>>> t = trace(lambda w, b: np.tanh(w * 2.0 + b), 0.5, 0.1)
>>> [n.op for n in t.nodes]
[None, None, 'mul', 'add', 'tanh']
>>> print(t.steps[0].text())
tanh(v2) → v2: ∂L/∂v2 += g · (1 − tanh²(v2)) = 1 · 0.3592 = 0.3592

Every node has a name (the function's parameter names for the inputs, ``v1, v2, ...`` for the
rest, or a tensor's ``.name``), its op, inputs, value, shape and final gradient. Every step
says which node passes which gradient to which input, the local derivative's formula and
value, the product, and the input's gradient accumulated so far.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from calcml.autodiff.graph import toposort
from calcml.autodiff.mode import transforming
from calcml.autodiff.reverse_mode import reverse_sweep
from calcml.autodiff.tensor import Tensor
from calcml.errors import ShapeError
from calcml.result import Result


def fmt_array(a: Any, precision: int = 4) -> str:
    """A short rendering: a number for one entry, else a clipped nested list."""
    a = np.asarray(a)
    if a.size == 1:
        return f"{a.reshape(()).item():.{precision}g}"
    return np.array2string(
        a, precision=precision, separator=", ", threshold=12, edgeitems=2, suppress_small=True
    ).replace("\n", "")


def _is_number(text: str) -> bool:
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
            body = f"{fmt_array(self.upstream)} {times} {fmt_array(self.local)}"
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
            f"Backward pass ({len(self.steps)} chain-rule steps from ∂L/∂L = 1, L = "
            f"{self.output}; g is the upstream gradient ∂L/∂node):"
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


class _Names:
    """Readable names: inputs by parameter name, tensors by their ``.name``, other results
    ``v1, v2, ...``, the output ``L``; constants by their value (a number) or ``c1, c2, ...``."""

    def __init__(self, reserved: list[str]) -> None:
        self.used = set(reserved)
        self.of: dict[int, str] = {}
        self.constants: list[tuple[str, np.ndarray]] = []
        self.counter = 0

    def claim(self, t: Any, name: str | None) -> str:
        if name and name not in self.used:
            chosen = name
        elif name:
            k = 2
            while f"{name}_{k}" in self.used:
                k += 1
            chosen = f"{name}_{k}"
        else:
            while True:
                self.counter += 1
                chosen = f"v{self.counter}"
                if chosen not in self.used:
                    break
        self.used.add(chosen)
        self.of[id(t)] = chosen
        return chosen

    def __call__(self, x: Any) -> str:
        """The name of a graph node or, on first sight, of a constant input."""
        if id(x) in self.of:
            return self.of[id(x)]
        value = np.asarray(x.data if isinstance(x, Tensor) else x)
        tensor_name = x.name if isinstance(x, Tensor) else None
        if tensor_name and tensor_name not in self.used:
            name = tensor_name
        elif value.size == 1:
            name = fmt_array(value)
        else:
            name = f"c{sum(1 for _, v in self.constants if v.size > 1) + 1}"
        self.used.add(name)
        self.of[id(x)] = name
        self.constants.append((name, value))
        return name


def _local_derivative(node: Tensor, i: int) -> np.ndarray | None:
    """∂node/∂input_i entrywise, for elementwise ops (others have no entrywise local value)."""
    prim = node._prim
    assert prim is not None
    if not prim.elementwise or prim.variadic or prim.name == "broadcast_to":
        return None
    vals = [v.data if isinstance(v, Tensor) else v for v in node._inputs]
    ones = np.ones(np.shape(node.data))
    return np.asarray(prim.vjp(i)(ones, node.data, *vals, **(node._params or {})))


def trace(f: Callable[..., Any], *args: Any, names: list[str] | None = None) -> Trace:
    """Run `f(*args)` recording every operation, then backpropagate from its (scalar) output.

    Inputs are named after `f`'s parameters unless `names` is given; tensors in the graph that
    have a ``.name`` keep it. Variables that `f` closes over (tensors with ``requires_grad``,
    such as a network's parameters) are listed as inputs too, so ``trace(lambda: loss(net))``
    works.
    """
    if names is None:
        try:
            params = list(inspect.signature(f).parameters)
        except (TypeError, ValueError):
            params = []
        names = [params[i] if i < len(params) else f"x{i}" for i in range(len(args))]
    leaves = [
        Tensor(a.data if isinstance(a, Tensor) else a, requires_grad=True, name=name)
        for name, a in zip(names, args, strict=True)
    ]
    with transforming():
        out = f(*leaves)
    if not isinstance(out, Tensor) or not out.requires_grad:
        raise ShapeError("trace needs a function whose output depends on its inputs")
    if out.size != 1:
        raise ShapeError(
            f"trace backpropagates from a scalar output, but the function returned shape "
            f"{out.shape}; reduce it (e.g. .sum()) first"
        )

    name = _Names(names)
    for leaf in leaves:
        name.of[id(leaf)] = leaf.name or ""
    name.claim(out, out.name or "L")
    graph = toposort([out])
    order = [node for node in graph if node._prim is not None]
    # Variables f closes over (e.g. a network's parameters) are inputs too.
    ours = {id(leaf) for leaf in leaves}
    for node in graph:
        if node._prim is None and id(node) not in ours:
            name.claim(node, node.name or "p")
            leaves.append(node)
    for node in order:
        if id(node) not in name.of:
            name.claim(node, node.name)
    for node in order:  # constants named in the order the forward pass meets them
        for x in node._inputs:
            name(x)

    grads: dict[int, Any] = {}
    so_far: dict[int, Any] = {}
    steps: list[TraceStep] = []

    def on_step(node: Tensor, i: int, g: Any, gi: Any) -> None:
        prim = node._prim
        assert prim is not None
        grads[id(node)] = g
        x = node._inputs[i]
        so_far[id(x)] = gi if id(x) not in so_far else so_far[id(x)] + gi
        inputs = [name(v) for v in node._inputs]
        template = prim.vjp_text[i] if i < len(prim.vjp_text) else prim.vjp_text[0]
        steps.append(
            TraceStep(
                index=len(steps) + 1,
                node=name(node),
                op=prim.name,
                expr=f"{prim.name}({', '.join(inputs)})",
                input=name(x),
                upstream=np.asarray(g),
                formula=template.format(*inputs, out=name(node)),
                local=_local_derivative(node, i),
                product=np.asarray(gi),
                accumulated=np.asarray(so_far[id(x)]),
            )
        )

    seed = np.ones(out.shape, dtype=out.dtype)
    grads.update(reverse_sweep([out], [seed], on_step=on_step))
    grads.setdefault(id(out), seed)

    def grad_of(t: Tensor) -> np.ndarray | None:
        g = grads.get(id(t))
        return None if g is None else np.asarray(g)

    nodes = [
        TraceNode(name(leaf), None, (), np.asarray(leaf.data), grad_of(leaf), "input")
        for leaf in leaves
    ]
    for node in order:
        prim = node._prim
        assert prim is not None
        inputs = tuple(name(x) for x in node._inputs)
        nodes.append(
            TraceNode(
                name(node),
                prim.name,
                inputs,
                np.asarray(node.data),
                grad_of(node),
                "op",
                prim.derivative,
            )
        )
    constants = [
        TraceNode(n, None, (), value, None, "constant")
        for n, value in name.constants
        if value.size > 1 or not _is_number(n)
    ]
    return Trace(constants + nodes, steps, name(out))
