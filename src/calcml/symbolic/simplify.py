"""Fast simplification that a learner recognises (no blind `sympy.simplify`).

A derivative straight from the rules is correct but untidy (`x·e^x − e^x` over `x²`, zero terms,
`σ·(1 − σ)·σ⁻¹`). `tidy` tries a few cheap, predictable rewrites — expand and collect, take out
common factors, cancel over a common denominator — and keeps the smallest form, preferring the
form as derived on ties. Function arguments are left alone, so σ(z)·(1 − σ(z)) and 1 − tanh²(z)
stay as they are; for binary cross-entropy of a sigmoid the terms cancel to σ(z) − y.

>>> from calcml.expr import symbol
>>> x = symbol("x")
>>> tidy(x * sp.exp(x) / x**2 - sp.exp(x) / x**2).expr
(x - 1)*exp(x)/x**2
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import sympy as sp

from calcml.expr.functions import sigmoid
from calcml.symbolic.budget import (
    MAX_TERMS,
    charge_work,
    expanded_nodes,
    expansion_terms,
    within_degree,
    within_expansion,
)

MAX_EXPAND_OPS = 400  # above this, expanding costs more than a learner gains
MIN_SAVING = 1  # a rewrite must save at least this many operations to replace a form


@dataclass(frozen=True)
class Tidied:
    """The tidied expression and a one-line description of what was done ('' if nothing)."""

    expr: sp.Expr
    how: str


def _expand(e: sp.Expr) -> sp.Expr:
    """Expand products of sums, treating every function application f(…) as an opaque atom."""
    shield = {app: sp.Dummy() for app in e.atoms(sp.Function)}
    expanded = sp.expand(e.xreplace(shield), power_exp=False, power_base=False, log=False)
    return expanded.xreplace({v: k for k, v in shield.items()})  # type: ignore[no-any-return]


def _common_denominator(e: sp.Expr) -> sp.Expr | None:
    """Over one denominator, numerator expanded; None when that would exceed the work budget
    (60 reciprocals make a numerator of 60 products of 59 sums: 2⁵⁹ terms before collecting)."""
    if not within_degree(e):
        return None
    numer, denom = sp.fraction(sp.together(e))
    if expansion_terms(numer) > MAX_TERMS or not within_expansion(numer, False):
        return sp.factor_terms(numer) / denom  # type: ignore[no-any-return]
    return sp.factor_terms(_expand(numer)) / denom  # type: ignore[no-any-return]


def pull_out_of_sums(e: sp.Expr) -> sp.Expr:
    """Σᵢ c·fᵢ = c·Σᵢ fᵢ for every factor c that does not depend on the index."""

    def pull(s: sp.Sum) -> sp.Expr:
        const, rest = s.function.as_independent(*(lim[0] for lim in s.limits), as_Add=False)
        if const == 1:
            return s
        return const * s.func(rest, *s.limits)  # type: ignore[no-any-return]

    return e.replace(lambda n: isinstance(n, sp.Sum), pull)  # type: ignore[no-any-return]


def _has_fraction_in_sum(e: sp.Expr) -> bool:
    return any(
        isinstance(node, sp.Add)
        and any(
            isinstance(f, sp.Pow) and f.exp.is_negative
            for t in node.args
            for f in sp.Mul.make_args(t)
        )
        for node in sp.preorder_traversal(e)
    )


def recognise_sigmoid(e: sp.Expr) -> sp.Expr:
    """Where 1 + e^(−u) appears write e^(−u) = (1 − σ(u))/σ(u), and where 1 + e^u appears write
    e^u = σ(u)/(1 − σ(u)); then cancel. So the derivative of 1/(1 + e^(−u)) becomes
    σ(u)·(1 − σ(u)) and that of log(1 + e^u) becomes σ(u), the forms every ML text uses."""
    swap = {}
    for node in e.atoms(sp.Pow):
        const, rest = node.base.as_independent(sp.exp, as_Add=True)
        if isinstance(node.base, sp.Add) and const == 1 and isinstance(rest, sp.exp):
            v = rest.args[0]
            if v.could_extract_minus_sign():
                s = sigmoid(-v)
                swap[rest] = (1 - s) / s
            else:
                s = sigmoid(v)
                swap[rest] = s / (1 - s)
    if not swap:
        return e
    return sp.factor_terms(sp.together(e.xreplace(swap)))  # type: ignore[no-any-return]


MAX_EXPANDED_POWER = 6  # (u + v)ⁿ with n above this is never multiplied out


def expandable(e: sp.Basic) -> bool:
    """False when expanding would blow up: a power of a sum with a large integer exponent."""
    return not any(
        isinstance(node, sp.Pow)
        and isinstance(node.base, sp.Add)
        and node.exp.is_Integer
        and abs(node.exp) > MAX_EXPANDED_POWER
        for node in sp.preorder_traversal(e)
    )


def _has_outer_add(e: sp.Basic) -> bool:
    """True when a sum appears outside the arguments of function applications (or in a Σ)."""
    stack = [e]
    while stack:
        node = stack.pop()
        if isinstance(node, (sp.Add, sp.Sum)):
            return True
        if not isinstance(node, sp.Function):
            stack.extend(node.args)
    return False


MAX_FACTOR_OPS = 60


def factor_polynomials(e: sp.Expr) -> sp.Expr:
    """Factor the polynomial parts (x² − 2x + 1 -> (x − 1)²), function applications held fixed."""
    shield = {app: sp.Dummy() for app in e.atoms(sp.Function)}
    shielded = e.xreplace(shield)
    if not shielded.is_rational_function():
        return e
    return sp.factor(shielded).xreplace({v: k for k, v in shield.items()})  # type: ignore[no-any-return]


def _is_rational_quotient(e: sp.Expr) -> bool:
    """A quotient with a sum in its denominator and a sum of degree ≥ 2 in its numerator."""
    numer, denom = sp.fraction(e)
    return (
        any(isinstance(f, sp.Add) for f in sp.Mul.make_args(denom.as_base_exp()[0]))
        or isinstance(denom.as_base_exp()[0], sp.Add)
    ) and any(
        isinstance(f, sp.Add) and any(isinstance(p, sp.Pow) for p in sp.preorder_traversal(f))
        for f in sp.Mul.make_args(numer)
    )


def candidates(e: sp.Expr) -> Iterator[tuple[str, sp.Expr]]:
    """The rewrites tidy considers, cheapest first (each computed only when it can help)."""
    yield "Take out the common factors", sp.factor_terms(e)
    if not expandable(e) or expansion_terms(e) > MAX_TERMS or not within_expansion(e, False):
        return
    charge_work(int(expanded_nodes(e, False)))  # the rewrites below walk the expansion
    expanded = _expand(e)
    if expanded != e:
        yield "Expand and collect like terms", expanded
        if _has_outer_add(expanded):
            yield (
                "Expand, collect like terms and take out the common factors",
                sp.factor_terms(expanded),
            )
    if _has_fraction_in_sum(e):
        combined = _common_denominator(e)
        if combined is not None:
            yield "Combine over a common denominator and cancel", combined
    if size(e) <= MAX_FACTOR_OPS and _is_rational_quotient(e):
        yield "Factor the polynomials", factor_polynomials(e)
    if e.has(sp.exp):
        yield (
            "Recognise the sigmoid σ(u) = 1/(1 + e^(−u)), so e^(−u) = (1 − σ(u))/σ(u)",
            (recognise_sigmoid(e)),
        )


def _keep_sum_type(candidate: sp.Expr, original: sp.Expr) -> sp.Expr:
    """Rewrites may rebuild a Sum subclass (e.g. Σ over samples) as a plain Sum: restore it."""
    kinds = {type(s) for s in original.find(sp.Sum)} - {sp.Sum}
    if len(kinds) != 1:
        return candidate
    kind = kinds.pop()
    return candidate.replace(lambda n: type(n) is sp.Sum, lambda n: kind(*n.args))  # type: ignore[no-any-return]


def size(e: sp.Expr) -> int:
    """The size of an expression as a learner reads it: SymPy's operation count, plus one for a
    fraction nested inside a sum (1 − 1/x reads worse than (x − 1)/x)."""
    return int(sp.count_ops(e)) + _has_fraction_in_sum(e)


# f(u)ᵏ/g(u)ᵏ written as the named function a learner expects: d/dx log(cosh x) = tanh x
RATIOS: tuple[tuple[type, type, type], ...] = (
    (sp.sinh, sp.cosh, sp.tanh),
    (sp.sin, sp.cos, sp.tan),
    (sp.cos, sp.sin, sp.cot),
)


def named_ratios(e: sp.Expr) -> tuple[sp.Expr, list[str]]:
    """sinh(u)ᵏ/cosh(u)ᵏ -> tanh(u)ᵏ, sin/cos -> tan, cos/sin -> cot; and which were used."""
    used: list[str] = []

    def rewrite(m: sp.Mul) -> sp.Expr:
        factors = list(m.args)
        for top, bottom, name in RATIOS:
            for f in list(factors):
                base, k = f.as_base_exp()
                if not (isinstance(base, top) and k.is_Integer and k > 0):
                    continue
                u = base.args[0]  # type: ignore[attr-defined]
                below = bottom(u) ** -k
                if f in factors and below in factors:
                    factors.remove(f)
                    factors.remove(below)
                    factors.append(name(u) ** k)
                    used.append(f"{top.__name__}/{bottom.__name__} = {name.__name__}")
        return sp.Mul(*factors) if factors != list(m.args) else m

    if not e.has(sp.sinh, sp.sin, sp.cos):
        return e, used
    out = e.replace(lambda n: isinstance(n, sp.Mul), rewrite)
    return out, sorted(set(used))


def sign_powers(e: sp.Expr) -> sp.Expr:
    """sign(u)^(2k) -> 1 and sign(u)^(2k+1) -> sign(u): true for u ≠ 0, and at u = 0 a
    derivative that came from |u| or a real root (the only source of sign) is undefined anyway."""
    return e.replace(  # type: ignore[no-any-return]
        lambda n: isinstance(n, sp.Pow) and isinstance(n.base, sp.sign) and n.exp.is_Integer,
        lambda n: sp.S.One if n.exp % 2 == 0 else n.base,
    )


def tidy(expr: sp.Expr) -> Tidied:
    """The smallest of a few cheap rewrites of `expr` (ties keep the earlier, gentler form),
    with sin/cos, cos/sin and sinh/cosh named tan, cot and tanh before and after."""
    if not isinstance(expr, sp.Expr):
        return Tidied(expr, "")
    unsigned = sign_powers(expr)
    named, used = named_ratios(unsigned)
    core = _tidy(named)
    final, more = named_ratios(core.expr)
    ratios = sorted(set(used + more))
    how = [f"Write {' and '.join(ratios)}"] if ratios else []
    if unsigned != expr:
        how.insert(0, "sign(u)² = 1 wherever the derivative exists (u ≠ 0)")
    if core.how:
        how.append(core.how if not how else core.how[0].lower() + core.how[1:])
    return Tidied(final, "; ".join(how))


def _tidy(expr: sp.Expr) -> Tidied:
    if expr.is_Atom or not isinstance(expr, sp.Expr) or not _has_outer_add(expr):
        return Tidied(expr, "")  # no sum outside function arguments: nothing to collect
    best, best_size, how = expr, size(expr), ""
    if best_size > MAX_EXPAND_OPS:
        return Tidied(expr, "")
    if expr.has(sp.Sum):  # Σᵢ c·fᵢ = c·Σᵢ fᵢ always reads better
        pulled = pull_out_of_sums(expr)
        if pulled != expr:
            expr, best, best_size = pulled, pulled, size(pulled)
            how = "Take the constant factors out of the sum"
    seen = {expr}
    for description, rewritten in candidates(expr):
        candidate = _keep_sum_type(rewritten, expr)
        if candidate in seen or (candidate.has(sp.I) and not expr.has(sp.I)):
            continue  # √(−u) = i·√u is no tidier for a learner of real calculus
        seen.add(candidate)
        n = size(candidate)
        if n <= best_size - MIN_SAVING:
            best, best_size, how = candidate, n, description
    return Tidied(best, how)


def tidy_terms(expr: sp.Expr) -> Tidied:
    """`tidy` applied to each term of a sum separately (keeps a loss's terms apart: data + 2λw)."""
    parts = [tidy(term) for term in sp.Add.make_args(expr)]
    how = next((p.how for p in parts if p.how), "")
    return Tidied(sp.Add(*(p.expr for p in parts)), f"{how}, term by term" if how else "")
