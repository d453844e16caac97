"""Standard limits (sin u/u → 1, …) and rates of growth (exponentials beat powers beat logs)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sympy as sp

from calcml.expr.render import to_text
from calcml.symbolic.limit_result import (
    NoLimit,
    limit_step,
    rewrite_step,
)
from calcml.symbolic.limit_teach.approach import INF, NINF, Approach, _is_inf
from calcml.symbolic.limit_teach.forms import Form
from calcml.symbolic.limit_teach.techniques.base import Move, Teach


def standard(f: sp.Expr, ap: Approach, form: Form, depth: int, teach: Teach) -> Move | None:
    num, den = form.parts["num"], form.parts["den"]
    coeff, core = num.as_independent(ap.x, as_Add=False)
    for name, match in STANDARD_LIMITS.items():
        found = match(core)
        if found is None:
            continue
        u, power, value = found
        if ap.lim(u) != 0:
            continue
        rest = sp.cancel(coeff * u**power / den)
        r = ap.lim(rest)
        if r is None or isinstance(r, NoLimit) or _is_inf(r):
            continue
        std = core / u**power
        if rest == 1:
            return Move(
                [
                    limit_step(
                        "standard limit", f"{name} (u = {to_text(u)} → 0)", f, value, ap.where
                    )
                ],
                value=value,
            )
        shown = sp.Mul(std, rest, evaluate=False)
        steps = [
            rewrite_step("standard limit", f"split off the standard limit {name}", f, shown),
            limit_step("standard limit", f"{name} (u = {to_text(u)} → 0)", std, value, ap.where),
            limit_step("limit laws", "the remaining factor", rest, r, ap.where),
        ]
        return Move(steps, value=value * r)
    return None


def _match_func(func: Any, value: Any) -> Callable[[sp.Expr], tuple[sp.Expr, int, Any] | None]:
    def match(core: sp.Expr) -> tuple[sp.Expr, int, Any] | None:
        return (core.args[0], 1, value) if core.func == func else None

    return match


def _match_exp_minus_one(core: sp.Expr) -> tuple[sp.Expr, int, Any] | None:
    if core.is_Add and len(core.args) == 2 and sp.S.NegativeOne in core.args:
        other = core + 1
        if isinstance(other, sp.exp):
            return other.args[0], 1, sp.S.One
    return None


def _match_one_minus_cos(core: sp.Expr) -> tuple[sp.Expr, int, Any] | None:
    if core.is_Add and len(core.args) == 2 and sp.S.One in core.args:
        other = -(core - 1)
        if isinstance(other, sp.cos):
            return other.args[0], 2, sp.S.Half
    return None


def _match_log(core: sp.Expr) -> tuple[sp.Expr, int, Any] | None:
    if isinstance(core, sp.log):
        return core.args[0] - 1, 1, sp.S.One
    return None


STANDARD_LIMITS: dict[str, Callable[[sp.Expr], tuple[sp.Expr, int, Any] | None]] = {
    "sin(u)/u → 1": _match_func(sp.sin, sp.S.One),
    "tan(u)/u → 1": _match_func(sp.tan, sp.S.One),
    "(e^u − 1)/u → 1": _match_exp_minus_one,
    "ln(1 + u)/u → 1": _match_log,
    "(1 − cos u)/u² → 1/2": _match_one_minus_cos,
    "atan(u)/u → 1": _match_func(sp.atan, sp.S.One),
    "asin(u)/u → 1": _match_func(sp.asin, sp.S.One),
    "tanh(u)/u → 1": _match_func(sp.tanh, sp.S.One),
    "sinh(u)/u → 1": _match_func(sp.sinh, sp.S.One),
}


def _growth_class(g: sp.Expr, x: sp.Symbol) -> tuple[int, Any] | None:
    """(class, sign) of a single growing factor as x → ∞: log 1, power 2, exponential 3."""
    coeff, core = g.as_independent(x, as_Add=False)
    if not coeff.is_number or coeff == 0:
        return None
    sign = 1 if coeff > 0 else -1
    if isinstance(core, sp.exp) and core.args[0].is_polynomial(x) and sp.LC(core.args[0], x) > 0:
        return 3, sign
    if core == x or (core.is_Pow and core.base == x and core.exp.is_positive):
        return 2, sign
    if isinstance(core, sp.log) and core.args[0] == x:
        return 1, sign
    if (
        core.is_Pow
        and isinstance(core.base, sp.log)
        and core.base.args[0] == x
        and core.exp.is_positive
    ):
        return 1, sign
    return None


_CLASS_NAMES = {1: "a power of log x", 2: "a power of x", 3: "an exponential"}


def growth_rates(f: sp.Expr, ap: Approach, form: Form, depth: int, teach: Teach) -> Move | None:
    """∞/∞ at +∞ between different kinds of growth: exponentials beat powers beat logs."""
    if ap.at is not INF:
        return None
    num, den = form.parts["num"], form.parts["den"]
    top, bottom = _growth_class(num, ap.x), _growth_class(den, ap.x)
    if top is None or bottom is None or top[0] == bottom[0]:
        return None
    grows = INF if top[1] * bottom[1] > 0 else NINF
    value = grows if top[0] > bottom[0] else sp.S.Zero
    faster, slower = (num, den) if top[0] > bottom[0] else (den, num)
    why = (
        f"{to_text(faster)} is {_CLASS_NAMES[max(top[0], bottom[0])]}, which outgrows "
        f"{_CLASS_NAMES[min(top[0], bottom[0])]} such as {to_text(slower)}"
    )
    return Move([limit_step("growth rates", why, f, value, ap.where)], value=value)
