"""calcml.optim / calcml.ml against scikit-learn, and symbolic-compiled against autodiff gradients.

Run: ``python benchmarks/bench_ml.py`` (or ``make bench``). Each time is the median of several
repeats; the ratio is calcml's time / the peer's (below 1 means calcml is faster).

(a) logistic regression to the same loss as scikit-learn's lbfgs (unregularised): binary blobs
    n = 5000, d = 20, and three overlapping classes n = 3000, d = 10;
(b) PCA against scikit-learn's PCA (full SVD and covariance_eigh), 5000 × 50, 10 components;
(c) gradient-descent iterations per second on Rosenbrock: the gradient compiled from the
    symbolic derivative against the same function differentiated by calcml.autodiff.
"""

from __future__ import annotations

import statistics
import time
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from calcml import ml, optim


def median_time(fn: Callable[[], Any], repeat: int = 7) -> float:
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def fmt(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:8.1f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:8.2f} ms"
    return f"{seconds:8.2f} s "


HEADER = f"{'case':<40} {'calcml':>11} {'peer':>11} {'ratio':>8}   note"


def row(case: str, ours: float, theirs: float, note: str) -> None:
    print(
        f"{case:<40} {fmt(ours):>11} {fmt(theirs):>11} {ours / theirs:7.2f}×   {note}", flush=True
    )


def bce(model: Any, X: np.ndarray, y: np.ndarray) -> float:
    p = np.clip(model.predict_proba(X), 1e-300, 1)
    return float(-np.mean(np.log(p[np.arange(len(y)), y])))


def bench_logistic() -> None:
    from sklearn.linear_model import LogisticRegression as SkLogistic

    data = ml.make_blobs(5000, centers=2, d=20, spread=6.0, seed=0)
    X, y = data.X, data.y
    sk = SkLogistic(C=np.inf, tol=1e-10, max_iter=10_000)
    t_sk = median_time(lambda: sk.fit(X, y))
    target = bce(sk, X, y)
    for method in ("newton", "gd"):
        model = ml.LogisticRegression(method=method, tol=1e-8)
        t = median_time(lambda m=model: m.fit(X, y), repeat=3 if method == "gd" else 5)
        gap = bce(model, X, y) - target
        row(
            f"logistic {method}, blobs 5000×20",
            t,
            t_sk,
            f"vs lbfgs; loss gap {gap:+.1e}, {model.n_iter_} steps, "
            f"max |Δw| {np.max(np.abs(model.coef_ - sk.coef_)):.1e}",
        )
    data3 = ml.make_blobs(3000, centers=3, d=10, spread=6.0, seed=1)
    X3, y3 = data3.X, data3.y
    sk3 = SkLogistic(C=np.inf, tol=1e-10, max_iter=10_000)
    t_sk = median_time(lambda: sk3.fit(X3, y3))
    model = ml.LogisticRegression(tol=1e-8)
    t = median_time(lambda: model.fit(X3, y3))
    gap = bce(model, X3, y3) - bce(sk3, X3, y3)
    row(
        "logistic newton, 3 classes 3000×10",
        t,
        t_sk,
        f"vs lbfgs multinomial; loss gap {gap:+.1e}, {model.n_iter_} steps",
    )


def bench_pca() -> None:
    from sklearn.decomposition import PCA as SkPCA

    rng = np.random.default_rng(0)
    X = rng.normal(size=(5000, 50)) @ rng.normal(size=(50, 50)) * np.linspace(3, 0.1, 50)
    for solver in ("full", "covariance_eigh"):
        sk = SkPCA(10, svd_solver=solver)
        t_sk = median_time(lambda sk=sk: sk.fit(X))
        for method in ("eig", "power"):
            pca = ml.PCA(10, method=method)
            t = median_time(lambda p=pca: p.fit(X))
            cos = np.abs(np.sum(pca.components_ * sk.components_, axis=1)).min()
            row(
                f"PCA {method}, 5000×50 → 10",
                t,
                t_sk,
                f"vs sklearn {solver}; min |cos| between components {cos:.10f}",
            )


def rosenbrock(v: np.ndarray) -> Any:
    return (1 - v[0]) ** 2 + 100 * (v[1] - v[0] ** 2) ** 2


def bench_descent() -> None:
    steps = 2000
    symbolic = optim.as_objective("(1 - x)^2 + 100*(y - x^2)^2")
    auto = optim.as_objective(rosenbrock)

    def run(obj: optim.Objective) -> optim.Run:
        return optim.gradient_descent(
            obj, [-1.2, 1.0], lr=1e-3, max_steps=steps, tol=0, analyze=False
        )

    t_sym = median_time(lambda: run(symbolic), repeat=3)
    t_auto = median_time(lambda: run(auto), repeat=3)
    assert np.allclose(run(symbolic).params, run(auto).params)
    row(
        "GD on Rosenbrock, 2000 steps",
        t_sym,
        t_auto,
        f"symbolic-compiled vs autodiff: {steps / t_sym:,.0f} vs {steps / t_auto:,.0f} it/s, "
        "same iterates",
    )
    p = np.array([-1.2, 1.0])
    g_sym = median_time(lambda: [symbolic.grad(p) for _ in range(1000)]) / 1000
    g_auto = median_time(lambda: [auto.grad(p) for _ in range(1000)]) / 1000
    row("one gradient of Rosenbrock", g_sym, g_auto, "symbolic lambdify vs autodiff reverse mode")
    h_sym = median_time(lambda: [symbolic.hess(p) for _ in range(200)]) / 200  # type: ignore[misc]
    h_auto = median_time(lambda: [auto.hess(p) for _ in range(200)]) / 200  # type: ignore[misc]
    row("one Hessian of Rosenbrock", h_sym, h_auto, "symbolic lambdify vs autodiff")


def main() -> int:
    warnings.filterwarnings("ignore")
    try:  # one BLAS thread on both sides: fairer, and far steadier on a busy 2-core machine
        from threadpoolctl import threadpool_limits

        limits: Any = threadpool_limits(1)
    except ImportError:
        limits = None
    print(HEADER)
    print("-" * len(HEADER))
    bench_logistic()
    bench_pca()
    bench_descent()
    print("(one BLAS thread; medians of repeated runs)" if limits is not None else "")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
