"""When two answer values are equal for an answer (its kind, domain, tolerance, direction):
the grader uses it to compare a learner's answer, and the problem generators to keep only
distractors that differ from the answer. Built on `equivalence.compare`."""

from __future__ import annotations

from typing import Any

import sympy as sp

from calcml.learn.answers import Answer
from calcml.learn.equivalence import Comparison, close, compare, evaluator


def values_equal(given: Any, expected: Any, answer: Answer, approximate: bool = False) -> bool:
    """True when two answer values are equal for this answer (kind, domain, tolerance);
    `approximate`: the answer was typed with decimals, so the relative tolerance applies."""
    if answer.kind == "matrix-expression":
        from calcml.learn.matrix_grade import target_equal

        return target_equal(given, expected, answer.value)
    if isinstance(expected, str) or isinstance(given, str):
        return given == expected
    if isinstance(expected, sp.MatrixBase) or isinstance(given, sp.MatrixBase):
        if not (isinstance(expected, sp.MatrixBase) and isinstance(given, sp.MatrixBase)):
            return False
        if given.shape != expected.shape:
            return False
        if answer.direction:
            return same_direction(list(given), list(expected))
        pairs = zip(given, expected, strict=True)
        return all(compare_scalar(g, e, answer, approximate).equal for g, e in pairs)
    return compare_scalar(given, expected, answer, approximate).equal


def compare_scalar(
    given: sp.Expr, expected: sp.Expr, answer: Answer, approximate: bool = False
) -> Comparison:
    """`equivalence.compare` with this answer's variables, domain and tolerance."""
    return compare(
        given,
        expected,
        answer.variables,
        answer.domain,
        answer.tolerance,
        approximate=approximate,
    )


def same_direction(given: list[sp.Expr], expected: list[sp.Expr]) -> bool:
    """True when `given` is a nonzero multiple of `expected` (a direction, not a vector)."""
    g = [evaluator(v, [])({}) for v in given]
    e = [evaluator(v, [])({}) for v in expected]
    if any(v is None for v in g + e):
        return False
    gv = [complex(v) for v in g if v is not None]
    ev = [complex(v) for v in e if v is not None]
    k = max(range(len(ev)), key=lambda i: abs(ev[i]))
    if abs(ev[k]) == 0 or abs(gv[k]) < 1e-12:
        return False
    c = gv[k] / ev[k]
    return all(close(a, c * b, 1e-3) for a, b in zip(gv, ev, strict=True))
