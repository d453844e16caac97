"""Mutation testing of the modules whose bugs would mislead a learner (`make mutation`).

Each module's mutants run against its own tests only, so a run stays bounded: for every target
below this script builds a scratch copy (`.mutation/<target>/`: src, tests, pyproject.toml with a
`[tool.mutmut]` section for that target), runs mutmut 3 there, and prints the mutation score
killed / (all mutants − skipped). Usage:

    python tools/mutation.py                 # every target
    python tools/mutation.py analysis verify  # the named targets only
    MUTATION_JOBS=2 python tools/mutation.py  # worker processes (default 1: the machine is shared)
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = ROOT / ".mutation"


@dataclass(frozen=True)
class Target:
    """Files to mutate (globs), an optional mutant-name pattern, and the tests that judge them."""

    mutate: tuple[str, ...]
    tests: tuple[str, ...]
    names: str = ""  # mutmut mutant-name glob: restrict to some functions of the files


TARGETS: dict[str, Target] = {
    "equivalence": Target(
        ("src/calcml/learn/equivalence.py",),
        ("tests/learn/test_equivalence*.py",),
    ),
    "verify": Target(
        ("src/calcml/symbolic/verify.py",),
        ("tests/symbolic/test_verify*.py",),
    ),
    "evidence": Target(
        ("src/calcml/symbolic/evidence.py",),
        ("tests/symbolic/test_evidence_units.py",),
    ),
    "rules": Target(
        ("src/calcml/symbolic/rules/*.py",),
        ("tests/symbolic/test_rules*.py",),
    ),
    "unbroadcast": Target(
        ("src/calcml/autodiff/registry.py",),
        (
            "tests/autodiff/test_ad_broadcast_property.py",
            "tests/autodiff/test_ad_primitives.py",
            "tests/autodiff/test_unbroadcast_reference.py",
        ),
        names="calcml.autodiff.registry.x_unbroadcast*",
    ),
    "analysis": Target(
        ("src/calcml/optim/analysis.py",),
        ("tests/optim/test_analysis*.py",),
    ),
}


def mutmut_section(target: Target, jobs: int) -> str:
    tests = sorted({p for pattern in target.tests for p in glob.glob(pattern, root_dir=ROOT)})
    if not tests:
        raise SystemExit(f"no tests match {target.tests}")
    lines = [
        "",
        "[tool.mutmut]",
        'source_paths = ["src"]',
        f"only_mutate = {json.dumps(list(target.mutate))}",
        f"pytest_add_cli_args_test_selection = {json.dumps(tests)}",
        # one process per mutant (mutmut forks); no xdist inside it, no pytest-timeout
        'pytest_add_cli_args = ["-n", "0", "-p", "no:cacheprovider", "--timeout=0"]',
        "use_git_change_detection = false",
    ]
    return "\n".join(lines) + "\n"


def prepare(name: str, target: Target, jobs: int) -> Path:
    """A scratch project for one target: fresh src/tests copies and a pyproject with its config."""
    where = SCRATCH / name
    shutil.rmtree(where, ignore_errors=True)
    where.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".hypothesis")
    for part in ("src", "tests"):
        shutil.copytree(ROOT / part, where / part, ignore=ignore)
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    (where / "pyproject.toml").write_text(pyproject + mutmut_section(target, jobs), "utf-8")
    return where


def score(where: Path) -> dict[str, int]:
    mutmut = [sys.executable, "-m", "mutmut"]
    subprocess.run([*mutmut, "export-cicd-stats"], cwd=where, check=True, capture_output=True)
    data: dict[str, int] = json.loads((where / "mutants" / "mutmut-cicd-stats.json").read_text())
    return data


def run(name: str, jobs: int) -> tuple[int, int, dict[str, int]]:
    target = TARGETS[name]
    where = prepare(name, target, jobs)
    command = [sys.executable, "-m", "mutmut", "run", "--max-children", str(jobs)]
    if target.names:
        command.append(target.names)
    print(f"== {name}: {' '.join(target.mutate)}", flush=True)
    subprocess.run(command, cwd=where, check=True)
    stats = score(where)
    caught = stats["killed"] + stats["timeout"] + stats["segfault"]
    judged = stats["total"] - stats["skipped"]
    if target.names:  # mutmut counts every mutant of the file; only the named ones ran
        judged = caught + stats["survived"] + stats["suspicious"]
    survivors = subprocess.run(
        [sys.executable, "-m", "mutmut", "results"], cwd=where, capture_output=True, text=True
    ).stdout
    (where / "survivors.txt").write_text(survivors, encoding="utf-8")
    return caught, judged, stats


def main(argv: list[str]) -> int:
    names = argv or list(TARGETS)
    unknown = [n for n in names if n not in TARGETS]
    if unknown:
        print(f"unknown target(s) {unknown}; choose from {list(TARGETS)}", file=sys.stderr)
        return 2
    jobs = int(os.environ.get("MUTATION_JOBS", "1"))
    rows = []
    for name in names:
        caught, judged, stats = run(name, jobs)
        rows.append((name, caught, judged, stats))
    print(
        "\nmodule         caught / mutants   score   (survivors: .mutation/<module>/survivors.txt)"
    )
    total_caught = total = 0
    for name, caught, judged, stats in rows:
        total_caught, total = total_caught + caught, total + judged
        extra = f"no tests {stats['no_tests']}" if stats["no_tests"] else ""
        print(
            f"{name:<14} {caught:>6} / {judged:<8} {100 * caught / max(judged, 1):6.1f}%  {extra}"
        )
    print(f"{'all':<14} {total_caught:>6} / {total:<8} {100 * total_caught / max(total, 1):6.1f}%")
    print("survivors: .mutation/<module>/survivors.txt")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
