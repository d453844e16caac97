"""The reverse sweep (VJP, backpropagation) over a recorded graph.

It does not recurse, so a chain of 10⁵ operations differentiates: every recorded node carries a
creation stamp newer than its inputs' stamps, and the sweep pops nodes from a max-heap of
stamps (each node once, after all of its users).

Seeds may carry leading batch axes: one sweep then computes many vector-Jacobian products at
once, which is how `jacobian` and `hessian` avoid a Python loop per row.
"""

from __future__ import annotations

from collections.abc import Sequence
from heapq import heappop, heappush
from typing import Any

from calcml.autodiff.graph import Node, input_values
from calcml.autodiff.mode import grad_mode
from calcml.autodiff.registry import unbroadcast


def reverse_sweep(
    outputs: Sequence[Node],
    seeds: Sequence[Any],
    *,
    create_graph: bool = False,
    nb: int = 0,
    wanted: Sequence[Node] | None = None,
    on_step: Any = None,
    leaves: dict[int, Node] | None = None,
) -> dict[int, Any]:
    """Backpropagate `seeds` from `outputs`; returns {id(node): gradient} for leaves and `wanted`.

    Nodes are visited newest first (a max-heap on creation stamps), so each node is handled
    once, after every node that uses it; there is no recursion, whatever the depth.
    With `create_graph` the gradients are Tensors recorded in the graph (higher order).
    `nb` leading axes of every seed are a batch. `on_step(node, i, g, gi)` sees each step.
    The leaf nodes reached are added to `leaves` when it is given.
    """
    grads: dict[int, Any] = {}
    heap: list[tuple[int, Node]] = []
    for out, seed in zip(outputs, seeds, strict=True):
        k = id(out)
        if k in grads:
            grads[k] = grads[k] + seed
        else:
            grads[k] = seed
            heappush(heap, (-out._seq, out))
    keep = {id(w) for w in wanted} if wanted is not None else ()
    result: dict[int, Any] = {}
    with grad_mode(create_graph):  # rules record a graph only for higher order
        while heap:
            _, node = heappop(heap)
            k = id(node)
            g = grads.pop(k)
            prim = node._prim
            if prim is None or k in keep:
                result[k] = g
                if prim is None:
                    if leaves is not None:
                        leaves[k] = node
                    continue
            inputs = node._inputs
            if create_graph:
                vals: Any = inputs
                ans: Any = node
            elif len(inputs) == 2:  # unrolled for the common one- and two-input ops
                a, b = inputs
                vals = (a.data if isinstance(a, Node) else a, b.data if isinstance(b, Node) else b)
                ans = node.data
            elif len(inputs) == 1:
                vals = (inputs[0].data,)  # a recorded one-input op's input is always a Node
                ans = node.data
            else:
                vals = input_values(inputs)
                ans = node.data
            params = node._params
            i = -1
            for x in inputs:
                i += 1
                if not (isinstance(x, Node) and x.requires_grad):
                    continue
                if params is None:
                    gi = prim.vjp(i)(g, ans, *vals)
                else:
                    gi = prim.vjp(i)(g, ans, *vals, **params)
                shape = x.data.shape
                if gi.shape != shape:
                    gi = unbroadcast(gi, shape, nb)
                if on_step is not None:
                    on_step(node, i, g, gi)
                xk = id(x)
                prev = grads.get(xk)
                if prev is None:
                    grads[xk] = gi
                    heappush(heap, (-x._seq, x))
                else:
                    grads[xk] = prev + gi
    return result


def accumulate(out: Node, seed: Any, create_graph: bool) -> None:
    """`Tensor.backward`: add d(out)/d(leaf) · seed into every leaf's ``.grad``."""
    leaves: dict[int, Node] = {}
    grads = reverse_sweep([out], [seed], create_graph=create_graph, leaves=leaves)
    given: set[int] = {id(seed)}
    for k, g in grads.items():
        leaf = leaves.get(k)
        if leaf is None:
            continue
        if leaf.grad is not None:
            leaf.grad = leaf.grad + g
            continue
        if not create_graph and (id(g) in given or not g.flags.writeable):
            g = g.copy()  # each leaf owns its .grad (add's VJP passes one array to both sides)
        given.add(id(g))
        leaf.grad = g
