"""The reference derivative and what `verify_derivative` reports: floor and ceil are held constant
between their jumps (checked by mpmath's numerical derivative away from the jumps), a supplied
reference is the one used, the rules' raw result vouches only when it IS SymPy's derivative, and
a failure names the expression, the variable and the wrong result."""

from __future__ import annotations

import math
import random
from collections.abc import Callable

import mpmath
import pytest
import sympy as sp

from calcml.errors import VerificationError
from calcml.expr.render import to_text
from calcml.symbolic import verify
from calcml.symbolic.verify import (
    equivalent,
    numerically_equal,
    reference_derivative,
    verify_derivative,
)

x, y = sp.Symbol("x", real=True), sp.Symbol("y", real=True)

STEPWISE: list[tuple[sp.Expr, Callable[[mpmath.mpf], mpmath.mpf]]] = [
    (x**2 * sp.floor(x), lambda t: t**2 * mpmath.floor(t)),
    (sp.ceiling(3 * x) * sp.sin(x), lambda t: mpmath.ceil(3 * t) * mpmath.sin(t)),
    (sp.Abs(sp.floor(x) * x), lambda t: abs(mpmath.floor(t) * t)),
    (sp.exp(sp.floor(x / 2) * x) + x**3, lambda t: mpmath.exp(mpmath.floor(t / 2) * t) + t**3),
]


@pytest.mark.parametrize("k", range(len(STEPWISE)))
def test_floor_and_ceil_are_constant_between_their_jumps(k: int) -> None:
    expr, f = STEPWISE[k]
    d = reference_derivative(expr, x)
    assert not d.has(sp.Derivative)
    rng = random.Random(k)
    for _ in range(6):
        t = rng.randint(-3, 3) + rng.choice((0.2, 0.4, 0.6))  # away from the jumps of x, 3x, x/2
        with mpmath.workdps(30):
            want = mpmath.diff(f, mpmath.mpf(t))
        got = complex(d.subs(x, sp.Float(t, 30)).evalf(30))
        assert abs(got.imag) < 1e-12 and abs(got.real - float(want)) <= 1e-9 * (1 + abs(want))


def test_without_a_step_the_reference_is_sympy_s_derivative() -> None:
    for expr in (sp.sin(x) * y, x**3 + y**2, sp.exp(x * y)):
        assert reference_derivative(expr, x) == sp.diff(expr, x)
        assert reference_derivative(expr, y) == sp.diff(expr, y)


def test_a_supplied_reference_is_the_one_checked_against() -> None:
    expr = x**2
    other = 2 * x + 1  # a reference that is not d/dx x²: the caller's, and it is used
    assert verify_derivative(other, expr, x, reference=other) == (
        "checked against sympy.diff (exact)"
    )
    with pytest.raises(VerificationError):
        verify_derivative(2 * x, expr, x, reference=other)


def test_the_raw_result_vouches_only_when_it_is_sympy_s_derivative() -> None:
    expr = sp.sin(x) ** 2
    d = sp.diff(expr, x)  # 2·sin(x)·cos(x)
    tidy = sp.sin(2 * x)  # equal, but only the numeric test shows it
    assert sp.expand(tidy - d) != 0 and sp.simplify(tidy - d) == 0
    assert verify_derivative(tidy, expr, x) == "checked against sympy.diff (numeric)"
    assert verify_derivative(tidy, expr, x, raw=d) == "checked against sympy.diff (exact)"
    assert verify_derivative(tidy, expr, x, raw=d + 1) == "checked against sympy.diff (numeric)"


def test_two_variables_are_checked_numerically() -> None:
    expr = sp.sin(x) ** 2 * y
    assert verify_derivative(sp.sin(2 * x) * y, expr, x) == "checked against sympy.diff (numeric)"
    with pytest.raises(VerificationError):
        verify_derivative(sp.sin(2 * x) * (y + 1), expr, x)


def test_a_failure_names_the_expression_the_variable_and_the_result() -> None:
    expr, wrong = y**2 + sp.sin(y), 2 * y
    with pytest.raises(VerificationError) as caught:
        verify_derivative(wrong, expr, x)
    message = str(caught.value)
    assert to_text(expr) in message and to_text(wrong) in message and " x," in message
    assert to_text(x) in verify_derivative(sp.Integer(0), expr, x)
    with pytest.raises(VerificationError) as caught:
        verify_derivative(sp.cos(x) * 3, sp.sin(x) * x, x)
    message = str(caught.value)
    assert to_text(sp.sin(x) * x) in message and "respect to x " in message
    assert to_text(sp.cos(x) * 3) in message


def test_a_constant_difference_is_a_difference() -> None:
    for c in (1, 2, sp.Rational(1, 3)):
        assert equivalent(x + c, x, [x]) is None
        assert equivalent(sp.sin(x) + c, sp.sin(x), [x]) is None


@pytest.mark.parametrize("wrap", [sp.re, sp.im, sp.arg, sp.conjugate])
def test_complex_valued_forms_are_never_expanded(wrap: Callable[[sp.Expr], sp.Expr]) -> None:
    u = sp.Symbol("u")  # not known to be real
    e = wrap(u) * (x + 1) - wrap(u) * x - wrap(u)
    assert sp.expand(e) == 0  # the reference: zero as a polynomial in x
    assert verify._expands_to_zero(e) is False  # yet left to the numeric check


@pytest.mark.parametrize("seed", range(3))
def test_the_common_denominator_degree_is_read_off_the_tree(seed: int) -> None:
    rng = random.Random(seed)
    bases = [x + 1, x - 2, 3 * x + 5, 2 * x - 7]  # degree 1 each
    terms, want = [], 0
    for base in rng.sample(bases, 3):
        powers = [rng.randint(1, 3) for _ in range(rng.randint(1, 2))]
        root = rng.choice((1, 2))
        terms += [rng.randint(1, 9) * base ** sp.Rational(-p, root) for p in powers]
        # the reference: the base's degree (SymPy's Poly) times its highest power
        want += math.ceil(sp.Poly(base, x).degree() * max(powers) / root)
    terms.append(x**4 * y)  # a positive power adds nothing
    assert verify._denominator_degree(sp.Add(*terms)) == want


def test_numeric_agreement_is_relative_to_about_eight_digits() -> None:
    # the sample points lie in |x| ≤ 8; a relative gap of 1e-6 is a different function, one of
    # 5e-10 is round-off (the check allows 1e-8 relative, with a floor of 1e-8)
    for scale in (1, 10**3, 10**6):
        ref = scale * (sp.exp(x) + 2)
        assert not numerically_equal(ref * (1 + sp.Rational(1, 10**6)), ref, [x])
        assert numerically_equal(ref * (1 + sp.Rational(5, 10**10)), ref, [x])
    assert numerically_equal(x + sp.Rational(5, 10**9), x, [x])
    assert not numerically_equal(x + sp.Rational(1, 10**6), x, [x])


@pytest.mark.parametrize("c", [2, -3, sp.Rational(1, 2)])
def test_a_sum_is_split_into_constant_times_sum_per_term(c: sp.Expr) -> None:
    n = sp.Symbol("n", integer=True, positive=True)
    i = sp.Symbol("i", integer=True)
    s = sp.Sum(c * x * i + y * i**2, (i, 1, n))
    split = verify._split_sums(s)
    assert split.free_symbols == s.free_symbols  # the index stays bound
    for term in sp.Add.make_args(split):  # x and y are outside every sum
        for inner in term.atoms(sp.Sum):
            assert not inner.function.has(x) and not inner.function.has(y)
    assert sp.simplify(split.doit() - s.doit()) == 0  # the reference: the closed forms agree
