"""MLPClassifier on the autodiff nn: accuracy on two moons, history, bad input."""

from __future__ import annotations

import numpy as np
import pytest
import sklearn.base as base

from calcml.errors import CalcmlError, ShapeError
from calcml.ml import load_iris, make_moons
from calcml.ml.mlp import MLPClassifier


def test_mlp_fits_two_moons_above_95_percent() -> None:
    data = make_moons(200, noise=0.1, seed=0)
    model = MLPClassifier(hidden=(16, 16), epochs=300, seed=0).fit(data.X, data.y)
    assert model.score(data.X, data.y) > 0.95
    assert len(model.loss_history_) == 300
    assert model.loss_history_[-1] < 0.2 * model.loss_history_[0]
    assert "backprop" in model.report(data.X, data.y).text()


def test_minibatch_gd_with_momentum_learns_iris() -> None:
    iris = load_iris()
    model = MLPClassifier(
        hidden=(8,), optimizer="gd", lr=0.1, momentum=0.9, epochs=60, batch_size=16
    )
    model.fit(iris.X, iris.y)
    assert model.score(iris.X, iris.y) > 0.9
    assert np.allclose(model.predict_proba(iris.X).sum(axis=1), 1)


def test_training_is_reproducible_with_a_seed() -> None:
    data = make_moons(100, seed=1)
    a = MLPClassifier(epochs=20, seed=3).fit(data.X, data.y).loss_history_
    b = MLPClassifier(epochs=20, seed=3).fit(data.X, data.y).loss_history_
    assert a == b


def test_divergence_is_reported_not_a_nan_flood() -> None:
    data = make_moons(100, seed=1)
    with pytest.raises(CalcmlError, match="diverged"):
        MLPClassifier(optimizer="gd", lr=1e6, epochs=50, activation="relu").fit(
            data.X * 1e3, data.y
        )


def test_bad_settings_and_data_are_refused() -> None:
    with pytest.raises(CalcmlError, match="learning rate"):
        MLPClassifier(lr=0)
    with pytest.raises(CalcmlError, match="optimizer"):
        MLPClassifier(optimizer="lbfgs")
    with pytest.raises(ShapeError):
        MLPClassifier(epochs=1).fit(np.ones((4, 2)), [0, 1, 0])
    with pytest.raises(CalcmlError, match="non-finite"):
        MLPClassifier(epochs=1).fit([[0.0, np.nan], [1.0, 1.0]], [0, 1])


def test_hidden_may_be_one_int_and_hyper_parameters_are_checked() -> None:
    data = make_moons(60, seed=2)
    model = MLPClassifier(hidden=8, epochs=2).fit(data.X, data.y)
    assert "2 → 8 → 2" in model.report().facts["architecture"]
    for bad in ({"momentum": 1.5}, {"batch_size": 0}, {"l2": -1.0}, {"hidden": (4, 0)}):
        with pytest.raises(CalcmlError):
            MLPClassifier(**bad)  # type: ignore[arg-type]


def test_mlp_can_be_cloned_by_scikit_learn() -> None:
    model = MLPClassifier(hidden=(8, 4), epochs=3)
    assert base.clone(model).get_params() == model.get_params()


def test_predict_before_fit_is_refused() -> None:
    with pytest.raises(CalcmlError, match="not fitted"):
        MLPClassifier().predict(np.ones((2, 2)))
