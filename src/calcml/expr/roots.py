"""Odd roots are real: cbrt(x), x^(1/3), \\sqrt[3]{x} and x^(p/q) with q odd, for every real x.

SymPy's `x**(1/3)` is the principal complex root (complex for x < 0). In a course on real
functions the cube root of -8 is -2, so an odd root is written with SymPy's own real functions:
x^(p/q) = sign(x)·|x|^(p/q) for odd p, |x|^(p/q) for even p (as `sympy.real_root` does).
Everything downstream (diff, limit, series, lambdify, evalf) then computes the real root: it is
continuous everywhere and not differentiable at 0, where |x|^(1/3) has a vertical tangent.

>>> import sympy as sp
>>> real_power(sp.Integer(-8), sp.Rational(1, 3))
-2
>>> x = sp.Symbol("x", real=True)
>>> real_power(x, sp.Rational(2, 3))
Abs(x)**(2/3)
>>> real_power(x, sp.Rational(1, 2))
sqrt(x)
"""

from __future__ import annotations

import sympy as sp


def is_odd_root(exponent: sp.Expr) -> bool:
    """True for a rational exponent p/q, not an integer, whose denominator q is odd."""
    return bool(exponent.is_Rational and not exponent.is_Integer and exponent.q % 2 == 1)  # type: ignore[attr-defined]


def real_power(base: sp.Expr, exponent: sp.Expr) -> sp.Expr:
    """base^exponent, the real root when the exponent is p/q with q odd (else SymPy's Pow)."""
    if not is_odd_root(exponent) or _nonnegative(base) or base.is_extended_real is False:
        return sp.Pow(base, exponent)
    magnitude = sp.Pow(sp.Abs(base), exponent)
    return magnitude if exponent.p % 2 == 0 else sp.sign(base) * magnitude  # type: ignore[attr-defined]


def _nonnegative(base: sp.Expr) -> bool:
    """|u| and u^(2k) are ≥ 0 wherever they are real (SymPy cannot tell when u may be complex)."""
    even = isinstance(base, sp.Pow) and base.exp.is_Integer and base.exp % 2 == 0
    return bool(base.is_nonnegative or isinstance(base, sp.Abs) or even)


def real_cbrt(x: sp.Expr) -> sp.Expr:
    """The real cube root: cbrt(-8) = -2."""
    return real_power(x, sp.Rational(1, 3))


def real_powers(expr: sp.Expr) -> sp.Expr:
    """`expr` with every odd root made real (for expressions built by SymPy, not the parser)."""
    if not isinstance(expr, sp.Basic) or not any(is_odd_root(p.exp) for p in expr.atoms(sp.Pow)):
        return expr
    return expr.replace(  # type: ignore[no-any-return]
        lambda e: isinstance(e, sp.Pow) and is_odd_root(e.exp) and not _nonnegative(e.base),
        lambda e: real_power(e.base, e.exp),
    )


def fold_real_roots(expr: sp.Mul) -> sp.Expr:
    """For printing: sign(u)·|u|^(p/q) (p, q odd) shown as the real root u^(p/q) it stands for
    (`parse` reads u^(p/q) back as the same product). Returns `expr` when there is none."""
    factors = list(expr.args)
    for s in [f for f in factors if isinstance(f, sp.sign)]:
        u = s.args[0]
        match = next(
            (
                f
                for f in factors
                if isinstance(f, sp.Pow)
                and isinstance(f.base, sp.Abs)
                and f.base.args[0] == u
                and is_odd_root(f.exp)
                and f.exp.p % 2 == 1  # type: ignore[attr-defined]
                and f.exp > 0  # 1/x^(1/3) would read back as 1/sign(x)·…: left as it is
            ),
            None,
        )
        if match is not None:
            factors.remove(s)
            factors.remove(match)
            factors.append(sp.Pow(u, match.exp, evaluate=False))
    if len(factors) == len(expr.args):
        return expr
    return factors[0] if len(factors) == 1 else sp.Mul(*factors, evaluate=False)
