"""The house style and the JSON spec helpers."""

from __future__ import annotations

import json
import math

import numpy as np

from calcml import viz
from calcml.viz.spec import jsonable, to_json
from calcml.viz.style import CYCLE, OKABE_ITO
from calcml.viz.style import math as mathtext


def test_every_series_colour_is_okabe_ito() -> None:
    assert set(CYCLE) <= set(OKABE_ITO.values())


def test_titles_are_mathtext_and_fall_back_to_text() -> None:
    import sympy as sp

    x = sp.Symbol("x", real=True)
    assert mathtext(x**2) == "$x^{2}$"
    assert mathtext(r"\notacommand{") == r"\notacommand{"
    fig = viz.tangent("x^2", 1.0)
    assert "$f(x) = x^{2}$" in fig.spec["title"]
    assert fig.texts or fig._suptitle is not None
    ax = fig.axes[0]
    assert ax.get_xlabel() and ax.get_ylabel()


def test_jsonable_turns_non_finite_into_null() -> None:
    data = {"a": np.array([1.0, np.nan, np.inf]), "b": np.float64(-np.inf), "c": (1, 2)}
    assert jsonable(data) == {"a": [1.0, None, None], "b": None, "c": [1, 2]}
    text = to_json({"x": [math.nan]})
    assert json.loads(text) == {"x": [None]}


def test_figures_are_800_px_wide_at_the_default_dpi() -> None:
    fig = viz.tangent("x^2", 1.0)
    assert fig.get_figwidth() * fig.dpi == 800
