"""Placeholder: the lark parser lands here next (see issue 2)."""

from __future__ import annotations

import sympy as sp

from calcml.errors import ParseError


def symbol(name: str) -> sp.Symbol:
    """The real SymPy symbol calcml uses for a variable name."""
    return sp.Symbol(name, real=True)


def parse(text: str) -> sp.Expr:
    """Parse untrusted user text into a SymPy expression (never eval/sympify)."""
    raise ParseError("parser not written yet", 0, text)
