"""Text from outside (argv, stdin) made safe to print and store: bytes that were not UTF-8
arrive as surrogate escapes and would fail any write; they become U+FFFD (one per byte).

>>> clean_text(b"3x\\xff".decode("utf-8", "surrogateescape"))
'3x�'
"""

from __future__ import annotations


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
    """`n` and the noun, plural unless n is 1: "1 step", "3 steps" (noun in the plural)."""
    return f"{n} {noun[:-1] if n == 1 and noun.endswith('s') else noun}"
