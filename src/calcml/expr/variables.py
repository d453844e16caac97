"""Variable names given by the user (`--wrt θ`, `derive(f, "theta")`, a grader's variables).

A name the user types goes through the parser's own vocabulary, so `θ`, `theta` and `\\theta`
are one symbol — the symbol `parse` builds for θ inside an expression. This is the one place
where a variable *name* becomes a SymPy symbol; everything that takes a variable calls it.

>>> variable("θ") == variable("theta") == variable("\\\\theta")
True
>>> variable("x_1") == variable("x₁")
True
>>> look_alikes("o", [variable("ο")])
['omicron (ο)']
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import sympy as sp

from calcml.errors import CalcmlError, ParseError
from calcml.expr.names import GREEK_LETTER_OF, GREEK_NAMES
from calcml.expr.parser import parse, symbol

# letters that print (nearly) alike: Greek and Cyrillic capitals and small letters -> Latin
_CONFUSABLE = str.maketrans(
    "αβεικνορτυχωΑΒΕΖΗΙΚΜΝΟΡΤΥΧаеорсухАВЕКМНОРСТХ",
    "aBeikvoptuxwABEZHIKMNOPTYXaeopcyxABEKMHOPCTX",
)


def variable(name: Any) -> sp.Symbol:
    """The real symbol a user-given variable name stands for (through the parser's vocabulary).

    Raises CalcmlError when the text is not one variable name (`2x`, `pi`, `sin`).
    """
    if isinstance(name, sp.Symbol):
        return symbol(canonical_name(name.name))
    if not isinstance(name, str) or not name.strip():
        raise CalcmlError(f"{name!r} is not a variable name")
    return _variable(name.strip())


# one name: an optional LaTeX backslash, a letter, then letters, digits, subscripts, _{…}
_NAME = re.compile(r"\\?[^\W\d_][\w₀-₉]*(_\{\w+\})?")


@lru_cache(maxsize=512)
def _variable(text: str) -> sp.Symbol:
    if not _NAME.fullmatch(text):
        raise CalcmlError(f"{text!r} is not a variable name")
    try:
        parsed = parse(text)
    except ParseError as error:
        raise CalcmlError(f"{text!r} is not a variable name ({error.reason})") from None
    if isinstance(parsed, sp.Symbol):
        return parsed
    if parsed.is_number:
        raise CalcmlError(f"{text!r} is a constant, not a variable")
    raise CalcmlError(f"{text!r} is not a variable name")


def canonical_name(name: str) -> str:
    """The parser's name for `name` when it reads as one variable (θ -> theta), else `name`."""
    try:
        return _variable(name.strip()).name
    except CalcmlError:
        return name


def realify(expr: Any) -> Any:
    """The same expression with every symbol replaced by calcml's real symbol of that name
    (names read through the vocabulary, so SymPy's Symbol('θ') is calcml's theta)."""
    if not isinstance(expr, sp.Basic):
        return expr
    swap = {
        s: symbol(canonical_name(s.name))
        for s in expr.free_symbols
        if isinstance(s, sp.Symbol) and not isinstance(s, sp.Dummy)
    }
    swap = {old: new for old, new in swap.items() if old != new and not _keeps(old)}
    return expr.xreplace(swap) if swap else expr


def _keeps(s: sp.Symbol) -> bool:
    """A symbol already real (integer n, positive k) keeps its assumptions when its name is
    already the canonical one."""
    return s.is_real is True and canonical_name(s.name) == s.name


def _skeleton(name: str) -> str:
    shown = GREEK_LETTER_OF.get(name, name)
    return shown.translate(_CONFUSABLE).casefold()


def look_alikes(name: str, present: Iterable[sp.Symbol]) -> list[str]:
    """Symbols in `present` easily mistaken for `name` (X for x, Greek ο for Latin o)."""
    want = _skeleton(canonical_name(name))
    out = []
    for s in present:
        if s.name == canonical_name(name) or _skeleton(s.name) != want:
            continue
        letter = GREEK_LETTER_OF.get(s.name)
        out.append(f"{s.name} ({letter})" if letter and letter != s.name else s.name)
    return sorted(out)


MAX_GLUED = 3  # letters of a name read as possibly glued (xy, abc); longer names are words


def glued_hints(names: Iterable[str]) -> list[str]:
    """Did-you-mean hints for names that may be products written without a space: `2xy` is
    2·(one variable xy). A short all-letter Latin name (not a Greek letter's name) gets one.

    >>> glued_hints(["x", "xy", "theta", "rate"])
    ["'xy' is one variable name — did you mean x·y? (write x*y or x y)"]
    """
    return [
        f"'{n}' is one variable name — did you mean {'·'.join(n)}? "
        f"(write {'*'.join(n)} or {' '.join(n)})"
        for n in names
        if 2 <= len(n) <= MAX_GLUED and n.isascii() and n.isalpha() and n not in GREEK_NAMES
    ]
