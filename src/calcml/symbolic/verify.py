"""Every derivation is checked before it is shown: its result must equal an independent
reference (SymPy's `diff`). The check is exact first (expand the difference to 0), then numeric
at random real points (complex ones only when the expression is nowhere real).

>>> from calcml.expr import symbol
>>> x = symbol("x")
>>> equivalent(sp.sin(2 * x), 2 * sp.sin(x) * sp.cos(x), [x])
'numeric'
"""

from __future__ import annotations

import cmath
import random
from collections.abc import Iterator, Sequence

import sympy as sp

from calcml.errors import VerificationError
from calcml.expr.render import to_text
from calcml.symbolic.budget import (
    Budget,
    charge_work,
    current,
    degree_bound,
    expanded_nodes,
    expansion_terms,
    within_expansion,
)
from calcml.symbolic.simplify import expandable

SCALES = (0.5, 1.5, 3.0, 8.0)
MIN_POINTS = 3
WANTED_POINTS = 6
TRIES = 40


def equivalent(ours: sp.Expr, reference: sp.Expr, variables: Sequence[sp.Symbol]) -> str | None:
    """'exact' or 'numeric' when the two agree, None when they differ (or cannot be compared)."""
    if ours == reference:
        return "exact"
    difference = ours - reference
    if difference == 0 or _expands_to_zero(difference):
        return "exact"
    return "numeric" if numerically_equal(ours, reference, variables) else None


MAX_EXACT_OPS = 2000  # the symbolic check is tried up to this size (larger: numeric only)


def _expands_to_zero(e: sp.Expr) -> bool:
    """True when expanding (and, within the degree budget, a common denominator) gives 0.

    Bounded by work, never by a clock: no expansion past the term budget, no common
    denominator past the degree budget (60 reciprocals of x² + k would build a numerator of
    degree 118). False means "not shown exactly", and the numeric check decides.
    """
    if e.has(sp.re, sp.im, sp.arg, sp.conjugate) or sp.count_ops(e) > MAX_EXACT_OPS:
        return False  # SymPy's complex-valued forms (|u|′ for u not known real): go numeric
    if not expandable(e) or expansion_terms(e) > _limits().max_terms:
        return False
    if not within_expansion(e):
        return False
    charge_work(int(expanded_nodes(e)))
    if e.has(sp.Sum):
        e = _split_sums(e)
    expanded = sp.expand(e)
    if expanded == 0:
        return True
    if _denominator_degree(e) > _limits().max_degree:
        return False
    numerator = sp.fraction(sp.together(e))[0]
    if not numerator.free_symbols:
        return bool(sp.expand(numerator) == 0)
    try:  # multiplied out in the polynomial domain (dense arithmetic, not term by term)
        return bool(sp.Poly(numerator, *sorted(numerator.free_symbols, key=str)).is_zero)
    except (sp.PolynomialError, sp.polys.polyerrors.GeneratorsNeeded):
        return False


def _limits() -> Budget:
    """The open request's budget (the default one outside a request)."""
    return current() or Budget()


def _denominator_degree(e: sp.Expr) -> int:
    """The degree of a common denominator of `e`: of the product of its distinct denominators,
    each to its highest power (read off the tree, nothing built)."""
    highest: dict[sp.Expr, sp.Rational] = {}
    for p in e.atoms(sp.Pow):
        if p.exp.is_Rational and p.exp.is_negative and p.base.free_symbols:
            highest[p.base] = max(highest.get(p.base, sp.S.Zero), -p.exp)
    return sum(int(k * degree_bound(b) + 0.999) for b, k in highest.items())


def _split_sums(e: sp.Expr) -> sp.Expr:
    """Σᵢ (c·fᵢ + gᵢ) -> c·Σᵢ fᵢ + Σᵢ gᵢ, so sums written differently compare term by term."""

    def split(s: sp.Sum) -> sp.Expr:
        indices = [lim[0] for lim in s.limits]
        out = []
        for term in sp.Add.make_args(sp.expand(s.function)):
            const, rest = term.as_independent(*indices)  # a term is never an Add
            out.append(const * sp.Sum(rest, *s.limits))
        return sp.Add(*out)

    return e.replace(lambda n: isinstance(n, sp.Sum), split)  # type: ignore[no-any-return]


def numerically_equal(
    ours: sp.Expr, reference: sp.Expr, variables: Sequence[sp.Symbol], seed: int = 20240
) -> bool:
    """True when `ours` matches `reference` at several random points.

    Points where every root, log and inverse-trig argument is real come first (there
    re(u) = u and im(u) = 0, so SymPy's complex-valued forms become real ones); points outside
    the real domain are compared only when the expression is real almost nowhere.
    """
    syms = sorted(set(variables) | ours.free_symbols | reference.free_symbols, key=str)
    real_ref, real_ours = _as_real(reference), _as_real(ours)
    # the guards of the real forms and of the originals (im(asin(x + 20)) -> 0 drops the
    # asin), but none holding a bound dummy (inside a Subs): it would reject every point
    guards = {
        node
        for e in (real_ours, real_ref, ours, reference)
        for node in _domain_nodes(e)
        if node.free_symbols <= set(syms)
    }
    real_pairs: list[tuple[complex, complex]] = []
    outside: list[dict[sp.Symbol, sp.Float]] = []
    for point in _points(syms, seed):
        if len(real_pairs) >= WANTED_POINTS:
            break
        if not _all_real(guards, point):
            outside.append(point)
            continue
        pair = _pair(real_ours, real_ref, point)
        if pair is not None and _is_real(pair[0]) and _is_real(pair[1]):
            real_pairs.append(pair)
    pairs = real_pairs
    if len(pairs) < MIN_POINTS:
        for point in outside[:WANTED_POINTS]:
            pair = _pair(ours, reference, point)
            if pair is not None and not _is_real(pair[0]) and not _is_real(pair[1]):
                pairs.append(pair)
    if len(pairs) < MIN_POINTS:
        return False
    return all(abs(a - b) <= 1e-8 * (1 + abs(a) + abs(b)) for a, b in pairs)


def _points(syms: Sequence[sp.Symbol], seed: int) -> Iterator[dict[sp.Symbol, sp.Float]]:
    """TRIES random points, each coordinate in [-8, 8] at one of several SCALES (both signs)."""
    rng = random.Random(seed)
    for _ in range(TRIES):
        yield {s: sp.Float(rng.uniform(-1, 1) * rng.choice(SCALES), 20) for s in syms}


def _as_real(e: sp.Expr) -> sp.Expr:
    """The form of `e` to evaluate at real points, for SymPy's derivatives it cannot evaluate:
    re(u) -> u, im(u) -> 0, conj(u) -> u (then d/du re(u) is d/du u), d/dx sign(u) -> 0 (sign
    is constant near a real u ≠ 0; SymPy leaves it unevaluated when it cannot tell u is real, as
    for asin(x)^(1/3)), Subs(0, t, 0) from a derivative along a line -> 0. Valid where every
    sub-expression is real. Without a Derivative nothing is rewritten: re, im and conj evaluate
    exactly, and im(W(x)) is not 0 where W(x) is not real."""
    if not e.has(sp.Derivative):
        return e
    return (
        e.replace(sp.re, lambda u: u)
        .replace(sp.im, lambda u: sp.S.Zero)
        .replace(sp.conjugate, lambda u: u)
        .replace(
            lambda n: isinstance(n, sp.Derivative) and isinstance(n.expr, (sp.sign, sp.Heaviside)),
            lambda n: sp.S.Zero,
        )
        .replace(  # bottom-up: d/du u -> 1, then Subs(…, t, 0) at t = 0
            lambda n: isinstance(n, (sp.Derivative, sp.Subs)),
            lambda n: n.doit(),
        )
    )  # type: ignore[no-any-return]


def _pair(
    ours: sp.Expr, reference: sp.Expr, point: dict[sp.Symbol, sp.Float]
) -> tuple[complex, complex] | None:
    ref = _value(reference, point)
    if ref is None:
        return None
    got = _value(ours, point)
    return None if got is None else (got, ref)


# functions that turn a real input into a non-real value outside their real domain
_PARTIAL = (sp.log, sp.asin, sp.acos, sp.asec, sp.acsc, sp.acosh, sp.atanh, sp.acoth)


def _domain_nodes(e: sp.Expr) -> set[sp.Expr]:
    """The sub-expressions that leave the reals first: roots, fractional powers, log, asin, …"""
    return {
        node
        for node in sp.preorder_traversal(e)
        if isinstance(node, _PARTIAL)
        or (isinstance(node, sp.Pow) and not node.exp.is_integer and node.free_symbols)
    }


def _all_real(nodes: set[sp.Expr], point: dict[sp.Symbol, sp.Float]) -> bool:
    for node in nodes:
        v = _value(node, point)
        if v is None or not _is_real(v):
            return False
    return True


def _is_real(v: complex) -> bool:
    return abs(v.imag) <= 1e-12 * (1 + abs(v))


def _value(e: sp.Expr, point: dict[sp.Symbol, sp.Float]) -> complex | None:
    try:
        v = complex(e.xreplace(point).evalf(20))
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    if cmath.isnan(v) or cmath.isinf(v):
        return None
    return v


# piecewise-constant functions: derivative 0 wherever it exists (SymPy leaves it unevaluated)
_PIECEWISE_CONSTANT = (sp.floor, sp.ceiling)


def reference_derivative(expr: sp.Expr, wrt: sp.Symbol) -> sp.Expr:
    """`sympy.diff(expr, wrt)`, with floor(u) and ceil(u) held constant (slope 0 between their
    jumps), which SymPy would leave as an unevaluated Derivative."""
    steps = {node for node in sp.preorder_traversal(expr) if isinstance(node, _PIECEWISE_CONSTANT)}
    if not steps:
        return sp.diff(expr, wrt)
    held = {node: sp.Dummy("c", real=True) for node in steps}
    back = {c: node for node, c in held.items()}
    return sp.diff(expr.xreplace(held), wrt).xreplace(back)


def verify_derivative(
    result: sp.Expr,
    expr: sp.Expr,
    wrt: sp.Symbol,
    raw: sp.Expr | None = None,
    reference: sp.Expr | None = None,
) -> str:
    """Check `result` against `sympy.diff(expr, wrt)`; returns how, or raises VerificationError.

    `raw` is the rules' untidied result: when it is SymPy's derivative term for term, `result`
    (raw rewritten by algebraic identities: expand, factor, common denominator) is right too.
    """
    if wrt not in expr.free_symbols:
        if result != 0:
            raise VerificationError(
                f"{to_text(expr)} does not contain {to_text(wrt)}, yet its derivative came out as "
                f"{to_text(result)}; this is a bug in calcml"
            )
        return f"nothing to check: {to_text(wrt)} does not appear, so the derivative is 0"
    ref = reference_derivative(expr, wrt) if reference is None else reference
    if result == ref or (raw is not None and raw == ref):
        return "checked against sympy.diff (exact)"
    variables = sorted(expr.free_symbols | {wrt}, key=str)
    how = equivalent(result, ref, variables)
    if how is None:
        raise VerificationError(
            f"the derivative of {to_text(expr)} with respect to {to_text(wrt)} failed its check "
            f"against SymPy (got {to_text(result)}); this is a bug in calcml"
        )
    return f"checked against sympy.diff ({how})"
