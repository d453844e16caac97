"""calcml.parse on hostile and ordinary text: the median time per input, by kind.

The speed goals that used to be wall-clock asserts in tests/expr (refusals in well under 0.5 s,
random text under 50 ms on average) live here, where a loaded machine cannot fail the suite.

Run: `python benchmarks/bench_parse.py` (or `make bench`).
"""

from __future__ import annotations

import contextlib
import random
import statistics
import sys
import time

from calcml.errors import ParseError
from calcml.expr import parse

ALPHABET = "0123456789.xyzewbsincotaqrlgpσθ²⁻¹·×−+-*/^()[]{},|\\ _e"
HOSTILE = {
    "huge power 9^9^9^9": "9^9^9^9",
    "huge power (-3)^(10^9)": "(-3)^(10^9)",
    "too long (2001 x)": "x" * 2001,
    "60 nested parens": "(" * 60 + "x" + ")" * 60,
    "500 signs": "-" * 500 + "x",
    "power tower x^x^...": "x^" * 300 + "x",
    "80 bars": "|" * 80 + "x",
}
GOALS = {"hostile": 0.5, "mix": 0.05, "polynomial of 150 terms": 0.5}


def median_time(text: str, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        with contextlib.suppress(ParseError):
            parse(text)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    rng = random.Random(7)
    rows = [(name, median_time(text), GOALS["hostile"]) for name, text in HOSTILE.items()]
    texts = ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 2000))) for _ in range(200)]
    poly = "+".join(f"{rng.randint(1, 99)}x^{rng.randint(1, 9)}" for _ in range(150))
    mix = [median_time(t) for t in [*texts, *[poly] * 5]]
    rows.append(("random text ×200 + polynomial ×5, mean", statistics.fmean(mix), GOALS["mix"]))
    rows.append(("polynomial of 150 terms", median_time(poly), GOALS["polynomial of 150 terms"]))
    width = max(len(r[0]) for r in rows)
    print(f"{'input':<{width}}  {'median ms':>9}  {'goal ms':>7}")
    for name, seconds, goal in rows:
        flag = "" if seconds <= goal else "  SLOW"
        print(f"{name:<{width}}  {seconds * 1e3:9.2f}  {goal * 1e3:7.0f}{flag}")
    print("goals met" if all(s <= g for _, s, g in rows) else "goals NOT met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
