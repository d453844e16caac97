"""Odd roots are real roots: cbrt(x), x^(1/3), \\sqrt[3]{x}, x^(p/q) with q odd, for x < 0 too,
in parse, derive, limits, continuity, Taylor, numeric evaluation and the grader. References:
NumPy's np.cbrt and sign(x)·|x|^(p/q) evaluated here, finite differences of np.cbrt."""

from __future__ import annotations

import random

import numpy as np
import pytest
import sympy as sp

import calcml as cm
from calcml.expr import parse, symbol
from calcml.learn.answers import Answer
from calcml.learn.grader import check
from calcml.learn.problems.base import Problem
from calcml.symbolic.steps import Derivation

x = symbol("x")
CUBE_ROOTS = ["cbrt(x)", "x^(1/3)", "\\sqrt[3]{x}", "x^{1/3}", "cbrt x", "(x)^(2/6)"]


def values(text: str, xs: np.ndarray) -> np.ndarray:
    f = sp.lambdify([x], parse(text), "numpy")
    with np.errstate(all="ignore"):
        return np.asarray(f(xs), dtype=complex)


@pytest.mark.parametrize("text", CUBE_ROOTS)
def test_cube_root_spellings_are_real_for_negative_x(text: str) -> None:
    xs = np.random.default_rng(1).uniform(-50, 50, size=200)
    got = values(text, xs)
    assert np.allclose(got.imag, 0)
    assert np.allclose(got.real, np.cbrt(xs), rtol=1e-12)
    assert parse(text).subs(x, -8) == -2
    assert parse(text).subs(x, sp.Rational(-27, 8)) == sp.Rational(-3, 2)


def test_odd_roots_of_every_power_are_real() -> None:
    rng = random.Random(5)
    xs = np.random.default_rng(2).uniform(-9, 9, size=100)
    for _ in range(30):
        q = rng.choice([3, 5, 7, 9])
        p = rng.choice([n for n in range(-7, 8) if n and np.gcd(n, q) == 1])
        got = values(f"x^({p}/{q})", xs)
        want = np.sign(xs) ** p * np.abs(xs) ** (p / q)  # the real root, written here
        assert np.allclose(got.imag, 0) and np.allclose(got.real, want, rtol=1e-10), (p, q)
    even = values("x^(1/2)", np.array([-4.0]))  # an even root stays undefined for x < 0
    assert not np.isfinite(even.real).all() or abs(even.imag[0]) > 0


def test_the_derivative_of_the_cube_root_matches_finite_differences() -> None:
    d = cm.derive("cbrt(x)")
    f = sp.lambdify([x], d.result, "numpy")
    xs = np.random.default_rng(3).uniform(-20, 20, size=100)
    xs = xs[np.abs(xs) > 0.1]
    h = 1e-6
    fd = (np.cbrt(xs + h) - np.cbrt(xs - h)) / (2 * h)
    assert np.allclose(f(xs), fd, rtol=1e-6)
    chain = cm.derive("(x^2 - 9)^(1/3)")
    g = sp.lambdify([x], chain.result, "numpy")
    ys = xs[np.abs(np.abs(xs) - 3) > 0.1]
    fd2 = (np.cbrt((ys + h) ** 2 - 9) - np.cbrt((ys - h) ** 2 - 9)) / (2 * h)
    assert np.allclose(g(ys), fd2, rtol=1e-5)


def test_cube_root_limits_continuity_and_differentiability() -> None:
    for at in [-1, -8, sp.Rational(-27, 8), 5]:
        want = float(np.cbrt(float(at)))
        assert abs(float(cm.limit("cbrt(x)", "x", at).value) - want) < 1e-12
        assert abs(float(cm.limit("x^(1/3)", "x", at).value) - want) < 1e-12
    cont = cm.continuity("cbrt(x)", "x", 0)
    assert cont.continuous is True
    assert cm.continuity("x^(1/3)", "x", -2).continuous is True
    assert cm.limit("cbrt(x)", "x", 0, side="left").value == 0
    from calcml.symbolic.continuity import differentiable

    assert differentiable("cbrt(x)", "x", 0).differentiable is False
    assert differentiable("cbrt(x)", "x", -1).differentiable is True


def test_taylor_of_the_cube_root_at_a_negative_point() -> None:
    t = cm.taylor("cbrt(x)", "x", -8, order=2)
    # reference: the derivatives of the real root at -8 by SymPy on -(-x)^(1/3), valid for x < 0
    ref = sp.series(-((-x) ** sp.Rational(1, 3)), x, -8, 3).removeO()
    assert sp.simplify(sp.expand(t.result - ref)) == 0


def test_the_grader_samples_the_real_cube_root() -> None:
    sol = Derivation("q", parse("cbrt(x)"), parse("cbrt(x)"))
    p = Problem("t", "q", "q", Answer("expression", parse("cbrt(x)"), (x,)), ["h"], sol, {})
    assert check(p, "x^(1/3)").correct
    assert check(p, "-cbrt(-x)").correct
    assert check(p, "\\sqrt[3]{x}").correct
    assert not check(p, "|x|^(1/3)").correct


def test_sqrt_is_continuous_from_the_right_on_its_domain() -> None:
    r = cm.continuity("sqrt(x)", "x", 0)
    assert r.continuous is True
    assert "continuous from the right" in r.text() and "[0, ∞)" in r.text()
    assert "not continuous" not in r.text()
    left = cm.continuity("sqrt(-x)", "x", 0)
    assert left.continuous is True and "continuous from the left" in left.text()
    assert cm.continuity("1/sqrt(x)", "x", 0).continuous is False
