"""Functions over 60 lines and modules over 400 lines in src/calcml (issue 13 item 12): the
places to split where they hold two jobs. `python tools/sizes.py [folder]`; prints, exits 0."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

LONG_FUNCTION = 60
LONG_MODULE = 400


def sizes(root: Path) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """(functions, modules) over the limits, each (lines, where), longest first."""
    functions, modules = [], []
    for path in sorted(root.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        lines = len(text.splitlines())
        if lines > LONG_MODULE:
            modules.append((lines, str(path)))
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno:
                length = node.end_lineno - node.lineno + 1
                if length > LONG_FUNCTION:
                    functions.append((length, f"{path}:{node.lineno} {node.name}"))
    return sorted(functions, reverse=True), sorted(modules, reverse=True)


def main(argv: list[str]) -> None:
    functions, modules = sizes(Path(argv[0] if argv else "src/calcml"))
    for title, rows in (
        (f"functions > {LONG_FUNCTION} lines", functions),
        (f"modules > {LONG_MODULE} lines", modules),
    ):
        print(f"{title}: {len(rows)}")
        for lines, where in rows:
            print(f"  {lines:4d}  {where}")


if __name__ == "__main__":
    main(sys.argv[1:])
