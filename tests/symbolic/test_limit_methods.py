"""The limit engine's symbolic methods and the loop that checks them (`symbolic.limits`).

References are independent of calcml: the function evaluated with mpmath at points near the
approach (written here), and SymPy's one-sided `limit`. The loop's paths (a method that
raises, gives no answer, or gives an answer the numbers contradict) are forced by replacing
the methods and the teacher, never by a tiny time limit.
"""

from __future__ import annotations

import random

import mpmath as mp
import pytest
import sympy as sp

import calcml as cm
from calcml.errors import CalcmlError, TimeLimitError
from calcml.expr import symbol
from calcml.symbolic import limits as limits_module
from calcml.symbolic.evidence import Evidence, gather
from calcml.symbolic.limit_result import UNDECIDED, UNDEFINED
from calcml.symbolic.limits import (
    METHODS,
    TAUGHT,
    LimitDomainError,
    Method,
    SideAnswer,
    _combine,
    _teach,
    one_sided,
)

x = symbol("x")
OO = sp.oo


def at_mp(f: sp.Expr, point: mp.mpf) -> mp.mpf:
    with mp.workdps(60):
        return mp.mpf(sp.lambdify(x, f, "mpmath")(point))


def random_rational(rng: random.Random) -> sp.Expr:
    """(a x² + b x + c)/(d x² + e) with d ≠ 0 and e > 0: no pole on the real line."""
    a, b, c = (rng.randint(-4, 4) for _ in range(3))
    d, e = rng.choice([-3, -2, -1, 1, 2, 3]), rng.randint(1, 4)
    return (a * x**2 + b * x + c) / (d * x**2 + e)


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("method", METHODS, ids=lambda m: m.name[:20])
def test_each_method_at_infinity_agrees_with_the_numbers(method: Method, seed: int) -> None:
    f = random_rational(random.Random(seed))
    for at, far in ((OO, mp.mpf(10) ** 30), (-OO, -(mp.mpf(10) ** 30))):
        got = method.run(f, x, at, "-" if at is OO else "+")
        with mp.workdps(60):
            assert abs(at_mp(f, far) - mp.mpf(str(sp.N(got, 50)))) < 1e-25, (f, at, got)


@pytest.mark.parametrize(
    ("f", "side"),
    [
        (sp.sin(3 * x) / x, "+"),
        (sp.sin(3 * x) / x, "-"),
        (sp.exp(1 / x), "-"),
        (x * sp.log(x), "+"),
        ((1 - sp.cos(x)) / x**2, "-"),
    ],
)
@pytest.mark.parametrize("method", METHODS, ids=lambda m: m.name[:20])
def test_each_method_at_a_point_agrees_with_the_numbers(
    method: Method, f: sp.Expr, side: str
) -> None:
    got = method.run(f, x, sp.S.Zero, side)
    sgn = 1 if side == "+" else -1
    with mp.workdps(60):
        near = [at_mp(f, sgn * mp.mpf(10) ** -k) for k in (9, 12)]
        assert all(abs(v - mp.mpf(str(sp.N(got, 50)))) < 1e-6 for v in near), (f, side, got)


def _raising(*args: object) -> object:
    raise NotImplementedError("this method cannot do it")


def _out_of_time(*args: object) -> object:
    raise TimeLimitError("this method ran out of time")  # its own, not the request's


def _unevaluated(f: sp.Expr, x: sp.Symbol, at: sp.Expr, side: str) -> object:
    return sp.Limit(f, x, at, side)  # SymPy's way of giving up: no answer


def _wrong(f: sp.Expr, x: sp.Symbol, at: sp.Expr, side: str) -> object:
    return sp.limit(f, x, at, side) + 5  # an answer the numbers contradict


def _no_teacher(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits_module, "_teach", lambda *a: ([], None, None))


F = sp.sin(3 * x) / x  # the reference: lim 3 from either side (SymPy and mpmath agree)


def test_the_first_method_the_numbers_accept_is_the_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    _no_teacher(monkeypatch)
    failing = (
        Method("raises", _raising),
        Method("times out", _out_of_time),
        Method("gives up", _unevaluated),
    )
    wrong = Method("wrong", _wrong)
    monkeypatch.setattr(limits_module, "METHODS", (*failing, wrong, METHODS[0], METHODS[1]))
    answer = one_sided(F, x, sp.S.Zero, "+", None)
    assert answer.value == sp.limit(F, x, 0, "+") == 3
    assert abs(at_mp(F, mp.mpf("1e-20")) - 3) < 1e-30
    assert answer.method == METHODS[0].name  # not the wrong one, not the later one


def test_when_every_answer_is_contradicted_the_limit_is_undecided(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _no_teacher(monkeypatch)
    monkeypatch.setattr(limits_module, "METHODS", (Method("wrong", _wrong),))
    answer = one_sided(F, x, sp.S.Zero, "-", None)
    assert answer.value is UNDECIDED
    assert answer.reason.startswith("wrong gave 8, but the numbers disagree; numerically f ≈ ")
    estimate = float(answer.reason.split("≈")[1].split()[0])
    assert abs(estimate - float(at_mp(F, mp.mpf("-1e-8")))) < 1e-6


def test_a_teachers_value_the_numbers_cannot_judge_stands_when_no_method_answers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    want = sp.limit(F, x, 0, "+")
    monkeypatch.setattr(limits_module, "_teach", lambda *a: ([], want, None))
    monkeypatch.setattr(limits_module, "METHODS", (Method("raises", _raising),))
    answer = one_sided(F, x, sp.S.Zero, "+", None)
    assert answer.value == want and answer.method == TAUGHT


def test_a_teacher_that_fails_or_gets_stuck_gives_no_value(monkeypatch: pytest.MonkeyPatch) -> None:
    import calcml.symbolic.limit_teach as teach_module

    ev = gather(F, x, sp.S.Zero, "+", seconds=None)
    stuck = [limits_module.note_step("stuck", "no technique applies")]
    monkeypatch.setattr(teach_module, "teach", lambda g, ap: (stuck, None))
    assert _teach(F, x, sp.S.Zero, "+", None, ev) == (stuck, None, None)
    monkeypatch.setattr(teach_module, "teach", _raising)
    assert _teach(F, x, sp.S.Zero, "+", None, ev) == ([], None, None)


def test_a_side_with_no_real_values_is_undefined_and_says_which() -> None:
    f = sp.sqrt(x)
    with mp.workdps(30):
        assert mp.sqrt(mp.mpf("-1e-10")).imag != 0  # the reference: complex on the left
    answer = one_sided(f, x, sp.S.Zero, "-", None)
    assert answer.value is UNDEFINED and answer.reason == "f has no real values on the left"
    with pytest.raises(LimitDomainError, match="on the left"):
        limits_module.limit(f, "x", 0, side="left")


def _side(side: str, value: object, reason: str = "") -> SideAnswer:
    return SideAnswer(side, value, x, Evidence(sp.S.Zero, side), reason=reason)  # type: ignore[arg-type]


def test_one_undecided_side_makes_the_limit_undecided_with_its_reason() -> None:
    for left, right in (
        (_side("-", UNDECIDED, "left unsure"), _side("+", sp.S.One)),
        (_side("-", sp.S.One), _side("+", UNDECIDED, "right unsure")),
    ):
        undecided = left if left.value is UNDECIDED else right
        assert _combine(left, right) == (UNDECIDED, undecided.reason)


def test_both_sides_undefined_is_a_domain_error() -> None:
    with pytest.raises(LimitDomainError):
        _combine(_side("-", UNDEFINED), _side("+", UNDEFINED))
    f = sp.sqrt(-(x**2) - 1)
    with mp.workdps(30):
        assert all(mp.sqrt(-(mp.mpf(h) ** 2) - 1).imag != 0 for h in ("1e-9", "-1e-9"))
    with pytest.raises(LimitDomainError, match="on either side"):
        limits_module.limit(f, "x", 0)


def test_a_side_that_is_not_a_side_is_refused() -> None:
    with pytest.raises(CalcmlError, match="side must be"):
        limits_module.limit("x", "x", 0, side="above")


def test_limits_at_both_infinities_agree_with_the_numbers() -> None:
    for seed in range(3):
        f = random_rational(random.Random(seed))
        for at, far in ((OO, mp.mpf(10) ** 30), (-OO, -(mp.mpf(10) ** 30))):
            r = limits_module.limit(f, "x", at, explain=False)
            assert r.left is None and r.right is None and r.side == "both"
            with mp.workdps(60):
                assert abs(at_mp(f, far) - mp.mpf(str(sp.N(r.value, 50)))) < 1e-25, (f, at)


@pytest.mark.parametrize("side", ["left", "right"])
def test_a_one_sided_limit_reports_only_that_side(side: str) -> None:
    f = (sp.Abs(x) + 2 * x) / x  # 1 on the left, 3 on the right
    mark = "-" if side == "left" else "+"
    r = limits_module.limit(f, "x", 0, side=side, explain=False)
    assert r.value == sp.limit(f, x, 0, mark)
    with mp.workdps(40):
        assert abs(at_mp(f, (1 if mark == "+" else -1) * mp.mpf("1e-20")) - r.value) < 1e-30
    assert (r.left, r.right) == ((r.value, None) if side == "left" else (None, r.value))


def test_a_function_defined_on_one_side_only_has_no_two_sided_limit() -> None:
    f = sp.sqrt(x) + 1
    r = limits_module.limit(f, "x", 0, explain=False)
    assert r.left is UNDEFINED and r.right == sp.limit(f, x, 0, "+") == 1
    assert r.reason.startswith("f is not defined on the left of the point")
    assert r.reason.endswith("from the other side exists (1)")


def test_an_answer_with_a_parameter_is_sympys_and_carries_a_note() -> None:
    a = sp.Symbol("a", positive=True)
    f = sp.sin(a * x) / x
    r = limits_module.limit(f, "x", 0, explain=False)
    assert r.value == sp.limit(f, x, 0, "+") == sp.limit(f, x, 0, "-")
    assert any(n.startswith("the answer depends on a:") for n in r.notes)


@pytest.mark.parametrize(
    ("text", "param", "at"),
    [("c*x - x", "c", sp.oo), ("a*x^2 - x^2 + x", "a", sp.oo), ("(k - 2)*x^3 + x", "k", -sp.oo)],
)
def test_a_parameter_answer_names_the_values_where_its_sign_vanishes(
    text: str, param: str, at: sp.Expr
) -> None:
    """∞·sign(c − 1) says nothing at c = 1 (∞·0), where SymPy's limit of the substituted
    function has a value: the note names that value of the parameter."""
    from calcml.expr import parse

    result = cm.limit(text, "x", at)
    f = parse(text)
    c = next(s for s in f.free_symbols if s.name == param)
    (sign,) = sp.sympify(result.value).atoms(sp.sign)  # the generic answer is ∞·sign(u)
    (root,) = sp.solve(sign.args[0], c)
    x = next(s for s in f.free_symbols if s.name == "x")
    special = sp.limit(f.subs(c, root), x, at)
    generic = sp.sympify(result.value).subs(c, root)
    assert generic != special  # at the root the generic answer (∞·0) says nothing
    note = next(n for n in result.notes if "depends on" in n)
    assert f"{param} = {root}" in note
