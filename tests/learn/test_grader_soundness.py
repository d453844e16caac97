"""The grader never accepts an infinite or overflowing answer for a finite one, and tells apart
exact expressions float sampling cannot (STACK AlgEquiv fixtures and generated variants of
them); it accepts forms equal where both sides are real. References are computed here: SymPy's
expand of the difference (exact), Python's Fraction, and NumPy evaluation."""

from __future__ import annotations

import math
import random
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp

from calcml.expr import parse, symbol
from calcml.learn.answers import Answer, format_answer
from calcml.learn.equivalence import compare
from calcml.learn.grader import check
from calcml.learn.problems import problem
from calcml.learn.problems.base import Problem
from calcml.learn.skills import SKILLS
from calcml.symbolic.steps import Derivation

x, y, a, b, c, k, m = (symbol(n) for n in "xyabckm")

HUGE = ["oo", "-oo", "inf", "∞", "1e400", "-1e400", "10^400", "exp(1000)", "-exp(1000)", "e^800"]


def make(answer: Answer) -> Problem:
    sol = Derivation("q", answer.value, answer.value)
    return Problem("test", "q", "q", answer, ["hint"], sol, {})


def expr_problem(text: str, *variables: sp.Symbol) -> Problem:
    return make(Answer("expression", parse(text), variables or (x,)))


@pytest.mark.parametrize("skill", [s.id for s in SKILLS])
def test_no_infinite_or_overflowing_answer_is_right_for_any_skill(skill: str) -> None:
    for seed in range(3):
        p = problem(skill, seed, seed % 3 + 1)
        kind = p.answer.kind
        if kind == "choice":
            continue
        for text in HUGE:
            if kind in ("vector", "matrix"):
                rows, cols = (len(p.answer.value), 1) if kind == "vector" else p.answer.value.shape
                entries = sp.Matrix(rows, cols, [parse(text)] * (rows * cols))
                given = format_answer(entries if kind == "matrix" else list(entries), kind)
                given = given if kind == "matrix" else "[" + ", ".join([text] * rows) + "]"
            else:
                given = text
            verdict = check(p, given)
            assert not verdict.correct, (skill, seed, given, verdict)


def test_five_infinite_answers_do_not_master_a_skill(tmp_path: object) -> None:
    from calcml.store.progress import Progress

    progress = Progress(f"sqlite:///{tmp_path}/progress.db")
    level = "new"
    for seed in range(6):
        verdict = check(problem("power-rule", seed, 3), "oo")
        level = progress.record("power-rule", seed, 3, "oo", verdict)
    assert progress.stats("power-rule").correct == 0
    assert level != "mastered"


def test_an_overflowing_value_never_equals_a_finite_one() -> None:
    rng = random.Random(3)
    for _ in range(30):
        n = rng.randint(1, 9)
        expected = parse(f"{n}*x^2 + {rng.randint(-5, 5)}")
        for text in [*HUGE, "x + oo", "10^400*x"]:
            assert not compare(parse(text), expected, [x]).equal, (text, expected)


def _polynomial_pair(rng: random.Random, degree: int) -> tuple[str, str, sp.Expr]:
    # roots outside the sampling box: the values there are ~5^13, so an error of 1 is ~1e-9
    roots = [rng.choice([-1, 1]) * rng.randint(3, 7) for _ in range(degree)]
    factored = "*".join(f"(x - ({r}))" for r in roots)
    expanded = sp.expand(sp.Mul(*[x - r for r in roots]))
    return factored, str(expanded).replace("**", "^"), expanded


def test_a_high_degree_polynomial_off_by_one_in_the_constant_is_rejected() -> None:
    rng = random.Random(13)
    for degree in [13, 13, 14, 15, 17]:
        factored, expanded_text, expanded = _polynomial_pair(rng, degree)
        assert sp.expand(parse(expanded_text) - expanded) == 0  # the reference form
        assert check(expr_problem(factored), expanded_text).correct
        for delta in (1, -1, 2):
            off = f"{expanded_text} + {delta}"
            assert sp.expand(parse(off) - parse(factored)) != 0  # reference: they differ
            assert not check(expr_problem(factored), off).correct, (factored, delta)


@pytest.mark.parametrize("n", [5999, 1001, 2500, 777])
def test_a_large_power_is_not_the_next_power(n: int) -> None:
    p = make(Answer("expression", parse(f"(x - a)^{n}"), (x, a)))
    assert not check(p, f"(x - a)^{n + 1}").correct
    assert not check(p, f"(x - a)^{n - 1}").correct
    assert check(p, f"(a - x)^{n}*(-1)^{n}").correct


def test_close_fractions_are_different_numbers() -> None:
    rng = random.Random(5)
    for _ in range(40):
        q = rng.randint(10**6, 10**9)
        p_ = rng.randint(1, q)
        r = Fraction(p_, q) + Fraction(1, q * rng.randint(2, 100))  # reference: Fraction
        assert r != Fraction(p_, q)
        problem_ = make(Answer("number", sp.Rational(p_, q)))
        assert not check(problem_, f"{r.numerator}/{r.denominator}").correct
        assert check(problem_, f"{2 * p_}/{2 * q}").correct
    fixture = make(Answer("number", parse("99999998/99999999")))
    assert not check(fixture, "99999999/10^8").correct
    assert check(fixture, "0.99999998").correct  # a float answer: the relative tolerance applies


def test_power_of_a_power_is_not_a_power_of_the_product() -> None:
    # (a^b)^c differs from a^(b·c) for a < 0: at a = -2, b = 2, c = 1/2 it is 2, not -2
    given, expected = parse("(a^b)^c"), parse("a^(b*c)")
    point = {a: -2, b: 2, c: sp.Rational(1, 2)}
    assert given.xreplace(point) != expected.xreplace(point)
    assert not compare(given, expected, [a, b, c]).equal
    assert not compare(parse("(x^2)^(1/2)"), parse("x"), [x]).equal
    assert compare(parse("(a^2)^3"), parse("a^6"), [a]).equal


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("sqrt(k/m)*sqrt(m/k)", "1"),
        ("log(a^x, a)", "x"),
        ("sqrt(x)^2", "x"),
        ("exp(log(k))", "k"),
        ("(x^3)^(1/3)", "x"),
    ],
)
def test_forms_equal_where_both_are_real_are_accepted(given: str, expected: str) -> None:
    g, e = parse(given), parse(expected)
    # reference: equal at random points where both are real (NumPy, written here)
    rng = np.random.default_rng(0)
    names = sorted(g.free_symbols | e.free_symbols, key=str)
    fg, fe = sp.lambdify(names, g, "numpy"), sp.lambdify(names, e, "numpy")
    agree = 0
    with np.errstate(all="ignore"):
        for _ in range(200):
            v = rng.uniform(0.1, 3.0, size=len(names))
            gv, ev = complex(fg(*v)), complex(fe(*v))
            if math.isfinite(gv.real) and math.isfinite(ev.real):
                assert abs(gv - ev) < 1e-9 * (1 + abs(ev))
                agree += 1
    assert agree > 100
    assert compare(g, e, names).equal, (given, expected)


def test_a_domain_mismatch_of_a_restricted_answer_is_still_rejected() -> None:
    assert compare(parse("2 log(x)"), parse("log(x^2)"), [x]).how == "domain"
    assert not compare(parse("log(x)"), parse("log(|x|)"), [x]).equal


def test_generated_exact_equivalences_are_accepted_and_perturbations_rejected() -> None:
    rng = random.Random(2024)
    for _ in range(25):
        r1, r2 = rng.randint(-4, 4), rng.randint(-4, 4)
        n = rng.randint(2, 9)
        factored = parse(f"(x - ({r1}))^{n}*(x + y - ({r2}))")
        expanded = sp.expand(factored)
        assert compare(expanded, factored, [x, y]).equal
        tiny = sp.Rational(1, rng.randint(10**7, 10**9))
        perturbed = expanded + tiny * x**n
        assert sp.expand(perturbed - factored) != 0
        assert not compare(perturbed, factored, [x, y]).equal
