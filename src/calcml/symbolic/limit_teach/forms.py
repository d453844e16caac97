"""Naming the form: direct substitution, or what substitution gives (`classify`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from calcml.expr.render import to_text
from calcml.symbolic.budget import reraise_if_spent
from calcml.symbolic.limit_result import (
    DNE,
    LimitStep,
    LimitValue,
    NoLimit,
    limit_step,
    note_step,
)
from calcml.symbolic.limit_sides import sign_near, smooth
from calcml.symbolic.limit_teach.approach import (
    _BOUNDED,
    _JUMPY,
    COMPONENT_TIME_LIMIT,
    INF,
    NINF,
    Approach,
    _is_inf,
)
from calcml.symbolic.timelimit import call_with_time_limit


@dataclass
class Form:
    """What substitution gives: an indeterminate `name` ('0/0', ...) or a determinate value."""

    name: str
    parts: dict[str, Any] = field(default_factory=dict)
    value: LimitValue | None = None
    why: str = ""

    @property
    def determinate(self) -> bool:
        return self.name == "determinate"


def _show(v: Any) -> str:
    if isinstance(v, NoLimit):
        return "no limit (oscillates)"
    return {INF: "∞", NINF: "−∞"}.get(v, to_text(v))


def classify(f: sp.Expr, ap: Approach) -> Form | None:
    """Name the form substitution gives, with the limits of the parts."""
    x = ap.x
    if f.is_Pow and f.base.has(x) and f.exp.has(x):
        return _classify_power(f, ap)
    num, den = f.as_numer_denom()
    if den.has(x) and den != 1:
        return _classify_quotient(num, den, ap)
    if f.is_Mul:
        return _classify_product(f, ap)
    if f.is_Add:
        return _classify_sum(f, ap)
    if f.is_Pow or (isinstance(f, sp.Function) and len(f.args) == 1):
        return _classify_composition(f, ap)
    return None


def _classify_power(f: sp.Expr, ap: Approach) -> Form | None:
    b, e = ap.lim(f.base), ap.lim(f.exp)
    if e is None or isinstance(e, NoLimit):
        return None
    parts = {"base": f.base, "exp": f.exp, "b": b, "e": e}
    if b is None and ap.infinite and f.base.has(sp.sin, sp.cos, sp.tan, sp.cot, sp.sec, sp.csc):
        b = DNE  # a trigonometric base SymPy cannot settle: let two sequences decide
    if b is None:
        return None
    if isinstance(b, NoLimit):
        return Form("oscillating base", parts)  # no value to substitute: only a proof will do
    if b == 1 and _is_inf(e):
        return Form("1^∞", parts)
    if b == 0 and e == 0:
        return Form("0^0", parts)
    if b is INF and e == 0:
        return Form("∞^0", parts)
    value = _power_value(b, e)
    if value is None:
        return None
    why = f"the base → {_show(b)} and the exponent → {_show(e)}"
    return Form("determinate", parts, value, why)


def _power_value(b: Any, e: Any) -> Any:
    if b == 0 and e is INF:
        return sp.S.Zero
    if b == 0 and e is NINF:
        return INF
    if b is INF:
        return (
            INF
            if e is INF or (e.is_positive)
            else sp.S.Zero
            if (e is NINF or e.is_negative)
            else None
        )
    v = sp.Pow(b, e)
    if v.has(sp.nan, sp.zoo) or v.is_extended_real is False:
        return None
    return v


def _classify_quotient(num: sp.Expr, den: sp.Expr, ap: Approach) -> Form | None:
    n, d = ap.lim(num), ap.lim(den)
    if n is None or d is None or isinstance(d, NoLimit):
        return None
    parts = {"num": num, "den": den, "n": n, "d": d}
    if isinstance(n, NoLimit):
        if _is_inf(d) and _bounded(num):
            return Form("bounded/∞", parts)
        return None
    if n == 0 and d == 0:
        return Form("0/0", parts)
    if _is_inf(n) and _is_inf(d):
        return Form("∞/∞", parts)
    if d == 0:
        s = ap.sign(den) if ap.side else _both_signs(den, ap)
        sn = (
            1
            if n is INF
            else -1
            if n is NINF
            else (1 if n.is_positive else -1 if n.is_negative else None)
        )
        if not s or sn is None:
            return None
        value = INF if s * sn > 0 else NINF
        sign_word = "0⁺" if s > 0 else "0⁻"
        why = f"the numerator → {_show(n)} and the denominator → {sign_word}"
        return Form("determinate", parts, value, why)
    value = n / d
    if value.has(sp.nan, sp.zoo):
        return None
    why = f"the numerator → {_show(n)} and the denominator → {_show(d)}"
    return Form("determinate", parts, value, why)


def _both_signs(den: sp.Expr, ap: Approach) -> int | None:
    s1, s2 = sign_near(den, ap.x, ap.at, "+"), sign_near(den, ap.x, ap.at, "-")
    return s1 if s1 == s2 else None


def _classify_product(f: sp.Expr, ap: Approach) -> Form | None:
    factors = f.as_ordered_factors()
    limits = [ap.lim(g) for g in factors]
    if any(v is None for v in limits):
        return None
    zero = [g for g, v in zip(factors, limits, strict=True) if v == 0]
    inf = [g for g, v in zip(factors, limits, strict=True) if _is_inf(v)]
    wild = [g for g, v in zip(factors, limits, strict=True) if isinstance(v, NoLimit)]
    parts = {"factors": factors, "limits": limits, "zero": zero, "inf": inf, "wild": wild}
    if wild:
        if zero and all(_bounded(g) for g in wild) and not inf:
            return Form("0·bounded", parts)
        if (
            inf
            and not zero
            and len(wild) == 1
            and type(wild[0]) in (sp.sin, sp.cos)
            and not f.has(*_JUMPY)
        ):
            why = (
                f"{to_text(wild[0])} keeps changing sign while {to_text(sp.Mul(*inf))} grows, "
                "so the product swings between ever larger positive and negative values"
            )
            return Form("determinate", parts, DNE, why)
        return None
    if zero and inf:
        return Form("0·∞", parts)
    value = sp.Mul(*limits)
    if value.has(sp.nan):
        return None
    why = "the factors tend to " + ", ".join(_show(v) for v in limits)
    return Form("determinate", parts, value, why)


def _classify_sum(f: sp.Expr, ap: Approach) -> Form | None:
    terms = f.as_ordered_terms()
    limits = [ap.lim(g) for g in terms]
    if any(v is None or isinstance(v, NoLimit) for v in limits):
        return None
    parts = {"terms": terms, "limits": limits}
    if INF in limits and NINF in limits:
        return Form("∞−∞", parts)
    value = sp.Add(*limits)
    if value.has(sp.nan):
        return None
    why = "the terms tend to " + ", ".join(_show(v) for v in limits)
    return Form("determinate", parts, value, why)


def _classify_composition(f: sp.Expr, ap: Approach) -> Form | None:
    inner = f.base if f.is_Pow and f.base.has(ap.x) else f.exp if f.is_Pow else f.args[0]
    u = ap.lim(inner)
    if u is None or isinstance(u, NoLimit):
        return None
    dummy = sp.Dummy("u", real=True)
    outer = f.xreplace({inner: dummy})
    approach = ""
    if _is_inf(u):
        try:
            raw = call_with_time_limit(_at_infinity, COMPONENT_TIME_LIMIT, smooth(outer), dummy, u)
        except Exception as error:
            reraise_if_spent(error)
            return None
        if isinstance(raw, sp.Basic) and raw.has(sp.AccumBounds):
            if not isinstance(raw, sp.AccumBounds) or inner.has(*_JUMPY):
                return None  # the inside must sweep every large value (it is continuous)
            shown = to_text(outer.subs(dummy, sp.Symbol("u")))
            bounds = f"{to_text(raw.min)} and {to_text(raw.max)}"
            why = (
                f"the inside {to_text(inner)} → {_show(u)}, and {shown} oscillates between {bounds}"
            )
            return Form("determinate", {"inner": inner, "u": u}, DNE, why)
        value = raw
    else:
        value = outer.subs(dummy, u)
        approach = ""
        if value.has(sp.zoo, sp.nan) or not value.is_finite:
            side = ap.sign(inner - u)  # the inside tends to u from above (+1) or below (−1)
            if not side:
                return None
            approach = "⁺" if side > 0 else "⁻"
            try:
                value = call_with_time_limit(
                    sp.limit,
                    COMPONENT_TIME_LIMIT,
                    smooth(outer),
                    dummy,
                    u,
                    "+" if side > 0 else "-",
                )
            except Exception:
                return None
            u_shown = f"{_show(u)}{approach}"
    if not isinstance(value, sp.Expr) or value.has(sp.nan, sp.zoo, sp.Limit) or value.has(sp.I):
        return None
    if _is_inf(u) or not approach:
        u_shown = _show(u)
    shown_outer = to_text(outer.subs(dummy, sp.Symbol("u")))
    tends = f"{shown_outer} → {_show(value)} as u → {u_shown}"
    why = f"the inside {to_text(inner)} → {u_shown}, and {tends}"
    return Form("determinate", {"inner": inner, "u": u}, value, why)


def _at_infinity(g: sp.Expr, u: sp.Symbol, sign: sp.Expr) -> Any:
    """lim g as u → ±∞ by Gruntz's algorithm at +∞ (SymPy's limit gets 2^u at −∞ wrong)."""
    from sympy.series.gruntz import gruntz

    t = sp.Dummy("t", positive=True)
    try:
        return gruntz(g.subs(u, t if sign is INF else -t), t, sp.oo)
    except Exception:
        return sp.limit(g, u, sign)


def _bounded(g: sp.Expr) -> bool:
    """True for sin(·), cos(·), tanh(·), … (and products/powers of them): |g| ≤ M."""
    if type(g) in _BOUNDED:
        return True
    if g.is_Pow and g.exp.is_positive and g.exp.is_integer:
        return _bounded(g.base)
    if g.is_Mul or g.is_Add:
        return all(_bounded(a) or a.is_number for a in g.args)
    return False


def _substitution(f: sp.Expr, ap: Approach) -> LimitStep | None:
    if ap.infinite or f.has(*_JUMPY):
        return None
    v = f.subs(ap.x, ap.at)
    if not (v.is_number and v.is_extended_real and v.is_finite):
        return None
    # every part must be finite too (no hidden 0·∞ cancelled by SymPy)
    for sub in sp.preorder_traversal(f):
        if isinstance(sub, sp.Expr) and sub.has(ap.x):
            w = sub.subs(ap.x, ap.at)
            if w.has(sp.zoo, sp.nan, sp.oo, -sp.oo) or w.is_extended_real is False:
                return None
            if sub.is_Pow and sub.exp.has(ap.x) and sub.base.subs(ap.x, ap.at) == 0:
                return None  # 0^0 is an indeterminate form, not 1
    return limit_step(
        "substitute",
        f"{to_text(f)} is continuous at {to_text(ap.x)} = {to_text(ap.at)}: substitute",
        f,
        v,
        ap.where,
    )


def _form_note(f: sp.Expr, ap: Approach, form: Form) -> LimitStep:
    where = f"{to_text(ap.x)} = {to_text(ap.at)}" if not ap.infinite else ap.where
    if form.name == "oscillating base":
        return note_step(
            "oscillating base",
            f"as {ap.where} the base {to_text(form.parts['base'])} keeps oscillating: it has no "
            "limit, so the limit laws cannot be applied to the power",
        )
    return note_step(
        "indeterminate form", f"substituting {where} gives {form.name}, an indeterminate form"
    )
