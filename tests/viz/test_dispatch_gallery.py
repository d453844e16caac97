"""plot_result picks the right figure for each result; the gallery draws them all."""

from __future__ import annotations

import json

import numpy as np
import pytest

import calcml as cm
from calcml import ml, optim, viz
from calcml.errors import CalcmlError
from calcml.viz.gallery import ENTRIES, example_trace, gallery


@pytest.mark.parametrize(
    ("make", "kind"),
    [
        (lambda: cm.derive("x^2 sin(x)", "x"), "with_derivative"),
        (lambda: cm.derive("sigmoid(w*x + b)", "w"), "with_derivative"),
        (lambda: cm.gradient("x^2*y + y^3", ["x", "y"]), "gradient_field"),
        (lambda: cm.hessian("x^3 - 3*x + y^2", ["x", "y"]), "curvature"),
        (lambda: optim.gradient_descent("x^2 + 3y^2", [1, 1], lr=0.1), "descent"),
        (lambda: optim.newton("x^2 + 3y^2", [1, 1]), "descent"),
        (example_trace, "graph"),
    ],
)
def test_plot_result_dispatches_and_saves(make, kind, tmp_path) -> None:
    result = make()
    fig = viz.figure_for(result)
    assert fig.spec["kind"] == kind
    out = viz.plot_result(result, tmp_path / "fig.png")
    assert out.exists() and out.stat().st_size > 1000


def test_derivative_figure_uses_the_derivation_result() -> None:
    d = cm.derive("x^3 - 3x", "x")
    fig = viz.figure_for(d)
    assert cm.parse(fig.spec["derivative"]["expr"]) == d.result


def test_held_variables_are_said() -> None:
    fig = viz.figure_for(cm.derive("sigmoid(w*x + b)", "w"), values={"x": 2, "b": 0})
    assert any("b = 0, x = 2" in n for n in fig.spec["notes"])


def test_models_need_their_data(tmp_path) -> None:
    data = ml.make_linear(20, d=1, seed=0)
    model = ml.LinearRegression(method="gd").fit(data.X, data.y)
    with pytest.raises(CalcmlError, match="X="):
        viz.figure_for(model)
    assert viz.plot_result(model, tmp_path / "m.svg", X=data.X, y=data.y).exists()
    X2 = np.column_stack([data.X[:, 0], 2 * data.X[:, 0] + data.y])
    pca = ml.PCA().fit(X2)
    assert viz.figure_for(pca, X=X2).spec["kind"] == "pca"


def test_unknown_results_are_refused() -> None:
    with pytest.raises(CalcmlError):
        viz.figure_for(42)


def test_a_spec_renders_back_to_the_same_figure_kind() -> None:
    spec = json.loads(viz.tangent("x^2", 1.0).spec_json())
    fig = viz.render(spec)
    assert fig.spec["slope"] == 2.0


def test_gallery_draws_every_figure_with_an_index(tmp_path) -> None:
    from calcml.web.book import gallery_html

    result = gallery(tmp_path, dpi=25, page=gallery_html)
    assert result.failed == {} and result.index is not None
    assert len(result.written) == len(ENTRIES)
    page = result.index.read_text(encoding="utf-8")
    for e in ENTRIES:
        assert f'src="{e.name}.png"' in page
        assert (tmp_path / f"{e.name}.png").exists()
        json.loads((tmp_path / f"{e.name}.json").read_text(encoding="utf-8"))


def test_gallery_reports_a_broken_figure_and_keeps_going(tmp_path, monkeypatch) -> None:
    from calcml.viz import gallery as g

    def boom():
        raise RuntimeError("broken")

    broken = g.Entry("broken", "Broken", "never drawn", boom)
    monkeypatch.setattr(g, "ENTRIES", [broken, *g.ENTRIES[:1]])
    from calcml.web.book import gallery_html

    result = g.gallery(tmp_path, dpi=25, page=gallery_html)
    assert "broken" in result.failed and len(result.written) == 1
    assert result.index is not None
    page = result.index.read_text(encoding="utf-8")
    assert "Not drawn" in page and "RuntimeError: broken" in page
    assert g.gallery(tmp_path / "bare", dpi=25, only=["tangent"]).index is None  # no page asked


def test_every_gallery_figure_sits_under_a_course_topic() -> None:
    from calcml.viz.gallery import TOPICS

    placed = [name for _, names in TOPICS for name in names]
    assert sorted(placed) == sorted(e.name for e in ENTRIES)
    assert [e.name for e in ENTRIES] == placed  # the gallery follows the course
