"""Algebraic techniques: factor and cancel, the conjugate, the highest power, combining terms."""

from __future__ import annotations

from typing import Any

import sympy as sp

from calcml.expr.render import to_text
from calcml.symbolic.budget import within_expansion
from calcml.symbolic.limit_result import (
    LimitStep,
    NoLimit,
    limit_step,
    note_step,
    rewrite_step,
)
from calcml.symbolic.limit_teach.approach import (
    INF,
    NINF,
    Approach,
    _is_inf,
    leading_at_infinity,
)
from calcml.symbolic.limit_teach.forms import Form, _show
from calcml.symbolic.limit_teach.techniques.base import Move, Teach, _quotient


def factor_cancel(f: sp.Expr, ap: Approach, form: Form, depth: int, teach: Teach) -> Move | None:
    if ap.infinite or not f.is_rational_function(ap.x):
        return None
    num, den = form.parts["num"], form.parts["den"]
    factored = _quotient(sp.factor(num), sp.factor(den))
    cancelled = sp.cancel(f)
    if cancelled == f or cancelled.as_numer_denom()[1] == den:
        return None
    factor = ap.x - ap.at
    steps = [
        rewrite_step("factor", "factor the numerator and the denominator", f, factored),
        rewrite_step(
            "cancel",
            f"cancel the common factor ({to_text(factor)}) (x ≠ a near the limit)",
            factored,
            cancelled,
        ),
    ]
    return Move(steps, expr=cancelled)


def _sqrt_sum(g: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    if g.is_Add and len(g.args) == 2 and any(_has_root(t, x) for t in g.args):
        return g
    return None


def _has_root(t: sp.Expr, x: sp.Symbol) -> bool:
    return any(p.exp == sp.S.Half or p.exp == -sp.S.Half for p in t.atoms(sp.Pow) if p.has(x))


def conjugate(f: sp.Expr, ap: Approach, form: Form, depth: int, teach: Teach) -> Move | None:
    x = ap.x
    if form.name == "∞−∞":
        num, den = f, sp.S.One
    else:
        num, den = form.parts["num"], form.parts["den"]
    for which, part in (("numerator", num), ("denominator", den)):
        s = _sqrt_sum(part, x)
        if s is None:
            continue
        p, q = sorted(s.args, key=lambda t: not _has_root(t, x))
        conj = p - q
        product = sp.expand(p**2 - q**2)
        if which == "numerator":
            new_num, new_den = product, den * conj
        else:
            new_num, new_den = num * conj, product
        shown = _quotient(new_num, new_den)
        explanation = (
            f"multiply the numerator and the denominator by the conjugate {to_text(conj)}; "
            "(a + b)(a − b) = a² − b²"
        )
        steps = [rewrite_step("conjugate", explanation, f, shown)]
        if ap.infinite:
            return _then_highest(steps, new_num, new_den, ap, teach)
        cancelled = sp.cancel(new_num / new_den)
        steps.append(
            rewrite_step(
                "cancel", "cancel the common factor (x ≠ a near the limit)", shown, cancelled
            )
        )
        return Move(steps, expr=cancelled)
    return None


def _then_highest(
    steps: list[LimitStep], num: sp.Expr, den: sp.Expr, ap: Approach, teach: Teach
) -> Move | None:
    f = _quotient(num, den)
    move = highest_power(f, ap, Form("∞/∞", {"num": num, "den": den}), 0, teach)
    if move is None:
        return None
    return Move(steps + move.steps, value=move.value)


def _growth(g: sp.Expr, x: sp.Symbol) -> Any:
    """The power of x that g grows like at ∞ (polynomials and roots of them), or None."""
    if not g.has(x):
        return sp.S.Zero
    if g.is_polynomial(x):
        lead = leading_at_infinity(g, x)  # read from the tree: (x + 1)¹⁰⁰⁰ is not expanded
        return lead[1] if lead is not None else sp.degree(g, x)
    if g.is_Pow and g.exp.is_Rational:
        inner = _growth(g.base, x)
        return None if inner is None else inner * g.exp
    if g.is_Add or g.is_Mul:
        parts = [_growth(a, x) for a in g.args]
        if any(p is None for p in parts):
            return None
        return max(parts) if g.is_Add else sp.Add(*parts)
    return None


def _divide(g: sp.Expr, k: Any, x: sp.Symbol, positive: bool) -> sp.Expr:
    """g / x^k term by term, moving x^k inside square roots: √P/xᵏ = ±√(P/x²ᵏ), the sign
    being that of xᵏ (negative for odd k as x → −∞)."""
    if not within_expansion(g):  # (x + 1)¹⁰⁰⁰: 1001 terms with 300-digit coefficients
        return _divide_powers(g, k, x)
    out = []
    sign = 1 if positive or not (k.is_integer and k % 2) else -1
    for t in sp.Add.make_args(sp.expand(g)):
        coeff, rest = t.as_independent(x, as_Add=False)
        if rest.is_Pow and rest.exp == sp.S.Half and k.is_integer:
            out.append(sign * coeff * sp.sqrt(sp.expand(rest.base / x ** (2 * k))))
        else:
            out.append(sp.expand(t / x**k))
    return sp.Add(*out)


def _divide_powers(g: sp.Expr, k: Any, x: sp.Symbol) -> sp.Expr:
    """g / xᵏ term by term without expanding: a term c·Pⁿ with deg P = m and m·n = k becomes
    c·(P/xᵐ)ⁿ ((x + 2)⁵⁰⁰/x⁵⁰⁰ = (1 + 2/x)⁵⁰⁰), any other term t becomes t/xᵏ."""
    out = []
    for t in sp.Add.make_args(g):
        coeff, rest = t.as_independent(x, as_Add=False)
        if rest.is_Pow and rest.exp.is_Integer and rest.exp > 0 and rest.base.is_polynomial(x):
            lead = leading_at_infinity(rest.base, x)
            if lead is not None and lead[1] * rest.exp == k:
                out.append(coeff * sp.expand(rest.base / x ** lead[1]) ** rest.exp)
                continue
        out.append(t / x**k)
    return sp.Add(*out)


def highest_power(f: sp.Expr, ap: Approach, form: Form, depth: int, teach: Teach) -> Move | None:
    x = ap.x
    num, den = form.parts["num"], form.parts["den"]
    if not ap.infinite:
        return None
    d = _growth(den, x)
    if d is None or _growth(num, x) is None or d == 0:
        return None
    if not d.is_integer and ap.at is not INF:
        return None
    power = x**d
    positive = ap.at is INF
    new_num, new_den = _divide(num, d, x, positive), _divide(den, d, x, positive)
    new = _quotient(new_num, new_den)
    steps = [
        rewrite_step(
            "highest power",
            f"divide the numerator and the denominator by {to_text(power)}, "
            "the highest power in the denominator",
            f,
            new,
        ),
        note_step("highest power", f"as {ap.where}, every term c/xᵏ (k > 0) → 0"),
    ]
    n, dd = ap.lim(new_num), ap.lim(new_den)
    if n is None or dd is None or isinstance(n, NoLimit) or isinstance(dd, NoLimit) or dd == 0:
        return None
    value = n / dd if not _is_inf(n) else (n if dd.is_positive else -n)
    steps.append(
        limit_step(
            "limit laws",
            f"the numerator → {_show(n)}, the denominator → {_show(dd)}",
            new,
            value,
            ap.where,
        )
    )
    return Move(steps, value=value)


def dominant(f: sp.Expr, ap: Approach, form: Form, depth: int, teach: Teach) -> Move | None:
    """At ±∞: factor out the term that grows fastest; the bracket's limit decides."""
    if not ap.infinite:
        return None
    terms, limits = form.parts["terms"], form.parts["limits"]
    for term, lim in zip(terms, limits, strict=True):
        if not _is_inf(lim):
            continue
        ratios = [ap.lim(other / term) for other in terms if other is not term]
        if any(r is None or isinstance(r, NoLimit) or _is_inf(r) for r in ratios):
            continue
        bracket = sp.expand(f / term)
        inner, value = teach(bracket, ap, depth + 1)
        if value is None or isinstance(value, NoLimit) or value == 0 or _is_inf(value):
            return None
        new = sp.Mul(term, bracket, evaluate=False)
        sign = 1 if (lim is INF) == bool(value > 0) else -1
        result = INF if sign > 0 else NINF
        return Move(
            [
                rewrite_step(
                    "factor out", f"factor out the fastest-growing term {to_text(term)}", f, new
                ),
                limit_step("limit laws", "the bracket", bracket, value, ap.where, substeps=inner),
                limit_step(
                    "limit laws",
                    f"{to_text(term)} → {_show(lim)} times {_show(value)}",
                    f,
                    result,
                    ap.where,
                ),
            ],
            value=result,
        )
    return None


def combine(f: sp.Expr, ap: Approach, form: Form, depth: int, teach: Teach) -> Move | None:
    x = ap.x
    if ap.infinite and f.is_polynomial(x):
        lead = sp.LT(f, x)
        rest = sp.expand(f / lead)
        new = sp.Mul(lead, rest, evaluate=False)
        steps = [rewrite_step("factor out", f"factor out the leading term {to_text(lead)}", f, new)]
        r = ap.lim(rest)
        lv = ap.lim(lead)
        if r is None or lv is None or isinstance(r, NoLimit) or isinstance(lv, NoLimit):
            return None
        value = lv * r
        steps.append(
            limit_step(
                "limit laws",
                f"{to_text(lead)} → {_show(lv)} and the bracket → {_show(r)}",
                new,
                value,
                ap.where,
            )
        )
        return Move(steps, value=value)
    combined = sp.together(f)
    if combined == f:
        return None
    return Move(
        [rewrite_step("common denominator", "combine into one fraction", f, combined)],
        expr=combined,
    )
