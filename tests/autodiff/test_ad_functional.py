"""grad, value_and_grad, vjp, jvp, jacobian, jacfwd, hessian, hvp; forward vs reverse mode."""

from __future__ import annotations

import zlib
from typing import Any

import numpy as np
import pytest

from calcml import autodiff as ad
from calcml.errors import ShapeError

RNG = np.random.default_rng(7)


@pytest.fixture(autouse=True)
def _reseed(request: pytest.FixtureRequest) -> None:
    """Each test draws its own reproducible numbers, whatever order xdist runs tests in."""
    global RNG
    RNG = np.random.default_rng(zlib.crc32(request.node.nodeid.encode()))


def f_vec(x: Any) -> Any:
    """R⁴ → R³, touching many primitives (the batched sweeps must handle each)."""
    A = np.arange(12.0).reshape(3, 4) / 10
    h = np.tanh(A @ x) + ad.sigmoid(x[:3]) * np.exp(x[1:] / 3)
    return ad.softmax(h) * ad.logsumexp(x) + np.concatenate([x[:1], x[2:] ** 2])


def test_grad_argnums_and_value_and_grad() -> None:
    def f(x: Any, y: Any) -> Any:
        return x * y**2

    assert ad.grad(f)(3.0, 2.0) == 4.0
    assert ad.grad(f, argnums=1)(3.0, 2.0) == 12.0
    assert ad.grad(f, argnums=(0, 1))(3.0, 2.0) == (4.0, 12.0)
    value, g = ad.value_and_grad(lambda w: (w**2).sum())(np.array([1.0, 3.0]))
    assert value == 10.0
    np.testing.assert_allclose(g, [2.0, 6.0])


def test_grad_needs_a_scalar_output() -> None:
    with pytest.raises(ShapeError, match="scalar"):
        ad.grad(lambda x: x * 2)(np.ones(3))


def test_grad_of_a_constant_function_is_zero() -> None:
    np.testing.assert_array_equal(ad.grad(lambda x: 3.0)(np.ones(2)), [0.0, 0.0])


def test_jacobian_reverse_equals_forward_and_finite_differences() -> None:
    x = RNG.normal(size=4)
    J = ad.jacobian(f_vec)(x)
    assert J.shape == (3, 4)
    np.testing.assert_allclose(J, ad.jacfwd(f_vec)(x), rtol=1e-10, atol=1e-12)
    assert ad.gradcheck(f_vec, x)


def test_jacobian_of_matrix_input_has_out_plus_in_shape() -> None:
    W = RNG.normal(size=(2, 3))
    x = RNG.normal(size=3)
    J = ad.jacobian(lambda W: np.tanh(W @ x))(W)
    assert J.shape == (2, 2, 3)
    np.testing.assert_allclose(J, ad.jacfwd(lambda W: np.tanh(W @ x))(W), atol=1e-12)


def test_vjp_and_jvp_agree_with_the_jacobian() -> None:
    x = RNG.normal(size=4)
    J = ad.jacobian(f_vec)(x)
    u, v = RNG.normal(size=3), RNG.normal(size=4)
    out, back = ad.vjp(f_vec, x)
    np.testing.assert_allclose(out, f_vec(x).data if isinstance(f_vec(x), ad.Tensor) else f_vec(x))
    np.testing.assert_allclose(back(u)[0], u @ J, atol=1e-12)
    np.testing.assert_allclose(
        back(np.stack([u, 2 * u]))[0], np.stack([u @ J, 2 * u @ J]), atol=1e-12
    )
    _, tangent = ad.jvp(f_vec, (x,), (v,))
    np.testing.assert_allclose(tangent, J @ v, atol=1e-12)


def test_hessian_forward_over_reverse_equals_reverse_over_reverse() -> None:
    def f(x: Any) -> Any:
        return np.sum(np.sin(x) * x**2) + ad.logsumexp(x) * x[0]

    x = RNG.normal(size=5)
    H = ad.hessian(f)(x)
    np.testing.assert_allclose(H, H.T, atol=1e-12)
    np.testing.assert_allclose(H, ad.jacobian(ad.grad(f))(x), atol=1e-10)
    v = RNG.normal(size=5)
    np.testing.assert_allclose(ad.hvp(f, x, v), H @ v, atol=1e-10)


def test_nested_grad_gives_higher_derivatives() -> None:
    d3 = ad.grad(ad.grad(ad.grad(lambda x: x**4)))
    assert d3(2.0) == pytest.approx(48.0)
    x = ad.Tensor(1.5, requires_grad=True)
    gx = ad.grad(lambda t: np.sin(t) * t)(x)  # a recorded tensor: differentiable again
    assert isinstance(gx, ad.Tensor)
    gx.backward()
    assert float(x.grad) == pytest.approx(2 * np.cos(1.5) - 1.5 * np.sin(1.5))


def test_backward_create_graph_gives_differentiable_grads() -> None:
    x = ad.Tensor(2.0, requires_grad=True)
    (x**3).backward(create_graph=True)
    g = x.grad
    x.grad = None
    g.backward()
    assert float(x.grad) == pytest.approx(12.0)


def test_hessian_of_matrix_argument_has_doubled_shape() -> None:
    X = RNG.normal(size=(4, 2))

    def f(W: Any) -> Any:
        return np.sum(np.tanh(X @ W) ** 2)

    W = RNG.normal(size=(2, 3))
    H = ad.hessian(f)(W)
    assert H.shape == (2, 3, 2, 3)
    np.testing.assert_allclose(
        H.reshape(6, 6), ad.jacobian(ad.grad(f))(W).reshape(6, 6), atol=1e-10
    )


def test_third_derivative_through_a_nested_hessian() -> None:
    def f(x: Any) -> Any:
        return np.sum(x**4)

    third = ad.jacobian(ad.hessian(f))(np.array([1.0, 2.0]))
    expected = np.zeros((2, 2, 2))
    expected[0, 0, 0], expected[1, 1, 1] = 24.0, 48.0
    np.testing.assert_allclose(third, expected)


def test_jvp_cannot_be_differentiated_again() -> None:
    from calcml.errors import UnsupportedError

    with pytest.raises(UnsupportedError, match="jvp"):
        ad.grad(lambda x: ad.jvp(np.sin, (x,), (np.ones(1),))[1].sum())(np.ones(1))


def test_jacobian_and_hessian_use_one_batched_sweep(monkeypatch: pytest.MonkeyPatch) -> None:
    from calcml.autodiff import forward_mode, functional, reverse_mode

    calls = {"reverse": 0, "forward": 0}
    reverse, forward = reverse_mode.reverse_sweep, forward_mode.forward_sweep

    def count_reverse(*args: Any, **kwargs: Any) -> Any:
        calls["reverse"] += 1
        return reverse(*args, **kwargs)

    def count_forward(*args: Any, **kwargs: Any) -> Any:
        calls["forward"] += 1
        return forward(*args, **kwargs)

    monkeypatch.setattr(functional, "reverse_sweep", count_reverse)
    monkeypatch.setattr(functional, "forward_sweep", count_forward)
    x = RNG.normal(size=50)
    assert ad.jacobian(lambda v: np.tanh(v) * v.sum())(x).shape == (50, 50)
    assert calls == {"reverse": 1, "forward": 0}
    assert ad.hessian(lambda v: np.sum(np.tanh(v) ** 2))(x).shape == (50, 50)
    assert calls == {"reverse": 2, "forward": 1}


def test_float32_inputs_give_float32_jacobians() -> None:
    x = np.ones(3, dtype=np.float32)
    assert ad.jacobian(np.tanh)(x).dtype == np.float32
    assert ad.grad(lambda v: np.sum(v * v))(x).dtype == np.float32


def test_gradcheck_of_a_hand_written_gradient_points_at_the_wrong_entry() -> None:
    def f(w: Any, b: Any) -> Any:
        return np.sum(np.tanh(w * 2.0 + b) ** 2)

    def right(w: Any, b: Any) -> Any:
        t = np.tanh(w * 2.0 + b)
        d = 2 * t * (1 - t**2)
        return d * 2.0, np.sum(d)

    def wrong(w: Any, b: Any) -> Any:
        dw, db = right(w, b)
        dw = dw.copy()
        dw[1] *= 0.5
        return dw, db

    w, b = np.array([0.1, 0.4, -0.3]), 0.2
    assert ad.gradcheck(f, w, b, grad_fn=right).ok
    bad = ad.gradcheck(f, w, b, grad_fn=wrong)
    assert not bad.ok and bad.failures == 1
    assert bad.worst[0].in_index == (1,) and bad.worst[0].mode == "hand-written"
    assert "FAILED" in bad.text() and "hand-written" in bad.markdown()


def test_inner_grad_closing_over_an_outer_variable_is_differentiable() -> None:
    # d/dy [ d/dx (x·y²) at x = 1 ] = d/dy y² = 2y
    def outer(y: Any) -> Any:
        return ad.grad(lambda x: x * y * y)(1.0)

    assert float(ad.grad(outer)(3.0)) == pytest.approx(6.0)


def test_inner_jacobian_closing_over_an_outer_variable_is_differentiable() -> None:
    def outer(y: Any) -> Any:
        return ad.jacobian(lambda x: x * y)(np.ones(2)).sum()  # = 2y

    assert float(ad.grad(outer)(3.0)) == pytest.approx(2.0)
