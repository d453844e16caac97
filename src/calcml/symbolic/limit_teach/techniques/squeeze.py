"""The squeeze theorem: something bounded times something that tends to 0."""

from __future__ import annotations

import sympy as sp

from calcml.expr.render import to_text
from calcml.symbolic.limit_result import (
    limit_step,
    note_step,
)
from calcml.symbolic.limit_teach.approach import Approach
from calcml.symbolic.limit_teach.forms import Form
from calcml.symbolic.limit_teach.techniques.base import Move, Teach


def squeeze(f: sp.Expr, ap: Approach, form: Form, depth: int, teach: Teach) -> Move | None:
    if form.name == "bounded/∞":
        wild, vanishing = form.parts["num"], 1 / form.parts["den"]
    else:
        wild = sp.Mul(*form.parts["wild"])
        vanishing = sp.Mul(*[g for g in form.parts["factors"] if g not in form.parts["wild"]])
    if ap.lim(vanishing) != 0:
        return None
    bound = sp.Abs(vanishing)
    steps = [
        note_step(
            "squeeze",
            f"{to_text(wild)} has no limit but stays bounded (|·| ≤ M), so "
            f"−M·{to_text(bound)} ≤ {to_text(f)} ≤ M·{to_text(bound)}",
        ),
        limit_step("squeeze", "the bounds both tend to 0", bound, sp.S.Zero, ap.where),
        note_step(
            "squeeze theorem", "a function squeezed between two functions with limit 0 has limit 0"
        ),
    ]
    return Move(steps, value=sp.S.Zero)
