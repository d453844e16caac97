"""Lagrange figures: the solutions of ∇f = λ∇g on g = 0, and PCA as one of them."""

from __future__ import annotations

import numpy as np
import pytest

from calcml import viz
from calcml.errors import CalcmlError


def test_points_satisfy_the_lagrange_conditions(saved_png) -> None:
    fig = viz.lagrange("x*y", "x^2/4 + y^2 = 1")
    points = fig.spec["points"]
    assert len(points) == 4
    for p in points:
        x, y = p["point"]
        assert x**2 / 4 + y**2 == pytest.approx(1.0)
        assert np.allclose(p["grad_f"], p["lambda"] * np.array(p["grad_g"]))
    assert sorted(p["f"] for p in points) == pytest.approx([-1, -1, 1, 1])
    assert {p["role"] for p in points} == {"largest f", "smallest f"}
    saved_png(fig)


def test_variance_on_the_unit_circle_gives_the_covariance_eigenvalues() -> None:
    fig = viz.lagrange("3.9*x^2 + 3.4*x*y + 1*y^2", "x^2 + y^2 = 1")
    lams = sorted({round(p["lambda"], 9) for p in fig.spec["points"]})
    assert lams == pytest.approx(sorted(np.linalg.eigvalsh([[3.9, 1.7], [1.7, 1.0]])))


def test_no_solution_is_said() -> None:
    with pytest.raises(CalcmlError):
        viz.lagrange("x + y", "x^2 + y^2 = -1")
