"""Two limits of SymPy's suite calcml left undecided: numeric evidence that lost a cancellation
(2ˣ·(2 + (x − 2·2ˣ + 2)/2ˣ) is x + 2, 0 at 80 digits for x = 10³) and an oscillating base
hidden in a quotient ((sin x + 1)ˣ/2ˣ). References: mpmath at 1,000 digits, SymPy's limit of
the simplified base, f along the sequences evaluated by mpmath."""

from __future__ import annotations

import random
from collections.abc import Iterator

import mpmath as mp
import pytest
import sympy as sp

import calcml as cm
from calcml.symbolic import budget
from calcml.symbolic.evidence import _evaluate, interval_function, numeric_function
from calcml.symbolic.limit_teach.techniques.sequences import oscillation_witness

X = sp.Symbol("x", real=True)


@pytest.fixture(autouse=True)
def _no_clock() -> Iterator[None]:
    with budget.request(seconds=None):
        yield


def _cancelling(rng: random.Random) -> tuple[sp.Expr, sp.Expr]:
    """a^x·(c + (x − c·aˣ + k)/aˣ)/(x + 1) = (x + k)/(x + 1): its (x + 1)-th power → e^(k − 1)."""
    a, c, k = rng.choice([2, 3, 5]), rng.randint(1, 4), rng.randint(0, 4)
    base = a**X * (c + (X - c * a**X + k) / a**X) / (X + 1)
    return base ** (X + 1), sp.exp(k - 1)


@pytest.mark.parametrize("seed", range(4))
def test_evidence_never_keeps_a_value_a_cancellation_faked(seed: int) -> None:
    f, _ = _cancelling(random.Random(seed))
    fn, ivfn = numeric_function(f, X), interval_function(f, X)
    for at in (mp.mpf(10) ** 3, mp.mpf(10) ** 4):
        value, _status = _evaluate(fn, lambda at=at: at, 40, ivfn)
        with mp.workdps(12 * int(mp.log10(at)) + 100):  # the reference: enough digits
            want = fn(at)
        assert value is None or abs(value - want) < mp.mpf(10) ** -8 * abs(want), (f, at, value)


@pytest.mark.parametrize("seed", [0, pytest.param(1, marks=pytest.mark.soak)])
def test_a_power_whose_base_cancels_is_decided(seed: int) -> None:
    f, expected = _cancelling(random.Random(seed))
    assert sp.limit(sp.simplify(f.base) ** f.exp, X, sp.oo) == expected  # SymPy's reference
    assert cm.limit(f, X, "oo").value == expected


PERIODIC_QUOTIENTS = [
    lambda: (sp.sin(X) + 1) ** X / 2**X,
    lambda: (sp.cos(X) + 1) ** (2 * X) / 4**X,
    lambda: (1 - sp.sin(3 * X)) ** X * 2 ** (-X),
]


@pytest.mark.parametrize("make", PERIODIC_QUOTIENTS)
def test_an_oscillating_base_inside_a_quotient_has_two_sequences(make: object) -> None:
    f = make()  # type: ignore[operator]
    witness = oscillation_witness(f, X, sp.oo)
    assert witness is not None and len({s.limit for s in witness}) == 2
    fn = sp.lambdify(X, f, "mpmath")
    for s in witness:  # the reference: f along each sequence, by mpmath at 60 digits
        with mp.workdps(60):
            v = fn(mp.mpf(str(sp.N(s.point(10**3), 80))))
        assert abs(v - mp.mpf(str(sp.N(s.limit, 30)))) < mp.mpf(10) ** -20, (f, s, v)
