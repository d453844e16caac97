"""The web app under load: `calcml serve --workers 2` on loopback, 20 simulated learners for
60 s (practice cycles: a problem, a hint, a wrong answer, the roadmap; calculator requests from
the derivative and limit corpora). Prints requests/s, p50/p95/p99 per endpoint and errors
(goal: 0 errors, p95 < 150 ms for warm-cache pages, < 1 s for engine verbs), then the page
weight and time to first paint of the calculator page in Chromium.

    python benchmarks/bench_web.py [--seconds 60] [--learners 20]

Not a timed test: it prints a table and never fails on a number.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict

DERIVATIVES = [
    "x^2*sin(x)",
    "sigmoid(w*x + b)",
    "exp(-x^2/2)",
    "log(1 + exp(x))",
    "tanh(3*x - 1)",
    "x^x",
    "sqrt(1 + x^2)",
    "relu(x)*x",
    "(x^2 - 1)/(x + 2)",
    "softplus(2*x)",
]
LIMITS = ["sin(x)/x", "(1 - cos(x))/x^2", "(exp(x) - 1)/x", "x*log(x)", "abs(x)/x"]
WARM = {"/": "roadmap", "/calc?op=derive&q=x%5E2": "calc (warm)"}


class Learner:
    """One simulated learner with its own cookies (and CSRF token)."""

    def __init__(self, base: str, rng: random.Random, record) -> None:  # type: ignore[no-untyped-def]
        self.base, self.rng, self.record = base, rng, record
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def fetch(self, label: str, path: str, data: dict[str, str] | None = None) -> str:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        start = time.perf_counter()
        ok, text, url = True, "", ""
        try:
            with self.opener.open(self.base + path, data=body, timeout=60) as r:
                text, url = r.read().decode(), r.geturl()
        except (urllib.error.URLError, TimeoutError):
            ok = False
        self.record(label, time.perf_counter() - start, ok)
        self.last_url = url
        return text

    def token(self) -> str:
        return next((c.value for c in self.jar if c.name == "calcml_csrf"), "")

    def practice_cycle(self) -> None:
        self.fetch("practice (new)", "/practice")
        query = urllib.parse.parse_qs(urllib.parse.urlparse(self.last_url).query)
        if "skill" not in query:
            return
        skill, seed = query["skill"][0], query["seed"][0]
        diff = query.get("difficulty", ["1"])[0]
        self.fetch(
            "practice hint", f"/practice?skill={skill}&seed={seed}&difficulty={diff}&hints=1"
        )
        form = {"csrf": self.token(), "skill": skill, "seed": seed, "difficulty": diff}
        self.fetch("practice answer", "/practice/answer", {**form, "answer": "0", "hints": "1"})
        self.fetch("roadmap", "/")

    def calculator(self) -> None:
        if self.rng.random() < 0.5:
            q = urllib.parse.quote(self.rng.choice(DERIVATIVES))
            self.fetch("calc derive", f"/calc?op=derive&q={q}")
        else:
            q = urllib.parse.quote(self.rng.choice(LIMITS))
            self.fetch("calc.json limit", f"/calc.json?op=limit&q={q}")
        self.fetch("calc (warm)", "/calc?op=derive&q=x%5E2")


def run_load(base: str, seconds: float, learners: int) -> dict[str, list[tuple[float, bool]]]:
    samples: dict[str, list[tuple[float, bool]]] = defaultdict(list)
    lock = threading.Lock()

    def record(label: str, elapsed: float, ok: bool) -> None:
        with lock:
            samples[label].append((elapsed, ok))

    stop = time.monotonic() + seconds

    def loop(i: int) -> None:
        learner = Learner(base, random.Random(i), record)
        while time.monotonic() < stop:
            learner.practice_cycle() if learner.rng.random() < 0.5 else learner.calculator()

    threads = [threading.Thread(target=loop, args=(i,)) for i in range(learners)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return samples


def table(samples: dict[str, list[tuple[float, bool]]], seconds: float) -> str:
    def pct(values: list[float], q: float) -> float:
        return statistics.quantiles(values, n=100)[q - 1] * 1000 if len(values) > 1 else 0.0

    rows = ["| endpoint | requests | req/s | p50 ms | p95 ms | p99 ms | errors |", "|---" * 7 + "|"]
    total, errors = 0, 0
    for label in sorted(samples):
        times = [t for t, _ in samples[label]]
        bad = sum(not ok for _, ok in samples[label])
        total, errors = total + len(times), errors + bad
        rows.append(
            f"| {label} | {len(times)} | {len(times) / seconds:.1f} | {pct(times, 50):.0f} | "
            f"{pct(times, 95):.0f} | {pct(times, 99):.0f} | {bad} |"
        )
    rows.append(f"| **all** | {total} | {total / seconds:.1f} | | | | {errors} |")
    return "\n".join(rows)


def browser_metrics(base: str) -> str:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return "(Playwright not installed: page weight and first paint skipped)"
    flags = [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
    ]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=flags)
        page = browser.new_page()
        out = []
        for label, path in (
            ("calculator (empty)", "/calc"),
            ("calculator (result)", "/calc?op=derive&q=x%2Asin%28x%5E2%29"),
        ):
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
            m = page.evaluate(
                """() => {
                const paint = performance.getEntriesByName('first-contentful-paint')[0];
                const res = performance.getEntriesByType('resource');
                const nav = performance.getEntriesByType('navigation')[0];
                const size = (r) => r.encodedBodySize || 0;
                const bytes = res.reduce((s, r) => s + size(r), size(nav));
                return {fcp: paint ? paint.startTime : null, bytes: bytes, n: res.length + 1};
            }"""
            )
            out.append(
                f"| {label} | {m['n']} | {m['bytes'] / 1024:.0f} KiB | {m['fcp']:.0f} ms |"
                if m["fcp"] is not None
                else f"| {label} | {m['n']} | - | - |"
            )
        browser.close()
    return "\n".join(
        ["| page | requests | weight | first contentful paint |", "|---|---|---|---|", *out]
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--learners", type=int, default=20)
    args = parser.parse_args()
    env = {**os.environ, "CALCML_DATA_DIR": tempfile.mkdtemp(), "PYTHONUNBUFFERED": "1"}
    cmd = [
        sys.executable,
        "-m",
        "calcml",
        "serve",
        "--port",
        "0",
        "--workers",
        "2",
        "--engine-workers",
        "1",
        "--rate",
        "10000",
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, env=env)
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        base = re.search(r"http://\S+", line).group(0).rstrip("/")  # type: ignore[union-attr]
        for _ in range(600):  # wait until both app processes answer
            try:
                urllib.request.urlopen(base + "/health", timeout=30).read()
                break
            except OSError:  # not up yet (refused, reset or timed out)
                time.sleep(0.2)
        warm = Learner(base, random.Random(0), lambda *a: None)
        for path in WARM:
            warm.fetch("warm-up", path)
        samples = run_load(base, args.seconds, args.learners)
        print(
            "calcml serve --workers 2 --engine-workers 1;",
            f"{args.learners} learners, {args.seconds:.0f} s",
        )
        print(table(samples, args.seconds))
        print()
        print(browser_metrics(base))
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)
    return 0


if __name__ == "__main__":
    sys.exit(main())
