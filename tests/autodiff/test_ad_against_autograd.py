"""MLP and logistic-regression losses: gradients and Hessians against HIPS autograd."""

from __future__ import annotations

from typing import Any

import autograd
import autograd.numpy as anp
import numpy as np
import pytest

from calcml import autodiff as ad

RNG = np.random.default_rng(11)
X = RNG.normal(size=(20, 5))
Y_REG = RNG.normal(size=(20, 2))
Y_CLS = (RNG.uniform(size=20) < 0.5).astype(float)
LABELS = RNG.integers(0, 3, size=20)


def test_logistic_regression_loss_gradient_and_hessian() -> None:
    w = RNG.normal(size=5) * 0.3

    def ours(w: Any) -> Any:
        z = X @ w
        return np.mean(ad.softplus(z) - Y_CLS * z) + 0.01 * np.sum(w * w)

    def theirs(w: Any) -> Any:
        z = anp.dot(X, w)
        return anp.mean(anp.logaddexp(0.0, z) - Y_CLS * z) + 0.01 * anp.sum(w * w)

    np.testing.assert_allclose(ad.grad(ours)(w), autograd.grad(theirs)(w), rtol=1e-12)
    np.testing.assert_allclose(ad.hessian(ours)(w), autograd.hessian(theirs)(w), rtol=1e-10)


@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid", "softplus"])
def test_mlp_mse_loss_gradients(activation: str) -> None:
    net = ad.nn.MLP([5, 7, 6, 2], activation=activation, seed=3)
    loss = ((net(X) - Y_REG) ** 2).mean()
    loss.backward()
    acts = {
        "tanh": anp.tanh,
        "relu": lambda z: anp.maximum(z, 0.0),
        "sigmoid": lambda z: 1.0 / (1.0 + anp.exp(-z)),
        "softplus": lambda z: anp.logaddexp(0.0, z),
    }

    def theirs(params: list[Any]) -> Any:
        h = X
        for i in range(0, len(params), 2):
            h = anp.dot(h, params[i]) + params[i + 1]
            if i < len(params) - 2:
                h = acts[activation](h)
        return anp.mean((h - Y_REG) ** 2)

    values = [p.data for p in net.parameters()]
    assert float(loss) == pytest.approx(theirs(values), rel=1e-12)
    for mine, ref in zip(net.parameters(), autograd.grad(theirs)(values), strict=True):
        np.testing.assert_allclose(mine.grad, ref, rtol=1e-9, atol=1e-12)


def test_softmax_cross_entropy_classifier() -> None:
    W = RNG.normal(size=(5, 3)) * 0.5
    onehot = np.eye(3)[LABELS]

    def ours(W: Any) -> Any:
        return -np.mean(np.sum(onehot * ad.log_softmax(X @ W, axis=1), axis=1))

    def theirs(W: Any) -> Any:
        z = anp.dot(X, W)
        logp = z - anp.log(anp.sum(anp.exp(z), axis=1, keepdims=True))
        return -anp.mean(anp.sum(onehot * logp, axis=1))

    np.testing.assert_allclose(ad.grad(ours)(W), autograd.grad(theirs)(W), rtol=1e-10)
    np.testing.assert_allclose(
        ad.hessian(ours)(W), autograd.hessian(theirs)(W), rtol=1e-8, atol=1e-12
    )


def test_grad_of_a_parameter_dict_matches_autograd() -> None:
    params = {"W": RNG.normal(size=(5, 2)), "b": np.zeros(2), "layers": [RNG.normal(size=2)]}

    def loss(p: Any, np_: Any = np) -> Any:
        z = np_.tanh(np_.dot(X, p["W"]) + p["b"]) * p["layers"][0]
        return np_.mean((z - Y_REG) ** 2)

    mine = ad.grad(loss)(params)
    ref = autograd.grad(lambda p: loss(p, anp))(params)
    assert set(mine) == {"W", "b", "layers"} and isinstance(mine["layers"], list)
    for key in ("W", "b"):
        np.testing.assert_allclose(mine[key], ref[key], rtol=1e-12)
    np.testing.assert_allclose(mine["layers"][0], ref["layers"][0], rtol=1e-12)
