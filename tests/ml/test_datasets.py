"""Seeded synthetic datasets and the shipped iris data."""

from __future__ import annotations

import numpy as np
import pytest
import sklearn.datasets

from calcml.errors import CalcmlError
from calcml.ml import DATASETS, load, load_iris, make_linear, make_moons, make_spiral


@pytest.mark.parametrize("name", sorted(DATASETS))
def test_every_dataset_loads_with_matching_shapes(name: str) -> None:
    data = load(name)
    assert data.X.ndim == 2 and len(data.y) == len(data)
    assert np.all(np.isfinite(data.X))
    assert data.name in data.summary()


def test_generators_are_seeded() -> None:
    a, b, c = make_moons(seed=3), make_moons(seed=3), make_moons(seed=4)
    assert np.array_equal(a.X, b.X) and not np.array_equal(a.X, c.X)


def test_iris_matches_scikit_learn_copy() -> None:
    sk = sklearn.datasets.load_iris()
    iris = load_iris()
    assert np.array_equal(iris.X, sk.data) and np.array_equal(iris.y, sk.target)
    assert iris.target_names == list(sk.target_names)


def test_linear_data_keeps_true_coefficients() -> None:
    data = make_linear(500, d=2, noise=0.0, seed=1)
    assert data.coef is not None
    assert np.allclose(data.X @ data.coef[:2] + data.coef[2], data.y)


def test_spiral_has_one_class_per_arm() -> None:
    assert set(make_spiral(90, classes=3).y) == {0, 1, 2}


def test_unknown_dataset_names_the_choices() -> None:
    with pytest.raises(CalcmlError, match="moons"):
        load("mnist")


def test_summary_counts_in_words() -> None:
    assert "100 samples × 1 feature," in make_linear(100, d=1).summary()


def test_bad_dataset_options_are_refused() -> None:
    with pytest.raises(CalcmlError, match="moons"):
        load("moons", bogus=1)
    with pytest.raises(CalcmlError, match="feature"):
        make_linear(10, d=0)
