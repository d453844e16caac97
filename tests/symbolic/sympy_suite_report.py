"""Print how calcml does on SymPy's limit suite: agree / SymPy wrong / gave up / wrong.

Run by hand (`.venv/bin/python tests/symbolic/sympy_suite_report.py [--json out.json]
[--range FIRST LAST]`);
the test (test_sympy_limits.py) asserts the same outcomes case by case.
"""

from __future__ import annotations

import json
import sys
from collections import Counter

from test_sympy_limits import CASES, outcome


def main() -> None:
    rows = []
    first, last = 0, len(CASES)
    if "--range" in sys.argv:  # a slice of the cases, to share the work between processes
        i = sys.argv.index("--range")
        first, last = int(sys.argv[i + 1]), int(sys.argv[i + 2])
    for case in CASES[first:last]:
        try:
            kind, said = outcome(case)
        except Exception as error:  # reported as wrong: the test would fail on it
            kind, said = "wrong", f"{type(error).__name__}: {error}"
        rows.append({"id": case.id, "source": case.source, "kind": kind, "said": said})
        print(f"{kind:12s} {case.id}  [{said[:100]}]", flush=True)
    counts = Counter(r["kind"] for r in rows)
    print("\n| outcome | cases |\n|---|---|")
    for kind in ("agree", "complex", "sympy wrong", "gave up", "safety net", "wrong"):
        print(f"| {kind} | {counts.get(kind, 0)} |")
    print(f"| total | {len(rows)} |")
    if "--json" in sys.argv:
        with open(sys.argv[sys.argv.index("--json") + 1], "w") as out:
            json.dump(rows, out, indent=1, ensure_ascii=False)


if __name__ == "__main__":
    main()
