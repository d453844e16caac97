"""One work budget per request: runaway inputs give up with a clear message instead of hanging,
and the answer never depends on the clock (a safety net may only turn it into "gave up").

No test here reads the clock: paths are forced by budget parameters, and time limits are set
low only where every outcome but "gave up" or the right answer would fail the test."""

from __future__ import annotations

import threading

import pytest
import sympy as sp

import calcml as cm
from calcml.cli import main
from calcml.errors import TimeLimitError
from calcml.expr import symbol
from calcml.symbolic import simplify
from calcml.symbolic.budget import (
    MAX_EXACT_DIGITS,
    BudgetExceeded,
    budgeted,
    check_expansion,
    current,
    expansion_terms,
    request,
)
from calcml.symbolic.timelimit import call_with_time_limit

x = symbol("x")


@pytest.mark.parametrize("exponent", ["10^100", "10^9", "10^5", "2^2^2^2"])
@pytest.mark.parametrize("verb", ["limit", "continuity"])
def test_a_huge_exact_power_at_a_number_gives_up_before_computing_it(
    verb: str, exponent: str
) -> None:
    # 2^(10^100) would fill the memory in C code no thread can stop: refused before it starts
    call = getattr(cm, verb)
    with pytest.raises(TimeLimitError, match=f"gave up: .*at most {MAX_EXACT_DIGITS}"):
        call(f"x^({exponent})", "x", 2, time_limit=None)  # no clock at all: work decides


@pytest.mark.parametrize("base", ["3", "7/5", "-2"])
def test_exact_powers_inside_a_request_respect_the_digit_budget(base: str) -> None:
    b = cm.parse(base)
    with request(max_digits=60):
        assert b**50 == sp.Rational(int(b.p) ** 50, int(b.q) ** 50)  # within: computed exactly
        with pytest.raises(BudgetExceeded, match="at most 60"):
            b ** (10**6)
    big = b**300  # outside any request SymPy is left alone
    assert big == sp.Rational(int(b.p) ** 300, int(b.q) ** 300)


def test_the_limit_of_a_big_but_allowed_power_is_exact_and_prints() -> None:
    r = cm.limit("x^(10^3)", "x", 2)
    assert r.value == sp.Integer(2) ** 1000
    text = r.to_dict()["result"]["expr"]
    assert cm.parse(text) == sp.Integer(2) ** 1000


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["parse", "10^5000"], "at most 4000"),
        (["parse", "2^2^2^2^2"], "at most 4000"),
        (["limit", "x^(10^5)", "--at", "2"], "gave up"),
        (["continuity", "x^(10^100)", "--at", "2"], "gave up"),
    ],
)
def test_cli_big_numbers_are_a_clear_message_and_exit_2(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_one_request_shares_one_budget_across_calls_and_worker_threads() -> None:
    seen: list[object] = []
    with request(max_ops=10) as outer:
        with request(max_ops=999) as inner:  # nested: the same request goes on
            assert inner is outer and inner.max_ops == 10
        call_with_time_limit(lambda: seen.append(current()), 5.0)
        plain = threading.Thread(target=lambda: seen.append(current()))
        plain.start()
        plain.join()
        outer.charge(10)
        with pytest.raises(BudgetExceeded):
            outer.charge(1)
    assert seen == [outer, None]  # a worker of the request sees it; a stranger thread does not
    assert current() is None


def test_a_budgeted_request_gives_up_at_its_safety_net() -> None:
    @budgeted
    def spin(time_limit: float | None = 0.1) -> None:
        while True:
            sum(range(100))

    with pytest.raises(TimeLimitError, match=r"gave up after 0\.2 s"):
        spin()


@pytest.mark.parametrize("n", [25, 60])
def test_tidying_never_builds_a_huge_common_denominator(
    monkeypatch: pytest.MonkeyPatch, n: int
) -> None:
    # the derivative of Σ 1/(x + k) over one denominator has degree 2n: past the degree
    # budget, the common-denominator rewrite is not even started
    f = sum((1 / (x + k) ** 2 for k in range(1, n + 1)), sp.S.Zero)

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("together was called")

    monkeypatch.setattr(simplify.sp, "together", refuse)
    tidied = simplify.tidy(-f)
    assert sp.expand(tidied.expr + f) == 0


def test_expansion_is_refused_when_the_term_count_would_explode() -> None:
    product = sp.Mul(*[(x + k) for k in range(1, 40)])
    assert expansion_terms(product) > 5000  # 2^39 before collecting
    with pytest.raises(BudgetExceeded, match="terms"):
        check_expansion(product)
    assert expansion_terms((x + 1) ** 3 * (x + 2)) == 8


@pytest.mark.parametrize(
    ("call", "reference"),
    [
        (lambda: cm.taylor("tan(tan(tan(tan(x))))", "x", 0, order=20, time_limit=0.5), None),
        (
            lambda: cm.derive(" + ".join(f"1/(x + {k})" for k in range(1, 61)), "x"),
            -sum(1 / (x + k) ** 2 for k in range(1, 61)),
        ),
    ],
    ids=["taylor-tan4-order-20", "derive-60-reciprocals"],
)
def test_a_runaway_request_answers_right_or_gives_up(call: object, reference: object) -> None:
    # a low safety net may turn the answer into "gave up", never into another answer
    with request(seconds=3.0):
        try:
            result = call()
        except TimeLimitError as error:
            assert "gave up" in str(error) or "could not" in str(error)
            return
    if reference is not None:
        got = result.result  # type: ignore[attr-defined]
        for point in (sp.Rational(1, 3), sp.Rational(7, 2)):
            assert sp.N(got.subs(x, point) - reference.subs(x, point), 30) == 0  # type: ignore[attr-defined]
    else:
        series = sp.series(
            sp.tan(sp.tan(sp.tan(sp.tan(x)))), x, 0, 21
        ).removeO()  # pragma: no cover — reached only on a fast machine
        assert sp.expand(result.result - series) == 0  # type: ignore[attr-defined]


def test_time_limits_inside_a_request_are_clamped_to_its_safety_net() -> None:
    from calcml.symbolic.budget import request
    from calcml.symbolic.timelimit import clamp

    assert clamp(7.0) == 7.0 and clamp(None) is None  # outside a request: as asked
    with request(seconds=3600.0):
        assert clamp(None) is not None and 0 < clamp(None) <= 3600.0
        assert clamp(1.0) == 1.0  # tighter than the net: kept
        assert clamp(10_000.0) <= 3600.0
        with request(seconds=None):  # a nested request is the outer one: its net goes on
            assert clamp(10_000.0) <= 3600.0
    with request(seconds=None):
        assert clamp(5.0) == 5.0 and clamp(None) is None  # a request without a deadline
    assert clamp(7.0) == 7.0
