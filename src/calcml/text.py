"""Text from outside (argv, stdin) made safe to print and store: bytes that were not UTF-8
arrive as surrogate escapes and would fail any write; they become U+FFFD (one per byte).

>>> clean_text(b"3x\\xff".decode("utf-8", "surrogateescape"))
'3x�'
"""

from __future__ import annotations

from typing import Any


def clean_text(text: str) -> str:
    """`text` with every byte that was not UTF-8 replaced by U+FFFD (unchanged when valid)."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        try:  # surrogate escapes back to the bytes they stand for, then read them as UTF-8
            return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        except UnicodeEncodeError:  # other lone surrogates
            return text.encode("utf-8", "replace").decode("utf-8")


def count_of(n: int, noun: str) -> str:
    """`n` and the noun, plural unless n is 1: "1 step", "3 steps", "1 pass" (noun given in the
    plural)."""
    return f"{n} {singular(noun) if n == 1 else noun}"


# plural endings that drop "es" (pass-es, match-es, box-es), else a final "s" is dropped
_ES_PLURALS = ("sses", "ches", "shes", "xes", "zzes")


def singular(noun: str) -> str:
    """The singular of an English plural as calcml uses them ("passes" → "pass")."""
    if noun.endswith(_ES_PLURALS):
        return noun[:-2]
    return noun[:-1] if noun.endswith("s") else noun


def number_text(x: float, digits: int = 4) -> str:
    """`x` to `digits` significant digits, never "-0": a negative zero, or a value that
    rounds to zero at this precision, prints as 0 (it only says which side zero came from)."""
    text = f"{float(x):.{digits}g}"
    return "0" if text.lstrip("-") == "0" else text


def array_text(values: Any, digits: int = 4, threshold: int = 12, edgeitems: int = 2) -> str:
    """A short rendering of an array on one line: each entry by `number_text`, nested lists,
    clipped with "..." past `threshold` entries (`edgeitems` kept at each end). Entries below
    1e-12 of the largest are rounding noise and print as 0."""
    import numpy as np

    a = np.asarray(values)
    if a.dtype.kind == "f" and a.size:
        finite = np.abs(a[np.isfinite(a)])
        scale = float(finite.max()) if finite.size else 0.0
        a = np.where(np.abs(a) < scale * 1e-12, 0.0, a)
    if a.size == 1:
        return number_text(a.reshape(()).item(), digits)
    formatter: Any = {"float_kind": lambda v: number_text(v, digits)}
    return np.array2string(
        a,
        separator=", ",
        threshold=threshold,
        edgeitems=edgeitems,
        max_line_width=10**6,
        formatter=formatter,
    ).replace("\n", "")


def operand(value: Any) -> str:
    """A number written as the operand of ·, ^ or a second term: in parentheses when it is
    negative, so substituted values read "-3·(-3)", never "-3·-3"."""
    text = value if isinstance(value, str) else _plain(value)
    return f"({text})" if text.startswith("-") else text


def plus(value: Any) -> str:
    """A number added after another term: "+ 2" or "- 2" (never "+ -2")."""
    text = value if isinstance(value, str) else _plain(value)
    return f"- {text[1:]}" if text.startswith("-") else f"+ {text}"


def _plain(value: Any) -> str:
    if isinstance(value, float):
        return number_text(value, 6)
    return str(value)
