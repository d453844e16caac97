"""Answers: what a problem expects (`Answer`) and how a learner's text becomes a value.

Answer kinds are "expression", "number", "vector", "matrix" and "choice". Vectors and matrices
are written with brackets — `[2x, 3y]`, `[[1, 2], [3, 4]]` or `[1, 2; 3, 4]` — and each entry goes
through `calcml.parse`; nothing else touches the text.

>>> read_answer("[2x, 3]", "vector")
Matrix([
[2*x],
[  3]])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from calcml.errors import ParseError
from calcml.expr import parse, to_input, to_latex, to_text

ANSWER_KINDS = ("expression", "number", "vector", "matrix", "choice", "matrix-expression")
MAX_ANSWER_LENGTH = 4000
MAX_ENTRIES = 64

_PAIRS = {"(": ")", "[": "]", "{": "}"}


@dataclass(frozen=True)
class Answer:
    """The expected answer of a problem.

    `variables` are the symbols the answer may use; `domain` gives the sampling interval per
    variable for the numeric check (default (-2, 2)); `choices` lists the options of a choice
    answer; `direction` accepts any nonzero multiple of a vector (eigenvectors, directions);
    `tolerance` is the relative tolerance of the numeric comparison.
    """

    kind: str
    value: Any
    variables: tuple[sp.Symbol, ...] = ()
    domain: dict[str, tuple[float, float]] = field(default_factory=dict)
    choices: tuple[str, ...] = ()
    direction: bool = False
    tolerance: float = 1e-6

    def __post_init__(self) -> None:
        if self.kind not in ANSWER_KINDS:
            raise ValueError(f"unknown answer kind {self.kind!r}")

    @property
    def shape(self) -> tuple[int, ...]:
        """(n,) for a vector, (rows, cols) for a matrix, () otherwise."""
        if self.kind == "vector":
            return (len(self.value),)
        if self.kind == "matrix":
            return tuple(self.value.shape)
        return ()

    def text(self) -> str:
        return show(self.value, self.kind)

    def latex(self) -> str:
        if self.kind == "choice":
            return rf"\text{{{self.value}}}"
        if self.kind == "matrix-expression":
            return str(self.value.latex())
        return to_latex(self.value)

    def input(self) -> str:
        """The answer in calcml's input syntax (what a learner could type)."""
        return format_answer(self.value, self.kind)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind, "text": self.text(), "input": self.input()}
        if self.kind != "choice":
            data["latex"] = self.latex()
        if self.shape:
            data["shape"] = list(self.shape)
        if self.choices:
            data["choices"] = list(self.choices)
        if self.direction:
            data["direction"] = True
        return data


def show(value: Any, kind: str) -> str:
    """Unicode text of an answer value."""
    if kind in ("choice", "matrix-expression"):
        return str(value)
    if kind == "number" and isinstance(value, sp.Expr) and not value.is_Rational:
        approx = value.evalf(6)
        if approx.is_Float:
            return f"{to_text(value)} ≈ {float(approx):.6g}"
    if kind == "vector":
        return "[" + ", ".join(to_text(v) for v in value) + "]"
    if kind == "matrix":
        rows = ["[" + ", ".join(to_text(v) for v in value.row(i)) + "]" for i in range(value.rows)]
        return "[" + ", ".join(rows) + "]"
    return to_text(value)


def format_answer(value: Any, kind: str) -> str:
    """An answer value in input syntax; `read_answer(format_answer(v, k), k)` gives v back."""
    if kind == "choice":
        return str(value)
    if kind == "matrix-expression":
        return str(value.input()) if hasattr(value, "input") else str(value)
    if kind == "vector":
        return "[" + ", ".join(to_input(v) for v in value) + "]"
    if kind == "matrix":
        rows = ["[" + ", ".join(to_input(v) for v in value.row(i)) + "]" for i in range(value.rows)]
        return "[" + ", ".join(rows) + "]"
    return to_input(value)


def read_answer(text: str, kind: str, choices: Sequence[str] = ()) -> Any:
    """Parse a learner's answer of the given kind; raises ParseError with what to fix.

    Vectors come back as n×1 matrices, or 1×n when written as a row `[[a, b]]` (the grader
    tells the learner about the shape); matrices as SymPy matrices; choices as the option.
    """
    if not isinstance(text, str):
        raise ParseError(f"expected text, got {type(text).__name__}")
    if len(text) > MAX_ANSWER_LENGTH:
        raise ParseError(f"answer too long ({len(text)} characters; at most {MAX_ANSWER_LENGTH})")
    if not text.strip():
        raise ParseError("empty answer — type an answer, or `hint` for a hint")
    if kind == "choice":
        return read_choice(text, choices)
    text = drop_lhs(text)
    if kind in ("expression", "number"):
        if text.strip()[0] in "[" or _top_level_commas(text.strip()):
            raise ParseError("expected a single expression, not a list")
        return parse(text)
    rows = read_rows(text)
    if kind == "vector":
        if len(rows) == 1 and _was_row(text):
            return sp.Matrix([rows[0]])  # an explicit row [[a, b]]
        if len(rows) == 1:
            return sp.Matrix(rows[0])
        if all(len(r) == 1 for r in rows):
            return sp.Matrix([r[0] for r in rows])
        return sp.Matrix(rows)
    if len({len(r) for r in rows}) != 1:
        raise ParseError("the rows of the matrix have different lengths")
    return sp.Matrix(rows)


def drop_lhs(text: str) -> str:
    """'dL/dw = 2w' -> ' 2w': learners often write the left-hand side too.

    >>> drop_lhs("f'(x) = 3x^2")
    ' 3x^2'
    """
    if "=" not in text:
        return text
    right = text.rsplit("=", 1)[1]
    if not right.strip():
        raise ParseError("nothing after '=' — write the answer after it")
    return right


def read_choice(text: str, choices: Sequence[str]) -> str:
    """The option the text names: its number (1-based), the whole option, or a unique prefix."""
    said = " ".join(text.strip().lower().split())
    if said.isdigit() and 1 <= int(said) <= len(choices):
        return choices[int(said) - 1]
    for option in choices:
        if said == option.lower():
            return option
    starting = [c for c in choices if c.lower().startswith(said)]
    if len(starting) == 1 and len(said) >= 3:
        return starting[0]
    listed = ", ".join(f"{i}) {c}" for i, c in enumerate(choices, 1))
    raise ParseError(f"answer with one of the options (or its number): {listed}")


def read_rows(text: str) -> list[list[sp.Expr]]:
    """'[a, b]' -> [[a, b]]; '[[a, b], [c, d]]' or '[a, b; c, d]' -> [[a, b], [c, d]]."""
    body = _strip_brackets(text.strip())
    if ";" in _top_level(body):
        parts = _split(body, ";")
        return [[_entry(p) for p in _split(row, ",")] for row in parts]
    items = _split(body, ",")
    if all(_is_bracketed(i.strip()) for i in items):
        return [[_entry(p) for p in _split(_strip_brackets(i.strip()), ",")] for i in items]
    if any(_is_bracketed(i.strip()) and i.strip()[0] == "[" for i in items):
        raise ParseError("mix of numbers and rows — write a matrix as [[a, b], [c, d]]")
    return [[_entry(i) for i in items]]


def _entry(text: str) -> sp.Expr:
    if not text.strip():
        raise ParseError("an entry of the list is empty (two commas in a row?)")
    return parse(text)


def _was_row(text: str) -> bool:
    body = _strip_brackets(text.strip())
    items = _split(body, ",")
    return len(items) == 1 and items[0].strip().startswith("[")


def _is_bracketed(text: str) -> bool:
    return bool(text) and text[0] in "[(" and _matching(text, 0) == len(text) - 1


def _strip_brackets(text: str) -> str:
    if not text:
        raise ParseError("empty answer")
    if _is_bracketed(text):
        return text[1:-1]
    return text


def _matching(text: str, start: int) -> int:
    """Index of the bracket closing the one at `start` (-1 when unbalanced)."""
    depth = 0
    for i in range(start, len(text)):
        ch = text[i]
        if ch in _PAIRS:
            depth += 1
        elif ch in _PAIRS.values():
            depth -= 1
            if depth == 0:
                return i
    return -1


def _top_level(text: str) -> str:
    """The characters of text that sit at bracket depth 0."""
    depth = 0
    out = []
    for ch in text:
        if ch in _PAIRS:
            depth += 1
        elif ch in _PAIRS.values():
            depth -= 1
        elif depth == 0:
            out.append(ch)
    return "".join(out)


def _top_level_commas(text: str) -> bool:
    return "," in _top_level(text)


def _split(text: str, sep: str) -> list[str]:
    depth = 0
    parts: list[str] = []
    current: list[str] = []
    for ch in text:
        if ch in _PAIRS:
            depth += 1
        elif ch in _PAIRS.values():
            depth -= 1
            if depth < 0:
                raise ParseError(f"unbalanced '{ch}'")
        if ch == sep and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    if depth != 0:
        raise ParseError("unbalanced brackets — a '(' or '[' is not closed")
    parts.append("".join(current))
    if len(parts) > MAX_ENTRIES:
        raise ParseError(f"too many entries ({len(parts)}; at most {MAX_ENTRIES})")
    return parts
