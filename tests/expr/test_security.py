"""Injection attempts are only ever text to the parser: a ParseError, and nothing runs."""

from __future__ import annotations

import builtins
import re
from pathlib import Path

import pytest

import calcml as cm

ATTACKS = [
    "__import__('os').system('touch /tmp/calcml_pwned')",
    '__import__("os")',
    "x.__class__",
    "x.__class__.__mro__[1].__subclasses__()",
    "().__class__.__bases__[0]",
    "lambda: 1",
    "lambda x: x",
    "(lambda: __import__('os'))()",
    "[c for c in ().__class__.__base__.__subclasses__()]",
    "{x for x in y}",
    "x; import os",
    "x\nimport os",
    "x\r\nos.system('id')",
    "eval('1')",
    "exec('x=1')",
    "open('/etc/passwd').read()",
    "globals()",
    "getattr(x, 'y')",
    "Symbol('x')",
    "f'{x}'",
    "'x'",
    "x if y else z",
    "x == y",
    "x @ y",
    "x := 1",
    "x[0]",
    "x.real",
    "#x",
    "`x`",
    "\\input{/etc/passwd}",
    "\\def\\x{1}",
]


@pytest.mark.parametrize("attack", ATTACKS)
def test_injection_attempt_is_a_parse_error_and_runs_nothing(
    attack: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("the parser called eval/exec/__import__ on user text")

    cm.parse("x")  # load the grammar first: Python's own import machinery uses exec
    monkeypatch.setattr(builtins, "eval", forbidden)
    monkeypatch.setattr(builtins, "exec", forbidden)
    with pytest.raises(cm.ParseError):
        cm.parse(attack)
    assert not Path("/tmp/calcml_pwned").exists()


def test_no_module_calls_eval_sympify_or_parse_expr() -> None:
    source_dir = Path(cm.__file__).parent
    pattern = re.compile(r"(?<!def )\b(eval|exec|sympify|parse_expr|S)\s*\(")
    offenders = [
        f"{path.name}:{n}: {line.strip()}"
        for path in source_dir.rglob("*.py")
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if pattern.search(line) and not line.lstrip().startswith("#")
    ]
    assert offenders == []
