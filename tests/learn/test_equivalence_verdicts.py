"""The grader's verdicts and what they carry: which test decided ('exact', 'numeric',
'different', 'infinite', 'undecided'), the witness point and both values there, and the
parameters that choose the test (floats, `approximate`, the seed). Every value a verdict carries
is checked against mpmath at 50 digits or Python's fractions, computed here from the witness."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from fractions import Fraction

import mpmath
import pytest
import sympy as sp

from calcml.learn.equivalence import compare, numeric, restricted, symbolically_zero, unbounded

x, y = sp.Symbol("x", real=True), sp.Symbol("y", real=True)


@pytest.fixture(autouse=True)
def _digits() -> Iterator[None]:
    with mpmath.workdps(50):
        yield


def _near(value: complex | None, want: mpmath.mpf) -> bool:
    return (
        value is not None
        and value.imag == 0
        and abs(value.real - float(want)) <= 1e-12 * (1 + abs(float(want)))
    )


def test_the_same_tree_is_exact_with_no_witness() -> None:
    got = compare(x**2 + sp.sin(x), sp.sin(x) + x**2, [x])
    assert (got.equal, got.how, got.point) == (True, "exact", {})
    assert got.given_value is None and got.expected_value is None


def test_a_difference_that_expands_to_zero_is_exact() -> None:
    given, expected = x * (x + 1) - (x - 2) ** 2, 5 * x - 4
    assert sp.Poly(given - expected, x).is_zero  # the reference
    got = compare(given, expected, [x])
    assert (got.equal, got.how, got.point) == (True, "exact", {})


def test_an_identity_expand_cannot_show_is_numeric() -> None:
    given, expected = sp.sin(2 * x), 2 * sp.sin(x) * sp.cos(x)
    assert sp.expand(given - expected) != 0 and sp.expand_trig(given - expected) == 0
    got = compare(given, expected, [x])
    assert (got.equal, got.how, got.point) == (True, "numeric", {})


@pytest.mark.parametrize(
    ("given", "expected", "ref_given", "ref_expected"),
    [
        (x**2, x**3, lambda t: t**2, lambda t: t**3),
        (sp.exp(x), 1 + x, mpmath.exp, lambda t: 1 + t),
        (0.5 * sp.sin(x), sp.sin(x), lambda t: mpmath.sin(t) / 2, mpmath.sin),
        (sp.sqrt(x**2 + 1), x + 1, lambda t: mpmath.sqrt(t**2 + 1), lambda t: t + 1),
    ],
)
def test_a_different_answer_names_a_point_and_both_values_there(
    given: sp.Expr, expected: sp.Expr, ref_given: object, ref_expected: object
) -> None:
    got = compare(given, expected, [x])
    assert (got.equal, got.how) == (False, "different")
    t = got.point["x"]
    assert set(got.point) == {"x"} and -2 <= t <= 2
    want_g, want_e = ref_given(mpmath.mpf(t)), ref_expected(mpmath.mpf(t))  # type: ignore[operator]
    assert abs(want_g - want_e) > mpmath.mpf(10) ** -6  # the witness really separates them
    assert _near(got.given_value, want_g) and _near(got.expected_value, want_e), got


def test_a_difference_below_float_precision_is_found_at_an_exact_point() -> None:
    # x² + 10⁻²⁰ and x² agree to 20 digits: floats cannot tell, the exact test does
    tiny = sp.Rational(1, 10**20)
    got = compare(x**2 + tiny, x**2, [x])
    assert (got.equal, got.how) == (False, "different")
    t = Fraction(got.point["x"]).limit_denominator(1000)  # a simple fraction, as drawn
    assert float(t) == got.point["x"] and -2 <= t <= 2
    assert got.given_value == complex(float(t * t + Fraction(1, 10**20)))
    assert got.expected_value == complex(float(t * t))


def test_a_difference_twenty_digits_down_is_found_at_huge_points_too() -> None:
    # log(x)·(1 + 10⁻²⁰) vs log(x) on (10¹⁰⁰, 10¹⁰²): irrational values at huge points
    given, expected = sp.log(x) * (1 + sp.Rational(1, 10**20)), sp.log(x)
    got = compare(given, expected, [x], {"x": (1e100, 1e102)})
    assert (got.equal, got.how) == (False, "different")
    t = mpmath.mpf(got.point["x"])
    assert 1e100 <= t <= 1e102
    assert _near(got.expected_value, mpmath.log(t))
    assert compare(given, given * 1, [x], {"x": (1e100, 1e102)}).equal


def test_an_answer_typed_with_decimals_is_equal_within_the_tolerance() -> None:
    typed = sp.Rational(333_333_333, 10**9)  # 0.333333333 as the parser reads it
    assert abs(Fraction(333_333_333, 10**9) - Fraction(1, 3)) < Fraction(1, 10**8)
    exact = compare(typed, sp.Rational(1, 3))
    assert (exact.equal, exact.how) == (False, "different")
    assert exact.given_value == complex(0.333333333) and exact.expected_value == complex(1 / 3)
    got = compare(typed, sp.Rational(1, 3), approximate=True)
    assert (got.equal, got.how) == (True, "numeric")
    assert compare(sp.Rational(333, 10**3), sp.Rational(1, 3), approximate=True).equal is False


@pytest.mark.parametrize("given", [sp.oo, -sp.oo, sp.zoo, sp.nan, sp.oo * x, x + sp.zoo])
def test_the_infinite_verdict_carries_an_infinite_given_value_and_no_point(
    given: sp.Expr,
) -> None:
    assert unbounded(given)
    got = compare(given, sp.sin(x), [x])
    assert (got.equal, got.how, got.point) == (False, "infinite", {})
    assert got.given_value == complex(float("inf"), 0) and got.expected_value is None


def test_unbounded_means_an_infinity_or_nan_anywhere_in_the_tree() -> None:
    for e in (sp.oo, -sp.oo, sp.zoo, sp.nan, sp.sin(x) + sp.oo, x * sp.zoo, sp.exp(-sp.oo * x)):
        assert unbounded(e), e
    for e in (x, sp.Integer(10) ** 400, sp.exp(sp.exp(x)), sp.pi, sp.E * x):
        assert not unbounded(e), e


def test_two_infinite_answers_are_not_the_infinite_verdict() -> None:
    # 'infinite' means an infinite answer for a finite one; ∞ vs −∞ is not equal either
    assert compare(sp.oo, sp.oo).equal
    for given, expected in ((sp.oo, -sp.oo), (sp.zoo, sp.oo), (-sp.oo, sp.nan)):
        got = compare(given, expected)
        assert got.equal is False and got.how != "infinite", (given, expected, got)


def test_points_where_the_expected_answer_overflows_are_skipped() -> None:
    # e^(e^x) is beyond float range for x > 6.56 (e^(e^6.6) ≈ 10^320): no point to compare
    assert mpmath.exp(mpmath.exp(6.6)) > mpmath.mpf("1.8e308")
    given, expected = sp.exp(sp.exp(x) + 1) / sp.E, sp.exp(sp.exp(x))
    assert sp.simplify(given - expected) == 0
    got = numeric(given, expected, [x], {"x": (6.6, 7.5)}, 1e-6)
    assert (got.equal, got.how) == (False, "undecided")
    assert compare(given, expected, [x], {"x": (6.6, 7.5)}).equal  # the symbolic test decides


@pytest.mark.parametrize("seed", range(4))
def test_points_where_the_expected_answer_is_not_real_are_skipped(seed: int) -> None:
    # √x·sin 2x = 2√x·sin x·cos x where x ≥ 0; half the random points are negative
    given, expected = sp.sqrt(x) * sp.sin(2 * x), 2 * sp.sqrt(x) * sp.sin(x) * sp.cos(x)
    got = numeric(given, expected, [x], {}, 1e-6, seed=seed)
    assert (got.equal, got.how) == (True, "numeric")


def test_the_same_seed_gives_the_same_witness() -> None:
    for seed in range(3):
        first = compare(sp.Abs(x - y), x - y, [x, y], seed=seed)
        again = compare(sp.Abs(x - y), x - y, [x, y], seed=seed)
        assert first.how == "different" and first.point == again.point
        assert first.point["x"] < first.point["y"]  # |u| ≠ u exactly where u < 0
    points = {tuple(compare(x**2, x**3, [x], seed=s).point.values()) for s in range(4)}
    assert len(points) > 1  # the seed chooses the points


@pytest.mark.parametrize(
    ("e", "real_nowhere_below"),
    [
        (sp.log(x), 0),
        (sp.sqrt(x) + 1, 0),
        (sp.asin(x / 3) + x, None),  # a domain of its own, (−3, 3), all of (−2, 2) inside
        (x ** sp.Rational(1, 4), 0),
        (sp.acosh(x + 3), None),
        (sp.atanh(x / 5), None),
    ],
)
def test_an_expected_answer_with_a_domain_of_its_own_is_restricted(
    e: sp.Expr, real_nowhere_below: int | None
) -> None:
    assert restricted(e) and restricted(e + sp.exp(x))
    if real_nowhere_below is not None:
        t = mpmath.mpf(real_nowhere_below) - mpmath.mpf("0.5")
        assert abs(mpmath.im(sp.lambdify(x, e, "mpmath")(mpmath.mpc(t)))) > 0.1


@pytest.mark.parametrize(
    "e",
    [
        x**2 + 1,
        sp.exp(x) * sp.sin(x),
        sp.sqrt(x**2 + 1),  # a root of a nonnegative base
        sp.log(2) * x,  # a log of a constant
        1 / x,
        x ** sp.Rational(1, 3),  # an odd root is real everywhere (read as real_power)
        sp.Abs(x) ** sp.Rational(1, 2),
        sp.sqrt(sp.Integer(5)),
    ],
)
def test_an_answer_defined_on_the_whole_line_is_not_restricted(e: sp.Expr) -> None:
    from calcml.expr.roots import real_powers

    assert not restricted(real_powers(e)), e


def test_a_log_domain_mismatch_is_reported_at_once_for_a_restricted_expected_answer() -> None:
    # 2·log x vs log x²: only the expected one is real at x < 0 → 'domain' (witness x < 0)
    got = compare(2 * sp.log(x), sp.log(x**2), [x])
    assert (got.how, got.point["x"] < 0) == ("domain", True)
    # log x² vs 2·log|x|: equal everywhere; log x² vs 2·log x on x > 0 only: equal there
    assert compare(sp.log(x**2), 2 * sp.log(sp.Abs(x)), [x]).equal
    assert compare(2 * sp.log(x), sp.log(x**2), [x], {"x": (0.5, 2.0)}).equal


def _zero_with_ops(n: int, twos: int) -> sp.Expr:
    """(x + 1)·S − expand((x + 1)·S) for S = Σ c_k·y^k (k = 1..n, c_k = 2 for k < twos, else
    1): zero, with a number of operations tuned by n and twos."""
    s = sum(((2 if k < twos else 1) * y**k for k in range(1, n + 1)), sp.Integer(0))
    return (x + 1) * s - sp.expand((x + 1) * s)


def test_the_symbolic_guard_tries_up_to_one_hundred_twenty_operations() -> None:
    # (n, twos) chosen so that SymPy counts 119 … 122 operations in the (zero) difference
    by_ops = {int(sp.count_ops(e)): e for e in (_zero_with_ops(n, c) for n, c in SIZES)}
    assert set(by_ops) == {119, 120, 121, 122}
    assert all(sp.expand(e) == 0 for e in by_ops.values())  # the reference: all are zero
    assert symbolically_zero(by_ops[119]) and symbolically_zero(by_ops[120])
    assert not symbolically_zero(by_ops[121]) and not symbolically_zero(by_ops[122])


SIZES = [(13, 11), (14, 9), (15, 7), (13, 12)]


def test_a_negative_power_of_a_sum_is_guarded_like_a_positive_one() -> None:
    for n, shown in ((12, True), (13, False)):
        e = (x + 1) ** -n - 1 / sp.expand((x + 1) ** n)
        assert sp.expand(sp.expand((x + 1) ** n) - (x + 1) ** n) == 0  # the reference: e is 0
        assert symbolically_zero(e) is shown, n
    # a large power of a single symbol is no sum: expanded whatever the exponent
    big = x**20 * (x + 1) - x**21 - x**20
    assert sp.expand(big) == 0 and symbolically_zero(big)


def _narrow(seed: int) -> tuple[sp.Expr, float, float]:
    """u = (x − a)(x − b), negative only on (a, b), 0.001 … 0.02 wide, with no simple fraction
    (denominator ≤ 11) inside: random or rational points alone miss the piece."""
    rng = __import__("random").Random(seed)
    while True:
        a = Fraction(rng.randint(-190, 180), 100) + Fraction(1, 2000)
        b = a + Fraction(rng.randint(1, 20), 1000)
        if not any(a < Fraction(p, q) < b for q in range(1, 12) for p in range(-22, 23)):
            break
    u = sp.expand(
        (x - sp.Rational(a.numerator, a.denominator))
        * (x - sp.Rational(b.numerator, b.denominator))
    )
    return u, float(a), float(b)


@pytest.mark.parametrize("seed", range(3))
def test_numeric_alone_samples_every_piece_and_matches_compare(seed: int) -> None:
    u, a, b = _narrow(seed)
    got = numeric(sp.Abs(u), u, [x], {}, 1e-6)
    assert (got.equal, got.how) == (False, "different") and a < got.point["x"] < b
    # with the default seed, numeric's points are compare's (answers with floats: no exact test)
    floats = 1.0 * sp.Abs(u) + 0.5 * x
    assert numeric(floats, u + 0.5 * x, [x], {}, 1e-6) == compare(floats, u + 0.5 * x, [x])
    assert numeric(x**2, 1.0 * x**3, [x], {}, 1e-6) == compare(x**2, 1.0 * x**3, [x])


@pytest.mark.parametrize("seed", range(3))
def test_a_difference_below_float_precision_on_a_narrow_piece_is_found(seed: int) -> None:
    # x + |u|·10⁻²⁰ vs x + u·10⁻²⁰: floats cannot tell them apart anywhere, the piece (a, b)
    # is found on the grid and the exact test must evaluate there
    u, a, b = _narrow(seed)
    tiny = sp.Rational(1, 10**20)
    got = compare(x + sp.Abs(u) * tiny, x + u * tiny, [x], seed=seed)
    assert (got.equal, got.how) == (False, "different"), got
    assert a < got.point["x"] < b


@pytest.mark.parametrize("seed", range(3))
def test_a_power_law_that_fails_only_at_even_exponents_is_caught(seed: int) -> None:
    # (x^y)^(1/y) with real odd roots: for x < 0 and y = p/q (q odd), x^y = |x|^y when p is
    # even, whose 1/y-th power is |x|, not x; every other real point gives x. Floats never
    # land on such a y, so only rational points tell; powers with a variable exponent get many
    given = (x**y) ** (1 / y)
    with mpmath.workdps(30):
        real_cube_root = -mpmath.cbrt(mpmath.mpf(3) / 2)  # of x = −3/2; y = 2/3
        assert abs((real_cube_root**2) ** (mpmath.mpf(3) / 2) - 1.5) < 1e-25  # |x|, not x
    got = compare(given, x, [x, y], seed=seed)
    assert (got.equal, got.how) == (False, "different"), got
    t, s = got.point["x"], Fraction(got.point["y"]).limit_denominator(1000)
    assert t < 0 and s.numerator % 2 == 0 and s.denominator % 2 == 1, got.point
    assert got.given_value == complex(abs(t)) and got.expected_value == complex(t)


@pytest.mark.parametrize("seed", range(4))
def test_the_exact_test_goes_on_past_points_where_the_given_answer_is_undefined(
    seed: int,
) -> None:
    # √x·√(1/x) + 10⁻²⁰ vs 1: undefined at x < 0 (skipped), 10⁻²⁰ off at every x > 0
    given = sp.sqrt(x) * sp.sqrt(1 / x) + sp.Rational(1, 10**20)
    assert abs(mpmath.sqrt(mpmath.mpf(3)) * mpmath.sqrt(1 / mpmath.mpf(3)) - 1) < 1e-45
    got = compare(given, sp.Integer(1), [x], seed=seed)
    assert (got.equal, got.how) == (False, "different") and got.point["x"] > 0


@pytest.mark.parametrize("seed", range(2))
def test_a_step_function_is_sampled_on_each_of_its_steps(seed: int) -> None:
    # u = 2 − (x − a)(x − b)/20 stays in [1.2, 2) outside (a, b) and passes 2 inside it:
    # ⌊u⌋² and ⌊u⌋ differ only there (4 vs 2), though u never changes sign
    u0, a, b = _narrow(seed)
    u = 2 - u0 / 20
    mid = sp.Rational(a + b) / 2
    assert sp.floor(u.subs(x, mid)) == 2 and sp.floor(u.subs(x, a - 0.01)) == 1  # the reference
    got = compare(sp.floor(u) ** 2, sp.floor(u), [x])
    assert (got.equal, got.how) == (False, "different") and a < got.point["x"] < b
    assert (got.given_value, got.expected_value) == (4, 2)


def test_a_variable_power_of_a_sum_is_never_expanded() -> None:
    # (x + 1)^(y + 400) − (x + 1)^y·(x + 1)^400 is 0, but expand would write out 401 terms
    e = (x + 1) ** (y + 400) - (x + 1) ** y * (x + 1) ** 400
    assert sp.powsimp(e) == 0  # the reference
    assert symbolically_zero(e) is False  # not shown: the guard refuses, it does not expand
    assert compare((x + 1) ** (y + 400), (x + 1) ** y * (x + 1) ** 400, [x, y]).equal


def test_a_constant_beyond_float_range_is_confirmed_exactly() -> None:
    # 10⁴⁰⁰·(sin²1 + cos²1) is 10⁴⁰⁰: floats overflow (no numeric point), the exact test decides
    big = sp.Integer(10) ** 400
    assert abs(big * (mpmath.sin(1) ** 2 + mpmath.cos(1) ** 2) / big - 1) < 1e-45
    assert compare(big * (sp.sin(1) ** 2 + sp.cos(1) ** 2), big).equal
    assert not compare(big * (sp.sin(1) ** 2 + sp.cos(1) ** 2), big + big / 10**30).equal


@pytest.mark.parametrize(
    ("given", "expected"),
    [(x**2, x**3), (x**2 + y, x**3), (sp.exp(x), sp.exp(y) + x), (sp.sin(x), sp.Integer(1))],
)
def test_a_float_counterexample_confirmed_at_high_precision_is_the_witness(
    given: sp.Expr, expected: sp.Expr
) -> None:
    # exact answers: the numeric test's witness stands once 50-digit evaluation confirms it
    # (the exact test is not asked for another one)
    syms = sorted(given.free_symbols | expected.free_symbols, key=str)
    floats = numeric(given, expected, syms, {}, 1e-6)
    assert floats.how == "different"
    at = {s: mpmath.mpf(floats.point[str(s)]) for s in syms}
    ref = [sp.lambdify(syms, e, "mpmath")(*at.values()) for e in (given, expected)]
    assert abs(ref[0] - ref[1]) > 1e-6  # the reference: they really differ there
    got = compare(given, expected, syms)
    assert (got.how, got.point) == ("different", floats.point)
    assert _near(got.given_value, ref[0]) and _near(got.expected_value, ref[1])


def test_a_wrong_answer_no_exact_evaluation_can_refute_is_never_marked_right() -> None:
    # e^(i(x+√2)) + e^(−i(x+√2)) is 2cos(x + √2) (mpmath), with non-real parts at every
    # rational x: neither the 50-digit check nor the exact test can evaluate it
    given = sp.exp(sp.I * (x + sp.sqrt(2))) + sp.exp(-sp.I * (x + sp.sqrt(2)))
    for t in (mpmath.mpf("0.3"), mpmath.mpf("-1.7")):
        u = t + mpmath.sqrt(2)
        assert abs(mpmath.exp(1j * u) + mpmath.exp(-1j * u) - 2 * mpmath.cos(u)) < 1e-45
    wrong = compare(given, 2 * sp.cos(x + sp.sqrt(2)) + sp.Rational(1, 10), [x])
    assert wrong.equal is False and wrong.how == "undecided"
    right = compare(given, 2 * sp.cos(x + sp.sqrt(2)), [x])
    assert (right.equal, right.how) == (True, "numeric")


def test_an_expected_answer_with_floats_is_compared_within_the_tolerance() -> None:
    # 0.333333333 is 3.3e-10 from 1/3: within 1e-6, whichever side holds the float
    assert abs(Fraction("0.333333333") - Fraction(1, 3)) < Fraction(1, 10**9)
    assert compare(x**2 / 3, 0.333333333 * x**2, [x]).equal
    assert compare(0.333333333 * x**2, x**2 / 3, [x]).equal
    assert not compare(x**2 / 3, 0.3333 * x**2, [x]).equal


def test_variables_not_listed_are_compared_all_the_same() -> None:
    got = compare(x + y, x)  # no variables given: y is still one
    assert (got.equal, got.how) == (False, "different") and set(got.point) == {"x", "y"}
    assert _near(got.given_value, mpmath.mpf(got.point["x"]) + mpmath.mpf(got.point["y"]))
    got = compare(x, x + y)
    assert (got.equal, got.how) == (False, "different") and set(got.point) == {"x", "y"}


def test_the_numeric_test_compares_at_exactly_points_many_points() -> None:
    from calcml.learn.equivalence import POINTS

    seen: set[float] = set()

    def evalf(self: sp.Function, prec: int) -> sp.Expr:
        seen.add(float(self.args[0]))
        return self.args[0]._eval_evalf(prec)  # type: ignore[no-any-return]

    # x itself, evaluated by evalf only (NumPy cannot print it); a fresh name: SymPy caches
    # function instances by name
    same = type(f"Seen{uuid.uuid4().hex}", (sp.Function,), {"_eval_evalf": evalf})
    got = numeric(same(x), x, [x], {}, 1e-6)
    assert (got.equal, got.how) == (True, "numeric")
    assert len(seen) == POINTS
