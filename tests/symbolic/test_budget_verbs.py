"""The work budget reaches every verb: critical points and verification choose their way by the
size of the input (never by the clock), and --time-limit says what it does.

No test here asserts on the clock: paths are forced by budget parameters; the only time bound
is the issue's "gave up within the safety net + 1 s", kept wide."""

from __future__ import annotations

import re
from collections.abc import Iterator

import numpy as np
import pytest
import sympy as sp

import calcml as cm
from calcml.bounds import BOUNDS, SAFETY_FACTOR, TIME_LIMIT_HELP
from calcml.cli import main
from calcml.expr import symbol
from calcml.symbolic import budget, critical, verify

x, y = symbol("x"), symbol("y")


@pytest.fixture(autouse=True)
def _no_clock() -> Iterator[None]:
    """Each test one request with no safety net: what it checks depends on work alone, so a
    busy machine cannot turn an answer into "gave up"."""
    with budget.request(seconds=None):
        yield


# ----------------------------------------------------------------------------- verification


def _reciprocal_sum(n: int) -> sp.Expr:
    return sp.Add(*[x / (x**2 + k) for k in range(1, n + 1)])


def test_the_exact_check_never_builds_a_common_denominator_past_the_degree_budget(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # 60 terms x/(x² + k): their common denominator has degree 120, past max_degree (40); the
    # exact check is not started (it used to run for minutes, cut off by a 1 s clock)
    f = _reciprocal_sum(60)
    reference = sp.diff(f, x)
    ours = sp.Add(*[(k - x**2) / (x**2 + k) ** 2 for k in range(1, 61)])

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("together was called")

    monkeypatch.setattr(verify.sp, "together", refuse)
    assert verify.equivalent(ours, reference, [x]) == "numeric"
    wrong = ours + (x - x**3) / (x**2 + 7) ** 3  # one term changed
    assert verify.equivalent(wrong, reference, [x]) is None


def test_below_the_degree_budget_the_check_is_exact_and_a_tighter_budget_makes_it_numeric(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    f = _reciprocal_sum(3)
    reference = sp.diff(f, x)
    ours = sp.Add(*[(k - x**2) / (x**2 + k) ** 2 for k in range(1, 4)])
    ours = sp.together(ours)  # a different form: equal only after a common denominator
    assert verify.equivalent(ours, reference, [x]) == "exact"
    monkeypatch.setattr(budget.current(), "max_degree", 4)
    assert verify.equivalent(ours, reference, [x]) == "numeric"


@pytest.mark.parametrize("n", [40, 60])
def test_derive_of_many_reciprocals_is_checked_and_right(n: int) -> None:
    d = cm.derive(" + ".join(f"x/(x^2 + {k})" for k in range(1, n + 1)), "x")
    assert d.verified.startswith("checked against sympy.diff")
    rng = np.random.default_rng(n)
    for point in rng.uniform(-3, 3, size=4):
        want = sum((k - point**2) / (point**2 + k) ** 2 for k in range(1, n + 1))
        got = float(d.result.subs(x, sp.Float(point, 30)))
        assert abs(got - want) <= 1e-10 * (1 + abs(want))


# ----------------------------------------------------------------------------- critical points


def test_critical_points_never_hand_sympy_a_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[object] = []
    original = critical.call_with_time_limit

    def spy(fn: object, seconds: object, *args: object, **kwargs: object) -> object:
        seen.append(seconds)
        return original(fn, seconds, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(critical, "call_with_time_limit", spy)
    cm.critical_points("x^3 - 3*x + y^2", "x,y")
    cm.critical_points("relu(x) + x^2", "x")
    assert seen and all(s is None for s in seen)  # only the request's safety net


@pytest.mark.parametrize(
    ("f", "wrt", "bezout"),
    [
        ("x^3 - 3*x + y^2", "x,y", 1),  # 3(x − 1)(x + 1) and 2y: linear factors
        ("(1 - x)^2 + 100*(y - x^2)^2", "x,y", 6),  # a cubic and a quadratic
        ("(x^2 + y - 11)^2 + (x + y^2 - 7)^2", "x,y", 9),  # two cubics
        ("x*y*exp(-x^2 - y^2)", "x,y", 4),  # e^(…) never vanishes; y(1 − 2x²), x(1 − 2y²)
    ],
)
def test_the_size_of_the_system_is_its_bezout_bound(f: str, wrt: str, bezout: int) -> None:
    xs = [symbol(v) for v in wrt.split(",")]
    e = cm.parse(f)
    grad = [sp.diff(e, v) for v in xs]
    assert critical.solve_size(grad, xs) == bezout


def test_mixed_equations_and_high_degree_factors_are_not_solved_in_closed_form() -> None:
    assert "mixes a variable" in str(critical.solve_size([2 * x - 3 * sp.sin(x)], [x]))
    assert "degree 5" in str(critical.solve_size([6 * x**5 - 6 * x + 1], [x]))  # isolated
    assert "degree budget" in str(critical.solve_size([x ** (10**100)], [x]))  # never expanded
    assert critical.solve_size([sp.cos(x)], [x]) == 1


def test_the_budget_forces_the_numeric_search_and_it_finds_the_exact_points(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    exact = cm.critical_points("x^3 - 3*x + y^2", "x,y")
    assert exact.method.startswith("solved")
    monkeypatch.setattr(budget.current(), "max_solutions", 0)
    numeric = cm.critical_points("x^3 - 3*x + y^2", "x,y")
    assert "numerically" in numeric.method and "more than an exact solve" in numeric.method
    # the reference: sympy.solve on the gradient, written here
    f = x**3 - 3 * x + y**2
    want = sorted(
        (float(s[x]), float(s[y])) for s in sp.solve([f.diff(x), f.diff(y)], [x, y], dict=True)
    )
    got = sorted(tuple(float(c) for c in p.coords) for p in numeric.points)
    assert np.allclose(got, want, atol=1e-9)
    assert [p.kind for p in numeric.points] == [p.kind for p in exact.points]


@pytest.mark.parametrize("f", ["x^2 + 3*cos(x) + y^2", "x*exp(x) + sin(x)"])
def test_transcendental_systems_go_numeric_by_their_shape(f: str) -> None:
    # they used to spend the 3 s time limit inside sympy.solve first (on a busy machine, the
    # exact answer and the numeric one could swap)
    r = cm.critical_points(f, "x,y" if "y" in f else "x")
    assert "numerically" in r.method and "mixes a variable with a function" in r.method
    e = cm.parse(f)
    for p in r.points:
        at = dict(zip(r.variables, p.coords, strict=True))
        assert all(abs(float(sp.diff(e, v).subs(at))) < 1e-8 for v in r.variables)


def test_a_huge_power_is_never_expanded_and_its_corner_point_is_found(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # x^(10^100): printed as a power (it used to recurse forever in the printer), never
    # expanded or factored; the numeric search finds (0, 0), where the Hessian test fails
    code = main(["critical", "x^(10^100) + y^2", "--wrt", "x,y", "--json"])
    out, err = capsys.readouterr()
    assert code == 0 and "Traceback" not in err
    import json

    data = json.loads(out)
    assert "degree budget" in data["method"]
    assert [[c["expr"] for c in p["point"]] for p in data["points"]] == [["0", "0"]]


# ----------------------------------------------------------------------------- --time-limit


@pytest.mark.parametrize("verb", ["limit", "continuity", "critical"])
def test_time_limit_help_says_the_request_gives_up_after_the_safety_net(
    verb: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([verb, "--help"]) == 0
    text = re.sub(r"[\s│]+", " ", capsys.readouterr().out)
    assert re.sub(r"\s+", " ", TIME_LIMIT_HELP) in text
    assert f"after {SAFETY_FACTOR}× this" in text
    assert f"At most {BOUNDS['time_limit'].high:g}." in text


def test_every_engine_with_a_time_limit_documents_it_the_same_way() -> None:
    engines = [cm.limit, cm.continuity, cm.taylor, cm.critical_points]
    from calcml.symbolic.continuity import differentiable

    for engine in [*engines, differentiable]:
        assert TIME_LIMIT_HELP in (engine.__doc__ or ""), engine.__name__
    # the maximum keeps the worst safety net within a minute, as the bound says
    assert SAFETY_FACTOR * BOUNDS["time_limit"].high <= 60


# ----------------------------------------------------------------------------- runaway variants

VARIANTS = [
    ["limit", "x^(10^200)", "--at", "3"],
    ["limit", "(x^(2^20))^(2^20)", "--at", "2"],
    ["continuity", "(x+1)^(10^6)", "--at", "2"],
    ["continuity", "x^(7^300)", "--at", "2", "--differentiable"],
    ["taylor", "x^(10^100)", "--at", "2", "--order", "3"],
    ["derive", "x^(10^100-1)"],
    ["derive", "x^(10^100)*(x+1)^(10^50)"],
    ["gradient", "(x+y)^(10^9)", "--wrt", "x,y"],
    ["jacobian", "(x+y)^(10^100)", "x*y", "--wrt", "x,y"],
    ["critical", "x^(10^100+1) - x"],
    ["critical", "tan(tan(tan(x)))"],
    ["derive", " + ".join(f"x/(x^2 + {k})" for k in range(1, 61))],
]


@pytest.mark.parametrize("args", VARIANTS, ids=[" ".join(a[:2])[:40] for a in VARIANTS])
def test_runaway_variants_answer_or_give_up_clearly(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    # each verb with a bigger exponent, a nested power, a tower, many reciprocals: an answer,
    # or a clear "gave up" (exit 2), never an internal error, a traceback or a hang
    code = main(args)
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "bug in calcml" not in err
    assert code == 0 or (code == 2 and "gave up" in err), (code, err)
    if code == 0:
        assert out.strip()


def test_the_derivative_of_a_huge_power_that_is_no_perfect_power_prints_its_digits() -> None:
    d = cm.derive("x^(10^100 - 1)", "x")
    text = d.to_dict()["result"]["expr"]
    assert cm.parse(text) == sp.diff(x ** (10**100 - 1), x)  # the printed form reads back


def test_a_tower_of_tangents_has_no_critical_point_and_it_is_proved() -> None:
    # f′ = (tan²x + 1)(tan²(tan x) + 1)(tan²(tan tan x) + 1): no factor has a real root
    r = cm.critical_points("tan(tan(tan(x)))", "x")
    assert r.points == [] and "never vanishes" in r.text()
    assert "no solution" in r.method
