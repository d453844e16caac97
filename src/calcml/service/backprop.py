"""The `backprop` verb: a readable backprop trace through a dense network the caller configures.

layers [n0, n1, ..., nk]: input size n0, hidden layers act_i(z) of sizes n1..n(k-1) (one
activation for all, or one per hidden layer), output nk (no activation).
Loss "mse": Σ (out − target)²; "softmax_ce": −log softmax(out)[target].
Anything not given (input, target, weights, biases) is drawn from `seed`, rounded to 2 decimals
so the trace reads well. With `gradcheck`, the answer also holds central differences of the loss
for every parameter beside the backprop gradients (`gradient_check`).
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import numpy as np

from calcml.errors import CalcmlError, ShapeError
from calcml.service.models import BackpropRequest


def _given(values: Any, shape: tuple[int, ...], what: str) -> np.ndarray:
    a = np.asarray(values, dtype=np.float64)
    if a.shape != shape:
        raise ShapeError(f"{what} has shape {a.shape}, but the layers need {shape}")
    if not np.all(np.isfinite(a)):
        raise CalcmlError(f"{what} must be finite numbers")
    return a


def _target(r: BackpropRequest, rng: np.random.Generator) -> np.ndarray:
    out = r.layers[-1]
    if r.loss == "softmax_ce":
        if out < 2:
            raise CalcmlError("softmax + cross-entropy needs an output layer of 2 or more classes")
        index = int(rng.integers(out)) if r.target is None else r.target
        if not isinstance(index, int) or not 0 <= index < out:
            raise CalcmlError(f"target must be a class index from 0 to {out - 1}")
        return np.array(index)
    if r.target is None:
        return np.round(rng.normal(0.0, 1.0, size=out), 2)
    if isinstance(r.target, int):
        return _given([float(r.target)], (out,), "target")
    return _given(r.target, (out,), "target")


def activations(r: BackpropRequest) -> list[str]:
    """The activation of each hidden layer (a single name applies to all of them)."""
    hidden = len(r.layers) - 2
    if isinstance(r.activation, str):
        return [r.activation] * hidden
    if len(r.activation) != hidden:
        raise ShapeError(
            f"activation names {len(r.activation)} layer(s), but the network has {hidden} "
            f"hidden layer(s): give one name per hidden layer, or a single name for all"
        )
    return list(r.activation)


def backprop_answer(r: BackpropRequest) -> dict[str, Any]:
    """The backprop verb's JSON: the trace, plus the gradient check when asked for."""
    trace, loss, params, names = _traced(r)
    answer: dict[str, Any] = trace.to_dict()
    answer["activations"] = activations(r)
    if r.gradcheck:
        grads = {n.name: n.grad for n in trace.nodes if n.name in names}
        answer["gradient_check"] = gradient_check(loss, params, names, grads)
    return answer


def gradient_check(
    loss: Any, params: list[np.ndarray], names: list[str], grads: dict[str, Any]
) -> dict[str, Any]:
    """Central differences (L(p + ε) − L(p − ε)) / 2ε of the loss for every parameter entry,
    beside backprop's gradient: the largest absolute and relative difference per parameter."""
    from calcml.autodiff.gradcheck import numeric_jacobian

    rows = []
    for i, name in enumerate(names):
        numeric = numeric_jacobian(loss, [p.copy() for p in params], i, GRADCHECK_EPS)
        analytic = np.asarray(grads[name], dtype=np.float64).reshape(numeric.shape)
        diff = np.abs(analytic - numeric)
        scale = np.maximum(np.maximum(np.abs(analytic), np.abs(numeric)), 1e-12)
        rows.append(
            {
                "name": name,
                "numeric": numeric.tolist(),
                "max_abs_error": float(diff.max()),
                "max_rel_error": float((diff / scale).max()),
            }
        )
    worst = max(row["max_abs_error"] for row in rows)
    return {
        "eps": GRADCHECK_EPS,
        "ok": bool(worst <= GRADCHECK_ATOL),
        "atol": GRADCHECK_ATOL,
        "max_abs_error": worst,
        "params": rows,
    }


GRADCHECK_EPS = 1e-6
GRADCHECK_ATOL = 1e-6


def backprop_trace(r: BackpropRequest) -> Any:
    """Trace the loss of one example through the network (a calcml.autodiff Trace)."""
    return _traced(r)[0]


def _traced(r: BackpropRequest) -> tuple[Any, Any, list[np.ndarray], list[str]]:
    """The trace, the loss as a function of the parameters, the parameters and their names."""
    from calcml import autodiff as ad

    sizes = list(r.layers)
    shapes = list(pairwise(sizes))
    rng = np.random.default_rng(r.seed)
    x_value = (
        _given(r.x, (sizes[0],), "x")
        if r.x is not None
        else np.round(rng.normal(0.0, 1.0, size=sizes[0]), 2)
    )
    target = _target(r, rng)
    if r.weights is not None and len(r.weights) != len(shapes):
        raise ShapeError(f"weights has {len(r.weights)} matrices; the layers need {len(shapes)}")
    if r.biases is not None and len(r.biases) != len(shapes):
        raise ShapeError(f"biases has {len(r.biases)} vectors; the layers need {len(shapes)}")
    params: list[np.ndarray] = []
    names: list[str] = []
    for i, (fan_in, fan_out) in enumerate(shapes, start=1):
        W = (
            _given(r.weights[i - 1], (fan_in, fan_out), f"weights[{i - 1}]")
            if r.weights is not None
            else np.round(rng.normal(0.0, 0.8, size=(fan_in, fan_out)), 2)
        )
        b = (
            _given(r.biases[i - 1], (fan_out,), f"biases[{i - 1}]")
            if r.biases is not None
            else np.zeros(fan_out)
        )
        params += [W, b]
        names += [f"W{i}", f"b{i}"]
    acts = [getattr(ad, name) for name in activations(r)]
    x = ad.Tensor(x_value, name="x")
    last = len(shapes)

    def loss(*ps: Any) -> Any:
        h = x
        for i in range(last):
            z = h @ ps[2 * i] + ps[2 * i + 1]
            z.name = f"z{i + 1}" if i + 1 < last else "out"
            if i + 1 < last:
                h = acts[i](z)
                h.name = f"h{i + 1}"
            else:
                h = z
        if r.loss == "softmax_ce":
            logp = ad.log_softmax(h)
            logp.name = "logp"
            return -logp[int(target)]
        err = h - ad.Tensor(target, name="y")
        err.name = "err"
        return (err**2).sum()

    return ad.trace(loss, *params, names=names), loss, params, names
