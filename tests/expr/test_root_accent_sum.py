"""root(x, n) is x^(1/n) (real for odd n, like cbrt); `\\bar x` names x̄ in a list of variables;
a SymPy Sum handed to the API is written out so its result prints as text calcml reads back.
References: NumPy's real roots (np.cbrt, sign·|x|^(1/n)), finite differences, SymPy's doit/diff."""

from __future__ import annotations

import random

import numpy as np
import pytest
import sympy as sp

import calcml
from calcml.errors import ParseError
from calcml.expr import parse, symbol, to_text
from calcml.expr.names import MAX_ROOT_DEGREE
from calcml.expr.sums import written_out
from calcml.expr.variables import variable_names

X = symbol("x")


def _numpy_root(v: float, n: int) -> float | None:
    if n % 2 == 1:
        return float(np.cbrt(v)) if n == 3 else float(np.sign(v) * abs(v) ** (1.0 / n))
    return float(v ** (1.0 / n)) if v >= 0 else None


@pytest.mark.parametrize("seed", range(4))
def test_root_is_the_real_root_for_odd_n_and_the_principal_root_for_even_n(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(10):
        n = rng.randint(1, 12)
        e = parse(f"root(x, {n})")
        assert e == parse(f"x^(1/{n})")  # the same meaning as the power, parsed the same
        assert parse(to_text(e)) == e  # printed back in a form parse reads
        v = rng.choice([-1, 1]) * rng.uniform(0.05, 30.0)
        want = _numpy_root(v, n)
        got = complex(e.subs(X, sp.Float(v, 30)).evalf(20))
        if want is None:
            assert abs(got.imag) > 1e-9 or e.subs(X, v).is_real is False, (n, v, got)
        else:
            assert abs(got.imag) < 1e-12 and got.real == pytest.approx(want, rel=1e-12), (n, v)
            h = 1e-6  # the derivative against finite differences
            fd = (_numpy_root(v + h, n) - _numpy_root(v - h, n)) / (2 * h)  # type: ignore[operator]
            d = calcml.derive(f"root(x, {n})", "x").result
            assert float(d.subs(X, v)) == pytest.approx(fd, rel=1e-5), (n, v)
    assert parse("root(-8, 3)") == -2 and parse("root(-8, 3)") == parse("cbrt(-8)")


@pytest.mark.parametrize(
    "text", ["root(x, 0)", f"root(x, {MAX_ROOT_DEGREE + 1})", "root(x, 2.5)", "root(x, n)"]
)
def test_root_refuses_a_degree_that_is_not_a_whole_number_in_range(text: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse(text)
    assert "root" in str(caught.value) and "arccot" not in str(caught.value)
    assert caught.value.column == 1


@pytest.mark.parametrize("spelling", [r"\bar x", r"\bar{x}", "x̄", r"\overline x", "xbar"])
def test_a_latex_accent_with_a_space_names_the_accented_variable(spelling: str) -> None:
    assert variable_names(f"{spelling}, y") == [spelling, "y"]
    assert variable_names(f"y {spelling}") == ["y", spelling]
    r = calcml.derive("x̄^3 + x*y", spelling)
    xbar = symbol("xbar")
    assert r.result == sp.diff(xbar**3 + X * symbol("y"), xbar)
    c = calcml.critical_points(r"\bar{x}^2 + (y - 1)^2", f"{spelling} y")
    assert [p.coords for p in c.points] == [(0, 1)]


def _random_sum(rng: random.Random) -> tuple[sp.Expr, sp.Symbol]:
    i, j = sp.symbols("i j", integer=True)
    y = sp.Symbol("y")
    w = sp.IndexedBase("w")
    lo = rng.randint(0, 2)
    hi = lo + rng.randint(0, 6)
    bodies = [i * y**2, y**i, w[i] * y, sp.sin(i * y), (w[i] - y) ** 2]
    body = rng.choice(bodies)
    if rng.random() < 0.3:
        return sp.Sum(body * j, (i, lo, hi), (j, 1, 2)), y
    return sp.Sum(body, (i, lo, hi)) + y, y


@pytest.mark.parametrize("seed", range(3))
def test_a_sympy_sum_through_the_api_prints_text_parse_reads_back(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(5):
        s, y = _random_sum(rng)
        r = calcml.derive(s, "y")
        for shown in (r.expr, r.result):  # read back as the same value (SymPy may distribute)
            assert sp.expand(parse(to_text(shown)) - shown) == 0, shown
        # SymPy's own answer: the sum done, indexed w[k] as the variable w_k, differentiated
        done = s.doit().replace(
            lambda e: isinstance(e, sp.Indexed),
            lambda e: sp.Symbol(f"w_{int(e.indices[0])}", real=True),
        )
        yr = symbol("y")
        reference = sp.diff(done.subs(y, yr), yr)
        assert sp.simplify(r.result - reference) == 0, (s, r.result, reference)


def test_a_sympy_sum_calcml_does_not_write_out_stays_a_sum() -> None:
    """A symbolic bound or more than 50 terms: the Sum is kept as it is (SymPy differentiates it
    term by term; the loss derivations rely on Σ with a symbolic n, tests/symbolic/test_losses)."""
    i, n = sp.symbols("i n", integer=True)
    y = sp.Symbol("y")
    for s in (sp.Sum(y**i, (i, 1, n)), sp.Sum(i * y, (i, 1, 500))):
        assert written_out(s) == s
    mixed = sp.Sum(y**i, (i, 1, n)) + sp.Sum(i * y, (i, 1, 3))
    assert written_out(mixed) == sp.Sum(y**i, (i, 1, n)) + 6 * y
