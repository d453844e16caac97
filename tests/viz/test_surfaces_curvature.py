"""Surfaces, slices, gradient fields and curvature: every number from the function itself."""

from __future__ import annotations

import numpy as np
import pytest

import calcml as cm
from calcml import viz
from calcml.errors import CalcmlError


def test_surface_grid_is_the_function(saved_png) -> None:
    fig = viz.surface("x^2 - y^2", xlim=(-1, 1), ylim=(-2, 2))
    g = fig.spec["grid"]
    X, Y = np.meshgrid(g["x"], g["y"])
    assert np.allclose(np.array(g["z"]), X**2 - Y**2)
    saved_png(fig)


def test_slices_slopes_are_the_partial_derivatives(saved_png) -> None:
    fig = viz.slices("x^2*y + sin(y)", (1.0, 0.5))
    px, py = fig.spec["partials"]
    assert px["value"] == pytest.approx(2 * 1.0 * 0.5)
    assert py["value"] == pytest.approx(1.0 + np.cos(0.5))
    sx = fig.spec["slices"][0]
    t, z = np.array(sx["t"]), np.array(sx["z"])
    assert np.allclose(z, t**2 * 0.5 + np.sin(0.5))
    saved_png(fig)


def test_gradient_field_arrows_are_the_gradient(saved_png) -> None:
    fig = viz.gradient_field("x^2 + x*y + 3*y^2")
    a = fig.spec["arrows"]
    x, y = np.array(a["x"]), np.array(a["y"])
    assert np.allclose(a["u"], 2 * x + y)
    assert np.allclose(a["v"], x + 6 * y)
    saved_png(fig)


def test_gradient_field_takes_a_derivation_result() -> None:
    d = cm.gradient("x^2*y + y^3", ["x", "y"])
    fig = viz.gradient_field(d.expr, list(d.wrt), gradient=list(d.result))
    assert cm.parse(fig.spec["gradient"][0]["expr"]) == cm.parse("2x y")


def test_curvature_tells_a_saddle_from_a_minimum(saved_png) -> None:
    fig = viz.curvature("x^3 - 3*x + y^2")
    by_point = {tuple(p["point"]): p for p in fig.spec["panels"]}
    saddle, minimum = by_point[(-1.0, 0.0)], by_point[(1.0, 0.0)]
    assert saddle["class"] == "saddle" and minimum["class"] == "minimum"
    assert sorted(saddle["eigenvalues"]) == pytest.approx([-6.0, 2.0])
    assert sorted(minimum["eigenvalues"]) == pytest.approx([2.0, 6.0])
    for p in fig.spec["panels"]:
        H, V = np.array(p["hessian"]), np.array(p["eigenvectors"])
        for lam, v in zip(p["eigenvalues"], V, strict=True):
            assert np.allclose(H @ v, lam * v)
        assert np.allclose(p["gradient"], 0, atol=1e-12)
    saved_png(fig)


def test_curvature_of_a_maximum() -> None:
    fig = viz.curvature("-(x^2) - 2y^2 + 1")
    (panel,) = fig.spec["panels"]
    assert panel["class"] == "maximum"


def test_no_critical_points_is_said() -> None:
    with pytest.raises(CalcmlError, match="critical"):
        viz.curvature("x + y")


def test_surface_undefined_region_is_noted() -> None:
    fig = viz.surface("log(x + y)")
    assert any("undefined" in n for n in fig.spec["notes"])
    assert None in np.array(fig.spec["grid"]["z"], dtype=object).ravel()


def test_many_critical_points_share_one_map(saved_png) -> None:
    fig = viz.curvature(
        "x^4 - 2x^2 + y^4 - 2y^2",
    )
    panels = fig.spec["panels"]
    assert len(panels) == 9 and fig.spec["overview"] is not None
    kinds = sorted(p["class"] for p in panels)
    assert kinds.count("minimum") == 4 and kinds.count("saddle") == 4
    assert kinds.count("maximum") == 1
    saved_png(fig)


def test_critical_points_result_dispatches() -> None:
    two = viz.figure_for(cm.critical_points("x^3 - 3*x + y^2", ["x", "y"]))
    assert [p["class"] for p in two.spec["panels"]] == ["saddle", "minimum"]
    one = viz.figure_for(cm.critical_points("x^3 - 3*x", ["x"]))
    assert one.spec["kind"] == "with_derivative"
    assert "x = -1 (maximum)" in one.spec["notes"][0]


def test_jacobian_map_linearization_matches_near_the_point(saved_png) -> None:
    d = cm.jacobian(["x^2 - y^2", "2*x*y"], ["x", "y"])
    fig = viz.figure_for(d, at=(1.0, 0.5))
    spec = fig.spec
    assert spec["jacobian_at"] == [[2.0, -1.0], [1.0, 2.0]]
    assert spec["determinant"] == pytest.approx(5.0)
    for line in spec["lines"]:
        inp, img, lin = (np.array(line[k]) for k in ("input", "image", "linear"))
        assert np.allclose(img[0], inp[0] ** 2 - inp[1] ** 2)
        dist = np.hypot(inp[0] - 1.0, inp[1] - 0.5)
        gap = np.hypot(*(img - lin))
        assert np.all(gap <= 1.0 * dist**2 + 1e-12)  # second-order close: ‖F − L‖ ≤ C‖x − p‖²
    saved_png(fig)
