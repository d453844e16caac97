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
from collections.abc import Callable
from typing import Any

import numpy as np

from calcml.autodiff.graph import toposort
from calcml.autodiff.mode import transforming
from calcml.autodiff.reverse_mode import reverse_sweep
from calcml.autodiff.tensor import Tensor
from calcml.autodiff.trace_result import Trace, TraceNode, TraceStep, fmt_array, is_number
from calcml.errors import ShapeError


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
    names = names if names is not None else _parameter_names(f, len(args))
    leaves = [
        Tensor(a.data if isinstance(a, Tensor) else a, requires_grad=True, name=name)
        for name, a in zip(names, args, strict=True)
    ]
    out = _run(f, leaves)
    name = _Names(names)
    order = _name_graph(name, out, leaves)
    grads, steps = _backward_steps(name, out)
    return Trace(_constants(name) + _nodes(name, leaves, order, grads), steps, name(out))


def _parameter_names(f: Callable[..., Any], n: int) -> list[str]:
    try:
        params = list(inspect.signature(f).parameters)
    except (TypeError, ValueError):
        params = []
    return [params[i] if i < len(params) else f"x{i}" for i in range(n)]


def _run(f: Callable[..., Any], leaves: list[Tensor]) -> Tensor:
    """The forward pass, recorded; its output must be a scalar that depends on the inputs."""
    with transforming():
        out = f(*leaves)
    if not isinstance(out, Tensor) or not out.requires_grad:
        raise ShapeError("trace needs a function whose output depends on its inputs")
    if out.size != 1:
        raise ShapeError(
            f"trace backpropagates from a scalar output, but the function returned shape "
            f"{out.shape}; reduce it (e.g. .sum()) first"
        )
    return out


def _name_graph(name: _Names, out: Tensor, leaves: list[Tensor]) -> list[Tensor]:
    """Name every node (inputs, closed-over variables appended to `leaves`, results,
    constants in the order the forward pass meets them); returns the op nodes in order."""
    for leaf in leaves:
        name.of[id(leaf)] = leaf.name or ""
    name.claim(out, out.name or "L")
    graph = toposort([out])
    order = [node for node in graph if node._prim is not None]
    ours = {id(leaf) for leaf in leaves}
    for node in graph:  # variables f closes over (e.g. a network's parameters) are inputs too
        if node._prim is None and id(node) not in ours:
            name.claim(node, node.name or "p")
            leaves.append(node)
    for node in order:
        if id(node) not in name.of:
            name.claim(node, node.name)
    for node in order:
        for x in node._inputs:
            name(x)
    return order


def _backward_steps(name: _Names, out: Tensor) -> tuple[dict[int, Any], list[TraceStep]]:
    """The reverse sweep from `out`, each chain-rule step recorded; returns every node's
    gradient (by id) and the steps."""
    grads: dict[int, Any] = {}
    so_far: dict[int, Any] = {}
    steps: list[TraceStep] = []

    def on_step(node: Tensor, i: int, g: Any, gi: Any) -> None:
        grads[id(node)] = g
        x = node._inputs[i]
        so_far[id(x)] = gi if id(x) not in so_far else so_far[id(x)] + gi
        steps.append(_step(name, node, i, g, gi, so_far[id(x)], len(steps) + 1))

    seed = np.ones(out.shape, dtype=out.dtype)
    grads.update(reverse_sweep([out], [seed], on_step=on_step))
    grads.setdefault(id(out), seed)
    return grads, steps


def _step(name: _Names, node: Tensor, i: int, g: Any, gi: Any, acc: Any, index: int) -> TraceStep:
    prim = node._prim
    assert prim is not None
    inputs = [name(v) for v in node._inputs]
    template = prim.vjp_text[i] if i < len(prim.vjp_text) else prim.vjp_text[0]
    return TraceStep(
        index=index,
        node=name(node),
        op=prim.name,
        expr=f"{prim.name}({', '.join(inputs)})",
        input=name(node._inputs[i]),
        upstream=np.asarray(g),
        formula=template.format(*inputs, out=name(node)),
        local=_local_derivative(node, i),
        product=np.asarray(gi),
        accumulated=np.asarray(acc),
    )


def _nodes(
    name: _Names, leaves: list[Tensor], order: list[Tensor], grads: dict[int, Any]
) -> list[TraceNode]:
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
                name(node), prim.name, inputs, np.asarray(node.data), grad_of(node), "op",
                prim.derivative,
            )
        )  # fmt: skip
    return nodes


def _constants(name: _Names) -> list[TraceNode]:
    return [
        TraceNode(n, None, (), value, None, "constant")
        for n, value in name.constants
        if value.size > 1 or not is_number(n)
    ]
