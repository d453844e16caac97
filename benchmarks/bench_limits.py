"""calcml.limit against SymPy's limit on the hand-checked corpus: right answers and time.

For each limit both are timed with SymPy's cache cleared first (a user's first call). SymPy
is asked the same question: one-sided cases with dir '+'/'-', two-sided ones with dir '+-'
(its two-sided mode; a "does not exist" ValueError counts as DNE), and σ, softplus, ReLU
written with exp/log/Max since SymPy has no such functions. calcml is timed twice: the value
alone (`explain=False`: both sides, the evidence, the cross-checks) and with the teacher's
steps. Run: `.venv/bin/python benchmarks/bench_limits.py`.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sympy as sp
from sympy.core.cache import clear_cache

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "symbolic"))

from limit_corpus import CORPUS, Case

import calcml as cm
from calcml.expr.functions import leaky_relu, relu
from calcml.symbolic.limit_result import DNE
from calcml.symbolic.limit_sides import smooth
from calcml.symbolic.timelimit import call_with_time_limit

SYMPY_TIME_LIMIT = 20.0


def expected(case: Case) -> Any:
    return {"oo": sp.oo, "-oo": -sp.oo, "DNE": DNE}.get(case.expected) or cm.parse(case.expected)


def same(got: Any, want: Any) -> bool:
    if want is DNE or got is DNE:
        return got is want
    if got is None:
        return False
    if want in (sp.oo, -sp.oo) or got in (sp.oo, -sp.oo):
        return bool(got == want)
    try:
        return bool(sp.simplify(got - want) == 0)
    except Exception:
        return False


def for_sympy(expr: sp.Expr) -> sp.Expr:
    expr = smooth(expr)
    expr = expr.replace(relu, lambda z: sp.Max(0, z))
    return expr.replace(leaky_relu, lambda z, a: sp.Piecewise((z, z > 0), (a * z, True)))


def sympy_answer(case: Case) -> Any:
    x = cm.expr.symbol("x")
    f = for_sympy(cm.parse(case.expr))
    at = {"oo": sp.oo, "-oo": -sp.oo}.get(case.at) or cm.parse(case.at)
    if at in (sp.oo, -sp.oo):
        value = sp.limit(f, x, at)
    else:
        value = sp.limit(f, x, at, {"both": "+-", "left": "-", "right": "+"}[case.side])
    if isinstance(value, sp.AccumBounds) or (
        isinstance(value, sp.Basic) and value.has(sp.AccumBounds)
    ):
        return DNE
    return value


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    clear_cache()
    start = time.perf_counter()
    try:
        value = fn()
    except ValueError as error:  # SymPy's two-sided mode when the sides differ
        value = DNE if "does not exist" in str(error) else None
    except Exception:
        value = None
    return value, time.perf_counter() - start


def main() -> int:
    rows = []
    for case in CORPUS:
        want = expected(case)
        got_value, t_value = timed(
            lambda c=case: cm.limit(c.expr, "x", c.at, side=c.side, explain=False).value
        )
        got_steps, t_steps = timed(lambda c=case: cm.limit(c.expr, "x", c.at, side=c.side).value)
        got_sympy, t_sympy = timed(
            lambda c=case: call_with_time_limit(sympy_answer, SYMPY_TIME_LIMIT, c)
        )
        rows.append(
            (
                case,
                same(got_value, want) and same(got_steps, want),
                same(got_sympy, want),
                t_value,
                t_steps,
                t_sympy,
            )
        )
    n = len(rows)
    right_calcml = sum(r[1] for r in rows)
    right_sympy = sum(r[2] for r in rows)
    med = [statistics.median(r[i] for r in rows) * 1000 for i in (3, 4, 5)]
    print(
        f"calcml.limit vs sympy.limit on {n} hand-checked limits (cold cache, median per limit)\n"
    )
    print(f"{'':28} {'right':>9} {'median ms':>10} {'× SymPy':>8}")
    table = [
        ("SymPy limit", right_sympy, med[2]),
        ("calcml limit (value)", right_calcml, med[0]),
        ("calcml limit (with steps)", right_calcml, med[1]),
    ]
    for name, right, ms in table:
        print(f"{name:28} {right:>4}/{n:<4} {ms:>10.1f} {ms / med[2]:>8.2f}")
    wrong_sympy = [r[0] for r in rows if not r[2]]
    if wrong_sympy:
        print("\nSymPy wrong or no answer:")
        for case in wrong_sympy:
            print(f"  {case.expr} at {case.at} ({case.side}): expected {case.expected}")
    wrong = [r[0] for r in rows if not r[1]]
    if wrong:
        print("\ncalcml wrong:")
        for case in wrong:
            print(f"  {case.expr} at {case.at} ({case.side}): expected {case.expected}")
    slow = sorted(rows, key=lambda r: -r[4])[:5]
    print("\nslowest with steps: " + ", ".join(f"{r[0].expr} ({r[4] * 1000:.0f} ms)" for r in slow))
    return 0 if not wrong else 1


if __name__ == "__main__":
    sys.exit(main())
