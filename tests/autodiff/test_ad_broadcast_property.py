"""Property: for any pair of broadcast-compatible shapes, every broadcasting binary primitive's
reverse-mode gradients (summed back by `unbroadcast`) equal forward mode and central differences."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from calcml import autodiff as ad

OPS = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / (b * b + 1.0),
    "logaddexp": np.logaddexp,
}


@st.composite
def broadcast_pair(draw: Any) -> tuple[tuple[int, ...], tuple[int, ...]]:
    full = draw(st.lists(st.integers(1, 3), min_size=0, max_size=3))

    def view() -> tuple[int, ...]:
        keep = draw(st.integers(0, len(full)))
        dims = full[len(full) - keep :]
        return tuple(d if draw(st.booleans()) else 1 for d in dims)

    return view(), view()


@settings(max_examples=40)
@given(shapes=broadcast_pair(), op=st.sampled_from(sorted(OPS)), seed=st.integers(0, 99))
def test_broadcast_gradients(shapes: tuple[Any, Any], op: str, seed: int) -> None:
    rng = np.random.default_rng(seed)
    a, b = rng.normal(size=shapes[0]), rng.normal(size=shapes[1])
    result = ad.gradcheck(OPS[op], a, b)
    assert result.ok, result.text()
    ga, gb = ad.grad(lambda x, y: np.sum(OPS[op](x, y) ** 2), argnums=(0, 1))(a, b)
    assert np.shape(ga) == shapes[0] and np.shape(gb) == shapes[1]
