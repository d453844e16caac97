"""calcml.derive (steps + simplified, verified final form) against SymPy's diff + simplify.

Over a corpus of ML and textbook expressions, in one process: the median time of each, their
ratio, and the size (count_ops) of the final forms. Goals: derive takes at most 1/3 of
diff + simplify's time, and its final form is no larger on at least 90% of the corpus.

Run: `python benchmarks/bench_derive.py` (or `make bench`).
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import sympy as sp

from calcml.expr import parse
from calcml.symbolic import derive

# (expression, variable)
CORPUS: list[tuple[str, str]] = [
    # textbook: powers, products, quotients, chains
    ("x^3 - 4x^2 + 7x - 2", "x"),
    ("sqrt(x)", "x"),
    ("1/x^2", "x"),
    ("(x^2 + 1)^5", "x"),
    ("x^2 sin(x)", "x"),
    ("x e^x", "x"),
    ("e^x / x", "x"),
    ("x/(x + 1)", "x"),
    ("(x^2 - 1)/(x^2 + 1)", "x"),
    ("sin(x)/x", "x"),
    ("sin(x^2)", "x"),
    ("cos(3x + 1)", "x"),
    ("tan(x)", "x"),
    ("sec(x)", "x"),
    ("sin(x) cos(x)", "x"),
    ("e^(-x^2)", "x"),
    ("log(x^2 + 1)", "x"),
    ("log(sin(x))", "x"),
    ("x log(x) - x", "x"),
    ("2^x", "x"),
    ("x^x", "x"),
    ("x^(sin x)", "x"),
    ("asin(x)", "x"),
    ("atan(x^2)", "x"),
    ("acos(2x)", "x"),
    ("sqrt(1 - x^2)", "x"),
    ("(x + 1)^(1/3)", "x"),
    ("sinh(x) cosh(x)", "x"),
    ("e^(sin x)", "x"),
    ("log(x)/log(2)", "x"),
    ("x^2 e^(-x)", "x"),
    ("1/(1 + x^2)", "x"),
    ("sin(x)^2 + cos(x)^2", "x"),
    ("x^2 y + y^3", "y"),
    ("x y^2 + sin(x y)", "x"),
    ("e^(x y)", "y"),
    # ML
    ("sigmoid(x)", "x"),
    ("sigmoid(w x + b)", "w"),
    ("sigmoid(w x + b)", "b"),
    ("tanh(x)", "x"),
    ("tanh(w x + b)", "w"),
    ("softplus(x)", "x"),
    ("softplus(w x + b)", "w"),
    ("relu(x)", "x"),
    ("relu(w x + b)", "w"),
    ("leaky_relu(x)", "x"),
    ("abs(x)", "x"),
    ("abs(w x - y)", "w"),
    ("(w x + b - y)^2", "w"),
    ("(w x + b - y)^2", "b"),
    ("-(y log(sigmoid(z)) + (1 - y) log(1 - sigmoid(z)))", "z"),
    ("-(y log(sigmoid(w x + b)) + (1 - y) log(1 - sigmoid(w x + b)))", "w"),
    ("(w x + b - y)^2 + lambda w^2", "w"),
    ("1/(1 + e^(-x))", "x"),
    ("log(1 + e^x)", "x"),
    ("x sigmoid(x)", "x"),
    ("x tanh(softplus(x))", "x"),
    ("e^a/(e^a + e^b)", "a"),
    ("log(e^a + e^b)", "a"),
    ("sigmoid(v tanh(w x + b) + c)", "w"),
    ("(tanh(w x) - y)^2", "w"),
    ("max(x, x^2)", "x"),
]

REPEAT = 5


def median_time(fn: Callable[[], Any], repeat: int = REPEAT) -> float:
    times = []
    for _ in range(repeat):
        sp.core.cache.clear_cache()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    rows = []
    for text, var in CORPUS:
        expr = parse(text)
        x = next((s for s in expr.free_symbols if s.name == var), sp.Symbol(var, real=True))
        ours_t = median_time(lambda e=expr, v=x: derive(e, v))
        ref_t = median_time(lambda e=expr, v=x: sp.simplify(sp.diff(e, v)))
        ours = derive(expr, x).result
        ref = sp.simplify(sp.diff(expr, x))
        rows.append((text, var, ours_t, ref_t, int(sp.count_ops(ours)), int(sp.count_ops(ref))))

    width = max(len(f"d/d{v} {t}") for t, v, *_ in rows)
    print(
        f"{'expression':<{width}}  {'derive ms':>9}  {'sympy ms':>9}  {'ratio':>6}  "
        f"{'ops':>4}  {'sympy':>5}"
    )
    for text, var, ours_t, ref_t, ours_n, ref_n in rows:
        flag = "" if ours_n <= ref_n else "  larger"
        print(
            f"{f'd/d{var} {text}':<{width}}  {ours_t * 1e3:9.1f}  {ref_t * 1e3:9.1f}  "
            f"{ours_t / ref_t:6.2f}  {ours_n:4d}  {ref_n:5d}{flag}"
        )
    ours_med = statistics.median(r[2] for r in rows)
    ref_med = statistics.median(r[3] for r in rows)
    ratio_med = statistics.median(r[2] / r[3] for r in rows)
    no_larger = sum(r[4] <= r[5] for r in rows) / len(rows)
    print()
    print(f"corpus: {len(rows)} expressions, each timed {REPEAT}x with a cold SymPy cache")
    print(f"median time   derive {ours_med * 1e3:.1f} ms   diff+simplify {ref_med * 1e3:.1f} ms")
    print(
        f"ratio of medians {ours_med / ref_med:.3f}   median of ratios {ratio_med:.3f}"
        "   (goal ≤ 0.333)"
    )
    print(f"final form no larger than simplify's: {no_larger:.0%} of the corpus   (goal ≥ 90%)")
    ok = ours_med / ref_med <= 1 / 3 and no_larger >= 0.9
    print("goals met" if ok else "goals NOT met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
