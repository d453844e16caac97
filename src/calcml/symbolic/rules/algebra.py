"""Structural rules: sum, constant multiple, product (n factors), quotient, log base b, the power
family (xⁿ for any constant n, roots, aᵘ, and f^g by logarithmic differentiation), and Σ sums.
"""

from __future__ import annotations

import sympy as sp

from calcml.expr.render import to_text
from calcml.symbolic.rules import Differentiates, rule
from calcml.symbolic.rules.chain import chain_step
from calcml.symbolic.rules.statements import STATEMENTS
from calcml.symbolic.steps import Step


@rule(sp.Add)
def sum_rule(expr: sp.Expr, d: Differentiates) -> Step:
    """d/dx (f + g − h) = f′ + g′ − h′."""
    subs = [d.diff(term) for term in sp.Add.make_args(expr)]
    after = sp.Add(*(s.after for s in subs))
    kind = "Sum/difference" if any(t.could_extract_minus_sign() for t in expr.args) else "Sum"
    return d.step(
        "sum",
        f"{kind} rule: differentiate term by term",
        expr,
        after,
        subs,
        formula=STATEMENTS["sum"].formula_in(d.var),
    )


@rule(sp.Mul)
def mul_rule(expr: sp.Expr, d: Differentiates) -> Step:
    """Constant multiple, then quotient or product rule on what depends on the variable."""
    const, dep = expr.as_independent(d.wrt, as_Add=False)
    if const != 1:
        return constant_multiple(expr, const, dep, d)
    numer, denom = split_fraction(expr, d.wrt)
    if d.prefer_quotient and denom != 1 and numer.has(d.wrt):
        return quotient(expr, numer, denom, d)
    return product(expr, d)


def constant_multiple(expr: sp.Expr, const: sp.Expr, dep: sp.Expr, d: Differentiates) -> Step:
    """d/dx (c·f) = c·f′ (and log_b(u) = log(u)/log(b) is a constant multiple of log)."""
    inner = d.diff(dep)
    after = const * inner.after
    base = log_base(const, dep)
    if base is not None:
        b = to_text(base)
        return d.step(
            "log_base",
            f"Logarithm to base {b}: log_{b}(u) = log(u)/log({b}), a constant multiple of the "
            "natural log",
            expr,
            after,
            [inner],
            formula=STATEMENTS["log_base"].formula,
        )
    return d.step(
        "constant_multiple",
        f"Constant multiple rule: the factor {to_text(const)} stays, differentiate the rest",
        expr,
        after,
        [inner],
        formula=STATEMENTS["constant_multiple"].formula_in(d.var),
    )


def log_base(const: sp.Expr, dep: sp.Expr) -> sp.Expr | None:
    """b when const·dep is log(u)/log(b) with a numeric base b, else None."""
    if not isinstance(dep, sp.log):
        return None
    if isinstance(const, sp.Pow) and const.exp == -1 and isinstance(const.base, sp.log):
        base = const.base.args[0]
        return base if base.is_number else None
    return None


def split_fraction(expr: sp.Expr, wrt: sp.Symbol) -> tuple[sp.Expr, sp.Expr]:
    """(numerator, denominator) from the factors with negative numeric exponents that hold wrt."""
    numer: list[sp.Expr] = []
    denom: list[sp.Expr] = []
    for factor in sp.Mul.make_args(expr):
        base, exp = factor.as_base_exp() if isinstance(factor, sp.Pow) else (factor, sp.S.One)
        if exp.is_Number and exp < 0 and base.has(wrt):
            denom.append(sp.Pow(base, -exp))
        else:
            numer.append(factor)
    return sp.Mul(*numer), sp.Mul(*denom)


def quotient(expr: sp.Expr, f: sp.Expr, g: sp.Expr, d: Differentiates) -> Step:
    """d/dx (f/g) = (f′·g − f·g′)/g²."""
    df, dg = d.diff(f), d.diff(g)
    after = (df.after * g - f * dg.after) / g**2
    return d.step(
        "quotient",
        f"Quotient rule with f = {to_text(f)} and g = {to_text(g)}",
        expr,
        after,
        [df, dg],
        formula=STATEMENTS["quotient"].formula_in(d.var),
    )


def product(expr: sp.Expr, d: Differentiates) -> Step:
    """d/dx (f₁·f₂·…·fₙ) = Σᵢ f₁·…·fᵢ′·…·fₙ."""
    factors = list(sp.Mul.make_args(expr))
    subs = [d.diff(f) for f in factors]
    terms = [
        sp.Mul(*factors[:i], s.after, *factors[i + 1 :]) for i, s in enumerate(subs) if s.after != 0
    ]
    n = len(factors)
    formula = (
        STATEMENTS["product"].formula_in(d.var)
        if n == 2
        else f"{STATEMENTS['product_of_n'].formula_in(d.var)} (here n = {n})"
    )
    return d.step(
        "product",
        "Product rule: differentiate one factor at a time, keeping the others",
        expr,
        sp.Add(*terms),
        subs,
        formula=formula,
    )


@rule(sp.Pow)
def power_rule(expr: sp.Expr, d: Differentiates) -> Step:
    """xⁿ and g(x)ⁿ (power rule), aᵍ⁽ˣ⁾ (exponential), f(x)^g(x) (logarithmic differentiation)."""
    base, exp = expr.as_base_exp()
    if not exp.has(d.wrt):
        return power(expr, base, exp, d)
    if not base.has(d.wrt):
        return exponential(expr, base, exp, d)
    return logarithmic(expr, base, exp, d)


def power_kind(exp: sp.Expr) -> str:
    if exp == -1:
        return "Power rule on a reciprocal (1/u = u⁻¹)"
    if exp.is_Rational and not exp.is_Integer:
        q = exp.q
        root = {2: "√u", 3: "the cube root of u"}.get(q, f"the root of order {q} of u")
        return f"Power rule with a fractional exponent ({root} is a power of u)"
    if exp.is_negative:
        return "Power rule with a negative exponent (1/uⁿ = u⁻ⁿ)"
    return "Power rule"


def _power_derivative(base: sp.Expr, exp: sp.Expr) -> sp.Expr:
    return exp * base ** (exp - 1)


def power(expr: sp.Expr, base: sp.Expr, exp: sp.Expr, d: Differentiates) -> Step:
    """d/dx uⁿ = n·uⁿ⁻¹·u′ for a constant n."""
    formula = STATEMENTS["power"].formula
    if d.reciprocal_quotient and exp.is_Integer and exp < 0 and base != d.wrt:
        return quotient(expr, sp.S.One, base**-exp, d)
    if base == d.wrt:
        return d.step("power", power_kind(exp), expr, _power_derivative(base, exp), formula=formula)
    u = d.fresh(expr)
    outer = d.step(
        "power", power_kind(exp), u**exp, _power_derivative(u, exp), formula=formula, wrt=u
    )
    # n·uⁿ⁻¹ kept as a product (2·(w·x + b − y), not 2·w·x + 2·b − 2·y) so the chain rule's
    # result reads like the textbook's and like sympy.diff's
    outer_at_inner = sp.Mul(exp, base ** (exp - 1), evaluate=False)
    return chain_step(expr, base, outer, outer_at_inner, d)


def exponential(expr: sp.Expr, base: sp.Expr, exp: sp.Expr, d: Differentiates) -> Step:
    """d/dx aᵘ = aᵘ·log(a)·u′ for a constant base a."""
    formula = STATEMENTS["exponential"].formula
    why = (
        f"Exponential with base {to_text(base)}: aᵘ = e^(u·log(a)), so its derivative is aᵘ·log(a)"
    )
    if exp == d.wrt:
        return d.step("exponential", why, expr, expr * sp.log(base), formula=formula)
    u = d.fresh(expr)
    outer = d.step("exponential", why, base**u, base**u * sp.log(base), formula=formula, wrt=u)
    return chain_step(expr, exp, outer, expr * sp.log(base), d)


def logarithmic(expr: sp.Expr, base: sp.Expr, exp: sp.Expr, d: Differentiates) -> Step:
    """y = f^g: log(y) = g·log(f), so y′ = f^g·(g·log(f))′."""
    inner = d.diff(exp * sp.log(base))
    return d.step(
        "logarithmic",
        f"Logarithmic differentiation: y = {to_text(expr)} gives "
        f"log(y) = {to_text(exp * sp.log(base))}; differentiate both sides, "
        "y′/y = (g·log(f))′, and multiply by y",
        expr,
        expr * inner.after,
        [inner],
        formula=STATEMENTS["logarithmic"].formula_in(d.var),
    )


@rule(sp.Sum)
def sigma_rule(expr: sp.Expr, d: Differentiates) -> Step:
    """d/dw Σᵢ fᵢ = Σᵢ dfᵢ/dw (the limits must not depend on w)."""
    summand, *limits = expr.args
    if any(part.has(d.wrt) for lim in limits for part in lim[1:]):
        from calcml.errors import UnsupportedError

        raise UnsupportedError(f"a sum whose limits depend on {d.var}")
    inner = d.diff(summand)
    return d.step(
        "sum",
        "Sum rule over the samples: the derivative of a sum is the sum of the derivatives",
        expr,
        expr.func(inner.after, *limits),
        [inner],
        formula=STATEMENTS["sigma"].formula_in(d.var),
    )
