"""Linear regression by the normal equations and by gradient descent, against numpy.lstsq."""

from __future__ import annotations

import numpy as np
import pytest
import sklearn.linear_model as linear_model

from calcml.errors import CalcmlError, ShapeError
from calcml.ml import LinearRegression, make_linear


@pytest.fixture(scope="module")
def data():  # type: ignore[no-untyped-def]
    return make_linear(120, d=3, noise=0.3, seed=4)


@pytest.mark.parametrize("method", ["normal", "gd"])
def test_linear_regression_matches_lstsq(data, method: str) -> None:  # type: ignore[no-untyped-def]
    A = np.column_stack([data.X, np.ones(len(data))])
    want = np.linalg.lstsq(A, data.y, rcond=None)[0]
    model = LinearRegression(method=method).fit(data.X, data.y)
    got = np.append(model.coef_, model.intercept_)
    assert np.allclose(got, want, atol=1e-7)
    assert model.score(data.X, data.y) > 0.98


def test_gd_keeps_a_decreasing_loss_history(data) -> None:  # type: ignore[no-untyped-def]
    model = LinearRegression(method="gd").fit(data.X, data.y)
    assert model.run_ is not None and model.run_.status == "converged"
    assert model.loss_history_[0] > model.loss_history_[-1]
    assert np.all(np.diff(model.loss_history_) <= 1e-12)


def test_ridge_methods_agree(data) -> None:  # type: ignore[no-untyped-def]
    a = LinearRegression(method="normal", l2=0.5).fit(data.X, data.y)
    b = LinearRegression(method="gd", l2=0.5).fit(data.X, data.y)
    assert np.allclose(a.coef_, b.coef_, atol=1e-6)
    plain = LinearRegression().fit(data.X, data.y)
    assert np.linalg.norm(a.coef_) < np.linalg.norm(plain.coef_)  # shrinkage


def test_report_explains_the_method(data) -> None:  # type: ignore[no-untyped-def]
    model = LinearRegression(method="gd").fit(data.X, data.y)
    report = model.report(data.X, data.y)
    assert "2/L" in report.text()
    assert report.to_dict()["metrics"]["R²"] > 0.98


def test_non_finite_data_is_refused() -> None:
    X = np.array([[1.0], [np.nan], [3.0]])
    with pytest.raises(CalcmlError, match="non-finite"):
        LinearRegression().fit(X, [1, 2, 3])


def test_mismatched_lengths_are_refused() -> None:
    with pytest.raises(ShapeError, match="3 samples but y has 2"):
        LinearRegression().fit([[1.0], [2.0], [3.0]], [1.0, 2.0])


def test_bad_learning_rate_and_method_are_refused() -> None:
    with pytest.raises(CalcmlError, match="learning rate"):
        LinearRegression(method="gd", lr=0)
    with pytest.raises(CalcmlError, match="method"):
        LinearRegression(method="sgd")


def test_predict_before_fit_and_wrong_width_are_refused(data) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CalcmlError, match="not fitted"):
        LinearRegression().predict(data.X)
    model = LinearRegression().fit(data.X, data.y)
    with pytest.raises(ShapeError):
        model.predict(data.X[:, :2])


def test_too_large_learning_rate_is_explained(data) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CalcmlError, match="2/L"):
        LinearRegression(method="gd", lr=50.0).fit(data.X, data.y)


def test_closed_form_gradient_and_hessian_match_autodiff(data) -> None:  # type: ignore[no-untyped-def]
    from calcml import autodiff as ad
    from calcml.ml.linear import _least_squares_objective

    lam = np.array([0.3, 0.0, 1.2])
    obj, _ = _least_squares_objective(data.X, data.y, lam)
    A = np.column_stack([data.X, np.ones(len(data))])
    pen = np.append(lam, 0.0)

    def loss(theta):  # type: ignore[no-untyped-def]
        r = A @ theta - data.y
        return (r * r).mean() + 0.5 * (theta * theta * pen).sum()

    theta = np.random.default_rng(0).normal(size=4)
    assert obj.value(theta) == pytest.approx(float(loss(theta)))
    assert np.allclose(obj.grad(theta), ad.grad(loss)(theta))
    assert obj.hess is not None
    assert np.allclose(obj.hess(theta), ad.hessian(loss)(theta))


@pytest.mark.parametrize("method", ["normal", "gd"])
def test_ridge_matches_sklearn_ridge(method: str) -> None:
    rng = np.random.default_rng(3)
    X = rng.normal(size=(80, 3)) * [1.0, 10.0, 0.1]  # badly scaled features
    y = X @ [1.0, 0.2, 5.0] + 1 + 0.3 * rng.normal(size=80)
    ours = LinearRegression(method=method, l2=0.1).fit(X, y)
    # mean squared error + (l2/2)·‖w‖²  ==  (1/n)·(‖y − Xw − b‖² + (n·l2/2)·‖w‖²)
    ref = linear_model.Ridge(alpha=80 * 0.1 / 2).fit(X, y)
    assert np.allclose(ours.coef_, ref.coef_, atol=1e-7)
    assert ours.intercept_ == pytest.approx(ref.intercept_, abs=1e-7)
    assert "L2 strength λ" in ours.report().facts


@pytest.mark.parametrize("method", ["normal", "gd"])
def test_collinear_features_fit_like_lstsq_and_are_reported(method: str) -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(50, 3))
    X = np.column_stack([X, X[:, 0] + X[:, 1]])  # the 4th column adds nothing
    y = X @ [1.0, 2.0, 3.0, 0.0] + 0.1 * rng.normal(size=50)
    A = np.column_stack([X, np.ones(50)])
    want = A @ np.linalg.lstsq(A, y, rcond=None)[0]
    model = LinearRegression(method=method).fit(X, y)
    assert np.allclose(model.predict(X), want, atol=1e-7)
    assert "collinear" in model.report().explanation


def test_report_with_a_given_learning_rate_does_not_call_it_one_over_L(data) -> None:  # type: ignore[no-untyped-def]
    model = LinearRegression(method="gd", lr=0.1).fit(data.X, data.y)
    words = model.report().explanation
    assert "given lr = 0.1" in words and "1/L" not in words


def test_bad_hyper_parameters_and_targets_are_refused(data) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CalcmlError, match="l2"):
        LinearRegression(l2=-1.0)
    with pytest.raises(CalcmlError, match="max_steps"):
        LinearRegression(method="gd", max_steps=0)
    with pytest.raises(CalcmlError, match="numeric targets"):
        LinearRegression().fit(data.X, ["a"] * len(data))
    with pytest.raises(CalcmlError, match="not fitted"):
        LinearRegression().report()


def _design(X: np.ndarray, standardize: bool) -> np.ndarray:
    """[X, 1], with X standardised (mean 0, population std 1) when asked: written here, apart."""
    if standardize:
        X = (X - X.mean(axis=0)) / X.std(axis=0)
    return np.column_stack([X, np.ones(len(X))])


@pytest.mark.parametrize("seed", range(8))
def test_gd_on_raw_features_matches_sklearn_and_quotes_numpy_condition_numbers(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n, d = int(rng.integers(20, 80)), int(rng.integers(1, 4))
    offset = rng.uniform(-3, 3, size=d)  # features off-centre and of unequal scale
    X = offset + rng.uniform(0.5, 2.0, size=d) * rng.normal(size=(n, d))
    y = X @ rng.normal(size=d) + rng.normal() + 0.2 * rng.normal(size=n)
    model = LinearRegression(method="gd", standardize=False, tol=1e-10).fit(X, y)
    ref = linear_model.LinearRegression().fit(X, y)
    assert model.run_ is not None and model.run_.status == "converged"
    assert np.allclose(model.coef_, ref.coef_, atol=1e-6)
    assert model.intercept_ == pytest.approx(ref.intercept_, abs=1e-6)
    for key, flag in (("raw", False), ("standardized", True)):
        A = _design(X, flag)
        got = model.conditioning_[key]["cond_AtA"]
        assert got == pytest.approx(np.linalg.cond(A.T @ A), rel=1e-8)
    # the other scaling's step count is that of a fit with that scaling
    other = LinearRegression(method="gd", standardize=True, tol=1e-10).fit(X, y)
    assert model.conditioning_["standardized"]["steps"] == other.n_iter_
    assert model.conditioning_["raw"]["steps"] == model.n_iter_


def test_raw_descent_is_visible_and_its_rate_follows_the_condition_number() -> None:
    data = make_linear(100, d=1, noise=0.5, seed=0)
    model = LinearRegression(method="gd", standardize=False).fit(data.X, data.y)
    A = _design(data.X, False)
    kappa = np.linalg.cond(A.T @ A)
    assert kappa > 2
    assert model.n_iter_ >= 5
    # with lr = 1/L the distance to the least-squares answer shrinks by ≤ 1 − 1/κ per step
    assert model.run_ is not None
    exact = np.linalg.lstsq(A, data.y, rcond=None)[0]
    errors = np.linalg.norm(model.run_.params - exact, axis=1)
    big = errors[:-1] > 1e-7  # away from rounding noise
    ratios = errors[1:][big] / errors[:-1][big]
    assert ratios.size >= 5
    assert np.all(ratios <= 1 - 1 / kappa + 1e-9)
    std = LinearRegression(method="gd", standardize=True).fit(data.X, data.y)
    assert std.n_iter_ < model.n_iter_
    words = model.report().explanation
    assert "κ(AᵀA)" in words and "--standardize" in words
