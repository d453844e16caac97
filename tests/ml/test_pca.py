"""PCA by eigen-decomposition and by power iteration, against NumPy's SVD and scikit-learn."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import sklearn.decomposition as sklearn_decomposition

from calcml.errors import CalcmlError
from calcml.ml import PCA, load_iris, make_blobs


def _same_up_to_sign(a: np.ndarray, b: np.ndarray, atol: float) -> bool:
    signs = np.sign(np.sum(a * b, axis=1))
    return bool(np.allclose(a, signs[:, None] * b, atol=atol))


@pytest.mark.parametrize("method", ["eig", "power"])
def test_pca_matches_svd_and_sklearn(method: str) -> None:
    X = load_iris().X
    pca = PCA(3, method=method).fit(X)
    Xc = X - X.mean(axis=0)
    _, s, Vt = np.linalg.svd(Xc, full_matrices=False)
    assert _same_up_to_sign(pca.components_, Vt[:3], atol=1e-8)
    assert np.allclose(pca.explained_variance_, s[:3] ** 2 / (len(X) - 1))
    sk = sklearn_decomposition.PCA(3).fit(X)
    assert _same_up_to_sign(pca.components_, sk.components_, atol=1e-8)
    assert np.allclose(pca.explained_variance_ratio_, sk.explained_variance_ratio_)


def test_power_iteration_reaches_the_same_components_as_eig() -> None:
    X = make_blobs(300, centers=3, d=5, seed=1).X
    eig = PCA(3, method="eig").fit(X)
    power = PCA(3, method="power").fit(X)
    assert np.allclose(eig.components_, power.components_, atol=1e-8)  # same sign convention
    history = power.rayleigh_history_[0]
    assert history[-1] == pytest.approx(eig.explained_variance_[0])
    assert all(b >= a - 1e-9 for a, b in itertools.pairwise(history))  # ascent


def test_transform_and_inverse_transform_round_trip() -> None:
    X = load_iris().X
    full = PCA().fit(X)
    assert np.allclose(full.inverse_transform(full.transform(X)), X)
    two = PCA(2).fit(X)
    sk = sklearn_decomposition.PCA(2).fit(X)
    assert np.allclose(
        two.inverse_transform(two.transform(X)), sk.inverse_transform(sk.transform(X))
    )


def test_report_gives_the_lagrange_view() -> None:
    report = PCA(2, method="power").fit(load_iris().X).report(load_iris().feature_names)
    assert "Cv = λv" in report.text()
    assert len(report.to_dict()["components"]) == 2


def test_bad_n_components_is_refused() -> None:
    with pytest.raises(CalcmlError, match="n_components"):
        PCA(5).fit(load_iris().X)
    with pytest.raises(CalcmlError, match="method"):
        PCA(method="svd")


def test_all_components_match_sklearn_on_random_data() -> None:
    rng = np.random.default_rng(7)
    X = rng.normal(size=(100, 6)) @ rng.normal(size=(6, 6))
    ref = sklearn_decomposition.PCA().fit(X)
    for method in ("eig", "power"):
        pca = PCA(method=method).fit(X)
        assert _same_up_to_sign(pca.components_, ref.components_, atol=1e-7)
        assert np.allclose(pca.explained_variance_, ref.explained_variance_)


def test_fractional_n_components_and_use_before_fit_are_refused() -> None:
    with pytest.raises(CalcmlError, match="whole number"):
        PCA(1.5)  # type: ignore[arg-type]
    with pytest.raises(CalcmlError, match="not fitted"):
        PCA().report()
    with pytest.raises(CalcmlError, match="not fitted"):
        PCA().inverse_transform([[1.0, 2.0]])


def test_power_step_is_gradient_ascent_on_the_rayleigh_quotient() -> None:
    X = load_iris().X
    C = np.cov(X, rowvar=False)
    v = np.random.default_rng(0).normal(size=4)
    v /= np.linalg.norm(v)
    R = v @ C @ v
    gradient = 2 * (C @ v - R * v)  # ∇(vᵀCv/vᵀv) at ‖v‖ = 1
    ascent = v + gradient / (2 * R)
    power = C @ v / np.linalg.norm(C @ v)
    assert np.allclose(ascent / np.linalg.norm(ascent), power)
