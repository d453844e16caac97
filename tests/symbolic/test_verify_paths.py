"""The derivative checker (`calcml.symbolic.verify`) on its less travelled paths: sums compared
term by term, SymPy's complex-valued forms, expressions real nowhere, values that overflow or do
not exist, the exact test giving up, and a constant's derivative. The expected verdicts come from
references written here (mpmath, SymPy's doit/expand), never from the checker itself."""

from __future__ import annotations

from collections.abc import Iterator

import mpmath
import pytest
import sympy as sp

from calcml.errors import VerificationError
from calcml.symbolic import budget, verify
from calcml.symbolic.verify import equivalent, numerically_equal, verify_derivative

x, y = sp.Symbol("x", real=True), sp.Symbol("y", real=True)
u = sp.Symbol("u")  # not known to be real: SymPy's derivatives bring re/im
n = sp.Symbol("n", integer=True, positive=True)
i = sp.Symbol("i", integer=True)
f = sp.Function("f")


@pytest.fixture(autouse=True)
def _digits() -> Iterator[None]:
    """mpmath at 30 digits for these tests only (its precision is global state)."""
    with mpmath.workdps(30):
        yield


def test_identical_sides_are_exact_and_a_plain_difference_is_caught() -> None:
    assert equivalent(x**2 + 1, x**2 + 1, [x]) == "exact"
    assert equivalent((x + 1) ** 2, x**2 + 2 * x + 1, [x]) == "exact"
    assert sp.expand((x + 1) ** 2 - (x**2 + 2 * x)) != 0
    assert equivalent((x + 1) ** 2, x**2 + 2 * x, [x]) is None


@pytest.mark.parametrize("c", [2, 3, -5])
def test_sums_written_differently_compare_term_by_term(c: int) -> None:
    ours = sp.Sum(c * x * i + i**2, (i, 1, n))
    theirs = c * x * sp.Sum(i, (i, 1, n)) + sp.Sum(i**2, (i, 1, n))
    assert sp.simplify(ours.doit() - theirs.doit()) == 0  # the reference: closed forms agree
    assert equivalent(ours, theirs, [x, n]) == "exact"
    off = c * x * sp.Sum(i, (i, 1, n)) + sp.Sum(i**3, (i, 1, n))
    assert sp.simplify(ours.doit() - off.doit()) != 0
    assert verify._expands_to_zero(ours - off) is False  # never shown exactly


@pytest.mark.soak  # sums evaluated at a non-integer n: seconds of mpmath each
@pytest.mark.parametrize("c", [2, 3, -5])
def test_sums_that_differ_are_refused_by_the_numeric_test(c: int) -> None:
    ours = sp.Sum(c * x * i + i**2, (i, 1, n))
    off = c * x * sp.Sum(i, (i, 1, n)) + sp.Sum(i**3, (i, 1, n))
    assert sp.simplify(ours.doit() - off.doit()) != 0
    assert equivalent(ours, off, [x, n]) is None


def test_complex_valued_forms_are_compared_where_everything_is_real() -> None:
    # for real u: re(u)² + im(u)² = u² = |u|²; re(u)·im(u) = 0 ≠ u
    for t in (-2.5, -0.3, 0.7, 4.0):
        z = mpmath.mpc(t, 0)
        assert mpmath.re(z) ** 2 + mpmath.im(z) ** 2 == abs(z) ** 2
    assert equivalent(sp.re(u) ** 2 + sp.im(u) ** 2, sp.Abs(u) ** 2, [u]) == "numeric"
    assert equivalent(sp.re(u) * sp.im(u) + u, sp.Abs(u) ** 2, [u]) is None


def test_an_expression_real_nowhere_is_compared_at_complex_values() -> None:
    for t in (-3.0, -0.4, 0.0, 1.2, 7.5):
        assert mpmath.sqrt(-1 - t**2) == 1j * mpmath.sqrt(1 + t**2)  # principal branches
        assert mpmath.sqrt(-1 - t**2) != -1j * mpmath.sqrt(1 + t**2)
    assert equivalent(sp.sqrt(-1 - x**2), sp.I * sp.sqrt(1 + x**2), [x]) == "numeric"
    assert equivalent(sp.sqrt(-1 - x**2), -sp.I * sp.sqrt(1 + x**2), [x]) is None


def test_points_outside_a_root_s_domain_are_skipped() -> None:
    # √x·√(x+1) = √(x² + x) for x ≥ 0 only; the checker samples where both roots are real
    for t in map(mpmath.mpf, ("0.1", "0.5", "2", "7")):
        assert abs(mpmath.sqrt(t) * mpmath.sqrt(t + 1) - mpmath.sqrt(t * t + t)) < 1e-25
    assert mpmath.sqrt(-2.0) * mpmath.sqrt(-1.0) != mpmath.sqrt(2.0)  # outside they differ
    ours, reference = sp.sqrt(x) * sp.sqrt(x + 1), sp.sqrt(x**2 + x)
    assert numerically_equal(ours, reference, [x]) is True
    assert numerically_equal(ours, sp.sqrt(x**2 + 2 * x), [x]) is False


def test_too_few_comparable_points_is_no_agreement() -> None:
    # 2·log(x − 100) and log((x − 100)²) differ by 2πi wherever the sampler looks (|x| ≤ 8)
    for t in (-8.0, 0.0, 8.0):
        gap = 2 * mpmath.log(t - 100) - mpmath.log((t - 100) ** 2)
        assert abs(gap - 2j * mpmath.pi) < 1e-20
    assert equivalent(2 * sp.log(x - 100), sp.log((x - 100) ** 2), [x]) is None
    # an unknown function has no value anywhere: nothing confirms it
    assert equivalent(x, f(x), [x]) is None


def test_the_exact_test_giving_up_leaves_the_numeric_test() -> None:
    # past the degree budget no common denominator is built: the exact test says "not shown"
    # and the numeric test decides, still refusing a near miss
    same = 1 / (x + 1) + 1 / (x + 2) - (2 * x + 3) / ((x + 1) * (x + 2))
    assert sp.simplify(same) == 0  # the reference
    with budget.request(max_degree=1, seconds=None):
        assert verify._expands_to_zero(same) is False
        assert equivalent(1 / (x + 1) + 1 / (x + 2), (2 * x + 3) / ((x + 1) * (x + 2)), [x]) == (
            "numeric"
        )
        assert (
            equivalent(1 / (x + 1) + 1 / (x + 2), (2 * x + 3.001) / ((x + 1) * (x + 2)), [x])
            is None
        )
    with budget.request(seconds=None):
        assert verify._expands_to_zero(same) is True


def test_a_derivative_with_respect_to_an_absent_variable_must_be_zero() -> None:
    assert sp.diff(y**2 + sp.sin(y), x) == 0  # the reference
    assert "nothing to check" in verify_derivative(sp.Integer(0), y**2 + sp.sin(y), x)
    with pytest.raises(VerificationError, match="does not contain x"):
        verify_derivative(2 * y, y**2 + sp.sin(y), x)


@pytest.mark.parametrize(
    "expr", [sp.sin(x) * sp.exp(x), sp.log(1 + x**2), sp.sqrt(x) * sp.atan(x), x**x]
)
def test_verify_derivative_accepts_the_reference_and_rejects_a_perturbation(expr: sp.Expr) -> None:
    d = sp.diff(expr, x)
    rewritten = sp.expand(sp.together(d))
    assert verify_derivative(rewritten, expr, x).startswith("checked against sympy.diff")
    wrong = d + x / 10**6
    for t in (0.3, 1.7):  # the perturbation is visible at points in the domain
        assert float(abs((wrong - d).subs(x, t))) > 1e-8
    with pytest.raises(VerificationError, match="failed its check"):
        verify_derivative(wrong, expr, x)
    # the rules' raw result equal to SymPy's term for term vouches for its tidied form
    assert verify_derivative(rewritten, expr, x, raw=d) == "checked against sympy.diff (exact)"
