"""Nested compositions (tan(tan(tan(tan(x·y)))), high-order Taylor polynomials of towers):
whether calcml answers or gives up is decided by counted work — the size of each derivative as
it is built, the sum of the sizes a request builds, the size of an expansion — never by the
clock. The same seeded compositions are run with the safety net at its normal value and at
10×: the decision is the same, and every answer agrees with SymPy's diff / series."""

from __future__ import annotations

import random
from collections.abc import Iterator

import mpmath
import pytest
import sympy as sp

import calcml as cm
from calcml.expr import symbol
from calcml.symbolic import budget
from calcml.symbolic.budget import BudgetExceeded
from calcml.symbolic.timelimit import DEFAULT_TIME_LIMIT

x, y = symbol("x"), symbol("y")

WRAPS = [
    "sin({})",
    "cos({})",
    "tan({})",
    "exp({})",
    "tanh({})",
    "atan({})",
    "log(1 + ({})^2)",
    "sqrt(1 + ({})^2)",
    "({})^2",
    "({})^3",
    "1/(1 + ({})^2)",
    "({})*x",
]


def composition(rng: random.Random, inner: str, depth: int) -> str:
    """`depth` functions wrapped around `inner`, each picked at random (only SymPy's own
    functions, so SymPy's diff and series are an independent reference)."""
    e = inner
    for _ in range(depth):
        e = rng.choice(WRAPS).format(e)
    return e


def case(seed: int) -> tuple[str, str, int]:
    rng = random.Random(seed)
    verb = rng.choice(["derive", "hessian", "taylor", "taylor"])
    inner = rng.choice(["x*y", "x + y", "x*y^2"]) if verb == "hessian" else "x"
    return verb, composition(rng, inner, rng.randint(2, 5)), rng.randint(2, 20)


def run(verb: str, f: str, order: int, scale: float, monkeypatch: pytest.MonkeyPatch) -> object:
    """The answer, or "gave up" when the work budget stopped the request (a stop by the clock
    is a TimeLimitError that is not BudgetExceeded, and fails the test)."""
    monkeypatch.setattr(budget, "DEFAULT_SECONDS", 20.0 * scale)  # derive, hessian: no argument
    try:
        if verb == "derive":
            return cm.derive(f, "x").result
        if verb == "hessian":
            return cm.hessian(f, "x,y").result
        return cm.taylor(f, "x", 0, order=order, time_limit=DEFAULT_TIME_LIMIT * scale).result
    except BudgetExceeded as error:
        assert "(size budget)" in str(error) or "(work budget)" in str(error), error
        return "gave up"


def _close(got: sp.Expr, want: sp.Expr, variables: list[sp.Symbol], seed: int) -> None:
    """got = want at random points (30 digits), where want is defined."""
    rng = random.Random(seed)
    checked = 0
    for _ in range(20):
        point = {v: sp.Rational(rng.randint(-90, 90), 100) for v in variables}
        with mpmath.workdps(30):
            try:
                w = complex(sp.N(want.xreplace(point), 30))
                g = complex(sp.N(got.xreplace(point), 30))
            except (TypeError, ValueError, ZeroDivisionError):
                continue
        if not all(map(mpmath.isfinite, (w.real, w.imag))):
            continue
        assert abs(g - w) <= 1e-15 * (1 + abs(w)), (point, g, w)
        checked += 1
        if checked == 3:
            return
    raise AssertionError("no point where the reference is defined")


@pytest.fixture
def reset() -> Iterator[None]:
    yield
    assert budget.current() is None  # each run is a request of its own


@pytest.mark.parametrize("seed", range(16))
def test_the_decision_on_a_nested_composition_does_not_depend_on_the_clock(
    seed: int, monkeypatch: pytest.MonkeyPatch, reset: None
) -> None:
    verb, f, order = case(seed)
    normal = run(verb, f, order, 1.0, monkeypatch)
    relaxed = run(verb, f, order, 10.0, monkeypatch)
    assert (normal == "gave up") == (relaxed == "gave up"), (verb, f, order)
    if normal == "gave up":
        return
    assert normal == relaxed  # the same answer, not only the same decision
    e = sp.sympify(f.replace("^", "**"), locals={"x": x, "y": y})  # the reference's own reading
    if verb == "derive":
        _close(normal, sp.diff(e, x), [x], seed)  # type: ignore[arg-type]
    elif verb == "hessian":
        for (i, a), (j, b) in ((p, q) for p in enumerate((x, y)) for q in enumerate((x, y))):
            _close(normal[i, j], sp.diff(e, a, b), [x, y], seed)  # type: ignore[index]
    else:
        series = sp.series(e, x, 0, order + 1).removeO()
        _close(normal, series, [x], seed)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "call",
    [
        lambda: cm.hessian("tan(tan(tan(tan(tan(x*y)))))", "x,y"),
        lambda: cm.taylor("tan(tan(tan(tan(x))))", "x", 0, order=20, time_limit=None),
        lambda: cm.taylor("tan(tan(tan(tan(tan(x)))))", "x", 0, order=14, time_limit=None),
        lambda: cm.taylor("sin(sin(sin(sin(sin(sin(x))))))", "x", 0, order=20, time_limit=None),
        lambda: cm.derive("tan(tan(tan(tan(tan(tan(x))))))" + "".join(["*x"] * 3) + "", "x"),
    ],
    ids=["hessian-tan5", "taylor-tan4-20", "taylor-tan5-14", "taylor-sin6-20", "derive-tan6"],
)
def test_towers_give_up_by_work_with_no_clock_at_all(call: object) -> None:
    # no safety net: only counted work can stop these; either a clear "gave up … (budget)" or
    # an answer (the derive case answers: one derivative of a tower is small)
    with budget.request(seconds=None):
        try:
            result = call()  # type: ignore[operator]
        except BudgetExceeded as error:
            assert str(error).startswith("gave up:") and "budget)" in str(error)
            return
    assert result.verified  # type: ignore[attr-defined]


def test_the_size_of_a_derivative_is_counted_as_it_is_built() -> None:
    from calcml.symbolic.differentiator import Differentiator

    f = cm.parse("tan(tan(tan(tan(x))))")
    raw = budget.nodes(Differentiator(x).diff(f).after)  # what the rules build
    refused = pytest.raises(BudgetExceeded, match=f"past {raw - 1:,} symbols")
    with budget.request(seconds=None, max_nodes=raw - 1), refused:
        cm.derive(f, "x")
    with budget.request(seconds=None, max_nodes=raw) as b:  # fits; its size is charged
        cm.derive(f, "x")
        assert b.work >= raw + budget.nodes(sp.diff(f, x))
    over = pytest.raises(BudgetExceeded, match="work budget")
    with budget.request(seconds=None, max_work=raw + 1), over:  # ours fits, with SymPy's not
        cm.derive(f, "x")


def test_the_expansion_estimate_bounds_the_terms_of_the_real_expansion() -> None:
    rng = random.Random(5)
    for _ in range(40):
        e = cm.parse(composition(rng, "x + 1", rng.randint(1, 3)) + " * (x + 2)^3 * (x - 3)")
        assert len(sp.Add.make_args(sp.expand(e))) <= budget.expanded_nodes(e)
    with budget.request(seconds=None, max_expanded=100):
        assert not budget.within_expansion(cm.parse("(x + y + 1)^6 * (x - 2)^3"))
        assert budget.within_expansion(cm.parse("(x + 1)^2 * (x - 2)"))


def test_the_sympy_fallback_of_a_shown_derivative_is_counted_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the engine failing for another reason falls back to sympy.diff: its result is sized
    # against the same budget, never an uncounted way around it
    import importlib

    from calcml.symbolic.budget import request
    from calcml.symbolic.show_derivative import derivative

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("engine failure")

    monkeypatch.setattr(importlib.import_module("calcml.symbolic.derive"), "derivation", broken)
    x = sp.Symbol("x", real=True)
    tower = sp.tan(sp.tan(sp.tan(sp.tan(x))))
    with request(seconds=None, max_nodes=10), pytest.raises(BudgetExceeded, match="size budget"):
        derivative(tower, x)
    with request(seconds=None):
        assert derivative(sp.sin(x), x).result == sp.cos(x)
