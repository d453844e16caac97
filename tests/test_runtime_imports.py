"""Every module imported anywhere in src/calcml is satisfied by a runtime dependency in
pyproject.toml (or the standard library), so a user's install (`make run`) never lacks one.
Import names are mapped to distributions with importlib.metadata (scipy -> scipy,
sklearn -> scikit-learn, yaml -> PyYAML)."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def runtime_distributions() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return {
        _normal(re.split(r"[<>=!~;\[ ]", dep, maxsplit=1)[0]) for dep in project["dependencies"]
    }


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def imported_modules(source_root: Path) -> dict[str, set[str]]:
    """Top-level module name -> the files importing it (every import, also inside functions)."""
    found: dict[str, set[str]] = {}
    for path in source_root.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                found.setdefault(name.split(".")[0], set()).add(str(path.relative_to(source_root)))
    return found


def missing(source_root: Path, allowed: set[str]) -> dict[str, set[str]]:
    to_dist = packages_distributions()
    out = {}
    for module, files in imported_modules(source_root).items():
        if module in sys.stdlib_module_names or module in ("calcml", "__future__"):
            continue
        dists = {_normal(d) for d in to_dist.get(module, [module])}
        if not dists & allowed:
            out[module] = files
    return out


def test_every_import_in_src_is_a_runtime_dependency() -> None:
    assert missing(ROOT / "src" / "calcml", runtime_distributions()) == {}


def test_the_scan_catches_a_dev_only_import(tmp_path: Path) -> None:
    (tmp_path / "mod.py").write_text(
        "import numpy\ndef f():\n    from scipy.optimize import root\n    import sklearn.svm\n"
    )
    assert set(missing(tmp_path, runtime_distributions())) == {"scipy", "sklearn"}
