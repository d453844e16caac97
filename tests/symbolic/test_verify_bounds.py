"""The derivative checker's bounds, pinned from both sides: the exact test gives up (never says
"zero") past its size, term, expansion and degree budgets, and works up to them; the numeric test
needs MIN_POINTS comparable points, counts a point outside the real domain only where both sides
are non-real, samples every symbol either side mentions, and takes its guards from the original
forms too (im(u) -> 0 must not hide where u is not real). Expected values come from SymPy's
expand/simplify/Poly or mpmath written here, never from the checker."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import mpmath
import pytest
import sympy as sp

from calcml.errors import VerificationError
from calcml.symbolic import budget, verify
from calcml.symbolic.simplify import MAX_EXPANDED_POWER
from calcml.symbolic.verify import equivalent, numerically_equal, verify_derivative

x, y, z = sp.Symbol("x", real=True), sp.Symbol("y", real=True), sp.Symbol("z", real=True)
u = sp.Symbol("u")  # not known to be real: SymPy's derivatives bring re/im/conjugate


@pytest.fixture(autouse=True)
def _digits() -> Iterator[None]:
    """mpmath at 30 digits for these tests only (no request is open: each test opens its own
    budget where it sets one, since an open request would be reused with its limits)."""
    with mpmath.workdps(30):
        yield


def _terms_before_collecting(e: sp.Expr) -> int:
    """The reference term count: each summand expanded by SymPy, like terms not yet collected."""
    return sum(len(sp.Add.make_args(sp.expand(a))) for a in sp.Add.make_args(e))


# --------------------------------------------------------------------------- the exact test


def test_a_power_past_the_expansion_limit_is_never_declared_zero() -> None:
    k = MAX_EXPANDED_POWER + 1
    zero = (x + 1) ** k - sp.expand((x + 1) ** k)
    wrong = (x + 1) ** k - x**k - 1
    assert sp.expand(zero) == 0 and sp.expand(wrong) != 0  # the reference
    assert verify._expands_to_zero(wrong) is False
    assert verify._expands_to_zero(zero) is False  # not multiplied out: not shown exactly
    assert equivalent((x + 1) ** k, sp.expand((x + 1) ** k), [x]) == "numeric"
    assert equivalent((x + 1) ** k, x**k + 1, [x]) is None


def test_the_term_budget_is_a_bound_reached_but_not_passed() -> None:
    zero = (x + 1) ** 3 - x**3 - 3 * x**2 - 3 * x - 1
    wrong = (x + 1) ** 3 - x**3 - 3 * x**2 - 3 * x - 2
    assert sp.expand(zero) == 0 and sp.expand(wrong) != 0
    n = _terms_before_collecting(zero)
    with budget.request(max_terms=n, seconds=None):
        assert verify._expands_to_zero(zero) is True
        assert verify._expands_to_zero(wrong) is False
    with budget.request(max_terms=n - 1, seconds=None):
        assert verify._expands_to_zero(zero) is False
        assert verify._expands_to_zero(wrong) is False
        assert equivalent(zero + x, x, [x]) == "numeric"  # the numeric test decides
        assert equivalent(wrong + x, x, [x]) is None


def test_past_the_expansion_budget_nothing_is_expanded() -> None:
    zero = (x + 1) ** 3 - x**3 - 3 * x**2 - 3 * x - 1
    with budget.request(max_expanded=1, seconds=None):
        assert verify._expands_to_zero(zero) is False
        assert verify._expands_to_zero(zero + 1) is False
    assert verify._expands_to_zero(zero) is True


def test_the_operation_count_limit_is_a_bound_reached_but_not_passed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    zero = (x + y) ** 2 - x**2 - 2 * x * y - y**2
    ops = int(sp.count_ops(zero))
    monkeypatch.setattr(verify, "MAX_EXACT_OPS", ops)
    assert verify._expands_to_zero(zero) is True
    monkeypatch.setattr(verify, "MAX_EXACT_OPS", ops - 1)
    assert verify._expands_to_zero(zero) is False
    assert verify._expands_to_zero(zero + x) is False


def test_expanding_alone_shows_zero_past_the_degree_budget() -> None:
    # x² + 1 cubed below: a common denominator of degree 6; expanding needs none
    e = (x + 1) ** 2 / (x**2 + 1) ** 3 - (x**2 + 2 * x + 1) / (x**2 + 1) ** 3
    assert sp.expand(e) == 0  # the reference
    with budget.request(max_degree=5, seconds=None):
        assert verify._expands_to_zero(e) is True
        assert verify._expands_to_zero(e + 1 / (x**2 + 1) ** 3) is False


def test_a_common_denominator_up_to_the_degree_budget_shows_zero() -> None:
    zero = (x + 1) / (x - 1) - (x**2 + 2 * x + 1) / (x**2 - 1)
    wrong = (x + 1) / (x - 1) - (x**2 + 2 * x + 2) / (x**2 - 1)
    assert sp.expand(zero) != 0 and sp.simplify(zero) == 0 and sp.simplify(wrong) != 0
    # the reference degree: the denominators' degrees by SymPy's Poly, added
    degree = sp.Poly(x - 1, x).degree() + sp.Poly(x**2 - 1, x).degree()
    with budget.request(max_degree=degree, seconds=None):
        assert verify._expands_to_zero(zero) is True
        assert verify._expands_to_zero(wrong) is False
    with budget.request(max_degree=degree - 1, seconds=None):
        assert verify._expands_to_zero(zero) is False


def test_the_denominator_degree_counts_each_base_s_degree_and_no_symbolic_exponent() -> None:
    bases = [x**2 + 1, x**3 + 2, y * x**2 + 5]
    for powers in ((1, 2, 1), (3, 1, 2), (2, 2, 2)):
        e = sum(b ** (-p) for b, p in zip(bases, powers, strict=True)) + x**y + 2**x
        want = sum(sp.Poly(b, x, y).total_degree() * p for b, p in zip(bases, powers, strict=True))
        assert verify._denominator_degree(e) == want


# --------------------------------------------------------------------------- the numeric test


@pytest.mark.parametrize("seed", range(4))
def test_sample_points_spread_over_both_signs_and_several_scales(seed: int) -> None:
    points = list(verify._points([x, y], seed))
    assert len(points) == verify.TRIES
    values = [float(p[s]) for p in points for s in (x, y)]
    assert all(-8 <= v <= 8 for v in values)
    assert min(values) < -2 and max(values) > 2  # beyond the smaller scales
    assert any(abs(v) < 0.5 for v in values)


def test_sample_points_are_a_function_of_the_seed() -> None:
    assert list(verify._points([x, y], 7)) == list(verify._points([x, y], 7))
    assert list(verify._points([x, y], 7)) != list(verify._points([x, y], 8))


def _given(monkeypatch: pytest.MonkeyPatch, *ts: float) -> None:
    """The numeric test samples exactly these values of x, in this order."""

    def points(syms: Sequence[sp.Symbol], seed: int) -> Iterator[dict[sp.Symbol, sp.Float]]:
        for t in ts:
            yield {s: sp.Float(t, 20) for s in syms}

    monkeypatch.setattr(verify, "_points", points)


# √(x³) and x^(3/2) agree for x > 0 and differ (i vs −i at x = −1) for x < 0
ROOT_A, ROOT_B = sp.sqrt(x**3), x ** sp.Rational(3, 2)


def test_the_two_roots_agree_on_the_positive_side_only() -> None:
    for t in ("0.5", "1.5", "2.5"):
        assert abs(mpmath.sqrt(mpmath.mpf(t) ** 3) - mpmath.mpf(t) ** 1.5) < 1e-25
    for t in (-1, -2, -3):
        a, b = mpmath.sqrt(mpmath.mpf(t) ** 3), mpmath.power(mpmath.mpf(t), 1.5)
        assert a.imag > 0 > b.imag  # both non-real, different
    assert ROOT_A != ROOT_B


def test_agreement_at_exactly_min_points_real_points_is_agreement(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert verify.MIN_POINTS == 3
    _given(monkeypatch, -1, 0.5, -2, 1.5, -3, 2.5)  # three real points, three outside
    assert numerically_equal(ROOT_A, ROOT_B, [x]) is True


def test_agreement_at_fewer_than_min_points_real_points_is_not_agreement(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _given(monkeypatch, 0.5, 1.5)
    assert numerically_equal(x + 1, x + 1, [x]) is False
    _given(monkeypatch, -1, 0.5, -2, 1.5, -3)  # two real points: the points outside decide
    assert numerically_equal(ROOT_A, ROOT_B, [x]) is False


def test_points_outside_count_where_both_sides_are_non_real_and_undefined_ones_are_skipped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ours, ref = 2 * sp.log(sp.sqrt(x)) / (x + 2), sp.log(x) / (x + 2)
    for t in ("0.5", "1.5", "-1", "-3"):
        tt = mpmath.mpf(t)
        assert abs(2 * mpmath.log(mpmath.sqrt(tt)) - mpmath.log(tt)) < 1e-25
    _given(monkeypatch, 0.5, -2, 1.5, -1, -3)  # at −2 both are undefined
    assert numerically_equal(ours, ref, [x]) is True
    assert numerically_equal(ours + sp.I / 10, ref, [x]) is False


def test_a_point_where_only_one_side_is_non_real_does_not_count(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # x² + 10⁻¹⁰·log(x): within the tolerance of x² everywhere, non-real (by 10⁻¹⁰·π) for x < 0
    ref = x**2 + sp.log(x) / 10**10
    for t in (-1, -3):
        assert abs(mpmath.log(t).imag) > 3
    _given(monkeypatch, 0.5, -1, 1.5, -3)
    assert numerically_equal(x**2, ref, [x]) is False  # two real points only
    assert numerically_equal(ref, x**2, [x]) is False
    _given(monkeypatch, 0.5, -1, 1.5, -3, 2.5)
    assert numerically_equal(x**2, ref, [x]) is True


def test_a_value_that_overflows_is_skipped_not_compared(monkeypatch: pytest.MonkeyPatch) -> None:
    ours, ref = sp.exp(sp.exp(x) + sp.log(2)), 2 * sp.exp(sp.exp(x))
    assert mpmath.exp(mpmath.exp(8)) > 10**1000  # no double holds it
    _given(monkeypatch, 0.1, 8, 0.5, 1)
    assert numerically_equal(ours, ref, [x]) is True
    assert numerically_equal(ours, 3 * sp.exp(sp.exp(x)), [x]) is False


def test_a_point_where_only_our_side_is_undefined_is_skipped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ours = (x**2 - 1) / (x - 1)  # undefined at 1, x + 1 elsewhere
    assert all(ours.subs(x, t) == t + 1 for t in (-3, 2, sp.Rational(1, 2)))
    _given(monkeypatch, 1, 0.5, 1.5, 2.5)
    assert numerically_equal(ours, x + 1, [x]) is True
    assert numerically_equal(ours, x + 2, [x]) is False
    assert numerically_equal(sp.Function("f")(x), x, [x]) is False  # no value anywhere


def test_a_symbol_only_one_side_mentions_is_sampled_too() -> None:
    one = sp.sin(z) ** 2 + sp.cos(z) ** 2
    for t in (-2.0, 0.3, 5.0):
        assert abs(mpmath.sin(t) ** 2 + mpmath.cos(t) ** 2 - 1) < 1e-25
    assert numerically_equal(x + one, x + 1, [x]) is True
    assert numerically_equal(x + 1, x + one, [x]) is True
    assert numerically_equal(x + one, x + 2, [x]) is False


def test_a_guard_of_the_reference_alone_sends_points_outside() -> None:
    # log(−1 − x²) = log(1 + x²) + iπ (principal branch): real nowhere; the other side has no guard
    for t in (-3.0, 0.0, 2.5):
        assert abs(mpmath.log(-1 - t**2) - (mpmath.log(1 + t**2) + 1j * mpmath.pi)) < 1e-25
    ours, ref = sp.log(1 + x**2) + sp.I * sp.pi, sp.log(-1 - x**2)
    assert numerically_equal(ours, ref, [x]) is True
    assert numerically_equal(ref, ours, [x]) is True
    assert numerically_equal(ours + sp.I, ref, [x]) is False


def test_im_of_a_never_real_argument_is_not_zero() -> None:
    # asin(x + 20) is real nowhere in the sample range: im(asin(x + 20)) ≈ −3.4, not 0
    for t in (-8, 0, 8):
        assert abs(mpmath.asin(t + 20).imag) > 3
    assert equivalent(sp.im(sp.asin(x + 20)), sp.Integer(0), [x]) is None
    assert equivalent(x + sp.im(sp.asin(x + 20)), x, [x]) is None
    assert equivalent(sp.conjugate(sp.asin(x + 20)), sp.asin(x + 20), [x]) is None


def test_im_of_lambert_w_is_not_zero_where_w_is_not_real() -> None:
    # W(x) is real for x ≥ −1/e only, and has no domain guard: im(W(x)) must be evaluated
    assert abs(mpmath.lambertw(-2).imag) > 1 and mpmath.lambertw(2).imag == 0
    assert equivalent(sp.im(sp.LambertW(x)), sp.Integer(0), [x]) is None
    assert equivalent(x + sp.im(sp.LambertW(x)), x, [x]) is None


def test_the_tolerance_floor_is_one_e_minus_eight() -> None:
    # values near 0: 1e-8·(1 + |a| + |b|) ≈ 1e-8 absolute
    assert numerically_equal(sp.Rational(1, 2 * 10**8) + x / 10**12, x / 10**12, [x]) is True
    assert numerically_equal(sp.Rational(3, 2 * 10**8) + x / 10**12, x / 10**12, [x]) is False


def test_an_imaginary_part_is_round_off_below_1e_12_relative() -> None:
    big = 1000 + x  # |value| ≈ 1000: 1e-10·i is round-off, 1e-6·i is not
    assert numerically_equal(big + sp.I / 10**10, big, [x]) is True
    assert numerically_equal(big + sp.I / 10**6, big, [x]) is False
    # near 0 the floor is 1e-12: 1.5e-12·i is a non-real value where the reference is real
    assert numerically_equal(sp.I * sp.Rational(15, 10**13), sp.Integer(0), [x]) is False
    assert numerically_equal(x + sp.I / 10**10, x, [x]) is False


# --------------------------------------------------------- SymPy's complex-valued derivative forms


def _slope(f: object, t: float) -> complex:
    with mpmath.workdps(30):
        return complex(mpmath.diff(f, mpmath.mpf(t)))


@pytest.mark.parametrize(
    ("expr", "f"),
    [
        (sp.re(u) * u, lambda t: mpmath.re(t) * t),
        (sp.im(u) * u + u**2, lambda t: mpmath.im(t) * t + t**2),
        (sp.conjugate(u) * u, lambda t: mpmath.conj(t) * t),
        (sp.Abs(u), abs),
        (sp.sign(u) * u, lambda t: mpmath.sign(t) * t),
    ],
)
def test_derivatives_of_complex_valued_forms_are_compared_at_real_points(
    expr: sp.Expr, f: object
) -> None:
    d = sp.diff(expr, u)
    assert d.has(sp.Derivative)  # SymPy leaves d/du re(u), d/du sign(u), … unevaluated
    right = {sp.re(u) * u: 2 * u, sp.Abs(u): sp.sign(u), sp.sign(u) * u: sp.sign(u)}.get(
        expr, 2 * u
    )
    for t in (-2.5, -0.7, 0.4, 3.0):  # the real slope, by mpmath
        assert abs(_slope(f, t) - complex(right.subs(u, t))) < 1e-12
    assert equivalent(d, right, [u]) == "numeric"
    assert equivalent(d, right + u / 10, [u]) is None


def test_x_times_the_sign_of_a_root_has_the_sign_as_derivative() -> None:
    expr = x * sp.sign(sp.asin(x))  # SymPy keeps d/dx sign(asin(x)) unevaluated
    assert sp.diff(expr, x).has(sp.Derivative)
    for t in (-0.9, -0.3, 0.2, 0.8):
        want = _slope(lambda s: s * mpmath.sign(mpmath.asin(s)), t)
        assert abs(want - float(sp.sign(t))) < 1e-12
    assert verify_derivative(sp.sign(x), expr, x) == "checked against sympy.diff (numeric)"
    with pytest.raises(VerificationError):
        verify_derivative(-sp.sign(x), expr, x)


def test_a_derivative_along_a_line_of_a_sign_is_zero() -> None:
    t = sp.Dummy("t")
    along = sp.Subs(sp.Derivative(sp.sign(sp.cos(1 / (x + t))), t), t, 0)
    assert not along.doit().has(sp.Subs) or along.doit().has(sp.Derivative)  # SymPy keeps it
    assert equivalent(x**2 + along, x**2, [x]) == "numeric"
    assert equivalent(x**2 + along, x**2 + 1, [x]) is None
