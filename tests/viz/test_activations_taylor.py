"""Activation derivatives and Taylor polynomials come from differentiation, and show it."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

import calcml as cm
from calcml import viz
from calcml.errors import CalcmlError
from calcml.viz.activations import activations


def test_activation_derivatives_match_finite_differences(saved_png) -> None:
    fig = activations()
    panels = {p["name"]: p for p in fig.spec["panels"]}
    assert set(panels) == {"sigmoid", "tanh", "relu", "leaky_relu", "softplus"}
    for name in ("sigmoid", "tanh", "softplus"):
        f, d = panels[name]["series"]
        z, g, dg = np.array(f["x"]), np.array(f["y"]), np.array(d["y"])
        numeric = np.gradient(g, z)
        assert np.allclose(dg[5:-5], numeric[5:-5], atol=1e-3), name
    assert panels["sigmoid"]["max_slope"] == pytest.approx(0.25, abs=1e-6)
    assert panels["tanh"]["max_slope"] == pytest.approx(1.0, abs=1e-6)
    relu_d = np.array(panels["relu"]["series"][1]["y"])
    z = np.array(panels["relu"]["series"][1]["x"])
    assert np.all(relu_d[z < 0] == 0) and np.all(relu_d[z > 0] == 1)
    assert len(fig.axes) >= 6
    saved_png(fig)


def test_taylor_polynomials_equal_sympy_series_and_improve_with_order(saved_png) -> None:
    fig = viz.taylor("exp(x)", 0.0, orders=(1, 2, 4))
    x = cm.expr.symbol("x")
    for entry in fig.spec["polynomials"]:
        k = entry["order"]
        expected = sp.series(sp.exp(x), x, 0, k + 1).removeO()
        assert sp.simplify(cm.parse(entry["polynomial"]["expr"]) - expected) == 0
    errors = [p["max_error_near"] for p in fig.spec["polynomials"]]
    assert errors == sorted(errors, reverse=True)
    saved_png(fig)


def test_taylor_around_a_point_other_than_zero() -> None:
    fig = viz.taylor("log(x)", 1.0, orders=(2,), xlim=(0.2, 3))
    x = cm.expr.symbol("x")
    poly = cm.parse(fig.spec["polynomials"][0]["polynomial"]["expr"])
    assert sp.expand(poly - ((x - 1) - (x - 1) ** 2 / 2)) == 0


def test_taylor_at_a_singular_point_is_refused() -> None:
    with pytest.raises(CalcmlError):
        viz.taylor("1/x", 0.0)


def test_two_variable_taylor_is_the_tangent_plane_and_the_quadratic(saved_png) -> None:
    fig = viz.taylor2d("exp(x)*cos(y)", (0.0, 0.0))
    lin, quad = (cm.parse(p["polynomial"]["expr"]) for p in fig.spec["polynomials"])
    x, y = cm.expr.symbol("x"), cm.expr.symbol("y")
    assert sp.expand(lin - (1 + x)) == 0
    assert sp.expand(quad - (1 + x + x**2 / 2 - y**2 / 2)) == 0
    g = fig.spec["polynomials"][0]["grid"]
    X, _ = np.meshgrid(g["x"], g["y"])
    assert np.allclose(np.array(g["z"]), 1 + X)
    saved_png(fig)
