"""An independent reference for the backprop playground: the network's loss written here in
NumPy (central differences) and in HIPS autograd's NumPy (its gradients), never calcml's."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import autograd.numpy as anp
import numpy as np
from autograd import grad

ACTS: dict[str, Callable[[Any, Any], Any]] = {
    "tanh": lambda xp, z: xp.tanh(z),
    "sigmoid": lambda xp, z: 1.0 / (1.0 + xp.exp(-z)),
    "relu": lambda xp, z: xp.maximum(z, 0.0),
    "softplus": lambda xp, z: xp.logaddexp(0.0, z),
}


def network_loss(
    xp: Any,
    params: Sequence[Any],
    x: Any,
    target: Any,
    activations: Sequence[str],
    loss: str,
) -> Any:
    """L(W1, b1, ..., Wk, bk): hidden layers act_i(h @ W + b), a linear output, then
    Σ(out − y)² or −log softmax(out)[target]."""
    h = xp.asarray(x, dtype=float) if xp is np else x
    last = len(params) // 2
    for i in range(last):
        z = xp.dot(h, params[2 * i]) + params[2 * i + 1]
        h = ACTS[activations[i]](xp, z) if i + 1 < last else z
    if loss == "softmax_ce":
        m = xp.max(h)
        return -(h[int(target)] - (xp.log(xp.sum(xp.exp(h - m))) + m))
    return xp.sum((h - xp.asarray(target, dtype=float)) ** 2)


def finite_differences(f: Callable[[list[np.ndarray]], float], params: list[np.ndarray], eps=1e-6):
    """Central differences of f with respect to every entry of every parameter."""
    out = []
    for i, p in enumerate(params):
        g = np.zeros_like(p)
        for idx in np.ndindex(p.shape):
            plus = [q.copy() for q in params]
            minus = [q.copy() for q in params]
            plus[i][idx] += eps
            minus[i][idx] -= eps
            g[idx] = (f(plus) - f(minus)) / (2 * eps)
        out.append(g)
    return out


def references(
    params: list[np.ndarray], x: Any, target: Any, activations: Sequence[str], loss: str
) -> tuple[float, list[np.ndarray], list[np.ndarray]]:
    """The loss, its finite-difference gradients (NumPy) and autograd's gradients."""

    def numpy_loss(ps: list[np.ndarray]) -> float:
        return float(network_loss(np, ps, x, target, activations, loss))

    def autograd_loss(*ps: Any) -> Any:
        return network_loss(anp, ps, anp.array(x, dtype=float), target, activations, loss)

    fd = finite_differences(numpy_loss, params)
    ag = [np.asarray(grad(autograd_loss, i)(*params)) for i in range(len(params))]
    return numpy_loss(params), fd, ag
