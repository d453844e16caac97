"""The grader's equivalence check at its edges: infinite answers, domain mismatches (the expected
answer's own domain or the learner's), switches of two variables, values too large to hold
exactly, answers real nowhere, and answers with floats. The references are mpmath at 50 digits
and the definitions themselves (|u| ≠ u exactly where u < 0)."""

from __future__ import annotations

import random
from collections.abc import Iterator

import mpmath
import pytest
import sympy as sp

from calcml.learn.equivalence import close, compare, exact_value

x, y = sp.Symbol("x", real=True), sp.Symbol("y", real=True)


@pytest.fixture(autouse=True)
def _digits() -> Iterator[None]:
    with mpmath.workdps(50):
        yield


def _real(v: mpmath.mpc) -> bool:
    return abs(mpmath.im(v)) <= mpmath.mpf(10) ** -40 * (1 + abs(v))


@pytest.mark.parametrize("given", [sp.oo, -sp.oo, sp.zoo, sp.oo * x, x + sp.zoo])
def test_an_infinite_answer_is_never_a_finite_one(given: sp.Expr) -> None:
    got = compare(given, x + 1, [x])
    assert (got.equal, got.how) == (False, "infinite")
    assert compare(sp.oo, sp.oo).equal  # the same infinity is the same answer


def test_a_domain_mismatch_names_a_point_where_only_the_expected_answer_is_real() -> None:
    got = compare(2 * sp.log(x), sp.log(x**2), [x])  # log(x²) is real for x ≠ 0, 2·log(x) not
    assert (got.equal, got.how) == (False, "domain")
    t = mpmath.mpf(got.point["x"])
    assert not _real(2 * mpmath.log(mpmath.mpc(t))) and _real(mpmath.log(t**2))
    assert got.given_value is None and got.expected_value is not None
    assert abs(got.expected_value.real - float(mpmath.log(t**2))) < 1e-9


def test_a_learner_form_real_on_part_of_the_line_is_compared_there_or_named() -> None:
    # √x·√(1/x) = 1 where x > 0; undefined in floats elsewhere, and 1 has no domain of its own
    for t in map(mpmath.mpf, ("0.2", "1.3", "1.9")):
        assert abs(mpmath.sqrt(t) * mpmath.sqrt(1 / t) - 1) < mpmath.mpf(10) ** -45
    got = compare(sp.sqrt(x) * sp.sqrt(1 / x), sp.Integer(1), [x])
    assert (got.equal, got.how) == (True, "numeric")
    # √(x − 5) is real nowhere on (−2, 2): never equal to 1 there, and the point says where
    got = compare(sp.sqrt(x - 5), sp.Integer(1), [x])
    assert (got.equal, got.how) == (False, "domain")
    assert -2 <= got.point["x"] <= 2 and not _real(mpmath.sqrt(mpmath.mpc(got.point["x"] - 5)))


@pytest.mark.parametrize("seed", range(3))
def test_a_switch_of_two_variables_is_found_by_the_random_points(seed: int) -> None:
    got = compare(sp.Abs(x - y), x - y, [x, y], seed=seed)
    assert (got.equal, got.how) == (False, "different")
    a, b = got.point["x"], got.point["y"]
    assert a < b  # |u| ≠ u exactly where u < 0
    assert got.given_value is not None and abs(got.given_value.real - abs(a - b)) < 1e-9
    assert compare(sp.Abs(x - y), sp.sqrt((x - y) ** 2), [x, y], seed=seed).equal


def test_an_answer_real_nowhere_is_undecided_not_equal() -> None:
    root = sp.sqrt(-1 - x**2)
    for t in (-1.5, 0.0, 0.7):
        assert not _real(mpmath.sqrt(mpmath.mpc(-1 - t**2)))
    got = compare(root * sp.sin(2 * x), 2 * root * sp.sin(x) * sp.cos(x), [x])
    assert (got.equal, got.how) == (False, "undecided")


def test_an_answer_with_floats_is_equal_within_the_tolerance_only() -> None:
    rng = random.Random(3)
    for _ in range(5):
        t = mpmath.mpf(rng.uniform(-2, 2))
        assert abs(mpmath.sin(2 * t) / 2 - mpmath.sin(t) * mpmath.cos(t)) < mpmath.mpf(10) ** -45
    got = compare(0.5 * sp.sin(2 * x), sp.sin(x) * sp.cos(x), [x])
    assert (got.equal, got.how) == (True, "numeric")
    assert compare(0.5001 * sp.sin(2 * x), sp.sin(x) * sp.cos(x), [x]).how == "different"
    assert compare(0.5000001 * sp.sin(2 * x), sp.sin(x) * sp.cos(x), [x]).equal  # within 1e-6


@pytest.mark.parametrize(("n", "q"), [(300_001, 2), (250_000, 3), (123_457, 7)])
def test_a_value_too_large_to_hold_exactly_is_evaluated_to_fifty_digits(n: int, q: int) -> None:
    got = exact_value(x**n - 1, {x: sp.Rational(1, q)})  # (1/q)^n has n·log2(q) bits
    want = mpmath.power(mpmath.mpf(1) / q, n) - 1
    assert got is not None and not got.is_Rational
    assert abs(mpmath.mpf(str(got)) - want) <= mpmath.mpf(10) ** -40
    assert exact_value(x**n, {x: sp.Rational(1, q)}) is not None


def test_close_is_relative_with_a_floor_and_never_for_infinity() -> None:
    inf = complex(float("inf"), 0)
    assert not close(inf, inf, 1e-6) and not close(1 + 0j, inf, 1e-6)
    assert not close(complex(float("nan"), 0), 1 + 0j, 1e-6)
    assert close(1e6 + 0j, 1e6 + 0.9 + 0j, 1e-6) and not close(1e6 + 0j, 1e6 + 1.1 + 0j, 1e-6)
    assert close(0j, 5e-11 + 0j, 1e-6) and not close(0j, 2e-10 + 0j, 1e-6)
