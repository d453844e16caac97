"""The reverse sweep (VJP, backpropagation) over a recorded graph.

It does not recurse, so a chain of 10⁵ operations differentiates: every recorded node carries a
creation stamp lower than its inputs' stamps (they count down), and the sweep pops nodes from
a min-heap of stamps (each node once, after all of its users). The VJP rules get the values
the forward ran on (`Node._values`), so the sweep does not unwrap inputs again.

Seeds may carry leading batch axes: one sweep then computes many vector-Jacobian products at
once, which is how `jacobian` and `hessian` avoid a Python loop per row.
"""

from __future__ import annotations

from collections.abc import Sequence
from heapq import heappop, heappush, heappushpop
from typing import Any

import numpy as np

from calcml.autodiff.graph import Node
from calcml.autodiff.mode import grad_mode
from calcml.autodiff.registry import identity, unbroadcast

_F64 = np.float64


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

    Nodes are visited newest first (a min-heap on the count-down creation stamps), so each node
    is handled once, after every node that uses it; there is no recursion, whatever the depth.
    With `create_graph` the gradients are Tensors recorded in the graph (higher order).
    `nb` leading axes of every seed are a batch. `on_step(node, i, g, gi)` sees each step.
    The leaf nodes reached are added to `leaves` when it is given.
    """
    grads: dict[Node, Any] = {}  # keyed by the node itself: hashing a Node is its identity
    heap: list[tuple[int, Node]] = []
    for out, seed in zip(outputs, seeds, strict=True):
        if out in grads:
            grads[out] = grads[out] + seed
        else:
            grads[out] = seed
            heappush(heap, (out._seq, out))
    keep: Any = set(wanted) if wanted is not None else ()
    result: dict[int, Any] = {}
    # The input found last, its stamp and gradient, kept off the heap and out of `grads` until
    # another node comes first: a chain then needs no heap entry (a tuple), no heap call and no
    # dict entry per node.
    nxt: Any = None
    nxt_g: Any = None
    nxt_seq = 0
    with grad_mode(create_graph):  # rules record a graph only for higher order
        while True:
            if nxt is not None:
                if heap and heap[0][0] < nxt_seq:  # a newer node waits on the heap
                    node = heappushpop(heap, (nxt_seq, nxt))[1]
                    grads[nxt] = nxt_g
                    g = grads.pop(node)
                else:
                    node, g = nxt, nxt_g
                nxt = None
            elif heap:
                node = heappop(heap)[1]
                g = grads.pop(node)
            else:
                break
            prim = node._prim
            if prim is None or node in keep:
                result[id(node)] = g
                if prim is None:
                    if leaves is not None:
                        leaves[id(node)] = node
                    continue
            inputs = node._inputs
            n = len(inputs)
            if create_graph:
                vals: Any = inputs
                ans: Any = node
            elif prim.floats:  # + − · relu on scalar nodes: their Python floats as they are
                vals = node._values
                ans = node.data
            else:
                vals, ans, g = _rule_args(node._values, node.data, g)
            params = node._params
            if params is None and n <= 2:  # rules called directly: cheaper than with *vals
                v0 = vals[0]
                v1 = vals[-1]
            rules = prim.vjp_rules
            i = -1
            for x in inputs:
                i += 1
                if not (isinstance(x, Node) and x.requires_grad):
                    continue
                rule = rules[i]
                if rule is identity:
                    gi = g
                elif params is not None:
                    gi = rule(g, ans, *vals, **params)
                elif n == 2:
                    gi = rule(g, ans, v0, v1)
                elif n == 1:
                    gi = rule(g, ans, v0)
                else:
                    gi = rule(g, ans, *vals)
                cls = type(gi)
                if cls is not float and cls is not _F64:  # a scalar's gradient is not broadcast
                    xd = x.data
                    shape = () if type(xd) is float else xd.shape
                    if gi.shape != shape:
                        gi = unbroadcast(gi, shape, nb)
                if on_step is not None:
                    on_step(node, i, g, gi)
                if x is nxt:  # the same input twice (x · x)
                    nxt_g = nxt_g + gi
                    continue
                prev = grads.get(x)
                if prev is None:
                    if nxt is not None:
                        heappush(heap, (nxt_seq, nxt))
                        grads[nxt] = nxt_g
                    nxt = x
                    nxt_seq = x._seq
                    nxt_g = gi
                else:
                    grads[x] = prev + gi
    return result


def _rule_args(vals: Any, ans: Any, g: Any) -> tuple[Any, Any, Any]:
    """The values, result and upstream gradient a NumPy VJP rule gets: the values the forward
    ran on (already np.float64 for a scalar node), and the result and gradient likewise."""
    if type(ans) is float:
        ans = _F64(ans)
    if type(g) is float:
        g = _F64(g)
    return vals, ans, g


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
        if type(g) is float:
            g = _F64(g)  # .grad is a NumPy value, as `grad()` and the docs promise
        elif not create_graph and (id(g) in given or not g.flags.writeable):
            g = g.copy()  # each leaf owns its .grad (add's VJP passes one array to both sides)
        given.add(id(g))
        leaf.grad = g
