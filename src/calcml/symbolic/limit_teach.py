"""The teacher's argument for a limit: substitute, name the form, apply a technique.

`teach(f, approach)` tries direct substitution, then classifies what substitution gives
(`classify`): a determinate form (limit laws settle it) or one of the indeterminate forms
0/0, ∞/∞, 0·∞, ∞−∞, 1^∞, 0^0, ∞^0. Each technique in `TECHNIQUES` (a registry: the forms it
handles and a function) either finishes the limit or rewrites f into an expression with the
same limit, which is taught in turn. The argument is shown only if it reaches the value that
`calcml.symbolic.limits` settled and checked; otherwise the method that settled it is named.

>>> import sympy as sp
>>> x = sp.Symbol("x", real=True)
>>> steps, value = teach((x**2 - 1) / (x - 1), Approach(x, sp.S.One, "+"))
>>> [s.rule for s in steps], value
(['indeterminate form', 'factor', 'cancel', 'substitute'], 2)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import sympy as sp

from calcml.errors import TimeLimitError
from calcml.expr.render import to_text
from calcml.symbolic.limit_result import (
    DNE,
    UNDECIDED,
    LimitStep,
    LimitValue,
    NoLimit,
    arrow,
    limit_step,
    note_step,
    rewrite_step,
    value_pretty,
)
from calcml.symbolic.limit_sides import sign_near, smooth
from calcml.symbolic.show_derivative import derivative_step
from calcml.symbolic.timelimit import call_with_time_limit

INF = sp.S.Infinity
NINF = sp.S.NegativeInfinity
MAX_DEPTH = 8
MAX_LHOPITAL = 4
TEACH_TIME_LIMIT = 1.0
COMPONENT_TIME_LIMIT = 1.0

# functions that may jump: substituting into them proves nothing about the limit
_JUMPY = (sp.sign, sp.Heaviside, sp.floor, sp.ceiling, sp.frac, sp.Piecewise, sp.Max, sp.Min)
# bounded functions (|v| ≤ M): for the squeeze theorem
_BOUNDED = {sp.sin: 1, sp.cos: 1, sp.tanh: 1, sp.atan: sp.pi / 2, sp.sign: 1}


def _is_inf(v: Any) -> bool:
    return v is INF or v is NINF


@dataclass(frozen=True)
class Approach:
    """x → at from side ('+', '-', or '' for both sides alike)."""

    x: sp.Symbol
    at: sp.Expr
    side: str = ""
    memo: dict[sp.Expr, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)

    @property
    def where(self) -> str:
        return arrow(self.x, self.at, self.side)

    @property
    def infinite(self) -> bool:
        return _is_inf(self.at)

    @property
    def direction(self) -> str:
        return self.side if self.side in ("+", "-") else "+"

    def lim(self, g: sp.Expr) -> LimitValue | None:
        """The limit of a component g (substitution when it is continuous, else SymPy)."""
        if not g.has(self.x):
            return g
        if g in self.memo:
            return self.memo[g]
        value = self._lim(g)
        self.memo[g] = value
        return value

    def _lim(self, g: sp.Expr) -> LimitValue | None:
        if self.infinite and g.is_rational_function(self.x):
            quick = _rational_at_infinity(g, self.x, self.at)
            if quick is not None:
                return quick
        if not self.infinite and not g.has(*_JUMPY):
            v = g.subs(self.x, self.at)
            if v.is_number and v.is_extended_real and v.is_finite:
                return v
        try:
            if self.infinite:
                raw = call_with_time_limit(
                    sp.limit, COMPONENT_TIME_LIMIT, smooth(g), self.x, self.at
                )
            else:
                raw = call_with_time_limit(
                    sp.limit, COMPONENT_TIME_LIMIT, smooth(g), self.x, self.at, self.direction
                )
        except Exception:
            return None
        if isinstance(raw, sp.AccumBounds):
            return DNE
        if raw.has(sp.Limit, sp.nan, sp.zoo) or raw.has(sp.I):
            return None
        return raw  # type: ignore[no-any-return]

    def sign(self, g: sp.Expr) -> int | None:
        return sign_near(g, self.x, self.at, self.direction)


def _rational_at_infinity(g: sp.Expr, x: sp.Symbol, at: sp.Expr) -> Any:
    """P/Q as x → ±∞ from the leading terms (None if SymPy's Poly cannot read it)."""
    try:
        num, den = (sp.Poly(part, x) for part in sp.fraction(sp.cancel(g)))
    except sp.PolynomialError:
        return None
    dn, dd = num.degree(), den.degree()
    ratio = num.LC() / den.LC()
    if dn < dd:
        return sp.S.Zero
    if dn == dd:
        return ratio
    sign = ratio * (1 if at is INF or (dn - dd) % 2 == 0 else -1)
    if not sign.is_number or sign == 0:
        return None
    return INF if sign > 0 else NINF


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


# ----------------------------------------------------------------------------- classify


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
    if b is None or e is None or isinstance(b, NoLimit) or isinstance(e, NoLimit):
        return None
    parts = {"base": f.base, "exp": f.exp, "b": b, "e": e}
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
        if inf and not zero and len(wild) == 1 and type(wild[0]) in (sp.sin, sp.cos):
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
        except Exception:
            return None
        if isinstance(raw, sp.AccumBounds):
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


# ----------------------------------------------------------------------------- techniques


@dataclass
class Move:
    """A technique's work: steps, then either the final value or an expression to continue with."""

    steps: list[LimitStep]
    expr: sp.Expr | None = None
    value: LimitValue | None = None


@dataclass(frozen=True)
class Technique:
    """A textbook technique: the forms it handles and how it rewrites or finishes the limit."""

    rule: str
    title: str
    forms: frozenset[str]
    apply: Callable[[sp.Expr, Approach, Form, int], Move | None]


def _standard(f: sp.Expr, ap: Approach, form: Form, depth: int) -> Move | None:
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


def _factor_cancel(f: sp.Expr, ap: Approach, form: Form, depth: int) -> Move | None:
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


def _quotient(num: sp.Expr, den: sp.Expr) -> sp.Expr:
    """num/den kept as written (no automatic cancelling), for display."""
    if den == 1:
        return num
    return sp.Mul(num, sp.Pow(den, -1, evaluate=False), evaluate=False)


def _sqrt_sum(g: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    if g.is_Add and len(g.args) == 2 and any(_has_root(t, x) for t in g.args):
        return g
    return None


def _has_root(t: sp.Expr, x: sp.Symbol) -> bool:
    return any(p.exp == sp.S.Half or p.exp == -sp.S.Half for p in t.atoms(sp.Pow) if p.has(x))


def _conjugate(f: sp.Expr, ap: Approach, form: Form, depth: int) -> Move | None:
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
            return _then_highest(steps, new_num, new_den, ap)
        cancelled = sp.cancel(new_num / new_den)
        steps.append(
            rewrite_step(
                "cancel", "cancel the common factor (x ≠ a near the limit)", shown, cancelled
            )
        )
        return Move(steps, expr=cancelled)
    return None


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


def _growth_rates(f: sp.Expr, ap: Approach, form: Form, depth: int) -> Move | None:
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


def _then_highest(steps: list[LimitStep], num: sp.Expr, den: sp.Expr, ap: Approach) -> Move | None:
    f = _quotient(num, den)
    move = _highest_power(f, ap, Form("∞/∞", {"num": num, "den": den}), 0)
    if move is None:
        return None
    return Move(steps + move.steps, value=move.value)


def _growth(g: sp.Expr, x: sp.Symbol) -> Any:
    """The power of x that g grows like at ∞ (polynomials and roots of them), or None."""
    if not g.has(x):
        return sp.S.Zero
    if g.is_polynomial(x):
        return sp.degree(g, x)
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
    out = []
    sign = 1 if positive or not (k.is_integer and k % 2) else -1
    for t in sp.Add.make_args(sp.expand(g)):
        coeff, rest = t.as_independent(x, as_Add=False)
        if rest.is_Pow and rest.exp == sp.S.Half and k.is_integer:
            out.append(sign * coeff * sp.sqrt(sp.expand(rest.base / x ** (2 * k))))
        else:
            out.append(sp.expand(t / x**k))
    return sp.Add(*out)


def _highest_power(f: sp.Expr, ap: Approach, form: Form, depth: int) -> Move | None:
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


def _dominant(f: sp.Expr, ap: Approach, form: Form, depth: int) -> Move | None:
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


def _combine(f: sp.Expr, ap: Approach, form: Form, depth: int) -> Move | None:
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


def _log_form(f: sp.Expr, ap: Approach, form: Form, depth: int) -> Move | None:
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


_KEEP_ON_TOP = (sp.log, sp.atan, sp.asin, sp.acos)


def _product_to_quotient(f: sp.Expr, ap: Approach, form: Form, depth: int) -> Move | None:
    zero, inf = sp.Mul(*form.parts["zero"]), sp.Mul(*form.parts["inf"])
    others = sp.Mul(
        *[g for g in form.parts["factors"] if g not in form.parts["zero"] + form.parts["inf"]]
    )
    if inf.has(*_KEEP_ON_TOP) or (inf.is_Pow and inf.exp.is_negative):
        num, den, name = others * inf, 1 / zero, "∞/∞"
        how = f"move {to_text(zero)} to the denominator as 1/({to_text(den)}): now ∞/∞"
    else:
        num, den, name = others * zero, 1 / inf, "0/0"
        how = f"move {to_text(inf)} to the denominator as 1/({to_text(den)}): now 0/0"
    quotient = _quotient(num, den)
    step = rewrite_step("rewrite as quotient", how, f, quotient)
    move = _lhopital(quotient, ap, Form(name, {"num": num, "den": den}), depth)
    if move is None:
        return None
    return Move([step, *move.steps], expr=move.expr)


def _squeeze(f: sp.Expr, ap: Approach, form: Form, depth: int) -> Move | None:
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


def _lhopital(f: sp.Expr, ap: Approach, form: Form, depth: int) -> Move | None:
    num, den = form.parts["num"], form.parts["den"]
    if depth > MAX_DEPTH - 2 or sum(1 for _ in range(depth)) > MAX_LHOPITAL * 2:
        return None
    dn = derivative_step(num, ap.x, "numerator")
    dd = derivative_step(den, ap.x, "denominator")
    new = dn.after / dd.after
    if sp.count_ops(new) > 3 * sp.count_ops(f) + 12:
        return None
    simpler = sp.cancel(new) if new.is_rational_function(ap.x) else new
    step = rewrite_step(
        "L'Hôpital",
        f"L'Hôpital's rule ({form.name}): the limit of N/D equals the limit of N′/D′",
        _quotient(num, den),
        simpler,
        substeps=[dn, dd],
    )
    return Move([step], expr=simpler)


TECHNIQUES: tuple[Technique, ...] = (
    Technique("standard limit", "A standard limit", frozenset({"0/0"}), _standard),
    Technique("factor", "Factor and cancel", frozenset({"0/0"}), _factor_cancel),
    Technique("conjugate", "Multiply by the conjugate", frozenset({"0/0", "∞−∞"}), _conjugate),
    Technique("highest power", "Divide by the highest power", frozenset({"∞/∞"}), _highest_power),
    Technique("growth rates", "Compare rates of growth", frozenset({"∞/∞"}), _growth_rates),
    Technique("combine", "Combine the terms", frozenset({"∞−∞"}), _combine),
    Technique("factor out", "Factor out the dominant term", frozenset({"∞−∞"}), _dominant),
    Technique("logarithm", "Take logarithms", frozenset({"1^∞", "0^0", "∞^0"}), _log_form),
    Technique("squeeze", "The squeeze theorem", frozenset({"0·bounded", "bounded/∞"}), _squeeze),
    Technique(
        "rewrite as quotient",
        "Write the product as a quotient",
        frozenset({"0·∞"}),
        _product_to_quotient,
    ),
    Technique("L'Hôpital", "L'Hôpital's rule", frozenset({"0/0", "∞/∞"}), _lhopital),
)


# ----------------------------------------------------------------------------- the engine


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
    return note_step(
        "indeterminate form", f"substituting {where} gives {form.name}, an indeterminate form"
    )


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
            move = technique.apply(f, ap, form, depth)
        except (TimeLimitError, ValueError, TypeError, NotImplementedError, sp.PolynomialError):
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


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, NoLimit) or isinstance(b, NoLimit) or a is None:
        return a is b
    if a == b:
        return True
    if _is_inf(a) or _is_inf(b):
        return False
    try:
        return bool(sp.simplify(a - b) == 0)
    except Exception:
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
