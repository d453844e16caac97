"""The teacher's argument: substitute, name the form, try the techniques in turn."""

from __future__ import annotations

import sympy as sp

from calcml.errors import TimeLimitError
from calcml.symbolic.budget import reraise_if_spent
from calcml.symbolic.limit_result import (
    DNE,
    LimitStep,
    LimitValue,
    limit_step,
)
from calcml.symbolic.limit_teach.approach import MAX_DEPTH, Approach
from calcml.symbolic.limit_teach.forms import _form_note, _substitution, classify
from calcml.symbolic.limit_teach.registry import TECHNIQUES


def teach(f: sp.Expr, ap: Approach, depth: int = 0) -> tuple[list[LimitStep], LimitValue | None]:
    """The teacher's steps for lim f, and the value they reach (None if they get stuck)."""
    if depth > MAX_DEPTH:
        return [], None
    if not f.has(ap.x):
        return [
            limit_step("constant", "the limit of a constant is the constant", f, f, ap.where)
        ], f
    sub = _substitution(f, ap)
    if sub is not None:
        return [sub], sub.after
    form = classify(f, ap)
    if form is None:
        return [], None
    if form.determinate:
        rule = "oscillation" if form.value is DNE else "limit laws"
        return [
            limit_step(rule, f"not indeterminate: {form.why}", f, form.value, ap.where)
        ], form.value
    steps: list[LimitStep] = [_form_note(f, ap, form)]
    for technique in TECHNIQUES:
        if form.name not in technique.forms:
            continue
        try:
            move = technique.apply(f, ap, form, depth, teach)
        except (
            TimeLimitError,
            ValueError,
            TypeError,
            NotImplementedError,
            sp.PolynomialError,
        ) as e:
            reraise_if_spent(e)
            move = None
        if move is None:
            continue
        if move.value is not None:
            return steps + move.steps, move.value
        assert move.expr is not None
        rest, value = teach(move.expr, ap, depth + 1)
        if value is None:
            continue
        return steps + move.steps + rest, value
    return steps, None
