"""Regenerate `data/sympy_limits.json`: the real-variable cases of SymPy's own limit tests.

Run by hand (`.venv/bin/python tests/symbolic/make_sympy_limits.py`), never by pytest. It reads
the assertions `limit(f, x, a[, dir]) == value` of the installed SymPy's
`sympy/series/tests/test_limits.py` (SymPy's trusted test code, evaluated as SymPy's own test
run does), keeps those in x alone with real points and real (or ±∞, or oscillating) values that
calcml's input syntax can write, and stores them as calcml text with SymPy's expected value.
The test re-checks every expected value numerically with mpmath before it compares.
"""

from __future__ import annotations

import ast
import json
import os
from pathlib import Path

import sympy as sp

from calcml.expr import to_input
from calcml.expr.parser import parse

OUT = Path(__file__).with_name("data") / "sympy_limits.json"


def _calls(tree: ast.AST) -> list[tuple[ast.Call, ast.expr]]:
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Assert) or not isinstance(node.test, ast.Compare):
            continue
        left, ops, right = node.test.left, node.test.ops, node.test.comparators
        if len(ops) != 1 or not isinstance(ops[0], (ast.Eq, ast.Is)):
            continue
        if isinstance(left, ast.Call) and getattr(left.func, "id", "") == "limit":
            found.append((left, right[0]))
    return found


def main() -> None:
    import importlib.util

    path = os.path.join(os.path.dirname(sp.__file__), "series", "tests", "test_limits.py")
    spec = importlib.util.spec_from_file_location("sympy_test_limits", path)
    assert spec is not None and spec.loader is not None
    source = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(source)
    tree = ast.parse(Path(path).read_text())
    env = dict(vars(source))
    x = sp.Symbol("x")
    xr = sp.Symbol("x", real=True)
    cases, seen = [], set()
    for call, rhs in _calls(tree):
        try:
            args = [eval(compile(ast.Expression(a), path, "eval"), env) for a in call.args]
            kw = {
                k.arg: eval(compile(ast.Expression(k.value), path, "eval"), env)
                for k in call.keywords
            }
            expected = eval(compile(ast.Expression(rhs), path, "eval"), env)
        except Exception:
            continue
        if len(args) < 3 or args[1] != x:
            continue
        f, at = sp.sympify(args[0]), sp.sympify(args[2])
        direction = args[3] if len(args) > 3 else kw.get("dir", "+")
        if f.free_symbols != {x} or not isinstance(expected, sp.Basic):
            continue
        if not (at.is_real or at in (sp.oo, -sp.oo)) or at.free_symbols:
            continue
        if isinstance(expected, sp.AccumBounds):
            value = "DNE"
        elif expected in (sp.oo, -sp.oo):
            value = str(expected)
        elif expected.is_number and expected.is_real and not expected.has(sp.Limit):
            value = to_input(expected)
        else:
            continue
        fr = f.subs(x, xr)
        try:
            text = to_input(fr)
            if sp.simplify(parse(text) - fr) != 0:
                continue
        except Exception:
            continue
        side = "both" if direction == "+-" else ("right" if direction == "+" else "left")
        if at in (sp.oo, -sp.oo):
            side = "both"
        key = (text, str(at), side)
        if key in seen:
            continue
        seen.add(key)
        cases.append({"expr": text, "at": to_input(at), "side": side, "sympy": value})
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps(cases, indent=1, ensure_ascii=False) + "\n")
    print(len(cases), "cases written to", OUT)


if __name__ == "__main__":
    main()
