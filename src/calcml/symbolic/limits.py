"""`limit(f, var, at, side)`: a limit with a teacher's steps, checked against numeric evidence.

Two-sided limits are always computed as two one-sided limits and compared. Each side's value
comes from a symbolic method (SymPy's Gruntz algorithm, or the same after substituting
x = a ± 1/t) and is kept only if the numeric evidence agrees; when no method survives the
evidence within the time limit the answer is `UNDECIDED`, never a guess.

>>> limit("sin(x)/x", "x", 0).value
1
>>> r = limit("abs(x)/x", "x", 0)
>>> (r.left, r.right, r.value)
(-1, 1, 'DNE')
>>> limit("2^(1/x)", "x", 0, side="left").value  # SymPy's limit says oo here
0
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from calcml.errors import CalcmlError, TimeLimitError
from calcml.expr.convert import as_expr
from calcml.expr.parser import sorted_variables
from calcml.expr.render import to_text
from calcml.symbolic.budget import budgeted, reraise_if_spent
from calcml.symbolic.evidence import Evidence, gather, show_number
from calcml.symbolic.inputs import as_point, as_var, noting_how_input_reads
from calcml.symbolic.limit_result import (
    DNE,
    UNDECIDED,
    UNDEFINED,
    LimitResult,
    LimitStep,
    LimitValue,
    NoLimit,
    arrow,
    note_step,
    paren,
    value_pretty,
)
from calcml.symbolic.limit_sides import resolve, smooth
from calcml.symbolic.limit_teach.techniques.sequences import sequence_evidence
from calcml.symbolic.timelimit import DEFAULT_TIME_LIMIT, call_with_time_limit, check_time_limit

SIDES = {"both": "both", "left": "-", "right": "+", "-": "-", "+": "+", "+-": "both"}
OSCILLATES = "oscillates"
_MARKS = {"left": "-", "right": "+"}


class LimitDomainError(CalcmlError):
    """f has no real values near the point (on the side asked, or on both sides)."""


def _infinite(at: sp.Expr) -> bool:
    return at is sp.S.Infinity or at is sp.S.NegativeInfinity


# ----------------------------------------------------------------------------- symbolic methods


def _sympy_limit(f: sp.Expr, x: sp.Symbol, at: sp.Expr, side: str) -> Any:
    if _infinite(at):
        return sp.limit(smooth(f), x, at)
    return sp.limit(smooth(f), x, at, side)


def _reciprocal(f: sp.Expr, x: sp.Symbol, at: sp.Expr, side: str) -> Any:
    t = sp.Dummy("t", positive=True)
    if _infinite(at):
        from sympy.series.gruntz import gruntz

        return gruntz(smooth(f).subs(x, t if at is sp.S.Infinity else -t), t, sp.oo)
    return sp.limit(smooth(f).subs(x, at + (1 if side == "+" else -1) / t), t, sp.oo)


@dataclass(frozen=True)
class Method:
    """A symbolic way to get a one-sided limit; its answer must survive the evidence."""

    name: str
    run: Callable[[sp.Expr, sp.Symbol, sp.Expr, str], Any]


METHODS: tuple[Method, ...] = (
    Method("SymPy's limit (Gruntz's algorithm)", _sympy_limit),
    Method("substitution x = a ± 1/t, then t → ∞ (Gruntz)", _reciprocal),
)


def _normalise(value: Any) -> LimitValue | None:
    """A method's raw answer as a limit value, or None when it is no answer."""
    if isinstance(value, sp.AccumBounds) or (
        isinstance(value, sp.Basic) and value.has(sp.AccumBounds)
    ):
        return DNE  # SymPy's way of saying "keeps oscillating between bounds"
    if not isinstance(value, sp.Expr) or value.has(sp.Limit, sp.nan, sp.zoo):
        return None
    if value in (sp.S.Infinity, sp.S.NegativeInfinity):
        return value
    if value.is_extended_real is False or value.has(sp.I):
        return None
    return value


# ----------------------------------------------------------------------------- one side


@dataclass
class SideAnswer:
    """The limit from one side: value, how it was settled, the side-resolved expression."""

    side: str
    value: LimitValue
    expr: sp.Expr
    evidence: Evidence
    method: str = ""
    reason: str = ""
    steps: list[LimitStep] = field(default_factory=list)
    taught: list[LimitStep] | None = None  # the teacher's steps, when they reach `value`
    attempt: list[LimitStep] = field(default_factory=list)  # how far the teacher got otherwise


def one_sided(
    f: sp.Expr, x: sp.Symbol, at: sp.Expr, side: str, time_limit: float | None
) -> SideAnswer:
    """The limit of f as x → at from `side` ('+' or '-'; at ±∞ the side is ignored)."""
    g, steps = resolve(f, x, at, side)
    ev = gather(f, x, at, side, seconds=None)  # the request's safety net bounds it
    ev.sequences = sequence_evidence(g, x, at)
    if ev.undefined:
        where = "left" if side == "-" else "right"
        return SideAnswer(
            side, UNDEFINED, g, ev, reason=f"f has no real values on the {where}", steps=steps
        )
    rejected: list[str] = []
    taught, t_value, t_verdict = _teach(g, x, at, side, time_limit, ev)
    if t_value is not None and t_verdict is True:
        return SideAnswer(side, t_value, g, ev, TAUGHT, steps=steps, taught=taught)
    for method in METHODS:
        try:
            # no time limit of its own: a method that would need longer than the request's
            # safety net gives the request up, so a slow machine never skips to another method
            raw = call_with_time_limit(method.run, None, g, x, at, side)
        except TimeLimitError as error:
            reraise_if_spent(error)
            continue
        except Exception:  # SymPy could not do it (PoleError, NotImplementedError, ...)
            continue
        value = _normalise(raw)
        if value is None:
            continue
        verdict = ev.supports(OSCILLATES if value is DNE else value)
        if verdict is False:
            rejected.append(f"{method.name} gave {value_pretty(value)}, but the numbers disagree")
            continue
        agrees = t_value is not None and _same(t_value, value)
        return SideAnswer(
            side,
            value,
            g,
            ev,
            method.name,
            steps=steps,
            taught=taught if agrees else None,
            attempt=taught,
        )
    if t_value is not None and t_verdict is None:
        return SideAnswer(side, t_value, g, ev, TAUGHT, steps=steps, taught=taught)
    reason = "; ".join(rejected) or "no method found the limit"
    estimate = ev.estimate()
    if estimate is not None:
        reason += f"; numerically f ≈ {show_number(estimate, 8)} nearest the point"
    return SideAnswer(side, UNDECIDED, g, ev, reason=reason, steps=steps)


TAUGHT = "the steps shown (limit laws and textbook techniques), checked numerically"


def _teach(
    g: sp.Expr, x: sp.Symbol, at: sp.Expr, side: str, time_limit: float | None, ev: Evidence
) -> tuple[list[LimitStep], LimitValue | None, bool | None]:
    """The teacher's argument for this side, its value, and whether the evidence agrees."""
    from calcml.symbolic.limit_teach import TEACH_TIME_LIMIT, Approach, teach

    seconds = TEACH_TIME_LIMIT  # None: the request's safety net
    ap = Approach(x, at, "" if _infinite(at) else side)
    try:
        steps, value = call_with_time_limit(teach, seconds, g, ap)
    except Exception as error:
        reraise_if_spent(error)
        return [], None, None
    if value is None:
        return steps, None, None
    return steps, value, ev.supports(OSCILLATES if value is DNE else value)


# ----------------------------------------------------------------------------- both sides


def _same(a: LimitValue, b: LimitValue) -> bool:
    if isinstance(a, NoLimit) or isinstance(b, NoLimit):
        return a is b and a is not UNDECIDED
    if a == b:
        return True
    if _infinite(a) or _infinite(b):
        return False
    return bool(call_with_time_limit(sp.simplify, None, a - b) == 0)  # under the request's net


def _combine(left: SideAnswer, right: SideAnswer) -> tuple[LimitValue, str]:
    lv, rv = left.value, right.value
    if lv is UNDECIDED or rv is UNDECIDED:
        undecided = left if lv is UNDECIDED else right
        return UNDECIDED, undecided.reason
    if lv is UNDEFINED and rv is UNDEFINED:
        raise LimitDomainError("")
    if lv is UNDEFINED or rv is UNDEFINED:
        where, other = ("left", right) if lv is UNDEFINED else ("right", left)
        return DNE, (
            f"f is not defined on the {where} of the point; only the one-sided limit from the "
            f"other side exists ({value_pretty(other.value)})"
        )
    if lv is DNE and rv is DNE:
        return DNE, "f oscillates without settling on either side"
    if lv is DNE or rv is DNE:
        return DNE, f"f oscillates on the {'left' if lv is DNE else 'right'}"
    if _same(lv, rv):
        return lv, ""
    return DNE, f"the one-sided limits differ: left {value_pretty(lv)}, right {value_pretty(rv)}"


@budgeted
@noting_how_input_reads
def limit(
    f: Any,
    var: Any = None,
    at: Any = 0,
    side: str = "both",
    *,
    time_limit: float | None = DEFAULT_TIME_LIMIT,
    explain: bool = True,
) -> LimitResult:
    """lim f(var) as var → at. side: 'both' (default: both one-sided limits, compared), 'left'
    or 'right'; at may be oo/-oo. Raises LimitDomainError where f has no real values.

    >>> limit("(x^2 - 1)/(x - 1)", "x", 1).value
    2
    >>> limit("1/x", "x", 0).reason
    'the one-sided limits differ: left -∞, right ∞'
    """
    time_limit = check_time_limit(time_limit)
    expr = as_expr(f)
    x = _variable(var, expr)
    point = as_point(at)
    if side not in SIDES:
        raise CalcmlError(f"side must be 'both', 'left' or 'right', not {side!r}")
    mode = SIDES[side]
    if _infinite(point):
        mode = "-" if point is sp.S.Infinity else "+"
        answers = [one_sided(expr, x, point, mode, time_limit)]
        value, reason = answers[0].value, answers[0].reason
        left = right = None
        shown_side = "both"
    elif mode == "both":
        answers = [one_sided(expr, x, point, s, time_limit) for s in ("-", "+")]
        try:
            value, reason = _combine(*answers)
        except LimitDomainError:
            raise _domain_error(expr, x, point, "either side") from None
        left, right = answers[0].value, answers[1].value
        shown_side = "both"
    else:
        answers = [one_sided(expr, x, point, mode, time_limit)]
        value, reason = answers[0].value, answers[0].reason
        left = value if mode == "-" else None
        right = value if mode == "+" else None
        shown_side = "left" if mode == "-" else "right"
    if value is UNDEFINED:
        raise _domain_error(expr, x, point, "the left" if mode == "-" else "the right")
    result = LimitResult(
        question=f"lim {arrow(x, point, _MARKS.get(shown_side, ''))} {paren(expr)}",
        expr=expr,
        result=value if not isinstance(value, NoLimit) else None,
        wrt=(x,),
        var=x,
        at=point,
        side=shown_side,
        value=value,
        left=left,
        right=right,
        evidence={a.side: a.evidence for a in answers},
        reason=reason,
        method="; ".join(sorted({a.method for a in answers if a.method})),
    )
    result.notes.extend(sorted({a.evidence.note for a in answers if a.evidence.note}))
    others = sorted(
        {s for a in answers if isinstance(a.value, sp.Basic) for s in a.value.free_symbols},
        key=str,
    )
    if others:
        names = ", ".join(to_text(s) for s in others)
        where = _where_signs_vanish([a.value for a in answers if isinstance(a.value, sp.Basic)])
        special = (
            f"{where} and other special values" if where else f"special ones (such as {names} = 0)"
        )
        result.notes.append(
            f"the answer depends on {names}: it holds for generic values; "
            f"check {special} separately"
        )
    if explain:
        from calcml.symbolic.limit_teach import explain_limit

        steps = explain_limit(expr, x, point, answers, value, time_limit)
        result.steps = list(steps)
    result.verified = _verified(answers)
    return result


def _verified(answers: list[SideAnswer]) -> str:
    if all(a.evidence.supports(OSCILLATES if a.value is DNE else a.value) for a in answers):
        return "agrees with the numeric evidence"
    return ""


def _variable(var: Any, expr: sp.Expr) -> sp.Symbol:
    if var is None:
        names = sorted_variables(expr.free_symbols)
        if len(names) != 1:
            raise CalcmlError("say which variable the limit is in (var=...)")
        return as_var(names[0])
    return as_var(var)


def _domain_error(expr: sp.Expr, x: sp.Symbol, at: sp.Expr, where: str) -> LimitDomainError:
    return LimitDomainError(
        f"{to_text(expr)} has no real values near {to_text(x)} = {to_text(at)} on {where}, "
        "so its limit there is undefined (calcml works with real functions)"
    )


__all__ = ["DNE", "UNDECIDED", "LimitDomainError", "LimitResult", "limit", "note_step", "one_sided"]


def _where_signs_vanish(values: list[sp.Basic]) -> str:
    """'c = 1 (where sign(c - 1) = 0)' for each sign(u) of one parameter in the answers, u of
    degree ≤ 2 in it: there the generic answer (∞·sign(c − 1)) says nothing."""
    found: list[str] = []
    for value in values:
        for node in sorted(value.atoms(sp.sign), key=str):
            u = node.args[0]
            if len(u.free_symbols) != 1:
                continue
            (s,) = u.free_symbols
            if not u.is_polynomial(s) or sp.degree(u, s) > 2:
                continue
            roots = [r for r in sp.solve(u, s) if r.is_real]
            said = ", ".join(f"{to_text(s)} = {to_text(r)}" for r in roots)
            if roots:
                found.append(f"{said} (where {to_text(node)} = 0)")
    return "; ".join(dict.fromkeys(found))
