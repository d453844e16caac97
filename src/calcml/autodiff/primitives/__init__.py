"""Every differentiable operation: forward, VJP and JVP side by side, then its public function.

`arithmetic` (+ − · / ** @), `elementwise` (exp, tanh, sigmoid, relu, where, clip, ...),
`reductions` (sum, mean, max, min, logsumexp, softmax) and `shape` (reshape, transpose,
broadcast, indexing, concatenate). All register in `calcml.autodiff.registry.REGISTRY`.

The public functions accept Tensors or plain NumPy values: on plain values they just compute,
so the derivative rules can use them on either (plain arrays for speed, Tensors when the
gradient itself must be differentiable).

>>> from calcml.autodiff.tensor import Tensor
>>> x = Tensor([0.0, 1.0], requires_grad=True)
>>> y = sigmoid(x).sum()
>>> y.backward()
>>> x.grad.round(4)
array([0.25  , 0.1966])
"""

from __future__ import annotations

from calcml.autodiff.primitives.arithmetic import (
    ADD,
    DIV,
    MATMUL,
    MUL,
    NEG,
    POW,
    SUB,
    add,
    divide,
    dot,
    matmul,
    multiply,
    negative,
    outer,
    power,
    subtract,
)
from calcml.autodiff.primitives.elementwise import (
    abs,
    arcsin,
    arctan,
    clip,
    cos,
    cosh,
    exp,
    expm1,
    leaky_relu,
    log,
    log1p,
    logaddexp,
    maximum,
    minimum,
    relu,
    sigmoid,
    sin,
    sinh,
    softplus,
    sqrt,
    square,
    tan,
    tanh,
    where,
)
from calcml.autodiff.primitives.reductions import (
    log_softmax,
    logsumexp,
    max,
    mean,
    min,
    softmax,
    sum,
)
from calcml.autodiff.primitives.shape import (
    broadcast_to,
    concatenate,
    expand_dims,
    getitem,
    reshape,
    squeeze,
    stack,
    swapaxes,
    transpose,
)

__all__ = [
    "ADD", "DIV", "MATMUL", "MUL", "NEG", "POW", "SUB",
    "abs", "add", "arcsin", "arctan", "broadcast_to", "clip", "concatenate", "cos", "cosh",
    "divide", "dot", "exp", "expand_dims", "expm1", "getitem", "leaky_relu", "log", "log1p",
    "log_softmax", "logaddexp", "logsumexp", "matmul", "max", "maximum", "mean", "min",
    "minimum", "multiply", "negative", "outer", "power", "relu", "reshape", "sigmoid", "sin",
    "sinh", "softmax", "softplus", "sqrt", "square", "squeeze", "stack", "subtract", "sum",
    "swapaxes", "tan", "tanh", "transpose", "where",
]  # fmt: skip
