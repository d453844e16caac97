"""Numbers and arrays as calcml prints them (issue 14 item 11): never "-0", negative operands
in parentheses, and the backprop trace never says "L = L"."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from calcml.text import array_text, count_of, number_text, operand, plus

NEGATIVE_ZERO = re.compile(r"(?<![\w.])-0(?:\.0*)?(?![\d.e])")
NUMBER = re.compile(r"-?(?:\d+\.?\d*(?:e[+-]?\d+)?|nan|inf)")


@settings(max_examples=300, deadline=None)
@given(
    hnp.arrays(
        np.float64,
        hnp.array_shapes(min_dims=1, max_dims=2, max_side=4),
        elements=st.one_of(
            st.just(-0.0), st.floats(-1e-5, 1e-5), st.floats(-1e4, 1e4, allow_nan=False)
        ),
    )
)
def test_array_text_never_prints_negative_zero_and_keeps_the_values(a: np.ndarray) -> None:
    text = array_text(a)
    assert NEGATIVE_ZERO.search(text) is None, text
    shown = [float(t) for t in NUMBER.findall(text)]
    assert len(shown) == a.size
    scale = float(np.max(np.abs(a)))
    for got, want in zip(shown, a.ravel(), strict=True):  # 4 significant digits, or noise → 0
        assert abs(got - want) <= 5e-4 * abs(want) + 1e-12 * scale + 1e-300


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.just(-0.0), st.floats(-1e300, 1e300)))
def test_number_text_is_never_negative_zero(x: float) -> None:
    text = number_text(x)
    assert text != "-0" and float(text) == pytest.approx(x, rel=5e-4, abs=1e-300)


@pytest.mark.parametrize("n", [-7, -1, 0, 1, 2, 13])
def test_operand_and_plus_read_as_math(n: int) -> None:
    """Substituting n into a·n + c: the text, read as Python, gives the same number."""
    for a in (-3, 2):
        for c in (-2, 0, 5):
            text = f"{a}·{operand(n)} {plus(c)}"
            assert "·-" not in text and "+ -" not in text
            assert eval(text.replace("·", "*")) == a * n + c  # our own text, not user input


def test_count_of_singular_of_es_plurals() -> None:
    assert count_of(1, "passes") == "1 pass" and count_of(2, "passes") == "2 passes"
    assert count_of(1, "inputs") == "1 input" and count_of(1, "matches") == "1 match"


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "softplus"])
@pytest.mark.parametrize("seed", range(4))
def test_backprop_trace_text_has_no_negative_zero_nor_l_equals_l(
    activation: str, seed: int
) -> None:
    from calcml.cli.backprop import example_trace

    text = example_trace(seed=seed, hidden=5, activation=activation).text()
    assert NEGATIVE_ZERO.search(text) is None, text
    assert not re.search(r"\bL = L\b", text)
    assert not re.search(r"[·⊙] -\d", text), text  # a negative factor is in parentheses
