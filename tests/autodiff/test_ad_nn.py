"""calcml.autodiff.nn: parameters, initialisation, state dicts, a training loop that learns."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from calcml import autodiff as ad
from calcml.errors import CalcmlError, ShapeError


def test_mlp_parameters_are_named_and_ordered() -> None:
    net = ad.nn.MLP([4, 8, 3], activation="relu", seed=0)
    names = [name for name, _ in net.named_parameters()]
    assert names == ["layers.0.W", "layers.0.b", "layers.1.W", "layers.1.b"]
    assert [p.shape for p in net.parameters()] == [(4, 8), (8,), (8, 3), (3,)]
    assert net(np.ones((5, 4))).shape == (5, 3)


def test_xavier_and_he_initialisation_scales() -> None:
    rng = np.random.default_rng(0)
    W = ad.nn.xavier(400, 600, rng)
    assert np.abs(W).max() <= np.sqrt(6 / 1000)
    assert W.var() == pytest.approx(2 / 1000, rel=0.05)
    assert ad.nn.he(400, 600, rng).var() == pytest.approx(2 / 400, rel=0.05)


def test_state_dict_round_trip_through_npz(tmp_path: Path) -> None:
    net = ad.nn.MLP([3, 5, 1], seed=1)
    other = ad.nn.MLP([3, 5, 1], seed=2)
    x = np.ones((2, 3))
    assert not np.allclose(net(x).data, other(x).data)
    net.save(tmp_path / "net.npz")
    other.load(tmp_path / "net.npz")
    np.testing.assert_array_equal(net(x).data, other(x).data)


def test_state_dict_mismatch_is_reported() -> None:
    net = ad.nn.MLP([3, 5, 1])
    with pytest.raises(CalcmlError, match="missing"):
        net.load_state_dict({})
    state = net.state_dict()
    state["layers.0.W"] = np.zeros((2, 2))
    with pytest.raises(ShapeError, match=r"\(2, 2\)"):
        net.load_state_dict(state)


def test_linear_rejects_wrong_input_width() -> None:
    with pytest.raises(ShapeError, match=r"\(\.\.\., 3\)"):
        ad.nn.Linear(3, 2)(np.ones(4))


def test_training_an_mlp_on_xor_reduces_the_loss() -> None:
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = np.array([[0.0], [1.0], [1.0], [0.0]])
    net = ad.nn.MLP([2, 8, 1], activation="tanh", seed=0)
    first = None
    for _ in range(300):
        net.zero_grad()
        loss = ((net(X) - y) ** 2).mean()
        loss.backward()
        first = float(loss) if first is None else first
        with ad.no_grad():
            for p in net.parameters():
                p.data -= 0.2 * p.grad
    assert float(loss) < 0.05 < first
