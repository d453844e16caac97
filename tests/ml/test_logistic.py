"""Logistic regression (Newton and gradient descent) against scikit-learn, unregularised."""

from __future__ import annotations

import numpy as np
import pytest
import sklearn.base as base
import sklearn.linear_model as sklearn_linear

from calcml.errors import CalcmlError, ShapeError
from calcml.ml import LogisticRegression, load_iris, make_blobs


@pytest.fixture(scope="module")
def data():  # type: ignore[no-untyped-def]
    return make_blobs(200, centers=2, spread=3.0, seed=2)  # overlapping: a finite optimum


@pytest.fixture(scope="module")
def reference(data):  # type: ignore[no-untyped-def]
    sk = sklearn_linear.LogisticRegression(C=np.inf, tol=1e-12, max_iter=10_000)
    return sk.fit(data.X, data.y)


@pytest.mark.parametrize("method", ["newton", "gd"])
def test_logistic_matches_sklearn_unregularised(data, reference, method: str) -> None:  # type: ignore[no-untyped-def]
    model = LogisticRegression(method=method).fit(data.X, data.y)
    assert model.run_.status == "converged"
    assert np.allclose(model.coef_, reference.coef_, atol=1e-4)
    assert np.allclose(model.intercept_, reference.intercept_, atol=1e-4)
    assert np.allclose(model.predict_proba(data.X), reference.predict_proba(data.X), atol=1e-6)
    assert model.score(data.X, data.y) == pytest.approx(reference.score(data.X, data.y))


def test_newton_needs_far_fewer_steps_than_gd(data) -> None:  # type: ignore[no-untyped-def]
    newton = LogisticRegression(method="newton").fit(data.X, data.y)
    gd = LogisticRegression(method="gd").fit(data.X, data.y)
    assert newton.n_iter_ < 15 < gd.n_iter_


def test_multiclass_softmax_on_iris() -> None:
    iris = load_iris()
    model = LogisticRegression(l2=0.01).fit(iris.X, iris.y)
    assert model.run_.status == "converged"
    assert model.coef_.shape == (2, 4)  # K − 1 logits; the last class is the reference
    assert np.allclose(model.predict_proba(iris.X).sum(axis=1), 1)
    assert model.score(iris.X, iris.y) > 0.95


def test_string_labels_are_kept() -> None:
    X = np.array([[0.0], [1.0], [2.0], [3.0], [1.5], [1.6]])
    y = np.array(["no", "no", "yes", "yes", "yes", "no"])
    model = LogisticRegression().fit(X, y)
    assert set(model.predict(X)) <= {"no", "yes"}


def test_regularisation_shrinks_weights(data) -> None:  # type: ignore[no-untyped-def]
    plain = LogisticRegression().fit(data.X, data.y)
    ridge = LogisticRegression(l2=1.0).fit(data.X, data.y)
    assert np.linalg.norm(ridge.coef_) < np.linalg.norm(plain.coef_)


def test_one_class_and_bad_shapes_are_refused() -> None:
    with pytest.raises(CalcmlError, match="two classes"):
        LogisticRegression().fit([[1.0], [2.0]], [1, 1])
    with pytest.raises(ShapeError):
        LogisticRegression().fit([[1.0], [2.0]], [0, 1, 1])
    with pytest.raises(CalcmlError, match="non-finite"):
        LogisticRegression().fit([[1.0], [np.inf]], [0, 1])


@pytest.mark.parametrize("k", [2, 3])
def test_closed_form_gradient_and_hessian_match_autodiff(k: int) -> None:
    from calcml import autodiff as ad
    from calcml.ml.logistic import _cross_entropy_objective

    data = make_blobs(60, centers=k, d=3, spread=3.0, seed=k)
    lam = np.array([0.1, 0.0, 0.5])
    obj, _ = _cross_entropy_objective(data.X, data.y, k, lam)
    A = np.column_stack([data.X, np.ones(len(data))])
    cols = 1 if k == 2 else k - 1
    pen = np.repeat(np.append(lam, 0.0), cols)
    onehot = np.eye(k)[data.y]

    def loss(theta):  # type: ignore[no-untyped-def]
        Z = A @ theta.reshape(4, cols)
        if k == 2:
            z = Z[:, 0]
            ce = (z.softplus() - z * onehot[:, 1]).mean()
        else:
            full = ad.concatenate([Z, np.zeros((len(A), 1))], axis=1)
            ce = (full.logsumexp(axis=1) - (full * onehot).sum(axis=1)).mean()
        return ce + 0.5 * (theta * theta * pen).sum()

    theta = np.random.default_rng(1).normal(size=4 * cols)
    assert obj.value(theta) == pytest.approx(float(loss(ad.Tensor(theta))))
    assert np.allclose(obj.grad(theta), ad.grad(loss)(theta))
    assert obj.hess is not None
    assert np.allclose(obj.hess(theta), ad.hessian(loss)(theta))


@pytest.mark.parametrize("method", ["newton", "gd"])
def test_l2_matches_sklearn_with_C_equal_one_over_n_l2(data, method: str) -> None:  # type: ignore[no-untyped-def]
    # mean cross-entropy + (l2/2)·‖w‖²  ==  (1/(C·n))·(C·Σ cross-entropy + ½‖w‖²) with C = 1/(n·l2)
    ours = LogisticRegression(method=method, l2=0.05).fit(data.X, data.y)
    ref = sklearn_linear.LogisticRegression(C=1 / (0.05 * len(data)), tol=1e-12, max_iter=10_000)
    ref.fit(data.X, data.y)
    assert np.allclose(ours.coef_, ref.coef_, atol=1e-6)
    assert np.allclose(ours.intercept_, ref.intercept_, atol=1e-6)
    assert "cross-entropy + L2" in ours.report().text()


@pytest.mark.parametrize("method", ["newton", "gd"])
def test_multiclass_matches_sklearn_unregularised(method: str) -> None:
    blobs = make_blobs(300, centers=3, d=4, spread=4.0, seed=5)  # overlapping: a finite optimum
    ours = LogisticRegression(method=method).fit(blobs.X, blobs.y)
    ref = sklearn_linear.LogisticRegression(C=np.inf, tol=1e-12, max_iter=100_000)
    ref.fit(blobs.X, blobs.y)
    assert ours.run_.converged
    assert np.allclose(ours.predict_proba(blobs.X), ref.predict_proba(blobs.X), atol=1e-6)
    # sklearn keeps K weight rows (defined up to a common shift); ours measure from the last
    assert np.allclose(ours.coef_, (ref.coef_ - ref.coef_[-1])[:-1], atol=1e-5)


def test_predict_and_report_before_fit_are_refused() -> None:
    with pytest.raises(CalcmlError, match="not fitted"):
        LogisticRegression().predict([[1.0]])
    with pytest.raises(CalcmlError, match="not fitted"):
        LogisticRegression().report()
    with pytest.raises(CalcmlError, match="max_steps"):
        LogisticRegression(max_steps=0)
    with pytest.raises(CalcmlError, match="l2"):
        LogisticRegression(l2=-0.1)


def test_report_with_a_given_learning_rate_says_so(data) -> None:  # type: ignore[no-untyped-def]
    model = LogisticRegression(method="gd", lr=0.5, max_steps=200).fit(data.X, data.y)
    words = model.report().explanation
    assert "given lr = 0.5" in words and "θ1" not in words  # no scaled-space parameters


def test_hyper_parameters_follow_scikit_learn_conventions() -> None:
    model = LogisticRegression(method="gd", l2=0.01)
    assert repr(model) == "LogisticRegression(method='gd', l2=0.01)"
    assert model.get_params()["l2"] == 0.01
    copy = base.clone(model)
    assert copy is not model and copy.get_params() == model.get_params()
    assert model.set_params(l2=0.5).l2 == 0.5
    with pytest.raises(CalcmlError, match="l2"):
        model.set_params(l2=-1.0)
    with pytest.raises(CalcmlError, match="no parameter"):
        model.set_params(C=1.0)


def _named_overlapping_classes(seed: int) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Seeded overlapping Gaussian classes (a finite unregularised optimum), with names."""
    rng = np.random.default_rng(seed)
    k, d = 2 + seed % 3, int(rng.integers(2, 5))  # 2, 3 and 4 classes in turn
    n = 60 * k
    labels = np.arange(n) % k
    X = rng.normal(size=(k, d))[labels] * 1.5 + rng.normal(size=(n, d)) * 2.0
    names = ["cat", "dog", "owl", "yak"][:k]
    rng.shuffle(names)
    return X, np.asarray(names)[labels], [f"feat_{c}" for c in "abcd"[:d]]


@pytest.mark.parametrize("seed", range(6))
def test_report_rows_are_classes_against_the_reference_and_columns_features(seed: int) -> None:
    X, y, features = _named_overlapping_classes(seed)
    model = LogisticRegression().fit(X, y)
    ref = sklearn_linear.LogisticRegression(C=np.inf, tol=1e-12, max_iter=100_000).fit(X, y)
    table = model.report(X, y, feature_names=features).facts["coefficients w, intercept b"]
    assert table.columns == [*features, "intercept b"]
    classes = [str(c) for c in ref.classes_]
    reference = model.report().facts["reference class"].split(" (")[0]
    assert reference in classes
    # sklearn's full parametrisation, measured from the reference class
    if len(classes) == 2:
        want = {classes[1]: np.append(ref.coef_[0], ref.intercept_[0])}
        assert reference == classes[0]
    else:
        r = classes.index(reference)
        full = np.column_stack([ref.coef_, ref.intercept_])
        want = {c: full[i] - full[r] for i, c in enumerate(classes) if i != r}
    assert table.corner == f"vs {reference}"
    got = dict(zip(table.rows, table.values, strict=True))
    assert got.keys() == want.keys()
    for c in want:
        assert np.allclose(got[c], want[c], atol=1e-4)


@pytest.mark.parametrize("seed", range(4))
def test_the_quoted_hessian_is_the_softmax_one_and_matches_autograd(seed: int) -> None:
    import autograd.numpy as anp
    from autograd import hessian

    X, y, _ = _named_overlapping_classes(seed)
    model = LogisticRegression(l2=0.0).fit(X, y)
    words = model.report().explanation
    classes = list(np.unique(y))
    k, n, d = len(classes), *X.shape
    A = np.column_stack([X, np.ones(n)])
    ref = k - 1 if k > 2 else 0
    free = [c for c in range(k) if c != ref]
    Y = np.eye(k)[np.searchsorted(classes, y)]

    def loss(theta):  # type: ignore[no-untyped-def]
        # mean cross-entropy, the reference class's logit 0, θ as (d + 1) × (K − 1)
        Z = anp.dot(A, anp.reshape(theta, (d + 1, k - 1)))
        cols = [Z[:, free.index(c)] if c != ref else anp.zeros(n) for c in range(k)]
        full = anp.stack(cols, axis=1)
        m = anp.max(full, axis=1, keepdims=True)
        lse = m[:, 0] + anp.log(anp.sum(anp.exp(full - m), axis=1))
        return anp.mean(lse - anp.sum(full * Y, axis=1))

    theta = np.random.default_rng(seed).normal(size=(d + 1) * (k - 1))
    H = hessian(loss)(theta)
    size = f"{len(theta)} × {len(theta)}"
    assert size in words
    Z = A @ theta.reshape(d + 1, k - 1)
    full = np.column_stack([Z[:, free.index(c)] if c != ref else np.zeros(n) for c in range(k)])
    P = np.exp(full - full.max(axis=1, keepdims=True))
    P = (P / P.sum(axis=1, keepdims=True))[:, free]
    if k == 2:  # the binary formula (1/n)·Aᵀdiag(p(1 − p))A is quoted
        assert "diag(pᵢ(1 − pᵢ))" in words and "softmax" not in words
        quoted = (A * (P[:, 0] * (1 - P[:, 0]))[:, None]).T @ A / n
    else:  # the multinomial formula (1/n)·Σᵢ aᵢaᵢᵀ ⊗ (diag(pᵢ) − pᵢpᵢᵀ) is quoted
        assert "aᵢaᵢᵀ ⊗ (diag(pᵢ) − pᵢpᵢᵀ)" in words and "(1 − pᵢ)" not in words
        quoted = (
            sum(
                np.kron(np.outer(a, a), np.diag(p) - np.outer(p, p))
                for a, p in zip(A, P, strict=True)
            )
            / n
        )
    assert np.allclose(quoted, H, atol=1e-10)
