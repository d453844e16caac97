"""The grader sees every piece of a function with |u|, ReLU, max, sign or floor in it.

|θ² − θ| and θ² − θ differ only on (0, 1); random points can miss a piece that narrow (the
differential fuzzer found the grader calling them equal). The references here are the pieces
themselves: u = (x − a)(x − b) is negative exactly on (a, b), so |u| ≠ u there.
"""

from __future__ import annotations

import random

import pytest
import sympy as sp

from calcml.expr import parse
from calcml.learn.equivalence import compare

x = sp.Symbol("x", real=True)


def _narrow_pieces(seed: int) -> tuple[sp.Rational, sp.Rational]:
    rng = random.Random(seed)
    a = sp.Rational(rng.randint(-190, 180), 100)
    return a, a + sp.Rational(rng.randint(1, 20), 1000)  # a piece 0.001 … 0.02 wide


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize(
    "wrap",
    [
        lambda u: sp.Abs(u),
        lambda u: sp.Max(u, 0),
        lambda u: u * sp.sign(u),
        lambda u: (u + sp.Abs(u)) / 2,
    ],
    ids=["abs", "max", "sign", "relu-form"],
)
def test_a_narrow_negative_piece_is_seen(seed: int, wrap: object) -> None:
    a, b = _narrow_pieces(seed)
    u = sp.expand((x - a) * (x - b))
    given = wrap(u)  # type: ignore[operator]
    mid = (a + b) / 2
    assert given.subs(x, mid) != u.subs(x, mid)  # the reference: they differ inside (a, b)
    result = compare(given, u, [x])
    assert not result.equal and result.how == "different", (given, u, result)
    witness = result.point["x"]
    assert float(a) < witness < float(b)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("abs(θ^2 - θ)", "θ^2 - θ"),
        ("relu(x^2 - x)", "x^2 - x"),
        ("max(x, x^2)", "x^2"),
        ("floor(x/7)", "0"),
        ("abs(x - 1/3)*(x - 1/3)", "(x - 1/3)^2"),
    ],
)
def test_answers_that_differ_on_one_piece_are_rejected(given: str, expected: str) -> None:
    g, e = parse(given), parse(expected)
    result = compare(g, e, sorted(g.free_symbols | e.free_symbols, key=str))
    assert not result.equal and result.how == "different"
    at = {s: sp.Rational(result.point[str(s)]) for s in g.free_symbols | e.free_symbols}
    assert g.subs(at) != e.subs(at)  # the witness really separates them


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("sqrt((x^2 - x)^2)", "abs(x^2 - x)"),
        ("(x^2 - x + abs(x^2 - x))/2", "relu(x^2 - x)"),
        ("(x + x^2 + abs(x - x^2))/2", "max(x, x^2)"),
        ("abs(x)*abs(x - 1)", "abs(x^2 - x)"),
        ("sign(x^3 - x)*(x^3 - x)", "abs(x^3 - x)"),
    ],
)
def test_equal_forms_with_switches_are_accepted(given: str, expected: str) -> None:
    g, e = parse(given), parse(expected)
    assert compare(g, e, sorted(g.free_symbols | e.free_symbols, key=str)).equal


@pytest.mark.parametrize("seed", range(8))
def test_a_root_of_a_square_is_seen_as_the_absolute_value_it_is(seed: int) -> None:
    """√(u²) is |u|; SymPy keeps it a power when it cannot tell u is real (a plain symbol, or u
    containing √x), so the grader must find u's narrow negative piece all the same."""
    a, b = _narrow_pieces(seed)
    y = sp.Symbol("y")  # no assumptions: sqrt(u**2) stays a power
    u = sp.expand((y - a) * (y - b))
    given = sp.sqrt(u**2)
    assert isinstance(given, sp.Pow)
    mid = (a + b) / 2
    assert given.subs(y, mid) == -u.subs(y, mid) != 0  # the reference: |u| = −u inside (a, b)
    result = compare(given, u, [y])
    assert not result.equal and result.how == "different", (given, u, result)
    assert float(a) < result.point["y"] < float(b)


@pytest.mark.parametrize("seed", range(8))
def test_a_switch_of_two_variables_is_seen_on_its_small_piece(seed: int) -> None:
    """|c − xy| and c − xy differ only in the corners of (−2, 2)² where xy > c (under 1% of
    the box for c near 3.5): the grader samples each sign of the inside of |u|, ReLU, max …
    of several variables, not just random points."""
    rng = random.Random(seed)
    c = sp.Rational(rng.randint(250, 370), 100)
    y = sp.Symbol("y", real=True)
    u = c - x * y
    assert sp.Abs(u).subs({x: 2, y: 2}) != u.subs({x: 2, y: 2})  # the reference: a corner
    for given in (sp.Abs(u), sp.Max(u, 0), (u + sp.Abs(u)) / 2):
        result = compare(given, u, [x, y])
        assert not result.equal and result.how == "different", (given, u, result)
        assert result.point["x"] * result.point["y"] > c, result.point


t, k = sp.Symbol("t", real=True), sp.Symbol("k", integer=True)
UNSAMPLED = [
    sp.Sum(sp.Abs(x - k), (k, 1, 2)),  # switches on a bound variable: not a piece of x
    sp.Abs(sp.erf(x)),  # NumPy cannot evaluate erf on an array: no grid labels
    sp.Abs(sp.Integral(sp.exp(-(t**2)), (t, 0, x))),  # NumPy cannot print an Integral
]


@pytest.mark.parametrize("seed", range(2))
@pytest.mark.parametrize("part", UNSAMPLED, ids=["sum", "erf", "integral"])
def test_a_switch_that_cannot_be_sampled_leaves_the_others_sampled(
    seed: int, part: sp.Expr
) -> None:
    """|u| + w vs u + w, where w's own switch cannot be placed on the grid (it is skipped):
    u's narrow negative piece is still found (w's inside sorts first, so the grader must go
    on past it)."""
    a, b = _narrow_pieces(seed)
    u = sp.expand((x - a) * (x - b))
    mid = (a + b) / 2
    assert sp.Abs(u).subs(x, mid) != u.subs(x, mid)  # the reference: they differ inside (a, b)
    result = compare(sp.Abs(u) + part, u + part, [x])
    assert not result.equal and result.how == "different", (part, result)
    assert float(a) < result.point["x"] < float(b)


def test_the_pieces_of_two_variables_are_sought_in_their_stated_domain() -> None:
    """|c − xy| ≠ c − xy only where xy > c: for c = 15 on (2, 4)², a corner (xy ≤ 16) that
    the default box (−2, 2)² never reaches."""
    y = sp.Symbol("y", real=True)
    u = 15 - x * y
    assert sp.Abs(u).subs({x: 4, y: 4}) != u.subs({x: 4, y: 4})  # the reference: the corner
    box = {"x": (2.0, 4.0), "y": (2.0, 4.0)}
    result = compare(sp.Abs(u), u, [x, y], box)
    assert not result.equal and result.how == "different", result
    assert result.point["x"] * result.point["y"] > 15 and 2 <= result.point["y"] <= 4


@pytest.mark.parametrize("seed", range(2))
def test_the_other_variables_of_a_piece_are_drawn_from_their_domain(seed: int) -> None:
    """The narrow piece of u(x) is sampled with y from y's own domain (3, 4), where
    √(y − 5/2) is real; from the default (−2, 2) the point would be undefined and skipped."""
    y = sp.Symbol("y", real=True)
    a, b = _narrow_pieces(seed)
    u = sp.expand((x - a) * (x - b))
    root = sp.sqrt(y - sp.Rational(5, 2))
    got = compare(root * sp.Abs(u), root * u, [x, y], {"y": (3.0, 4.0)})
    assert not got.equal and got.how == "different", got
    assert float(a) < got.point["x"] < float(b) and 3 <= got.point["y"] <= 4


@pytest.mark.parametrize("seed", range(2))
def test_every_switch_keeps_its_pieces(seed: int) -> None:
    """|u| + |x³ − 5| vs u + |x³ − 5|: the pieces of x³ − 5 come after u's (sorted by text)
    and must not replace them."""
    a, b = _narrow_pieces(seed)
    u = sp.expand((x - a) * (x - b))
    other = sp.Abs(x**3 - 5)
    got = compare(sp.Abs(u) + other, u + other, [x])
    assert not got.equal and got.how == "different", got
    assert float(a) < got.point["x"] < float(b)
