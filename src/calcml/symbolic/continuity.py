"""Continuity and differentiability at a point, the three conditions checked in order.

f is continuous at a when (1) f(a) is defined, (2) the limit of f at a exists, and (3) the two
are equal. A discontinuity is *removable* (the limit exists), a *jump* (finite one-sided limits
that differ), *infinite* (a one-sided limit is ±∞) or *oscillating* (no one-sided limit).
f is differentiable at a when the one-sided derivatives (limits of the difference quotient)
are finite and equal.

>>> continuity("abs(x)/x", "x", 0).kind
'jump'
>>> d = differentiable("relu(x)", "x", 0)
>>> (d.continuous, d.differentiable, d.left, d.right)
(True, False, 0, 1)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from calcml.expr.convert import as_expr
from calcml.expr.functions import relu
from calcml.expr.render import expr_dict, to_latex, to_text
from calcml.result import Result
from calcml.symbolic.budget import budgeted
from calcml.symbolic.inputs import as_point, noting_how_input_reads
from calcml.symbolic.limit_result import (
    UNDECIDED,
    UNDEFINED,
    LimitResult,
    NoLimit,
    value_pretty,
    value_text,
)
from calcml.symbolic.limit_sides import smooth
from calcml.symbolic.limits import _variable, limit
from calcml.symbolic.nonsmooth import kinks_at
from calcml.symbolic.timelimit import DEFAULT_TIME_LIMIT, check_time_limit

INF = sp.S.Infinity
NINF = sp.S.NegativeInfinity


def same_number(a: Any, b: Any) -> bool:
    """a == b for real numbers given exactly (σ and softplus written out; numeric check last)."""
    diff = smooth(as_expr(a, exact=False) - as_expr(b, exact=False))
    if sp.simplify(diff) == 0:
        return True
    try:
        return bool(abs(sp.N(diff, 50)) < sp.Float(10) ** -40)
    except TypeError:
        return False


@dataclass
class Condition:
    """One condition of the definition, whether it holds (None: undecided), and why."""

    name: str
    holds: bool | None
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "holds": self.holds, "detail": self.detail}

    def line(self) -> str:
        mark = {True: "✓", False: "✗", None: "?"}[self.holds]
        return f"{mark} {self.name}: {self.detail}"


def value_at(f: sp.Expr, x: sp.Symbol, a: sp.Expr) -> sp.Expr | None:
    """f(a) when it is a real number (every part defined), else None."""
    try:
        v = f.subs(x, a)
    except Exception:
        return None
    if not v.is_number or v.has(sp.zoo, sp.nan, sp.oo, -sp.oo) or v.is_extended_real is False:
        return None
    for sub in sp.preorder_traversal(f):
        if isinstance(sub, sp.Expr) and sub.has(x):
            w = sub.subs(x, a)
            if w.has(sp.zoo, sp.nan) or w.is_extended_real is False:
                return None
    return sp.nsimplify(v) if v.is_Float else v


@dataclass
class ContinuityResult(Result):
    """Is f continuous at a? `.continuous` (None: undecided), `.kind` of discontinuity."""

    expr: Any
    var: Any
    at: Any
    value: Any
    limit: LimitResult
    conditions: list[Condition] = field(default_factory=list)
    continuous: bool | None = None
    kind: str | None = None
    notes: list[str] = field(default_factory=list)
    one_sided: str = ""  # 'from the right (on its domain [0, ∞))' when f lives on one side

    def heading(self) -> str:
        verdict = {True: "continuous", False: "not continuous", None: "undecided"}[self.continuous]
        if self.continuous and self.one_sided:
            verdict = f"continuous {self.one_sided}"
        kind = f" ({self.kind} discontinuity)" if self.kind else ""
        return f"{to_text(self.expr)} at {to_text(self.var)} = {to_text(self.at)}: {verdict}{kind}"

    def text(self) -> str:
        out = [self.heading()]
        out.extend(f"   {i}. {c.line()}" for i, c in enumerate(self.conditions, 1))
        out.extend(f"   note: {n}" for n in self.notes)
        out.append("   the limit:")
        out.extend("      " + line for line in self.limit.text().splitlines())
        return "\n".join(out)

    def latex(self) -> str:
        rel = "=" if self.continuous else r"\neq"
        fa = to_latex(self.value) if self.value is not None else r"\text{undefined}"
        return f"{self.limit.latex().split(' = ')[0]} {rel} f({to_latex(self.at)}) = {fa}"

    def markdown(self) -> str:
        out = [f"**{self.heading()}**", ""]
        out.extend(f"{i}. {c.line()}" for i, c in enumerate(self.conditions, 1))
        out.extend(f"\n> {n}" for n in self.notes)
        out.extend(["", self.limit.markdown()])
        return "\n".join(out)

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": f"Is {to_text(self.expr)} continuous at {to_text(self.var)} = "
            f"{to_text(self.at)}?",
            "expr": expr_dict(self.expr),
            "var": str(self.var),
            "at": value_text(self.at),
            "value_at": expr_dict(self.value) if self.value is not None else None,
            "continuous": self.continuous,
            "one_sided": self.one_sided or None,
            "kind": self.kind,
            "conditions": [c.to_dict() for c in self.conditions],
            "value": value_text(self.limit.value),
            "left": value_text(self.limit.left) if self.limit.left is not None else None,
            "right": value_text(self.limit.right) if self.limit.right is not None else None,
            "notes": list(self.notes),
            "limit": self.limit.to_dict(),
        }

    def __rich__(self) -> Any:
        from rich.console import Group
        from rich.text import Text

        colour = {True: "bold green", False: "bold red", None: "bold yellow"}[self.continuous]
        parts: list[Any] = [Text(self.heading(), style=colour)]
        parts.extend(Text(f"  {i}. {c.line()}") for i, c in enumerate(self.conditions, 1))
        parts.extend(Text(f"  note: {n}", style="yellow") for n in self.notes)
        parts.append(Text("  the limit:", style="dim"))
        parts.append(self.limit.__rich__())
        return Group(*parts)


def _kind(lim: LimitResult) -> str | None:
    sides = [lim.left, lim.right]
    if any(v in (INF, NINF) for v in sides):
        return "infinite"
    if any(v is not None and str(v) == "DNE" for v in sides):
        return "oscillating"
    if all(v is not None and not isinstance(v, NoLimit) for v in sides) and lim.value == "DNE":
        return "jump"
    return None


@budgeted
@noting_how_input_reads
def continuity(
    f: Any, var: Any = None, at: Any = 0, *, time_limit: float | None = DEFAULT_TIME_LIMIT
) -> ContinuityResult:
    """Check the three conditions for continuity of f at var = at, and name the discontinuity.

    >>> continuity("(x^2 - 1)/(x - 1)", "x", 1).kind
    'removable'
    >>> continuity("sin(x)", "x", 0).continuous
    True
    """
    time_limit = check_time_limit(time_limit)
    expr = as_expr(f)
    x = _variable(var, expr)
    a = as_point(at)
    if a in (INF, NINF):
        from calcml.errors import CalcmlError

        raise CalcmlError("continuity is checked at a real number, not at ±∞")
    fa = value_at(expr, x, a)
    lim = limit(expr, x, a, time_limit=time_limit)
    point = f"{to_text(x)} = {to_text(a)}"
    conds = [
        Condition(
            "f(a) is defined",
            fa is not None,
            f"f({to_text(a)}) = {to_text(fa)}" if fa is not None else f"f is undefined at {point}",
        )
    ]
    exists = lim.exists if lim.value is not UNDECIDED else None
    detail = f"lim = {value_pretty(lim.value)}" + (f" ({lim.reason})" if lim.reason else "")
    conds.append(Condition("the limit exists", exists, detail))
    result = ContinuityResult(expr, x, a, fa, lim, conds)
    side = _only_side(lim)
    if fa is not None and side is not None:
        return _on_its_domain(result, side, time_limit)
    if fa is None or exists is not True:
        result.continuous = False if exists is not None or fa is None else None
        if exists:
            result.kind = "removable"
            result.notes.append(
                f"defining f({to_text(a)}) = {value_pretty(lim.value)} removes the discontinuity"
            )
        elif exists is False:
            result.kind = _kind(lim)
        _one_sided_notes(result)
        return result
    equal = same_number(lim.value, fa)
    conds.append(
        Condition(
            "the limit equals f(a)",
            equal,
            f"{value_pretty(lim.value)} {'=' if equal else '≠'} {to_text(fa)}",
        )
    )
    result.continuous = equal
    if not equal:
        result.kind = "removable"
        result.notes.append(
            f"redefining f({to_text(a)}) = {value_pretty(lim.value)} removes the discontinuity"
        )
    return result


def _only_side(lim: LimitResult) -> str | None:
    """'right' when f has real values only on the right of the point (√x at 0), 'left' when
    only on the left, None otherwise."""
    left, right = lim.left, lim.right
    if left is UNDEFINED and right is not None and right is not UNDEFINED:
        return "right"
    if right is UNDEFINED and left is not None and left is not UNDEFINED:
        return "left"
    return None


def _on_its_domain(
    result: ContinuityResult, side: str, time_limit: float | None
) -> ContinuityResult:
    """f defined at a and only on one side of it: continuity on its domain is one-sided."""
    lim, fa = result.limit, result.value
    value = lim.right if side == "right" else lim.left
    other = "left" if side == "right" else "right"
    proper = value is not None and not isinstance(value, NoLimit) and value not in (INF, NINF)
    result.conditions[1] = Condition(
        f"the {side}-hand limit exists",
        proper,
        f"lim from the {side} = {value_pretty(value)} (f has no real values on the {other})",
    )
    if not proper:
        result.continuous = False
        result.kind = _kind(lim)
        return result
    equal = same_number(value, fa)
    result.conditions.append(
        Condition(
            f"the {side}-hand limit equals f(a)",
            equal,
            f"{value_pretty(value)} {'=' if equal else '≠'} {to_text(fa)}",
        )
    )
    result.continuous = equal
    if equal:
        result.one_sided = f"from the {side} (on its domain {_domain(result, side, time_limit)})"
        result.notes.append(
            f"f is continuous from the {side}: its {side}-hand limit equals f(a), and f has no "
            f"real values on the {other}"
        )
    else:
        result.kind = "removable"
    return result


def _domain(result: ContinuityResult, side: str, time_limit: float | None) -> str:
    """f's real domain as an interval ('[0, ∞)'), or where it lies near the point."""
    from sympy.calculus.util import continuous_domain

    from calcml.symbolic.timelimit import call_with_time_limit

    near = f"{to_text(result.var)} {'≥' if side == 'right' else '≤'} {to_text(result.at)} near it"
    try:
        dom = call_with_time_limit(
            continuous_domain, time_limit, result.expr, result.var, sp.S.Reals
        )
    except Exception:  # no closed form for the domain (or out of time): say where it lies
        return near
    dom = sp.Union(dom, sp.FiniteSet(result.at)) if result.value is not None else dom
    if not isinstance(dom, sp.Interval):
        return near
    lo = "(-∞" if dom.start == NINF else ("(" if dom.left_open else "[") + to_text(dom.start)
    hi = "∞)" if dom.end == INF else to_text(dom.end) + (")" if dom.right_open else "]")
    return f"{lo}, {hi}"


def _one_sided_notes(result: ContinuityResult) -> None:
    lim, fa = result.limit, result.value
    if fa is None:
        return
    for name, v in (("left", lim.left), ("right", lim.right)):
        if (
            v is not None
            and not isinstance(v, NoLimit)
            and v not in (INF, NINF)
            and same_number(v, fa)
        ):
            result.notes.append(
                f"f is continuous from the {name}: its {name}-hand limit equals f(a)"
            )


# ----------------------------------------------------------------------------- differentiability


@dataclass
class DifferentiabilityResult(Result):
    """Is f differentiable at a? `.left`/`.right`: one-sided derivatives (difference quotients)."""

    expr: Any
    var: Any
    at: Any
    continuity: ContinuityResult
    left: Any = None
    right: Any = None
    derivative: Any = None
    differentiable: bool | None = None
    quotients: list[LimitResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def continuous(self) -> bool | None:
        return self.continuity.continuous

    def heading(self) -> str:
        verdict = {True: "differentiable", False: "not differentiable", None: "undecided"}[
            self.differentiable
        ]
        extra = (
            f", f′({to_text(self.at)}) = {to_text(self.derivative)}" if self.differentiable else ""
        )
        return f"{to_text(self.expr)} at {to_text(self.var)} = {to_text(self.at)}: {verdict}{extra}"

    def lines(self) -> list[str]:
        out = [f"continuous: {self.continuity.heading()}"]
        for q in self.quotients:
            side = "left" if q.side == "left" else "right"
            out.append(f"{side} derivative: {q.heading()} = {value_pretty(q.value)}")
            out.extend("   " + ln for ln in q.text().splitlines()[1:] if _step_line(ln))
        out.extend(f"note: {n}" for n in self.notes)
        return out

    def text(self) -> str:
        return "\n".join([self.heading(), *("   " + line for line in self.lines())])

    def latex(self) -> str:
        return "; ".join(q.latex() for q in self.quotients) or to_latex(self.expr)

    def markdown(self) -> str:
        return "\n".join([f"**{self.heading()}**", "", *(f"- {line}" for line in self.lines())])

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": f"Is {to_text(self.expr)} differentiable at {to_text(self.var)} = "
            f"{to_text(self.at)}?",
            "expr": expr_dict(self.expr),
            "var": str(self.var),
            "at": value_text(self.at),
            "continuous": self.continuous,
            "differentiable": self.differentiable,
            "left_derivative": value_text(self.left) if self.left is not None else None,
            "right_derivative": value_text(self.right) if self.right is not None else None,
            "derivative": expr_dict(self.derivative) if self.derivative is not None else None,
            "notes": list(self.notes),
            "quotients": [q.to_dict() for q in self.quotients],
            "continuity": self.continuity.to_dict(),
        }

    def __rich__(self) -> Any:
        from rich.console import Group
        from rich.text import Text

        colour = {True: "bold green", False: "bold red", None: "bold yellow"}[self.differentiable]
        return Group(
            Text(self.heading(), style=colour), *(Text("  " + line) for line in self.lines())
        )


@budgeted
@noting_how_input_reads
def differentiable(
    f: Any, var: Any = None, at: Any = 0, *, time_limit: float | None = DEFAULT_TIME_LIMIT
) -> DifferentiabilityResult:
    """Is f differentiable at var = at? Continuity first, then both one-sided derivatives.

    >>> differentiable("x^2", "x", 1).derivative
    2
    >>> differentiable("abs(x)", "x", 0).differentiable
    False
    """
    time_limit = check_time_limit(time_limit)
    expr = as_expr(f)
    x = _variable(var, expr)
    a = as_point(at)
    cont = continuity(expr, x, a, time_limit=time_limit)
    result = DifferentiabilityResult(expr, x, a, cont)
    if cont.continuous is not True:
        result.differentiable = False if cont.continuous is False else None
        if cont.continuous is False:
            result.notes.append(
                "a function that is not continuous at a point is not differentiable there"
            )
        return result
    h = sp.Symbol("h", real=True)
    quotient = (expr.subs(x, a + h) - cont.value) / h
    for side in ("left", "right"):
        q = limit(quotient, h, 0, side=side, time_limit=time_limit)
        result.quotients.append(q)
    result.left, result.right = result.quotients[0].value, result.quotients[1].value
    lv, rv = result.left, result.right
    if UNDECIDED in (lv, rv):
        result.differentiable = None
        return result
    finite = [not isinstance(v, NoLimit) and v not in (INF, NINF) for v in (lv, rv)]
    if all(finite) and same_number(lv, rv):
        result.differentiable = True
        result.derivative = lv
        return result
    result.differentiable = False
    if all(finite):
        result.notes.append(
            f"a corner: the left derivative is {to_text(lv)}, the right derivative {to_text(rv)}"
        )
        result.notes.append(_corner_note(lv, rv, a))
        relus = [k for k in kinks_at(expr, {x: a}) if isinstance(k, relu)]
        if relus:
            result.notes.append(
                f"{to_text(relus[0])} has no derivative here (its inside is 0); any slope in "
                "[0, 1] is a subgradient of ReLU at 0, and deep-learning libraries (PyTorch, "
                "JAX) use ReLU′(0) = 0 by convention"
            )
    elif any(v in (INF, NINF) for v in (lv, rv)):
        result.notes.append("a one-sided derivative is infinite: the tangent is vertical")
    else:
        result.notes.append("the difference quotient has no limit on at least one side")
    return result


def _corner_note(left: Any, right: Any, a: sp.Expr) -> str:
    """Slopes that turn upward (left < right, like |x|) make a convex corner with subgradients
    [left, right]; slopes that turn downward (like −|x|) make a concave corner, with none."""
    if float(left) < float(right):
        return (
            f"the slope turns upward (a convex corner, like |x|): every slope between them is a "
            f"subgradient, ∂f({to_text(a)}) = [{to_text(left)}, {to_text(right)}]"
        )
    return (
        "the slope turns downward (a concave corner, like −|x|): no line through the point stays "
        "below f, so there is no subgradient here (−f has the subgradients "
        f"[{to_text(-left)}, {to_text(-right)}])"
    )


def _step_line(line: str) -> bool:
    """Keep a limit's steps, drop its evidence table (shown by `calcml limit`)."""
    stripped = line.strip()
    return not (
        stripped.startswith(("numeric evidence", "h ", "x "))
        or (stripped[:1] in "10-" and "  " in stripped)
    )
