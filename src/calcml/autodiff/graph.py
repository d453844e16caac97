"""The recorded graph's node: a value, the primitive that made it, its inputs and parameters,
and a creation stamp; plus the two errors of differentiation.

`Node` knows nothing of operators or of NumPy's protocols (that is `Tensor`, built on it); the
sweeps (`reverse_mode`, `forward_mode`) walk Nodes, so they sit below the Tensor type.
"""

from __future__ import annotations

from itertools import count
from typing import TYPE_CHECKING, Any

import numpy as np

from calcml.errors import CalcmlError

if TYPE_CHECKING:
    from calcml.autodiff.registry import Primitive


class DTypeError(CalcmlError, TypeError):
    """An array whose dtype cannot be differentiated (complex, strings, objects)."""


class GradientError(CalcmlError):
    """A gradient was asked of something that cannot have one, or would be silently lost."""


# Creation stamps count down: a recorded node's stamp is always lower than its inputs', so
# visiting nodes from the lowest stamp up is a valid order for the backward pass (no separate
# topological sort), and a min-heap of stamps needs no negation.
# A node takes its stamp as ``next(STAMPS)``: CPython specialises a call of the builtin `next`,
# not one of the bound ``__next__`` (a difference the per-node path pays 10⁴ times a graph).
STAMPS = count(-1, -1)
_F64 = np.float64


def new_stamp() -> int:
    """A creation stamp lower than every node's made so far (higher than any made later)."""
    return next(STAMPS)


class Node:
    """A value in a computation graph: a leaf (``_prim`` None) or a primitive's result."""

    __slots__ = (
        "__weakref__",
        "_inputs",
        "_params",
        "_prim",
        "_seq",
        "_values",
        "data",
        "grad",
        "name",
        "requires_grad",
    )

    data: Any
    grad: Any
    name: str | None
    requires_grad: bool
    _prim: Primitive | None
    _seq: int
    _inputs: tuple[Any, ...]
    _params: dict[str, Any] | None
    _values: Any  # the inputs' values the forward ran on (what the VJP rules get)

    @property
    def is_leaf(self) -> bool:
        return self._prim is None


def toposort(roots: list[Any]) -> list[Any]:
    """Every recorded node reachable from `roots`, inputs before the nodes that use them."""
    seen: dict[int, Node] = {}
    stack = [r for r in roots if r.requires_grad]
    while stack:
        node = stack.pop()
        key = id(node)
        if key in seen:
            continue
        seen[key] = node
        for x in node._inputs:
            if isinstance(x, Node) and x.requires_grad and id(x) not in seen:
                stack.append(x)
    return sorted(seen.values(), key=_stamp_of, reverse=True)


def _stamp_of(t: Node) -> int:
    return t._seq


def numpy_value(x: Any) -> Any:
    """`x` for NumPy code: a Node's value (a scalar node's Python float as `np.float64`),
    anything else as it is. The one unwrapping of tensors (`value_of` adds lists)."""
    if isinstance(x, Node):
        v = x.data
        return _F64(v) if type(v) is float else v
    return x
