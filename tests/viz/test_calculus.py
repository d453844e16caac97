"""Tangent, secants and f-over-f′: drawn from sympy.diff, slopes where they claim to be."""

from __future__ import annotations

import json

import numpy as np
import pytest
import sympy as sp

import calcml as cm
from calcml import viz
from calcml.errors import CalcmlError


def test_tangent_slope_equals_the_derivative_at_the_point(saved_png) -> None:
    fig = viz.tangent("x^2 sin(x)", 1.0)
    x = cm.expr.symbol("x")
    expected = float(sp.diff(x**2 * sp.sin(x), x).subs(x, 1))
    assert fig.spec["slope"] == pytest.approx(expected, rel=1e-12)
    line = next(s for s in fig.spec["series"] if s["role"] == "tangent")
    xs, ys = np.array(line["x"]), np.array(line["y"])
    assert np.polyfit(xs, ys, 1)[0] == pytest.approx(expected, rel=1e-9)
    assert fig.spec["point"]["y"] == pytest.approx(np.sin(1.0))
    saved_png(fig)


def test_tangent_line_drawn_is_the_spec_line() -> None:
    fig = viz.tangent("exp(x)", 0.0)
    drawn = [line for line in fig.axes[0].get_lines() if "tangent" in str(line.get_label())]
    assert len(drawn) == 1
    assert np.allclose(drawn[0].get_ydata(), fig.spec["series"][1]["y"])


def test_secant_slopes_close_in_on_the_derivative(saved_png) -> None:
    fig = viz.secants("exp(x)", 0.0, hs=(1.0, 0.1, 0.01))
    slopes = [row["slope"] for row in fig.spec["secant_slopes"]]
    assert slopes == pytest.approx([np.e - 1, (np.exp(0.1) - 1) / 0.1, (np.exp(0.01) - 1) / 0.01])
    errors = [abs(s - 1.0) for s in slopes]
    assert errors == sorted(errors, reverse=True)
    assert fig.spec["slope"] == 1.0
    saved_png(fig)


def test_with_derivative_marks_where_f_rises(saved_png) -> None:
    fig = viz.with_derivative("x^3 - 3x", xlim=(-3, 3))
    runs = fig.spec["rising"]
    # f′ = 3x² − 3: positive, negative, positive with sign changes at ±1
    assert [r["sign"] for r in runs] == ["+", "-", "+"]
    assert runs[0]["to"] == pytest.approx(-1, abs=0.02)
    assert runs[2]["from"] == pytest.approx(1, abs=0.02)
    assert cm.parse(fig.spec["derivative"]["expr"]) == cm.parse("3x^2 - 3")
    saved_png(fig)


def test_undefined_part_is_left_blank_and_said(saved_png) -> None:
    fig = viz.tangent("log(x)", 1.0, xlim=(-2, 3))
    (gap,) = fig.spec["gaps"]
    assert gap[0] == -2 and gap[1] == 0  # x = 0 itself is sampled: log(0) is undefined
    assert any("undefined" in n for n in fig.spec["notes"])
    ys = fig.spec["series"][0]["y"]
    assert ys[0] is None and ys[-1] is not None
    json.loads(fig.spec_json())  # strict JSON: no NaN
    saved_png(fig)


def test_asymptote_does_not_stretch_the_axes() -> None:
    fig = viz.with_derivative("1/x", xlim=(-2, 2))
    lo, hi = fig.axes[0].get_ylim()
    assert hi - lo < 200


def test_tangent_at_an_undefined_point_is_a_learner_error() -> None:
    with pytest.raises(CalcmlError, match="undefined"):
        viz.tangent("log(x)", -1.0)


def test_two_variable_function_needs_a_named_variable() -> None:
    with pytest.raises(CalcmlError):
        viz.tangent("x*y", 1.0)


def test_saves_svg_and_pdf(tmp_path) -> None:
    fig = viz.tangent("x^2", 1.0)
    for suffix in (".svg", ".pdf"):
        out = fig.save(tmp_path / f"t{suffix}", dpi=40)
        assert out.stat().st_size > 1000
    with pytest.raises(CalcmlError):
        fig.save(tmp_path / "t.bmp")


def test_figure_shows_inline_in_jupyter() -> None:
    png = viz.tangent("x^2", 1.0)._repr_png_()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_kink_has_two_different_one_sided_tangents(saved_png) -> None:
    fig = viz.one_sided("abs(x) + x^2", 0.0)
    spec = fig.spec
    assert spec["differentiable"] is False
    assert spec["left"]["number"] == -1.0 and spec["right"]["number"] == 1.0
    slopes = sorted(
        np.polyfit(s["x"], s["y"], 1)[0] for s in spec["series"] if s["role"] == "tangent"
    )
    assert slopes == pytest.approx([-1.0, 1.0])
    saved_png(fig)


def test_smooth_point_has_one_tangent_slope() -> None:
    spec = viz.one_sided_spec_from_result(cm.differentiable("x^2", "x", 1))
    assert spec["differentiable"] is True
    assert spec["left"]["number"] == spec["right"]["number"] == 2.0


def test_one_variable_gradient_draws_f_and_f_prime() -> None:
    fig = viz.figure_for(cm.gradient("x^3"))
    assert fig.spec["kind"] == "with_derivative"


@pytest.mark.parametrize(
    "make",
    [
        lambda: cm.gradient("x*y*z"),
        lambda: cm.hessian("x^3"),
        lambda: cm.jacobian(["x*y", "x + y^2", "y"], ["x", "y"]),
        lambda: cm.critical_points("x + y"),
    ],
)
def test_results_without_a_picture_say_why(make) -> None:
    with pytest.raises(CalcmlError):
        viz.figure_for(make())


def test_singular_points_are_sampled_and_said() -> None:
    fig = viz.with_derivative("tan(x)", xlim=(-3, 3))
    (a, b), (c, d) = fig.spec["gaps"][0]
    assert a == b == pytest.approx(-np.pi / 2) and c == d == pytest.approx(np.pi / 2)
    assert "undefined at x = -1.571" in fig.spec["notes"][0]


def test_overflow_is_not_called_undefined() -> None:
    fig = viz.tangent("exp(x)", 0.0, xlim=(0, 1000))
    assert fig.spec["gaps"] == []
    assert "float64 range" in fig.spec["notes"][0]


def test_finite_difference_errors_fall_then_rise(saved_png) -> None:
    fig = viz.finite_differences("exp(x) sin(x)", 1.0)
    spec = fig.spec
    exact = np.exp(1.0) * (np.sin(1.0) + np.cos(1.0))
    assert spec["exact"] == pytest.approx(exact, rel=1e-14)
    h = np.array(spec["h"])
    fe, ce = np.array(spec["forward_error"]), np.array(spec["central_error"])
    assert fe[0] == pytest.approx(
        abs(
            (np.exp(1.1) * np.sin(1.1) - exact / (np.sin(1.0) + np.cos(1.0)) * np.sin(1.0)) / 0.1
            - exact
        )
    )
    assert ce[:4].tolist() == sorted(ce[:4].tolist(), reverse=True)  # truncation: falls with h
    assert fe[-1] > fe.min() * 100  # round-off: tiny h is worse than the best h
    assert 1e-10 < spec["best_h"]["forward"] < 1e-6 and spec["best_h"]["central"] > 1e-8
    assert h[0] == 0.1
    saved_png(fig)
