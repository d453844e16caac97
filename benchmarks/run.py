"""Run every benchmarks/bench_*.py in turn (each prints its own table of medians and ratios).

`make bench` calls this; pass names to run only some: `python benchmarks/run.py derive limits`.
"""

from __future__ import annotations

import runpy
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    scripts = sorted(HERE.glob("bench_*.py"))
    if argv:
        scripts = [s for s in scripts if any(name in s.stem for name in argv)]
    if not scripts:
        print("no benchmarks found", file=sys.stderr)
        return 1
    failed = []
    for script in scripts:
        print(f"\n=== {script.stem} ===", flush=True)
        start = time.perf_counter()
        try:
            runpy.run_path(str(script), run_name="__main__")
        except SystemExit as done:
            if done.code not in (0, None):
                failed.append(script.stem)
        except Exception as error:  # a broken benchmark must not hide the others
            print(f"{script.stem} failed: {type(error).__name__}: {error}", file=sys.stderr)
            failed.append(script.stem)
        print(f"({script.stem}: {time.perf_counter() - start:.1f} s)", flush=True)
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
