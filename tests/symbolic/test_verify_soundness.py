"""The derivative check is sound: numeric agreement must hold at ALL sample points (a function
equal to the reference on half the line is not its derivative), and a non-finite input is an
error, never a derivative of 0 "checked"."""

from __future__ import annotations

import math
import random

import pytest
import sympy as sp

import calcml as cm
from calcml import learn
from calcml.errors import CalcmlError, VerificationError
from calcml.expr import symbol
from calcml.symbolic.verify import equivalent, numerically_equal, verify_derivative

x, y = symbol("x"), symbol("y")


def test_agreement_at_some_points_is_not_agreement() -> None:
    rng = random.Random(21)
    for _ in range(40):
        c = sp.Rational(rng.randint(-3, 3), 10)
        k, n = rng.randint(1, 5), rng.randint(1, 4)
        right = k * x**n + y
        # equal to the reference for x > c only: right at some sample points, wrong at others
        half = sp.Piecewise((right, x > c), (right + 1 + x**2, True))
        assert not numerically_equal(half, right, [x, y])
        assert equivalent(half, right, [x, y]) is None
        assert not numerically_equal(sp.Max(x, c), x, [x])
        assert numerically_equal(sp.expand((x + c) ** k), (x + c) ** k, [x])


def test_a_wrong_derivative_raises_instead_of_being_checked() -> None:
    f = x**3
    wrong = sp.Piecewise((3 * x**2, x > 0), (3 * x**2 + 1, True))  # right on x > 0 only
    with pytest.raises(VerificationError):
        verify_derivative(wrong, f, x)


@pytest.mark.parametrize(
    "value", [float("nan"), float("inf"), float("-inf"), sp.nan, sp.zoo, math.nan]
)
def test_non_finite_input_is_an_error(value: object) -> None:
    with pytest.raises(CalcmlError, match=r"finite|undefined"):
        cm.derive(value)  # type: ignore[arg-type]
    with pytest.raises(CalcmlError):
        cm.gradient(value, "x")  # type: ignore[arg-type]


@pytest.mark.parametrize("limit", [float("nan"), float("inf"), 0, -1, "soon", None])
def test_check_never_raises_on_a_bad_time_limit(limit: object) -> None:
    p = learn.problem("power-rule", 1, 1)
    verdict = learn.check(p, p.answer.input(), time_limit=limit)  # type: ignore[arg-type]
    assert verdict.correct
    assert not learn.check(p, "x + 12345", time_limit=limit).correct  # type: ignore[arg-type]


def test_worked_solutions_never_hide_a_failed_verification(monkeypatch: pytest.MonkeyPatch) -> None:
    import calcml.symbolic as symbolic
    from calcml.errors import UnsupportedError
    from calcml.learn import worked

    def broken(expr: object, var: object) -> object:
        raise VerificationError("a rule is wrong")

    monkeypatch.setattr(symbolic, "derive", broken)
    with pytest.raises(VerificationError):
        worked.derivative(x**2, x)

    def unsupported(expr: object, var: object) -> object:
        raise UnsupportedError("no rule")

    monkeypatch.setattr(symbolic, "derive", unsupported)
    d = worked.derivative(x**2 * y, x)
    assert d.result == 2 * x * y  # SymPy's result in one step, for a function without a rule
