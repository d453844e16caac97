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


# one name: an optional LaTeX backslash, a letter (maybe accented: ŷ), then letters, digits,
# subscripts, _{…}; or a LaTeX accent on one letter (\hat{y}, \hat{y}_1, \bar x)
_NAME = re.compile(
    r"\\?[^\W\d_][\u0302-\u0305]?[\w₀-₉]*(_\{\w+\})?"
    r"|\\(?:(?:wide)?(?:hat|tilde)|bar|overline)"  # \hat{y}_1, \bar x (parse checks the rest)
    r"(?:\{\\?\w+\}|\s+\\?\w+)(?:_\{\w+\}|_\w+)?"
)


# one name in a list of names: a LaTeX accent with its letter (\bar x, \hat{y}_1) stays whole
_ONE_OF_MANY = re.compile(
    r"\\(?:(?:wide)?(?:hat|tilde)|bar|overline)\s*(?:\{[^{}]*\}|\\?\w+)(?:_\{\w+\}|_\w+)?"
    r"|[^\s,;]+"
)


def variable_names(text: str) -> list[str]:
    """The names in 'x, y', 'x y' or 'x; y': split at commas, semicolons and spaces, except the
    space after a LaTeX accent (`\\bar x` is one name, x̄, like `\\bar{x}`)."""
    return _ONE_OF_MANY.findall(text)


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
_GLUED_CONSTANTS = ("e", "pi")  # constants a glued name may end in or hold: xe is x·e


def glued_split(name: str, known: Iterable[str] | None = None) -> list[str] | None:
    """The pieces a name glued from a product splits into, or None (the one rule for every
    verb, the grader and the web preview).

    A piece is a known variable (another name of the expression, or a variable asked for) or a
    constant (e, pi). A name of at most MAX_GLUED letters may also split into its letters when
    one of them is a known variable (2xy when differentiating by x), or when nothing else is
    known (the web preview). Greek letters' names are never split.

    >>> glued_split("xe", ["x"]), glued_split("xy", ["x", "y", "z"]), glued_split("xy", ["x"])
    (['x', 'e'], ['x', 'y'], ['x', 'y'])
    >>> glued_split("ab"), glued_split("ab", ["c"]), glued_split("theta"), glued_split("rate")
    (['a', 'b'], None, None, None)
    """
    if not (name.isascii() and name.isalpha()) or name in GREEK_NAMES or len(name) < 2:
        return None
    variables = {k for k in known or () if k != name}
    cut = _fewest_pieces(name, variables | set(_GLUED_CONSTANTS))
    if cut is None and len(name) <= MAX_GLUED:
        cut = _fewest_pieces(name, variables | set(_GLUED_CONSTANTS) | set(name))
        if cut is not None and known is not None and not variables & set(cut):
            cut = None
    return cut


def _fewest_pieces(name: str, pieces: set[str]) -> list[str] | None:
    """`name` cut into the fewest (at least two) pieces from `pieces`, or None."""
    best: list[list[str] | None] = [[]] + [None] * len(name)  # best[i]: cut of name[:i]
    for end in range(1, len(name) + 1):
        for start in range(end):
            head, piece = best[start], name[start:end]
            if head is not None and piece in pieces and (start or end < len(name)):
                cut = [*head, piece]
                if best[end] is None or len(cut) < len(best[end] or ()):
                    best[end] = cut
    return best[-1]


def glued_hints(names: Iterable[str], known: Iterable[str] | None = None) -> list[str]:
    """Did-you-mean hints for names that may be products written without a space: `2xy` is
    2·(one variable xy), `xe^x` is (one variable xe)^x. `known` are the other variables in play
    (the expression's names and the variables asked for); see `glued_split`.

    >>> glued_hints(["x", "xy", "theta", "rate"])
    ["'xy' is one variable name — did you mean x·y? (write x*y or x y)"]
    >>> glued_hints(["x", "xe"], known=["x", "xe"])
    ["'xe' is one variable name — did you mean x·e? (write x*e or x e)"]
    """
    names = list(names)
    context = None if known is None else set(known) | set(names)
    out = []
    for n in names:
        cut = glued_split(n, context)
        if cut:
            out.append(
                f"'{n}' is one variable name — did you mean {'·'.join(cut)}? "
                f"(write {'*'.join(cut)} or {' '.join(cut)})"
            )
    return out


def glued_notes(expr: Any, wrt: Iterable[Any] = ()) -> list[str]:
    """`glued_hints` for the variables of an expression (or a list or matrix of them), the
    variables asked for (`wrt`) being known too."""
    parts = list(expr) if isinstance(expr, (list, tuple)) else [expr]
    found = set().union(*(getattr(p, "free_symbols", set()) for p in parts))
    names = sorted(s.name for s in found if isinstance(s, sp.Symbol))
    asked = [w.name if isinstance(w, sp.Symbol) else canonical_name(str(w)) for w in wrt]
    return glued_hints(names, known=[*names, *asked])
