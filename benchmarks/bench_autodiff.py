"""calcml.autodiff against PyTorch (CPU), HIPS autograd, micrograd and hand-written NumPy.

Run: ``python benchmarks/bench_autodiff.py`` (or ``make bench``). Everything runs in one process;
each row is the median of several timed repeats, and the ratio is calcml's time / the peer's
(below 1 means calcml is faster). Float64 everywhere, as calcml's default.

(a) per-op overhead: a 5-op expression on 10-element arrays, forward + backward;
(b) one SGD training step of an MLP 784→256→256→10, batch 256, tanh, MSE;
(c) the Hessian of a logistic-regression loss, n = 100 samples, 400 weights;
(d) a scalar expression graph of 10⁴ nodes, forward + backward, against micrograd.

What a timed call includes is the same on both sides of a row. In (d) each call builds the graph
(the forward), runs backward, and frees the graph before it returns, as a training loop must
before its next step. calcml's nodes hold no reference cycles, so dropping the output frees its
graph (reference counting); micrograd's nodes sit in cycles (each node's ``_backward`` closure
refers to the node), which only the cyclic collector frees. Both calls therefore end with
``gc.collect(0)`` (the young generation: what the call allocated; the collector is otherwise
paused while a batch runs): without it micrograd's graph was freed between batches, outside
the timing, and calcml's inside. The second (d) row times building and backward only: both
calls return the graph's output, which is dropped after the clock stops.
"""

from __future__ import annotations

import gc
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from calcml import autodiff as ad


def _batch_size(fn: Callable[[], Any], target: float = 0.05) -> int:
    fn()
    start = time.perf_counter()
    fn()
    once = time.perf_counter() - start
    return max(1, int(target / max(once, 1e-7)))


def compare(
    ours: Callable[[], Any], theirs: Callable[[], Any], repeat: int = 9, target: float = 0.05
) -> tuple[float, float, float, float]:
    """Median and best seconds per call of each (ours, theirs, best ours, best theirs), timed in
    alternating batches of about `target` seconds.

    Alternating keeps a background load (this machine is shared) from favouring either side;
    within a batch the calls run back to back, as in a training loop. As in `timeit`, the
    cyclic garbage collector is paused while a batch runs (and run between batches): a full
    collection in a process holding PyTorch's objects takes ~0.4 s and would land on
    whichever side happened to trigger it.
    """
    n_ours, n_theirs = _batch_size(ours, target), _batch_size(theirs, target)
    a: list[float] = []
    b: list[float] = []
    for _ in range(repeat):
        a.append(_timed_batch(ours, n_ours))
        b.append(_timed_batch(theirs, n_theirs))
    return statistics.median(a), statistics.median(b), min(a), min(b)


def _timed_batch(fn: Callable[[], Any], number: int) -> float:
    """Seconds per call of `fn`; what the calls return is kept until the clock stops, so
    a call that returns its result (a graph) leaves the freeing of it out of the timing."""
    gc.collect()
    gc.disable()
    try:
        kept = []
        start = time.perf_counter()
        for _ in range(number):
            kept.append(fn())
        elapsed = time.perf_counter() - start
        del kept
        return elapsed / number
    finally:
        gc.enable()


def fmt(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:9.1f} µs"
    return f"{seconds * 1e3:9.2f} ms"


ROWS: list[tuple[str, str, float, float, str]] = []


def row(
    case: str, peer: str, times: tuple[float, float, float, float], goal: str, per: int = 1
) -> None:
    """Print medians, their ratio, and the ratio of the best batches (steadier on a busy box)."""
    ours, theirs = times[0] / per, times[1] / per
    best = times[2] / times[3]
    ROWS.append((case, peer, ours, theirs, goal))
    print(
        f"{case:<34} {peer:<22} {fmt(ours)} {fmt(theirs)} {ours / theirs:7.2f}× "
        f"{best:7.2f}×   {goal}",
        flush=True,
    )


# ---- (a) per-op overhead -------------------------------------------------------------------


def bench_per_op(torch: Any) -> None:
    rng = np.random.default_rng(0)
    xv, wv, bv = rng.normal(size=(3, 10))
    n_ops = 5

    x = ad.Tensor(xv, requires_grad=True)
    w = ad.Tensor(wv, requires_grad=True)
    b = ad.Tensor(bv, requires_grad=True)

    def ours() -> None:
        x.grad = w.grad = b.grad = None
        (ad.tanh(x * w + b) * x).sum().backward()

    tx, tw, tb = (torch.tensor(v, requires_grad=True) for v in (xv, wv, bv))

    def theirs() -> None:
        tx.grad = tw.grad = tb.grad = None
        (torch.tanh(tx * tw + tb) * tx).sum().backward()

    row("(a) per op, fwd+bwd, 10 elements", "PyTorch", compare(ours, theirs), "goal ≤ 1.0", n_ops)


# ---- (b) MLP training step -----------------------------------------------------------------


def bench_mlp(torch: Any) -> None:
    rng = np.random.default_rng(0)
    sizes = [784, 256, 256, 10]
    X = rng.normal(size=(256, 784))
    Y = rng.normal(size=(256, 10))
    lr = 1e-3
    net = ad.nn.MLP(sizes, activation="tanh", seed=0)
    params = net.parameters()

    def ours() -> None:
        for p in params:
            p.grad = None
        loss = ((net(X) - Y) ** 2).mean()
        loss.backward()
        with ad.no_grad():
            for p in params:
                p.data -= lr * p.grad

    Ws = [p.data.copy() for p in params]

    def numpy_step() -> None:
        W1, b1, W2, b2, W3, b3 = Ws
        h1 = np.tanh(X @ W1 + b1)
        h2 = np.tanh(h1 @ W2 + b2)
        out = h2 @ W3 + b3
        d3 = (2.0 / out.size) * (out - Y)
        d2 = (d3 @ W3.T) * (1.0 - h2 * h2)
        d1 = (d2 @ W2.T) * (1.0 - h1 * h1)
        grads = [X.T @ d1, d1.sum(0), h1.T @ d2, d2.sum(0), h2.T @ d3, d3.sum(0)]
        for p, g in zip(Ws, grads, strict=True):
            p -= lr * g

    tX, tY = torch.tensor(X), torch.tensor(Y)
    tparams = [torch.tensor(p.data.copy(), requires_grad=True) for p in params]

    def torch_step() -> None:
        for p in tparams:
            p.grad = None
        W1, b1, W2, b2, W3, b3 = tparams
        h = torch.tanh(tX @ W1 + b1)
        h = torch.tanh(h @ W2 + b2)
        loss = ((h @ W3 + b3 - tY) ** 2).mean()
        loss.backward()
        with torch.no_grad():
            for p in tparams:
                p -= lr * p.grad

    ours()
    numpy_step()
    torch_step()
    for mine, hand, theirs in zip(params, Ws, tparams, strict=True):
        assert np.allclose(mine.data, hand) and np.allclose(mine.data, theirs.detach().numpy())
    case = "(b) MLP step 784-256-256-10"
    row(case, "hand-written NumPy", compare(ours, numpy_step, repeat=11, target=0.25), "goal ≤ 1.1")
    row(case, "PyTorch", compare(ours, torch_step, repeat=11, target=0.25), "goal ≤ 1.0")


# ---- (c) Hessian of logistic regression ----------------------------------------------------


def bench_hessian(torch: Any) -> None:
    import autograd
    import autograd.numpy as anp

    rng = np.random.default_rng(0)
    n, d = 100, 400
    X = rng.normal(size=(n, d)) / np.sqrt(d)
    y = (rng.uniform(size=n) < 0.5).astype(float)
    w = rng.normal(size=d) * 0.1

    def loss(w: Any) -> Any:
        z = X @ w
        return np.mean(ad.softplus(z) - y * z) + 0.5e-2 * np.sum(w * w)

    tX, ty = torch.tensor(X), torch.tensor(y)

    def tloss(w: Any) -> Any:
        z = tX @ w
        return torch.mean(torch.nn.functional.softplus(z) - ty * z) + 0.5e-2 * torch.sum(w * w)

    def aloss(w: Any) -> Any:
        z = anp.dot(X, w)
        return anp.mean(anp.logaddexp(0.0, z) - y * z) + 0.5e-2 * anp.sum(w * w)

    H = ad.hessian(loss)(w)
    Ht = torch.func.hessian(tloss)(torch.tensor(w)).numpy()
    Ha = autograd.hessian(aloss)(w)
    assert np.allclose(H, Ht) and np.allclose(H, Ha), "Hessians disagree"
    tw = torch.tensor(w)

    def ours() -> Any:
        return ad.hessian(loss)(w)

    case = "(c) Hessian, logreg n=100 d=400"
    row(
        case,
        "torch.func.hessian",
        compare(ours, lambda: torch.func.hessian(tloss)(tw)),
        "goal ≤ 1.5",
    )
    row(
        case, "autograd.hessian", compare(ours, lambda: autograd.hessian(aloss)(w), 5), "goal < 1.0"
    )


# ---- (d) 10⁴-node scalar graph -------------------------------------------------------------


def bench_scalar_graph() -> None:
    from micrograd.engine import Value

    n = 10_000 // 4  # four nodes per step

    def build(x: Any, y: Any) -> Any:
        acc = x
        for _ in range(n):
            acc = (acc * 0.999 + y).relu() * y
        return acc

    def ours_kept() -> Any:
        x = ad.Tensor(0.5, requires_grad=True)
        y = ad.Tensor(1.0001, requires_grad=True)
        out = build(x, y)
        out.backward()
        return out

    def micro_kept() -> Any:
        x, y = Value(0.5), Value(1.0001)
        out = build(x, y)
        out.backward()
        return out

    def ours() -> None:
        ours_kept()
        gc.collect(0)  # frees nothing here: calcml's graph was freed by reference counting

    def micro() -> None:
        micro_kept()
        gc.collect(0)  # frees micrograd's graph (its nodes are in reference cycles)

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 100_000))  # micrograd's topological sort recurses
    try:
        x, y = ad.Tensor(0.5, requires_grad=True), ad.Tensor(1.0001, requires_grad=True)
        build(x, y).backward()
        mx, my = Value(0.5), Value(1.0001)
        build(mx, my).backward()
        assert np.isclose(float(x.grad), mx.grad) and np.isclose(float(y.grad), my.grad)
        row("(d) scalar graph, 10⁴ nodes", "micrograd", compare(ours, micro, 9), "goal ≤ 1.0")
        row("(d) … building + backward only", "micrograd", compare(ours_kept, micro_kept, 9), "")
    finally:
        sys.setrecursionlimit(limit)


def coverage() -> None:
    """How much of the NumPy that HIPS autograd's tests differentiate calcml differentiates:
    the case list kept as data in tests/autodiff/autograd_cases.py, each gradient compared
    with autograd's (or with central differences where autograd has no rule)."""
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "autodiff"))
    import warnings

    import autograd
    import autograd.numpy as anp
    from autograd_cases import CASES, functions

    passed: set[str] = set()
    ok = 0
    failed: list[str] = []
    for case in CASES:
        try:
            w = np.ones(np.shape(case.f(np, *case.args)))
            x = case.args[0]

            def loss(v: Any, m: Any, case: Any = case, w: Any = w) -> Any:
                return m.sum(w * case.f(m, v, *case.args[1:]))

            ours = ad.grad(lambda v: loss(v, np))(x)
            if case.ref:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    ref = autograd.grad(lambda v: loss(v, anp))(x)
            else:
                eps = 1e-6
                xv = np.asarray(x, dtype=float)
                ref = np.zeros_like(xv)
                for i in np.ndindex(xv.shape):
                    e = np.zeros_like(xv)
                    e[i] = eps
                    ref[i] = (loss(xv + e, np) - loss(xv - e, np)) / (2 * eps)
            if np.allclose(ours, ref, rtol=1e-5, atol=1e-7):
                ok += 1
                passed.add(case.function)
            else:
                failed.append(case.id)
        except Exception as error:  # a missing function is a coverage gap, reported below
            failed.append(f"{case.id}: {type(error).__name__}")
    print(
        f"NumPy coverage (autograd's test functions): {len(passed)} of {len(functions())} "
        f"functions, {ok} of {len(CASES)} cases (shapes/axes) match"
        + (f"; failing: {', '.join(failed)}" if failed else "")
    )


def main() -> int:
    try:
        import torch
    except ImportError:
        print("PyTorch is not installed: pip install -e '.[bench]'", file=sys.stderr)
        return 1
    torch.set_grad_enabled(True)
    torch.set_default_dtype(torch.float64)
    import os

    blas = ""
    try:
        from threadpoolctl import threadpool_info

        info = [i for i in threadpool_info() if i.get("user_api") == "blas"]
        blas = ", ".join(
            f"{i['internal_api']} {i.get('architecture')} x{i['num_threads']}" for i in info
        )
    except ImportError:
        pass
    print(
        f"numpy {np.__version__} ({blas or 'BLAS unknown'}), torch {torch.__version__} "
        f"({torch.get_num_threads()} threads), {os.cpu_count()} cores, float64"
    )
    print(
        f"{'case':<34} {'peer':<22} {'calcml':>12} {'peer':>12} {'ratio':>8} {'best':>8}"
        "   (medians; ratio = calcml / peer; best = ratio of the fastest batches)"
    )
    bench_per_op(torch)
    bench_mlp(torch)
    bench_hessian(torch)
    bench_scalar_graph()
    coverage()
    return 0


if __name__ == "__main__":
    sys.exit(main())
