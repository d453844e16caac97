"""Every primitive through gradcheck and gradgradcheck, on scalar, vector, matrix and broadcast
shapes; forward mode is checked against the same central differences as reverse mode."""

from __future__ import annotations

import zlib
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from calcml import autodiff as ad

RNG = np.random.default_rng(1234)


@pytest.fixture(autouse=True)
def _reseed(request: pytest.FixtureRequest) -> None:
    """Each test draws its own reproducible numbers, whatever order xdist runs tests in."""
    global RNG
    RNG = np.random.default_rng(zlib.crc32(request.node.nodeid.encode()))


def positive(*shape: int) -> np.ndarray:
    return RNG.uniform(0.5, 2.0, size=shape)


def anywhere(*shape: int) -> np.ndarray:
    """Values away from 0 (kinks of abs/relu) and from each other (max/min ties)."""
    values = RNG.uniform(-2.0, 2.0, size=shape)
    return np.where(np.abs(values) < 0.1, values + 0.3, values)


SHAPES = [(), (4,), (3, 4)]

UNARY: dict[str, tuple[Callable[[Any], Any], Callable[..., np.ndarray]]] = {
    "neg": (lambda x: -x, anywhere),
    "exp": (np.exp, anywhere),
    "log": (np.log, positive),
    "log1p": (np.log1p, positive),
    "sqrt": (np.sqrt, positive),
    "abs": (np.abs, anywhere),
    "sin": (np.sin, anywhere),
    "cos": (np.cos, anywhere),
    "tan": (lambda x: np.tan(x * 0.5), anywhere),
    "tanh": (np.tanh, anywhere),
    "sinh": (np.sinh, anywhere),
    "cosh": (np.cosh, anywhere),
    "arcsin": (lambda x: np.arcsin(x * 0.4), anywhere),
    "arctan": (np.arctan, anywhere),
    "expm1": (np.expm1, anywhere),
    "sigmoid": (ad.sigmoid, anywhere),
    "relu": (ad.relu, anywhere),
    "leaky_relu": (lambda x: ad.leaky_relu(x, 0.1), anywhere),
    "softplus": (ad.softplus, anywhere),
    "square": (np.square, anywhere),
    "reciprocal": (np.reciprocal, positive),
    "pow_const": (lambda x: x**3, anywhere),
    "pow_frac": (lambda x: x**1.5, positive),
    "rpow": (lambda x: 2.0**x, anywhere),
    "clip": (lambda x: np.clip(x, -1.0, 1.0), anywhere),
    "sum": (np.sum, anywhere),
    "mean": (np.mean, anywhere),
    "max": (np.max, anywhere),
    "min": (np.min, anywhere),
    "logsumexp": (ad.logsumexp, anywhere),
    "reshape": (lambda x: ad.reshape(x, (-1,)) * np.arange(1.0, np.size(x) + 1), anywhere),
    "transpose": (
        lambda x: ad.transpose(x) * np.arange(1.0, np.size(x) + 1).reshape(np.shape(x)[::-1]),
        anywhere,
    ),
}


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_primitive_gradients_match_central_differences(
    name: str, shape: tuple[int, ...]
) -> None:
    f, sample = UNARY[name]
    x = sample(*shape)
    assert ad.gradcheck(f, x, raise_on_failure=True)
    assert ad.gradgradcheck(f, x, raise_on_failure=True)


BINARY: dict[str, Callable[[Any, Any], Any]] = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / (b + 3.0),
    "pow": lambda a, b: (a + 3.0) ** b,
    "maximum": np.maximum,
    "minimum": np.minimum,
    "logaddexp": np.logaddexp,
    "where": lambda a, b: ad.where(a > 0, a, b),
}
BROADCAST_PAIRS = [
    ((), ()),
    ((4,), (4,)),
    ((3, 4), (3, 4)),
    ((3, 1), (1, 4)),
    ((), (3, 4)),
    ((3, 4), (4,)),
]


@pytest.mark.parametrize("shapes", BROADCAST_PAIRS, ids=str)
@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_primitive_gradients_with_broadcasting(name: str, shapes: tuple[Any, Any]) -> None:
    a, b = anywhere(*shapes[0]), anywhere(*shapes[1])
    f = BINARY[name]
    assert ad.gradcheck(f, a, b, raise_on_failure=True)
    assert ad.gradgradcheck(f, a, b, raise_on_failure=True)


MATMUL_SHAPES = [
    ((3,), (3,)),
    ((2, 3), (3,)),
    ((3,), (3, 4)),
    ((2, 3), (3, 4)),
    ((5, 2, 3), (3, 4)),
    ((2, 3), (5, 3, 4)),
]


@pytest.mark.parametrize("shapes", MATMUL_SHAPES, ids=str)
def test_matmul_gradients_for_vectors_matrices_and_stacks(shapes: tuple[Any, Any]) -> None:
    a, b = anywhere(*shapes[0]), anywhere(*shapes[1])
    assert ad.gradcheck(lambda x, y: x @ y, a, b, raise_on_failure=True)
    assert ad.gradgradcheck(lambda x, y: x @ y, a, b, raise_on_failure=True)


AXIS_OPS: dict[str, Callable[..., Any]] = {
    "sum": ad.sum,
    "mean": ad.mean,
    "max": ad.max,
    "min": ad.min,
    "logsumexp": ad.logsumexp,
}


@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("axis", [0, 1, -1, (0, 1)], ids=str)
@pytest.mark.parametrize("name", sorted(AXIS_OPS))
def test_reductions_along_axes(name: str, axis: Any, keepdims: bool) -> None:
    x = anywhere(3, 4)
    f = AXIS_OPS[name]

    def g(t: Any) -> Any:
        return f(t, axis=axis, keepdims=keepdims) * 1.5

    assert ad.gradcheck(g, x, raise_on_failure=True)
    assert ad.gradgradcheck(g, x, raise_on_failure=True)


@pytest.mark.parametrize("axis", [0, -1])
@pytest.mark.parametrize("fn", [ad.softmax, ad.log_softmax], ids=["softmax", "log_softmax"])
def test_softmax_family(fn: Callable[..., Any], axis: int) -> None:
    x = anywhere(3, 4)
    assert ad.gradcheck(lambda t: fn(t, axis=axis), x, raise_on_failure=True)
    assert ad.gradgradcheck(lambda t: fn(t, axis=axis), x, raise_on_failure=True)


SHAPE_OPS: dict[str, Callable[[Any], Any]] = {
    "getitem_slice": lambda x: x[1:, ::2],
    "getitem_int": lambda x: x[1],
    "getitem_fancy_repeat": lambda x: x[[0, 2, 0]],
    "getitem_mask": lambda x: x[x > 0],
    "getitem_ellipsis_none": lambda x: x[..., None, 1],
    "T": lambda x: x.T,
    "transpose_axes": lambda x: x.reshape(3, 2, 2).transpose(2, 0, 1),
    "swapaxes": lambda x: np.swapaxes(x, 0, 1),
    "broadcast_to": lambda x: np.broadcast_to(x[0], (2, 4)) * np.arange(8.0).reshape(2, 4),
    "expand_squeeze": lambda x: np.squeeze(np.expand_dims(x, 0) * 2.0),
    "concatenate0": lambda x: np.concatenate([x, x * 2.0], axis=0),
    "concatenate1": lambda x: np.concatenate([x, x[:, :1]], axis=1),
    "stack": lambda x: np.stack([x, np.sin(x)], axis=1),
    "np_reshape": lambda x: np.reshape(x, (4, 3)) @ np.ones(3),
    "outer": lambda x: np.outer(x[0], x[1]),
    "hstack": lambda x: np.hstack([x[0], x[1] * 2.0]),
    "vstack": lambda x: np.vstack([x[0], x[1:]]),
    "norm": lambda x: np.linalg.norm(x) * np.linalg.norm(x[0]),
    "var_std": lambda x: np.var(x, axis=0) + np.std(x[1]),
    "log2_log10_exp2_arccos": lambda x: (
        np.log2(x * x + 1) + np.log10(x * x + 1) + np.exp2(x) + np.arccos(x * 0.3)
    ),
}


@pytest.mark.parametrize("name", sorted(SHAPE_OPS))
def test_shape_operations(name: str) -> None:
    x = anywhere(3, 4)
    f = SHAPE_OPS[name]
    assert ad.gradcheck(f, x, raise_on_failure=True)
    assert ad.gradgradcheck(lambda t: f(t) ** 2, x, raise_on_failure=True)


COVERED = {
    "add", "sub", "mul", "div", "neg", "pow", "matmul", "exp", "log", "log1p", "sqrt", "abs",
    "sin", "cos", "tan", "tanh", "sinh", "cosh", "arcsin", "arctan", "expm1", "sigmoid", "relu",
    "leaky_relu", "softplus", "maximum", "minimum", "logaddexp", "where", "clip", "sum", "max",
    "min", "logsumexp", "softmax", "reshape", "transpose", "broadcast_to", "getitem", "unindex",
    "concatenate",
    # checked in test_ad_numpy_coverage.py against autograd and central differences:
    "arcsinh", "arccosh", "arctanh", "arccos", "cbrt", "sinc", "nan_to_num", "remainder",
    "logaddexp2", "fmax", "fmin", "arctan2", "hypot", "prod", "cumsum", "sqrt0", "einsum",
    "inv", "det", "logabsdet", "solve", "astype",
}  # fmt: skip


def test_every_registered_primitive_is_covered_by_these_tests() -> None:
    assert set(ad.REGISTRY) == COVERED


def test_every_primitive_has_a_vjp_and_jvp_per_input_and_trace_text() -> None:
    for prim in ad.REGISTRY.values():
        assert len(prim.vjps) == len(prim.jvps) >= 1
        assert prim.vjp_text and prim.derivative, prim.name
