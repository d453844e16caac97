"""Limit figures: calcml's limit and its numeric evidence; holes, jumps and asymptotes marked."""

from __future__ import annotations

import json

import numpy as np
import pytest

import calcml as cm
from calcml import viz
from calcml.symbolic.limits import limit as compute_limit
from calcml.symbolic.taylor import taylor


def test_hole_is_an_open_circle_at_the_limit(saved_png) -> None:
    fig = viz.limit("sin(x)/x", 0)
    spec = fig.spec
    assert spec["value"]["number"] == 1.0
    assert spec["marks"]["holes"] == [[0.0, 1.0]] and spec["f_at_point"] is None
    assert "= 1" in spec["title"]
    saved_png(fig)


def test_evidence_is_calcmls_table_from_both_sides() -> None:
    result = compute_limit("sin(x)/x", "x", 0)
    spec = viz.limit_spec_from_result(result)
    for side, key in (("-", "left"), ("+", "right")):
        table = result.evidence[side].table
        rows = spec["evidence"][key]
        assert [r["x"] for r in rows] == pytest.approx([float(s.point) for s in table])
        assert [r["value"] for r in rows] == pytest.approx([float(s.value) for s in table])
    left_x = [r["x"] for r in spec["evidence"]["left"]]
    assert all(x < 0 for x in left_x)


def test_jump_marks_both_one_sided_limits(saved_png) -> None:
    fig = viz.limit("abs(x)/x", 0)
    spec = fig.spec
    assert spec["value"]["text"] == "DNE"
    assert spec["left"]["number"] == -1.0 and spec["right"]["number"] == 1.0
    assert spec["marks"]["jump"] and sorted(h[1] for h in spec["marks"]["holes"]) == [-1.0, 1.0]
    assert "does not exist" in spec["title"]
    saved_png(fig)


def test_asymptote_is_drawn_and_the_axes_stay_readable(saved_png) -> None:
    fig = viz.limit("1/(x - 1)", 1, xlim=(-1, 3))
    assert fig.spec["marks"]["asymptote"]
    assert fig.spec["left"]["number"] == "-inf" and fig.spec["right"]["number"] == "inf"
    lo, hi = fig.axes[0].get_ylim()
    assert hi - lo < 200
    labels = [str(line.get_label()) for line in fig.axes[0].get_lines()]
    assert "vertical asymptote" in labels
    json.loads(fig.spec_json())
    saved_png(fig)


def test_continuous_point_is_a_filled_dot_not_a_hole() -> None:
    spec = viz.limit_spec("x^2 + 1", 1)
    assert spec["marks"]["holes"] == [] and spec["marks"]["dots"] == [[1.0, 2.0]]


def test_limit_at_infinity(saved_png) -> None:
    fig = viz.limit("(1 + 1/x)^x", "oo")
    assert fig.spec["value"]["number"] == pytest.approx(np.e)
    assert fig.spec["at"] == "oo"
    saved_png(fig)


def test_continuity_and_limit_results_dispatch(tmp_path) -> None:
    fig = viz.figure_for(cm.continuity("abs(x)/x", "x", 0))
    assert fig.spec["kind"] == "limit" and "not continuous" in fig.spec["notes"][0]
    assert viz.plot_result(compute_limit("sin(x)/x", "x", 0), tmp_path / "l.png").exists()


def test_taylor_result_dispatches_to_the_taylor_figure() -> None:
    fig = viz.figure_for(taylor("exp(x)", "x", 0, 4))
    assert fig.spec["kind"] == "taylor"
    assert [p["order"] for p in fig.spec["polynomials"]][-1] == 4
