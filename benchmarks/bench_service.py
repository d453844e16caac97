"""The engine service against calling the engines in-process: throughput and latency of a mixed
corpus with 2 workers (cold and warm cache), the isolation overhead per request on a warm worker,
and normal requests' latency when 20% of the requests are runaway.

Not a test (timings on a shared machine): `python benchmarks/bench_service.py [--quick]`.
Goals from the issue: overhead ≤ 5 ms p50 over in-process on a warm worker; with 20% runaway
requests, normal requests' p95 no worse than 2× the clean run.
"""

from __future__ import annotations

import gc
import statistics
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from calcml.expr import expr_dict
from calcml.service import EngineService, ServiceConfig, ServiceError, models
from calcml.service import worker as in_process
from randexpr import random_exprs

LIMITS = ["sin(x)/x", "(x^2 - 1)/(x - 1)", "(1 - cos(x))/x^2", "(exp(x) - 1)/x", "x*log(x)"]
SKILLS = ["power-rule", "chain-rule", "sigmoid-derivative", "gradient-vector", "hessian"]
RUNAWAY_LIMIT = 2.0


def corpus(n: int, seed: int = 7) -> list[models.Request]:
    """A mixed corpus of n distinct everyday requests (seeded)."""
    exprs = [expr_dict(e)["expr"] for e in random_exprs(seed=seed, n=n, nvars=2, depth=2)]
    out: list[models.Request] = []
    for i, text in enumerate(exprs):
        kind = i % 6
        if kind in (0, 1):
            out.append(models.DeriveRequest(expr=text, wrt=["x"]))
        elif kind == 2:
            out.append(models.GradientRequest(expr=text, wrt=["x", "y"]))
        elif kind == 3:
            out.append(models.LimitRequest(expr=LIMITS[i % len(LIMITS)], at=str(i % 3)))
        elif kind == 4:
            out.append(models.CheckRequest(skill=SKILLS[i % len(SKILLS)], seed=i, answer="x"))
        else:
            out.append(models.ParseRequest(expr=text))
    return out


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def timed(fn: Callable[[models.Request], Any], request: models.Request) -> tuple[float, bool]:
    start = time.perf_counter()
    try:
        fn(request)
        ok = True
    except ServiceError:
        ok = False
    return time.perf_counter() - start, ok


def run(
    fn: Callable[[models.Request], Any], requests: list[models.Request], clients: int
) -> tuple[float, list[float], list[bool]]:
    """(requests per second, latencies, ok flags) with `clients` concurrent callers."""
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        results = list(pool.map(lambda r: timed(fn, r), requests))
    wall = time.perf_counter() - start
    return len(requests) / wall, [t for t, _ in results], [ok for _, ok in results]


def row(name: str, rps: float, lat: list[float], note: str = "") -> str:
    p50, p95 = 1000 * pct(lat, 0.5), 1000 * pct(lat, 0.95)
    return f"| {name:<34} | {rps:8.1f} | {p50:8.1f} | {p95:8.1f} | {note} |"


def main(quick: bool) -> None:
    n = 36 if quick else 90
    requests = corpus(n)
    lines = [
        "| run | req/s | p50 ms | p95 ms | note |",
        "|---|---:|---:|---:|---|",
    ]

    # In-process: the engines called directly, one thread, no soft time limits (as in workers).
    from calcml.symbolic.timelimit import set_soft_limits

    set_soft_limits(False)
    in_process.preload()
    for r in corpus(12, seed=99):  # warm lazy imports, as the workers' forkserver does
        in_process.execute(r, False)
    gc.collect()
    gc.freeze()  # as the forkserver does before forking workers
    rps, lat_inproc, _ = run(lambda r: in_process.execute(r, False), requests, 1)
    lines.append(row("in-process, 1 thread", rps, lat_inproc))
    set_soft_limits(True)

    config = ServiceConfig(workers=2, time_limit=10.0)
    with EngineService(config) as svc:
        started = time.perf_counter()
        svc.call(models.ParseRequest(expr="warm"))
        boot = time.perf_counter() - started
        for r in corpus(12)[6:]:
            svc.call(r)
        rps, lat, oks = run(svc.call, requests, 2)
        lines.append(row("service, 2 workers, cold cache", rps, lat, f"{sum(oks)}/{n} ok"))
        rps, lat, oks = run(svc.call, requests, 2)
        lines.append(row("service, 2 workers, warm cache", rps, lat, f"{sum(oks)}/{n} ok"))

    # Isolation overhead: the same requests one at a time, cache off, paired with in-process.
    set_soft_limits(False)
    with EngineService(ServiceConfig(workers=2, time_limit=10.0, cache_entries=0)) as svc:
        svc.call(models.ParseRequest(expr="warm"))
        trivial = [timed(svc.call, models.ParseRequest(expr=f"x + {i}"))[0] for i in range(50)]
        trivial_in = [
            timed(lambda r: in_process.execute(r, False), models.ParseRequest(expr=f"x + {i}"))[0]
            for i in range(50)
        ]
        paired = []  # requests neither side has seen (SymPy's caches are cold on both)
        for r in corpus(n // 2, seed=8):
            service_t = timed(svc.call, r)[0]
            local_t = timed(lambda q: in_process.execute(q, False), r)[0]
            paired.append(service_t - local_t)
    set_soft_limits(True)
    over = statistics.median(trivial) - statistics.median(trivial_in)
    lines.append(
        row(
            "round trip of parse('x + i')",
            1 / statistics.median(trivial),
            trivial,
            f"overhead p50 {1000 * over:.2f} ms over in-process",
        )
    )
    lines.append(
        f"| overhead, corpus (service − in-process, paired) | | "
        f"{1000 * statistics.median(paired):8.1f} | {1000 * pct(paired, 0.95):8.1f} | "
        f"median of {len(paired)} pairs |"
    )

    # 20% runaway: every fifth request spins until the hard limit. Clean and runaway runs each
    # on fresh workers (cold SymPy caches), 4 clients, the same normal requests.
    normal = corpus(n // 2, seed=9)
    mixed: list[models.Request] = []
    for i, r in enumerate(normal):
        mixed.append(r)
        if i % 4 == 3:
            mixed.append(models.SpinRequest())
    spins = len(mixed) - len(normal)
    timeouts = 0
    for workers in (2, 4):
        cfg = ServiceConfig(
            workers=workers, time_limit=RUNAWAY_LIMIT, cache_entries=0, test_hooks=True
        )
        with EngineService(cfg) as svc:
            svc.call(models.ParseRequest(expr="warm"))
            rps, clean, _ = run(svc.call, normal, 4)
        clean_p95 = pct(clean, 0.95)
        lines.append(row(f"clean, {workers} workers, 4 clients", rps, clean))
        with EngineService(cfg) as svc:
            svc.call(models.ParseRequest(expr="warm"))
            start = time.perf_counter()
            with ThreadPoolExecutor(max_workers=4) as pool:
                results = list(pool.map(lambda r: (r, timed(svc.call, r)), mixed))
            wall = time.perf_counter() - start
            timeouts += svc.stats()["timeouts"]
        normal_lat = [t for r, (t, _) in results if not isinstance(r, models.SpinRequest)]
        lines.append(
            row(
                f"20% runaway ({spins} × {RUNAWAY_LIMIT:g} s), {workers} workers",
                len(mixed) / wall,
                normal_lat,
                f"normal p95 = {pct(normal_lat, 0.95) / clean_p95:.1f}× clean",
            )
        )
    print(f"service start (forkserver, preload, warm-up): {boot:.1f} s")
    print("\n".join(lines))
    print(f"runaway runs: {timeouts} timeouts for {2 * spins} runaway requests")


if __name__ == "__main__":
    main("--quick" in sys.argv)
