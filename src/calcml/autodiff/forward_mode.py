"""The forward sweep (JVP): tangents pushed through a recorded graph in evaluation order.

Seeds may carry leading batch axes: one sweep then computes many Jacobian-vector products at
once (how `jacfwd` and `hessian` avoid a Python loop per column).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from calcml.autodiff.graph import Node, numpy_value, toposort


def forward_sweep(outputs: Sequence[Node], tangents: dict[int, Any], nb: int = 0) -> dict[int, Any]:
    """Push `tangents` ({id(input): tangent}) forward to every node; returns all tangents.

    Each tangent has `nb` leading batch axes followed by its node's shape. Nodes that do not
    depend on a seeded input get no entry (their tangent is zero).
    """
    tan = dict(tangents)
    for node in toposort(list(outputs)):
        prim = node._prim
        if prim is None:
            continue
        inputs = node._inputs
        total = None
        vals = node._values  # the values the forward ran on
        ans = numpy_value(node)
        params = node._params or {}
        for i, x in enumerate(inputs):
            t = tan.get(id(x)) if isinstance(x, Node) else None
            if t is None:
                continue
            if nb and prim.elementwise:
                gap = np.ndim(ans) - np.ndim(vals[i])
                if gap > 0:
                    t = t.reshape(t.shape[:nb] + (1,) * gap + t.shape[nb:])
            ti = prim.jvp(i)(t, ans, *vals, **params)
            total = ti if total is None else total + ti
        if total is not None:
            want = total.shape[:nb] + np.shape(ans)
            if total.shape != want:
                total = np.broadcast_to(total, want)
            tan[id(node)] = total
    return tan
