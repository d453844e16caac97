"""autodiff's modules import one way (issue 13): each imports only modules below it, the
Tensor type imports no operation, and nothing writes another module's grad-mode state."""

from __future__ import annotations

import ast
from pathlib import Path

import calcml.autodiff

ROOT = Path(calcml.autodiff.__file__).resolve().parent
# Lowest first: a module may import only modules listed before it.
ORDER = [
    "mode", "registry", "graph", "reverse_mode", "forward_mode", "dispatch", "tensor",
    "primitives", "numpy_api", "functional", "gradcheck", "trace_result", "trace", "nn",
]  # fmt: skip


def _layer(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    return rel.parts[0]


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        for name in names:
            parts = name.split(".")
            if parts[:2] == ["calcml", "autodiff"] and len(parts) > 2 and parts[2] in ORDER:
                found.add(parts[2])
    return found


def test_every_module_imports_only_modules_below_it() -> None:
    for path in sorted(ROOT.rglob("*.py")):
        if path.name == "__init__.py" and path.parent == ROOT:
            continue  # the package's face re-exports everything
        layer = _layer(path)
        allowed = set(ORDER[: ORDER.index(layer) + (1 if layer == "primitives" else 0)])
        assert _imports(path) <= allowed, (path.name, _imports(path) - allowed)


def test_no_deferred_imports_or_foreign_state_writes() -> None:
    for path in sorted(ROOT.rglob("*.py")):
        text = path.read_text()
        assert "noqa: E402" not in text, path.name
        assert "._grad_enabled" not in text, path.name  # a module attribute written from outside
