"""The steps of a whole limit: one argument, or one per side and a comparison."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import sympy as sp

from calcml.symbolic.budget import reraise_if_spent
from calcml.symbolic.limit_result import (
    DNE,
    UNDECIDED,
    LimitStep,
    LimitValue,
    NoLimit,
    arrow,
    limit_step,
    note_step,
    value_pretty,
)
from calcml.symbolic.limit_teach.approach import Approach, _is_inf
from calcml.symbolic.timelimit import call_with_time_limit


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, NoLimit) or isinstance(b, NoLimit) or a is None:
        return a is b
    if a == b:
        return True
    if _is_inf(a) or _is_inf(b):
        return False
    try:
        return bool(call_with_time_limit(sp.simplify, None, a - b) == 0)
    except Exception as error:
        reraise_if_spent(error)
        return False


def _fallback(
    f: sp.Expr, ap: Approach, value: LimitValue, method: str, checked: bool | None
) -> LimitStep:
    how = method or "SymPy's limit (Gruntz's algorithm)"
    check = (
        "confirmed by the numeric evidence"
        if checked
        else "which the numbers cannot check here (no usable numeric evidence)"
    )
    explanation = (
        f"no textbook technique settles this one cleanly; {how} gives {value_pretty(value)}, "
        + check
    )
    return limit_step("limit algorithm", explanation, f, value, ap.where)


def explain_limit(
    expr: sp.Expr,
    x: sp.Symbol,
    at: sp.Expr,
    answers: list[Any],
    value: LimitValue,
    time_limit: float | None,
) -> list[LimitStep]:
    """The steps of a whole limit: one argument, or one per side and a comparison."""
    if len(answers) == 1:
        return _side_steps(answers[0], x, at, answers[0].side)
    left, right = answers
    if value is UNDECIDED:
        return [note_step("undecided", f"could not decide: {left.reason or right.reason}")]
    plain = not left.steps and not right.steps and not isinstance(value, NoLimit)
    if plain and _mirror(left.taught, right.taught):
        steps = _relabel(right.taught, arrow(x, at, ""))
        steps.append(
            note_step(
                "two-sided",
                f"both one-sided limits were computed and equal {value_pretty(value)}, so the "
                "two-sided limit is that value",
            )
        )
        return steps
    out: list[LimitStep] = []
    for answer, name in ((left, "left"), (right, "right")):
        sub = _side_steps(answer, x, at, answer.side)
        out.append(
            limit_step(
                f"{name}-hand limit",
                f"from the {name}",
                expr,
                answer.value,
                arrow(x, at, answer.side),
                substeps=sub,
            )
        )
    if isinstance(value, NoLimit):
        reason = "the one-sided limits differ" if left.value != right.value else "f oscillates"
        if "undefined" in (left.value, right.value):
            reason = "f is defined on one side only"
        out.append(note_step("compare", f"{reason}, so the two-sided limit does not exist"))
    else:
        out.append(
            note_step(
                "compare",
                f"both one-sided limits equal {value_pretty(value)}, so the limit is that value",
            )
        )
    return out


def _lines(steps: list[LimitStep]) -> list[str]:
    return [line for i, s in enumerate(steps, 1) for line in s.lines(0, f"{i}.")]


def _mirror(left: list[LimitStep] | None, right: list[LimitStep] | None) -> bool:
    """Both sides argued the same way (the same steps but for the side marks)."""
    if not left or not right:
        return False
    return [t.replace("⁻", "⁺") for t in _lines(left)] == _lines(right)


def _relabel(steps: list[LimitStep], where: str) -> list[LimitStep]:
    """The same steps with every 'x → a⁺' replaced by 'x → a' (an argument for both sides)."""
    out = []
    for s in steps:
        copy = replace(s, substeps=_relabel(s.substeps, where) if s.substeps else s.substeps)  # type: ignore[arg-type]
        if isinstance(copy, LimitStep) and copy.where:
            copy.where = where
        out.append(copy)
    return out


def _side_steps(answer: Any, x: sp.Symbol, at: sp.Expr, side: str) -> list[LimitStep]:
    if answer.value is UNDECIDED:
        return [note_step("undecided", f"could not decide: {answer.reason}")]
    if str(answer.value) == "undefined":
        return [note_step("undefined", answer.reason)]
    if answer.taught is not None:
        return [*answer.steps, *answer.taught]
    ap = Approach(x, at, side if not _is_inf(at) else "")
    form = [s for s in answer.attempt[:1] if s.rule == "indeterminate form"]
    checked = answer.evidence.supports("oscillates" if answer.value is DNE else answer.value)
    return [*answer.steps, *form, _fallback(answer.expr, ap, answer.value, answer.method, checked)]
