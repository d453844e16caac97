"""Soak: simulated learners doing practice cycles (with think time) against real `calcml serve`
processes, for a fixed time, on two set-ups: 2 app processes + PostgreSQL, and 1 app process +
SQLite. Prints per set-up: cycles, answers sent / acknowledged / stored, acknowledged answers
not stored exactly once (must be 0), statuses, and p50/p95/p99 of a whole cycle.

Run by `make soak` (not by `make bench`: it takes 2 x --seconds). The learners are one bounded
asyncio httpx client (tests/appserver.py); each learner has its own cookies and client address
(X-Forwarded-For, which the servers trust as a reverse proxy would set it)."""

from __future__ import annotations

import argparse
import asyncio
import itertools
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

import httpx  # noqa: E402

from appserver import AppServer, Outcome, answer_counts, practice_cycle  # noqa: E402
from pg import Cluster  # noqa: E402

MAX_CONNECTIONS = 400  # the client's bound on open connections


async def learners(bases: list[str], n: int, seconds: float, think: float, seed: int) -> Outcome:
    """`n` learners, each: a practice cycle, then think (exponential, mean `think` s)."""
    outcome = Outcome()
    tags = itertools.count(1)
    deadline = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=MAX_CONNECTIONS)

    async def one(learner: int) -> None:
        rng = random.Random(seed * 100_003 + learner)
        base = bases[learner % len(bases)]
        async with httpx.AsyncClient(timeout=60.0, limits=limits) as http:
            await asyncio.sleep(rng.uniform(0, think))  # arrivals spread over one think time
            while time.monotonic() < deadline:
                await practice_cycle(http, base, learner, next(tags), outcome)
                await asyncio.sleep(rng.expovariate(1 / think))

    await asyncio.gather(*(one(i) for i in range(n)))
    return outcome


async def warm_up(bases: list[str]) -> None:
    """One cycle per server before the clock starts (engine workers started, SymPy loaded)."""
    async with httpx.AsyncClient(timeout=300.0) as http:
        for i, base in enumerate(bases):
            await practice_cycle(http, base, 65_000 + i, 10**9 + i, Outcome())


def quantile(values: list[float], q: float) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[round(q * 100) - 1]


def report(name: str, url: str, outcome: Outcome) -> str:
    counts = answer_counts(url)
    sent = len(outcome.acked) + len(outcome.unacked)
    acked_stored = sum(counts[f"x + {t}"] for t in outcome.acked)
    unacked_stored = sum(counts[f"x + {t}"] for t in outcome.unacked)
    not_once = sum(counts[f"x + {t}"] != 1 for t in outcome.acked)
    errors = {k: v for k, v in outcome.statuses.items() if k not in {"200", "303"}}
    errors = "; ".join(f"{k}: {v}" for k, v in sorted(errors.items()))
    ms = sorted(1000 * x for x in outcome.latencies)
    return (
        f"| {name} | {len(ms)} | {sent} | {len(outcome.acked)} | {acked_stored} + "
        f"{unacked_stored} | {not_once} | {errors or 'none'} | "
        f"{quantile(ms, 0.5):.0f} | {quantile(ms, 0.95):.0f} | {quantile(ms, 0.99):.0f} |"
    )


def run(name: str, url: str, processes: int, args: argparse.Namespace) -> str:
    servers = [AppServer(url, engine_workers=args.engine_workers) for _ in range(processes)]
    try:
        asyncio.run(warm_up([s.base for s in servers]))
        outcome = asyncio.run(
            learners([s.base for s in servers], args.learners, args.seconds, args.think, 1)
        )
    finally:
        for server in servers:
            server.stop()
    return report(name, url, outcome)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--think", type=float, default=30.0, help="mean think time, seconds")
    parser.add_argument("--engine-workers", type=int, default=2, help="per app process")
    parser.add_argument("--only", choices=["postgresql", "sqlite"], default=None)
    args = parser.parse_args()
    print(
        f"soak: {args.learners} learners, {args.seconds:.0f} s, think time mean {args.think} s, "
        f"{args.engine_workers} engine worker(s) per app process"
    )
    rows = []
    if args.only in (None, "postgresql"):
        cluster = Cluster(fast=False)
        try:
            cluster.start()
            rows.append(run("2 app processes + PostgreSQL", cluster.create_database(), 2, args))
        finally:
            cluster.stop()
    if args.only in (None, "sqlite"):
        folder = tempfile.mkdtemp(prefix="calcml-soak-")
        try:
            url = f"sqlite:///{folder}/progress.sqlite3"
            rows.append(run("1 app process + SQLite", url, 1, args))
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    print("| store | cycles done | answers sent | acknowledged (200) | stored (acked + unacked)"
          " | acked not stored once | errors seen | p50 ms | p95 ms | p99 ms |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
