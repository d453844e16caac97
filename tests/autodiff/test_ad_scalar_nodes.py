"""Scalar nodes hold Python floats (+ − · relu compute in float arithmetic, every other rule
gets np.float64): values and gradients must be those of NumPy's float64, including where
Python's float arithmetic would differ (division by zero, overflow, negative bases).
Reference: HIPS autograd on the same programs."""

from __future__ import annotations

import gc
import warnings
import weakref
from collections.abc import Callable
from typing import Any

import autograd
import autograd.numpy as anp
import numpy as np
import pytest

from calcml import autodiff as ad

# One step of a random scalar program: (name, calcml/NumPy op, autograd op); `m` is the module
# (calcml.autodiff or autograd.numpy), `a`, `b` the two values the step reads.
STEPS: list[tuple[str, Callable[[Any, Any, Any], Any]]] = [
    ("add", lambda m, a, b: a + b),
    ("sub", lambda m, a, b: a - b),
    ("mul", lambda m, a, b: a * b),
    ("mul const", lambda m, a, b: a * 0.75),
    ("rsub const", lambda m, a, b: 1.5 - a),
    ("neg", lambda m, a, b: -a),
    ("relu", lambda m, a, b: m.maximum(a, 0.0) if m is anp else ad.relu(a)),
    ("div", lambda m, a, b: a / (b * b + 0.5)),
    ("square", lambda m, a, b: a**2),
    ("tanh", lambda m, a, b: m.tanh(a)),
    ("exp small", lambda m, a, b: m.exp(0.1 * a)),
]


def program(seed: int, n: int = 40) -> Callable[[Any, Any, Any], Any]:
    """A random straight-line program of `n` scalar steps over two inputs."""
    rng = np.random.default_rng(seed)
    plan = [
        (int(rng.integers(len(STEPS))), int(rng.integers(0, k + 2)), int(rng.integers(0, k + 2)))
        for k in range(n)
    ]

    def run(m: Any, x: Any, y: Any) -> Any:
        vals = [x, y]
        for step, i, j in plan:
            vals.append(STEPS[step][1](m, vals[i], vals[j]))
        return vals[-1] + 0.0 * vals[0] + 0.0 * vals[1]  # depend on both inputs

    return run


@pytest.mark.parametrize("seed", range(60))
def test_random_scalar_program_matches_autograd(seed: int) -> None:
    run = program(seed)
    rng = np.random.default_rng(1000 + seed)
    xv, yv = (float(v) for v in rng.normal(size=2))
    x, y = ad.Tensor(xv, requires_grad=True), ad.Tensor(yv, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = run(ad, x, y)
        out.backward()
        ref = run(anp, np.float64(xv), np.float64(yv))
        gx = autograd.grad(lambda a, b: run(anp, a, b), 0)(xv, yv)
        gy = autograd.grad(lambda a, b: run(anp, a, b), 1)(xv, yv)
    np.testing.assert_allclose(float(out), ref, rtol=1e-13, atol=1e-300)
    np.testing.assert_allclose(float(x.grad), gx, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(float(y.grad), gy, rtol=1e-9, atol=1e-12)


def test_plus_minus_times_on_scalar_nodes_give_numpys_float64_bits() -> None:
    rng = np.random.default_rng(7)
    scaled = rng.normal(size=(200, 2)) * 10.0 ** rng.integers(-300, 300, size=(200, 2))
    with np.errstate(over="ignore"):
        for a, b in scaled:
            ta, tb = ad.Tensor(a), ad.Tensor(b)
            fa, fb = np.float64(a), np.float64(b)
            for mine, theirs in [(ta + tb, fa + fb), (ta - tb, fa - fb), (ta * tb, fa * fb)]:
                assert mine.data == theirs or (np.isnan(mine.data) and np.isnan(theirs))


# ---- where Python's floats and NumPy's float64 differ ---------------------------------------

NUMPY_POINTS: dict[str, tuple[Callable[[Any, Any], Any], float, float]] = {
    "divide by zero": (lambda a, b: a / b, 1.0, 0.0),
    "zero by zero": (lambda a, b: a / b, 0.0, 0.0),
    "zero to a negative power": (lambda a, b: a**b, 0.0, -1.0),
    "negative base, fractional power": (lambda a, b: a**b, -8.0, 1.0 / 3.0),
    "power overflows": (lambda a, b: a**b, 10.0, 400.0),
    "product overflows": (lambda a, b: a * b, 1e308, 10.0),
    "sum overflows": (lambda a, b: a + b, 1.7e308, 1.7e308),
    "inf times zero": (lambda a, b: (a * 1e308 * 10.0) * b, 1.0, 0.0),
    "remainder by zero": (lambda a, b: a % b, 1.0, 0.0),
}


@pytest.mark.parametrize("name", NUMPY_POINTS)
def test_scalar_nodes_follow_numpy_where_python_floats_would_raise(name: str) -> None:
    f, a, b = NUMPY_POINTS[name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = f(np.float64(a), np.float64(b))
        ta, tb = ad.Tensor(a, requires_grad=True), ad.Tensor(b, requires_grad=True)
        out = f(ta, tb)
        np.testing.assert_equal(float(out), float(expected))
        out.backward()
        ga = autograd.grad(f, 0)(np.float64(a), np.float64(b))
        gb = autograd.grad(f, 1)(np.float64(a), np.float64(b))
    np.testing.assert_equal(float(ta.grad), float(ga))
    np.testing.assert_equal(float(tb.grad), float(gb))


def test_scalar_results_keep_their_numpy_dtypes() -> None:
    x = ad.Tensor(2.0, requires_grad=True)
    y = (x * 3.0 - 1.0).relu() * x
    assert y.dtype == np.float64 and y.shape == () and isinstance(y.data, float)
    y.backward()  # d/dx (3x − 1)x = 6x − 1
    assert isinstance(x.grad, np.float64) and x.grad.dtype == np.float64 and x.grad == 11.0
    h = ad.Tensor(np.float32(2.0), requires_grad=True)
    z = (h * h - h) * np.float32(3.0)
    assert z.dtype == np.float32 and isinstance(z.data, np.float32)
    z.backward()
    assert h.grad.dtype == np.float32 and h.grad == 9.0
    assert isinstance(ad.grad(lambda t: t * t + t)(1.5), float)


def test_second_order_through_float_nodes() -> None:
    f = lambda t: (t * t * t - t * 2.0).relu() * t  # noqa: E731
    ref = autograd.hessian(lambda t: anp.maximum(t * t * t - t * 2.0, 0.0) * t)
    for v in (-1.5, 0.3, 2.0):
        np.testing.assert_allclose(float(ad.hessian(f)(v)), float(ref(v)), rtol=1e-12)
        np.testing.assert_allclose(float(ad.grad(ad.grad(f))(v)), float(ref(v)), rtol=1e-12)


# ---- a graph holds no reference cycles -----------------------------------------------------


def _graph_refs(seed: int) -> tuple[list[weakref.ref[Any]], Any, Any]:
    """Weak references to every recorded node of a random program after its backward,
    scalar steps mixed with array ones (params, a broadcast, a reduction), and the leaves."""
    from calcml.autodiff.graph import toposort

    rng = np.random.default_rng(seed)
    x = ad.Tensor(float(rng.normal()), requires_grad=True)
    w = ad.Tensor(rng.normal(size=(3, 2)), requires_grad=True)
    s = program(seed, n=30)(ad, x, x * 0.5 + 1.0)
    out = ad.tanh(w * s + x).sum(axis=0)[1] * s
    out.backward()
    refs = [weakref.ref(node) for node in toposort([out]) if not node.is_leaf]
    return refs, x, w


@pytest.mark.parametrize("seed", range(5))
def test_a_graph_is_freed_by_reference_counting_when_its_output_is_dropped(seed: int) -> None:
    """Dropping a graph's output frees all of its nodes at once, with the cyclic collector
    paused: no node is kept by a reference cycle (so a training step frees its graph before
    the next, and benchmark (d) times that freeing inside each call)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        refs, x, w = _graph_refs(seed)
        alive = [r() for r in refs if r() is not None]
    finally:
        if enabled:
            gc.enable()
    assert len(refs) >= 10 and alive == []
    assert x.grad is not None and w.grad.shape == (3, 2)  # the leaves keep their gradients
