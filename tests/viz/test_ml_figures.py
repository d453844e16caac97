"""PCA and regression figures: drawn from calcml.ml's fitted models and their runs."""

from __future__ import annotations

import numpy as np
import pytest

from calcml import ml, viz
from calcml.viz.regression import chosen_steps


def test_pca_axes_are_the_covariance_eigenvectors(saved_png) -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(100, 2)) @ np.array([[2.0, 0.8], [0.0, 0.5]])
    fig = viz.pca(X)
    values, vectors = np.linalg.eigh(np.cov(X.T))
    assert sorted(fig.spec["explained_variance"]) == pytest.approx(sorted(values))
    v1 = np.array(fig.spec["components"][0])
    assert abs(v1 @ vectors[:, -1]) == pytest.approx(1.0)
    assert sum(fig.spec["explained_variance_ratio"]) == pytest.approx(1.0)
    proj = np.array(fig.spec["projection"]) - np.array(fig.spec["mean"])
    assert np.allclose(proj[:, 0] * v1[1] - proj[:, 1] * v1[0], 0, atol=1e-9)  # on the PC1 line
    saved_png(fig)


def test_pca_of_iris_shows_scores_and_all_bars(saved_png) -> None:
    data = ml.load_iris()
    fig = viz.pca(data.X, data.y)
    assert len(fig.spec["explained_variance_ratio"]) == 4
    assert fig.spec["explained_variance_ratio"][0] == pytest.approx(0.925, abs=1e-3)
    assert len(fig.axes[1].patches) == 4
    saved_png(fig)


@pytest.mark.parametrize("standardize", [True, False])
def test_linear_regression_snapshots_follow_the_run(saved_png, standardize: bool) -> None:
    data = ml.make_linear(30, d=1, noise=0.3, seed=1)
    model = ml.LinearRegression(method="gd", lr=0.05, standardize=standardize)
    model.fit(data.X, data.y)
    fig = viz.regression(model, data.X, data.y)
    shots = fig.spec["snapshots"]
    A = np.column_stack([data.X, np.ones(len(data))])
    exact = np.linalg.lstsq(A, data.y, rcond=None)[0]  # where the run ends, by NumPy
    assert shots[-1]["w"][0] == pytest.approx(exact[0], abs=1e-6)
    assert shots[-1]["b"] == pytest.approx(exact[1], abs=1e-6)
    assert shots[0]["step"] == 0 and shots[-1]["step"] == model.run_.steps
    assert shots[0]["w"] == [0.0]  # gradient descent starts from zero
    assert shots[-1]["w"][0] == pytest.approx(model.coef_[0])
    assert shots[-1]["b"] == pytest.approx(model.intercept_)
    assert len(fig.spec["loss"]) == model.run_.steps + 1
    saved_png(fig)


def test_logistic_boundary_is_where_the_model_is_undecided(saved_png) -> None:
    data = ml.make_blobs(80, centers=2, spread=1.5, seed=2)
    model = ml.LogisticRegression(method="gd", lr=0.5, max_steps=200, l2=0.01)
    model.fit(data.X, data.y)
    fig = viz.regression(model, data.X, data.y)
    last = fig.spec["snapshots"][-1]
    pts = np.column_stack([last["x"], last["y"]])
    assert np.allclose(model.predict_proba(pts)[:, 1], 0.5, atol=1e-6)
    saved_png(fig)


def test_normal_equations_model_draws_the_solution_only() -> None:
    data = ml.make_linear(20, d=1, seed=3)
    model = ml.LinearRegression().fit(data.X, data.y)
    fig = viz.regression(model, data.X, data.y)
    assert [s["step"] for s in fig.spec["snapshots"]] == [0]
    assert len(fig.spec["notes"]) == 1 and "normal equations" in fig.spec["notes"][0]


def test_chosen_steps_are_spread_and_end_at_the_last() -> None:
    assert chosen_steps(0) == [0]
    steps = chosen_steps(1000)
    assert steps[0] == 0 and steps[-1] == 1000 and len(steps) <= 6
    assert steps == sorted(set(steps))


def test_multiclass_classifier_regions_agree_with_predict(saved_png) -> None:
    data = ml.make_blobs(90, centers=3, spread=1.0, seed=0)
    model = ml.LogisticRegression().fit(data.X, data.y)
    fig = viz.figure_for(model, X=data.X, y=data.y)
    spec = fig.spec
    assert spec["kind"] == "classifier" and len(spec["classes"]) == 3
    gx, gy = np.array(spec["grid"]["x"]), np.array(spec["grid"]["y"])
    i, j = 7, 11
    predicted = model.predict(np.array([[gx[j], gy[i]]]))[0]
    assert spec["classes"][spec["grid"]["class"][i][j]] == str(predicted)
    assert spec["accuracy"] == pytest.approx(model.score(data.X, data.y))
    saved_png(fig)


def test_classifier_on_many_features_uses_the_pca_plane() -> None:
    data = ml.load_iris()
    model = ml.LogisticRegression().fit(data.X, data.y)
    fig = viz.figure_for(model, X=data.X, y=data.y)
    assert fig.spec["axes"] == ["PC1", "PC2"]
    assert "4 features" in fig.spec["notes"][0] and "principal components" in fig.spec["notes"][0]


def test_multi_feature_regression_is_predicted_vs_true(saved_png) -> None:
    data = ml.make_linear(60, d=3, noise=0.2, seed=4)
    model = ml.LinearRegression().fit(data.X, data.y)
    fig = viz.figure_for(model, X=data.X, y=data.y)
    assert fig.spec["kind"] == "fit"
    assert fig.spec["r2"] == pytest.approx(model.score(data.X, data.y))
    assert fig.spec["predicted"] == pytest.approx(model.predict(data.X).tolist())
    saved_png(fig)


def test_pca_with_one_component() -> None:
    data = ml.load_iris()
    fig = viz.pca(data.X, data.y, model=ml.PCA(1).fit(data.X))
    assert len(fig.spec["scores"][0]) == 1


def test_mlp_decision_regions() -> None:
    from calcml.ml.mlp import MLPClassifier

    data = ml.make_moons(80, seed=0)
    model = MLPClassifier(hidden=[8], epochs=30).fit(data.X, data.y)
    fig = viz.figure_for(model, X=data.X, y=data.y)
    assert fig.spec["kind"] == "classifier"
    assert len(fig.spec["loss"]) == model.n_iter_
