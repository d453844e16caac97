"""The two sweeps over a recorded graph: reverse (VJP, backprop) and forward (JVP, tangents).

Neither recurses, so a chain of 10⁵ operations differentiates: every recorded node carries a
creation stamp newer than its inputs' stamps, and the reverse sweep pops nodes from a max-heap
of stamps (each node once, after all of its users); the forward sweep sorts by stamp.

Seeds may carry leading batch axes: one sweep then computes many vector-Jacobian (or
Jacobian-vector) products at once, which is how `jacobian`, `jacfwd` and `hessian` avoid a
Python loop per row.
"""

from __future__ import annotations

from collections.abc import Sequence
from heapq import heappop, heappush
from typing import Any

import numpy as np

from calcml.autodiff import tensor as _tensor
from calcml.autodiff.registry import unbroadcast
from calcml.autodiff.tensor import GradientError, Tensor
from calcml.errors import ShapeError

__all__ = ["GradientError", "backward", "forward_sweep", "reverse_sweep", "toposort"]


def toposort(roots: Sequence[Tensor]) -> list[Tensor]:
    """Every recorded node reachable from `roots`, inputs before the nodes that use them."""
    seen: dict[int, Tensor] = {}
    stack = [r for r in roots if r.requires_grad]
    while stack:
        node = stack.pop()
        key = id(node)
        if key in seen:
            continue
        seen[key] = node
        for x in node._inputs:
            if isinstance(x, Tensor) and x.requires_grad and id(x) not in seen:
                stack.append(x)
    return sorted(seen.values(), key=_stamp_of)


def _stamp_of(t: Tensor) -> int:
    return t._seq


def reverse_sweep(
    outputs: Sequence[Tensor],
    seeds: Sequence[Any],
    *,
    create_graph: bool = False,
    nb: int = 0,
    wanted: Sequence[Tensor] | None = None,
    on_step: Any = None,
    leaves: dict[int, Tensor] | None = None,
) -> dict[int, Any]:
    """Backpropagate `seeds` from `outputs`; returns {id(node): gradient} for leaves and `wanted`.

    Nodes are visited newest first (a max-heap on creation stamps), so each node is handled
    once, after every node that uses it; there is no recursion, whatever the depth.
    With `create_graph` the gradients are Tensors recorded in the graph (higher order).
    `nb` leading axes of every seed are a batch. `on_step(node, i, g, gi)` sees each step.
    The leaf tensors reached are added to `leaves` when it is given.
    """
    grads: dict[int, Any] = {}
    heap: list[tuple[int, Tensor]] = []
    for out, seed in zip(outputs, seeds, strict=True):
        k = id(out)
        if k in grads:
            grads[k] = grads[k] + seed
        else:
            grads[k] = seed
            heappush(heap, (-out._seq, out))
    keep = {id(w) for w in wanted} if wanted is not None else ()
    result: dict[int, Any] = {}
    recording = _tensor._grad_enabled
    _tensor._grad_enabled = create_graph  # rules record a graph only for higher order
    try:
        while heap:
            node = heappop(heap)[1]
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
            else:
                vals = _values(inputs)
                ans = node.data
            params = node._params
            vjps = prim.vjps
            for i, x in enumerate(inputs):
                if not (isinstance(x, Tensor) and x.requires_grad):
                    continue
                if prim.variadic:
                    gi = vjps[0](i, g, ans, *vals, **(params or _EMPTY))
                elif params is None:
                    gi = vjps[i](g, ans, *vals)
                else:
                    gi = vjps[i](g, ans, *vals, **params)
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
    finally:
        _tensor._grad_enabled = recording
    return result


_EMPTY: dict[str, Any] = {}


def _values(inputs: tuple[Any, ...]) -> tuple[Any, ...]:
    """The NumPy values of a node's inputs (unrolled for the common one- and two-input ops)."""
    if len(inputs) == 1:
        return (inputs[0].data,)  # a recorded unary op's input is always a tensor
    if len(inputs) == 2:
        a, b = inputs
        return (a.data if isinstance(a, Tensor) else a, b.data if isinstance(b, Tensor) else b)
    return tuple(x.data if isinstance(x, Tensor) else x for x in inputs)


def backward(out: Tensor, gradient: Any = None, create_graph: bool = False) -> None:
    """`Tensor.backward`: accumulate d(out)/d(leaf) · gradient into every leaf's ``.grad``."""
    if not out.requires_grad:
        raise GradientError(
            "backward() on a tensor that does not require grad: no input was created with "
            "requires_grad=True (or it was computed inside no_grad())"
        )
    seed = _seed(out, gradient, create_graph)
    leaves: dict[int, Tensor] = {}
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


def _seed(out: Tensor, gradient: Any, create_graph: bool) -> Any:
    shape = out.shape
    if gradient is None:
        if shape not in ((), (1,)) and out.size != 1:
            raise ShapeError(
                f"backward() on a non-scalar tensor of shape {shape} needs a seed gradient of "
                f"the same shape, e.g. out.backward(np.ones({shape})); or reduce it to a "
                "scalar first (out.sum())"
            )
        seed: Any = np.ones(shape, dtype=out.dtype)
    else:
        seed = gradient if isinstance(gradient, Tensor) else np.asarray(gradient, dtype=out.dtype)
        if tuple(np.shape(seed)) != shape:
            raise ShapeError(
                f"the seed gradient has shape {np.shape(seed)} but the output has shape {shape}"
            )
    if create_graph and not isinstance(seed, Tensor):
        seed = Tensor(seed)
    if not create_graph and isinstance(seed, Tensor):
        seed = seed.data
    return seed


def forward_sweep(
    outputs: Sequence[Tensor], tangents: dict[int, Any], nb: int = 0
) -> dict[int, Any]:
    """Push `tangents` ({id(input): tangent}) forward to every node; returns all tangents.

    Each tangent has `nb` leading batch axes followed by its node's shape. Nodes that do not
    depend on a seeded input get no entry (their tangent is zero).
    """
    tan = dict(tangents)
    for node in toposort(outputs):
        prim = node._prim
        if prim is None:
            continue
        inputs = node._inputs
        total = None
        vals = None
        ans = node.data
        for i, x in enumerate(inputs):
            t = tan.get(id(x)) if isinstance(x, Tensor) else None
            if t is None:
                continue
            if vals is None:
                vals = [v.data if isinstance(v, Tensor) else v for v in inputs]
            if nb and prim.elementwise:
                gap = np.ndim(ans) - np.ndim(vals[i])
                if gap > 0:
                    t = t.reshape(t.shape[:nb] + (1,) * gap + t.shape[nb:])
            params = node._params or {}
            if prim.variadic:
                ti = prim.jvps[0](i, t, ans, *vals, **params)
            else:
                ti = prim.jvps[i](t, ans, *vals, **params)
            total = ti if total is None else total + ti
        if total is not None:
            want = total.shape[:nb] + np.shape(ans)
            if total.shape != want:
                total = np.broadcast_to(total, want)
            tan[id(node)] = total
    return tan
