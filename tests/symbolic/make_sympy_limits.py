"""Regenerate `data/sympy_limits.json`: the real-variable cases of SymPy's own limit tests.

Run by hand (`.venv/bin/python tests/symbolic/make_sympy_limits.py`), never by pytest. It reads
the assertions `limit(f, v, a[, dir]) == value` and `gruntz(f, v, a[, dir]) == value` of the
installed SymPy's `sympy/series/tests/` files `test_limits.py`, `test_gruntz.py` and
`test_demidovich.py` (SymPy's trusted test code, evaluated as SymPy's own test run does: the
module, then each test function's assignments in order), and stores every case calcml's input
syntax can write as calcml text with SymPy's expected value. Every assertion it does not keep is
listed under "skipped" with the reason.

How SymPy's symbols are mapped (honestly, never by guessing):
- the limit variable (any name) becomes calcml's real variable of that name. A variable SymPy
  assumes positive/negative/… is kept only when every point of the approach satisfies the
  assumption (x → ∞ for positive x), since SymPy may have used it to rewrite f; an integer
  variable makes a limit of a sequence, not of a real function, and is skipped;
- another symbol (a parameter) is given one exact value that satisfies all its assumptions
  (7/3, 3, −7/3, … in that order, distinct per parameter): calcml's points are numbers. The value
  is recorded in `params`; SymPy's expected value gets the same substitution;
- calcml's text must be the same function as SymPy's on the approach: checked exactly, or at
  20 points on the approach with mpmath (SymPy's principal cube root of a negative number is
  complex, calcml's is real: such a case is skipped, not converted).
The test re-checks SymPy's expected values numerically before it relies on them.
"""

from __future__ import annotations

import ast
import contextlib
import importlib.util
import json
import os
import signal
from collections import Counter
from pathlib import Path
from typing import Any

import mpmath as mp
import sympy as sp

from calcml.expr import to_input
from calcml.expr.parser import parse

OUT = Path(__file__).with_name("data") / "sympy_limits.json"
FILES = ("test_limits.py", "test_gruntz.py", "test_demidovich.py")
LIMIT_CALLS = ("limit", "gruntz")
WRAPPERS = ("simplify", "cancel", "together", "expand", "nsimplify")
CANDIDATES = tuple(
    sp.Rational(v) for v in ("7/3", "3", "-7/3", "-3", "5/2", "4", "-5/2", "-4", "11/4", "5")
)
# assignments that would run SymPy's own limit algorithm (or something slow) are not executed
NOT_RUN = ("limit", "gruntz", "Limit", "series", "nseries", "mrv", "rewrite", "raises")


class Skip(Exception):
    """This assertion is not a case calcml can be asked; the message says why."""


def _called(node: ast.AST) -> set[str]:
    names = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call):
            f = sub.func
            names.add(f.id if isinstance(f, ast.Name) else getattr(f, "attr", ""))
    return names


def _limit_call(node: ast.expr) -> ast.Call | None:
    """The limit(...)/gruntz(...) call of an assertion's side, unwrapping .simplify() etc."""
    if not isinstance(node, ast.Call):
        return None
    f = node.func
    if isinstance(f, ast.Name) and f.id in LIMIT_CALLS:
        return node
    if isinstance(f, ast.Attribute) and f.attr in WRAPPERS and not node.args:
        return _limit_call(f.value)
    if isinstance(f, ast.Name) and f.id in WRAPPERS and len(node.args) == 1:
        return _limit_call(node.args[0])
    return None


def _statements(body: list[ast.stmt]) -> list[ast.stmt]:
    """Statements in source order, nested blocks included."""
    out: list[ast.stmt] = []
    for stmt in body:
        out.append(stmt)
        for block in ("body", "orelse", "finalbody"):
            inner = getattr(stmt, block, None)
            if isinstance(inner, list) and not isinstance(stmt, ast.FunctionDef):
                out.extend(_statements(inner))
    return out


def _assertions(path: str, module: Any) -> list[tuple[str, ast.Assert, dict[str, Any]]]:
    """(test name, assertion, the names it sees) for every `limit(...) == value` assertion."""
    tree = ast.parse(Path(path).read_text())
    found = []
    for fn in tree.body:
        if not isinstance(fn, ast.FunctionDef):
            continue
        env = dict(vars(module))
        xfail = any(getattr(d, "id", "") == "XFAIL" for d in fn.decorator_list)
        name = fn.name + (" (XFAIL)" if xfail else "")
        for stmt in _statements(fn.body):
            if isinstance(stmt, ast.Assign) and not (_called(stmt.value) & set(NOT_RUN)):
                with contextlib.suppress(Exception):  # it may need what the test computed
                    exec(compile(ast.Module([stmt], []), path, "exec"), env)
            elif isinstance(stmt, ast.Assert) and isinstance(stmt.test, ast.Compare):
                found.append((name, stmt, dict(env)))
    return found


def _side(test: ast.Compare) -> tuple[ast.Call, ast.expr] | None:
    if len(test.ops) != 1 or not isinstance(test.ops[0], (ast.Eq, ast.Is)):
        return None
    left, right = test.left, test.comparators[0]
    call = _limit_call(left)
    if call is not None:
        return call, right
    call = _limit_call(right)
    return (call, left) if call is not None else None


def _parameters(symbols: set[sp.Symbol]) -> dict[sp.Symbol, sp.Rational]:
    """One exact value per parameter that satisfies every assumption SymPy made about it."""
    values: dict[sp.Symbol, sp.Rational] = {}
    for s in sorted(symbols, key=str):
        facts = {k: v for k, v in s.assumptions0.items() if k != "commutative"}
        for c in CANDIDATES:
            if c in values.values():
                continue
            if all(getattr(c, f"is_{k}") == v for k, v in facts.items()):
                values[s] = c
                break
        else:
            raise Skip(f"no exact value satisfies the assumptions of {s}: {facts}")
    return values


def _on_approach(v: sp.Symbol, at: sp.Expr, direction: str) -> None:
    """Raise Skip unless every point of the approach satisfies v's assumptions."""
    facts = {k for k, val in v.assumptions0.items() if val and k != "commutative"}
    if "integer" in facts:
        raise Skip(f"{v} is an integer: a limit of a sequence, calcml's are of real functions")
    facts -= {"real", "extended_real", "complex", "finite", "infinite", "hermitian", "imaginary"}
    facts -= {"extended_nonzero", "nonzero"}
    sides = {"+": [1], "-": [-1], "+-": [1, -1]}[direction]
    for k in sorted(facts):
        if at is sp.oo:
            ok = k in ("positive", "nonnegative", "extended_positive", "extended_nonnegative")
        elif at is -sp.oo:
            ok = k in ("negative", "nonpositive", "extended_negative", "extended_nonpositive")
        elif "positive" in k or "nonnegative" in k:
            ok = all(at > 0 or (at == 0 and s == 1) for s in sides)
        elif "negative" in k or "nonpositive" in k:
            ok = all(at < 0 or (at == 0 and s == -1) for s in sides)
        else:
            ok = False
        if not ok:
            raise Skip(f"{v} is assumed {k}, which the approach {v} → {at} ({direction}) leaves")


def _same_on_approach(f: sp.Expr, g: sp.Expr, v: sp.Symbol, vr: sp.Symbol, at: sp.Expr) -> bool:
    """f (SymPy's symbols) and g (calcml's) are equal, or agree on the approach (mpmath)."""
    f = f.subs(v, vr)  # the approach is real: f's values there are the same
    if f == g:
        return True
    ff, gg = sp.lambdify(vr, f, "mpmath"), sp.lambdify(vr, g, "mpmath")
    with mp.workdps(40):
        if at in (sp.oo, -sp.oo):
            s = 1 if at is sp.oo else -1
            points = [s * mp.mpf(10) ** k * mp.mpf("1.3719") for k in range(1, 6)]
            need = 3  # a tower of exponentials may not evaluate at the farthest points
        else:
            a = mp.mpf(str(sp.N(at, 50)))
            points = [
                a + s * mp.mpf(10) ** -k * mp.mpf("1.3719") for k in range(2, 7) for s in (1, -1)
            ]
            need = 5
        compared = 0
        for p in points:
            signal.alarm(3)  # towers of exponentials: mpmath would work for hours
            try:
                fv, gv = mp.mpc(ff(p)), mp.mpc(gg(p))
            except (ZeroDivisionError, ValueError, OverflowError, TypeError, TimeoutError):
                continue
            finally:
                signal.alarm(0)
            if not (mp.isfinite(fv) and mp.isfinite(gv)):
                continue
            if abs(fv - gv) > mp.mpf(10) ** -25 * max(1, abs(fv)):
                return False
            compared += 1
    return compared >= need


def _case(source: str, call: ast.Call, rhs: ast.expr, env: dict[str, Any], path: str) -> dict:
    def ev(node: ast.expr) -> Any:
        return eval(compile(ast.Expression(node), path, "eval"), env)

    try:
        args = [ev(a) for a in call.args]
        kw = {k.arg: ev(k.value) for k in call.keywords}
        expected = ev(rhs)
    except Exception as error:
        raise Skip(f"not evaluable outside SymPy's test run ({type(error).__name__})") from None
    if len(args) < 3 or not isinstance(args[1], sp.Symbol):
        raise Skip("not a limit in one variable")
    f, v, at = sp.sympify(args[0]), args[1], sp.sympify(args[2])
    direction = args[3] if len(args) > 3 else kw.get("dir", "+")
    direction = str(direction)
    try:
        expected = sp.sympify(expected, strict=True)  # `== 0` compares with a Python int
    except sp.SympifyError:
        raise Skip(f"the expected value {expected!r} is not a number") from None
    if f.atoms(sp.Function) and any(
        isinstance(type(g), sp.core.function.UndefinedFunction) for g in f.atoms(sp.Function)
    ):
        raise Skip("an undefined function f(x)")
    if f.has(sp.oo, -sp.oo, sp.zoo, sp.nan):
        raise Skip("f holds ∞ itself (SymPy's arithmetic of oo, not a real function)")
    params = (f.free_symbols | at.free_symbols | expected.free_symbols) - {v}
    values = _parameters(params)
    f, at, expected = (e.subs(values) for e in (f, at, expected))
    if at.free_symbols or not (at.is_real or at in (sp.oo, -sp.oo)):
        raise Skip("the point is not real")
    if at in (sp.oo, -sp.oo):
        direction = "+"
    _on_approach(v, at, direction)
    if isinstance(expected, sp.AccumBounds):
        value = "DNE"
    elif expected in (sp.oo, -sp.oo):
        value = str(expected)
    elif expected.is_number and expected.is_real and not expected.has(sp.Limit):
        value = to_input(expected)
    else:
        raise Skip(f"the expected value {expected} is not a real number, ±∞ or oscillation")
    vr = sp.Symbol(v.name, real=True)
    try:
        text = to_input(f.subs(v, vr))
        g = parse(text)
        var = to_input(vr)
        g = g.subs(parse(var), vr)
    except Exception as error:
        raise Skip(f"calcml's input syntax cannot write it ({type(error).__name__})") from None
    if g.free_symbols != {vr}:
        extra = ", ".join(sorted(str(s) for s in g.free_symbols - {vr}))
        raise Skip(f"calcml reads {extra} as a variable (a function calcml does not have)")
    if not _same_on_approach(f, g, v, vr, at):
        raise Skip("calcml's reading is a different function on the approach (principal roots)")
    side = {"+-": "both", "+": "right", "-": "left"}[direction]
    if at in (sp.oo, -sp.oo):
        side = "both"
    shown = ", ".join(f"{k} = {to_input(val)}" for k, val in values.items())
    return {
        "expr": text,
        "var": var,
        "at": to_input(at),
        "side": side,
        "sympy": value,
        "source": source,
        "params": shown,
    }


def _timeout(signum: int, frame: Any) -> None:
    raise TimeoutError


def main() -> None:
    signal.signal(signal.SIGALRM, _timeout)
    cases, skipped, seen = [], [], set()
    for name in FILES:
        path = os.path.join(os.path.dirname(sp.__file__), "series", "tests", name)
        spec = importlib.util.spec_from_file_location(f"sympy_{name[:-3]}", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        for test, stmt, env in _assertions(path, module):
            pair = _side(stmt.test)  # type: ignore[arg-type]
            if pair is None:
                continue
            source = f"{name}::{test} line {stmt.lineno}"
            try:
                case = _case(source, *pair, env, path)
            except Skip as why:
                skipped.append({"source": source, "reason": str(why)})
                continue
            except Exception as error:  # an assertion this reader cannot take apart
                skipped.append({"source": source, "reason": f"unreadable ({type(error).__name__})"})
                continue
            key = (case["expr"], case["var"], case["at"], case["side"])
            if key in seen:
                continue
            seen.add(key)
            cases.append(case)
    OUT.parent.mkdir(exist_ok=True)
    data = {"cases": cases, "skipped": skipped}
    OUT.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
    print(len(cases), "cases written to", OUT, "; skipped", len(skipped))
    for reason, n in Counter(s["reason"] for s in skipped).most_common():
        print(f"{n:4d}  {reason}")


if __name__ == "__main__":
    main()
