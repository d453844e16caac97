"""`unbroadcast` is the adjoint of NumPy broadcasting: each entry of the small array receives the
sum of every entry of the gradient that broadcasting copied it to. The reference here walks the
gradient entry by entry (np.ndindex) and adds each one to the entry it came from, with batch axes
kept; seeded random shapes, dimensions of 1, 2 and 3, batches of 0 to 2 axes."""

from __future__ import annotations

import random

import numpy as np
import pytest

from calcml.autodiff.registry import unbroadcast


def _reference(g: np.ndarray, shape: tuple[int, ...], nb: int) -> np.ndarray:
    out = np.zeros(g.shape[:nb] + shape)
    for index in np.ndindex(*g.shape):
        batch, rest = index[:nb], index[nb:]
        tail = rest[len(rest) - len(shape) :]  # broadcasting aligns the trailing axes
        source = tuple(0 if d == 1 else t for d, t in zip(shape, tail, strict=True))
        out[batch + source] += g[index]
    return out


def _case(rng: random.Random) -> tuple[tuple[int, ...], tuple[int, ...], int]:
    """(the gradient's shape, the input's shape, batch axes) with the input broadcastable."""
    full = [rng.choice((1, 2, 3)) for _ in range(rng.randint(0, 3))]
    keep = rng.randint(0, len(full))
    small = tuple(d if rng.random() < 0.5 else 1 for d in full[len(full) - keep :])
    batch = tuple(rng.choice((2, 3)) for _ in range(rng.randint(0, 2)))
    return batch + tuple(full), small, len(batch)


@pytest.mark.parametrize("seed", range(4))
def test_unbroadcast_sums_each_copy_back_to_its_source(seed: int) -> None:
    rng = random.Random(seed)
    data = np.random.default_rng(seed)
    for _ in range(40):
        gshape, shape, nb = _case(rng)
        g = data.normal(size=gshape)
        want = _reference(g, shape, nb)
        got = unbroadcast(g, shape, nb) if nb else unbroadcast(g, shape)
        assert np.shape(got) == want.shape, (gshape, shape, nb)
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


def test_an_axis_of_two_copies_is_summed_to_one() -> None:
    g = np.arange(12.0).reshape(2, 2, 3)
    for shape, axes in (((1, 2, 3), (0,)), ((2, 1, 3), (1,)), ((1, 1, 3), (0, 1)), ((3,), (0, 1))):
        want = g.sum(axis=axes, keepdims=len(shape) == 3)
        got = unbroadcast(g, shape)
        assert got.shape == shape
        np.testing.assert_array_equal(got, want)
