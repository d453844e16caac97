"""calcml.autodiff: numeric derivatives of NumPy code — reverse and forward mode, Hessians,
gradient checking, and a backprop trace you can read.

>>> import numpy as np
>>> from calcml import autodiff as ad
>>> ad.grad(lambda w: np.tanh(w).sum())(np.zeros(3))
array([1., 1., 1.])
>>> ad.hessian(lambda x: x[0] ** 2 * x[1])(np.array([1.0, 2.0]))
array([[4., 2.],
       [2., 0.]])
>>> ad.gradcheck(lambda x: np.sum(np.sin(x) * x), np.array([0.5, 1.0])).ok
True
>>> t = ad.trace(lambda w, b: ad.sigmoid(w * 2.0 + b), 0.5, 0.1)   # backprop, step by step
>>> [s.input for s in t.steps]
['v2', 'v1', 'b', 'w']
>>> net = ad.nn.MLP([4, 8, 1], activation="relu")
>>> loss = ((net(np.ones((5, 4))) - 1.0) ** 2).mean()
>>> loss.backward()                                   # fills W1.grad, b1.grad, W2.grad, b2.grad

Layout: `tensor` (the Tensor and graph recording), `registry` (the primitive record and
`unbroadcast`), `primitives` (every op's forward/VJP/JVP: arithmetic, elementwise, reductions,
shape), `numpy_api` (NumPy's protocols), `engine` (the reverse and forward sweeps),
`functional` (grad, jacobian, hessian, ...), `gradcheck`, `trace`, `nn`.
"""

from __future__ import annotations

from calcml.autodiff import nn
from calcml.autodiff.engine import GradientError
from calcml.autodiff.functional import (
    grad,
    hessian,
    hvp,
    jacfwd,
    jacobian,
    jacrev,
    jvp,
    value_and_grad,
    vjp,
)
from calcml.autodiff.gradcheck import GradcheckResult, gradcheck, gradgradcheck
from calcml.autodiff.primitives import (
    abs,
    arcsin,
    arctan,
    clip,
    concatenate,
    cos,
    cosh,
    exp,
    expand_dims,
    expm1,
    leaky_relu,
    log,
    log1p,
    log_softmax,
    logaddexp,
    logsumexp,
    matmul,
    max,
    maximum,
    mean,
    min,
    minimum,
    relu,
    reshape,
    sigmoid,
    sin,
    sinh,
    softmax,
    softplus,
    sqrt,
    squeeze,
    stack,
    sum,
    tan,
    tanh,
    transpose,
    where,
)
from calcml.autodiff.registry import REGISTRY, Primitive, defprim, unbroadcast
from calcml.autodiff.tensor import (
    DTypeError,
    Tensor,
    apply,
    enable_grad,
    is_grad_enabled,
    no_grad,
)
from calcml.autodiff.trace import Trace, trace

__all__ = [
    "REGISTRY",
    "DTypeError",
    "GradcheckResult",
    "GradientError",
    "Primitive",
    "Tensor",
    "Trace",
    "abs",
    "apply",
    "arcsin",
    "arctan",
    "clip",
    "concatenate",
    "cos",
    "cosh",
    "defprim",
    "enable_grad",
    "exp",
    "expand_dims",
    "expm1",
    "grad",
    "gradcheck",
    "gradgradcheck",
    "hessian",
    "hvp",
    "is_grad_enabled",
    "jacfwd",
    "jacobian",
    "jacrev",
    "jvp",
    "leaky_relu",
    "log",
    "log1p",
    "log_softmax",
    "logaddexp",
    "logsumexp",
    "matmul",
    "max",
    "maximum",
    "mean",
    "min",
    "minimum",
    "nn",
    "no_grad",
    "relu",
    "reshape",
    "sigmoid",
    "sin",
    "sinh",
    "softmax",
    "softplus",
    "sqrt",
    "squeeze",
    "stack",
    "sum",
    "tan",
    "tanh",
    "trace",
    "transpose",
    "unbroadcast",
    "value_and_grad",
    "vjp",
    "where",
]
