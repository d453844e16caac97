"""Exponent forms (1^∞, 0^0, ∞^0): take logarithms."""

from __future__ import annotations

import sympy as sp

from calcml.expr.render import to_text
from calcml.symbolic.limit_result import (
    LimitStep,
    NoLimit,
    limit_step,
    rewrite_step,
)
from calcml.symbolic.limit_teach.approach import INF, NINF, Approach
from calcml.symbolic.limit_teach.forms import Form, _show
from calcml.symbolic.limit_teach.techniques.base import Move, Teach


def log_form(f: sp.Expr, ap: Approach, form: Form, depth: int, teach: Teach) -> Move | None:
    b, e = form.parts["base"], form.parts["exp"]
    exponent = e * sp.log(b)
    steps: list[LimitStep] = [
        rewrite_step(
            "logarithm",
            f"write the power as an exponential: {to_text(f)} = e^(ln of it)",
            f,
            sp.exp(exponent, evaluate=False),
        ),
    ]
    inner, value = teach(exponent, ap, depth + 1)
    if value is None or isinstance(value, NoLimit):
        return None
    steps.append(
        limit_step(
            "logarithm", "the limit of the exponent", exponent, value, ap.where, substeps=inner
        )
    )
    result = INF if value is INF else sp.S.Zero if value is NINF else sp.exp(value)
    steps.append(
        limit_step("continuity of exp", f"so the limit is e^{_show(value)}", f, result, ap.where)
    )
    return Move(steps, value=result)
