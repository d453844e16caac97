"""`calcml.critical_points`: classic functions, each point classified by the Hessian."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator

import numpy as np
import pytest
import sympy as sp

import calcml as cm
from calcml.expr.functions import relu
from calcml.symbolic import budget
from calcml.symbolic.critical import classify


@pytest.fixture(autouse=True)
def _no_clock() -> Iterator[None]:
    """Each test one request with no safety net: what it checks depends on work alone, so a
    busy machine cannot turn an answer into "gave up"."""
    with budget.request(seconds=None):
        yield


def kinds(f: str, wrt: str = "x,y", **kw: object) -> list[tuple[tuple[object, ...], str]]:
    return [(p.coords, p.kind) for p in cm.critical_points(f, wrt, **kw).points]


def test_bowl_saddle_and_cubic() -> None:
    assert kinds("x^2 + y^2") == [((0, 0), "minimum")]
    assert kinds("-x^2 - y^2") == [((0, 0), "maximum")]
    assert kinds("x^2 - y^2") == [((0, 0), "saddle")]
    assert kinds("x^3 - 3*x + y^2") == [((-1, 0), "saddle"), ((1, 0), "minimum")]


def test_rosenbrock_has_its_minimum_at_one_one() -> None:
    r = cm.critical_points("(1 - x)^2 + 100*(y - x^2)^2", "x,y")
    assert [(p.coords, p.kind) for p in r.points] == [((1, 1), "minimum")]
    assert r.points[0].value == 0 and r.points[0].exact


def test_himmelblau_four_minima_found_numerically() -> None:
    # two cubic equations: Bézout's bound 9 is past the default max_solutions (8), so the
    # numeric search is chosen by the size of the system, on any machine
    r = cm.critical_points("(x^2 + y - 11)^2 + (x + y^2 - 7)^2", "x,y")
    assert "numerically" in r.method and "up to 9 solutions" in r.method
    minima = [p for p in r.points if p.kind == "minimum"]
    expected = [(3.0, 2.0), (-2.805118, 3.131312), (-3.779310, -3.283186), (3.584428, -1.848127)]
    got = sorted(tuple(float(c) for c in p.coords) for p in minima)
    assert len(got) == 4
    for point in expected:
        assert min(np.hypot(point[0] - g[0], point[1] - g[1]) for g in got) < 1e-5
    assert ((3, 2), "minimum") in [(p.coords, p.kind) for p in r.points]  # exact when it fits
    assert all(abs(float(p.value)) < 1e-12 for p in minima)
    assert sorted(p.kind for p in r.points).count("saddle") == 4
    assert sum(p.kind == "maximum" for p in r.points) == 1


def test_one_variable_uses_higher_derivatives_when_the_test_is_inconclusive() -> None:
    r = cm.critical_points("x^3", "x")
    assert [(p.coords, p.kind) for p in r.points] == [((0,), "inconclusive")]
    assert "not an extremum" in r.points[0].note
    r = cm.critical_points("x^4", "x")
    assert "local minimum" in r.points[0].note


def test_no_critical_points_and_a_line_of_them() -> None:
    assert cm.critical_points("x + y", "x,y").points == []
    r = cm.critical_points("x^2", "x,y")
    assert r.points == [] and r.families == [{sp.Symbol("x", real=True): 0}]


def test_classify_by_eigenvalue_signs() -> None:
    assert classify([1, 2]) == "minimum"
    assert classify([-1, -2]) == "maximum"
    assert classify([-1, 2]) == "saddle"
    assert classify([0, 2]) == "inconclusive"
    assert classify([0, -1, 1]) == "saddle"


def test_steps_and_json() -> None:
    r = cm.critical_points("x^3 - 3*x + y^2", "x,y")
    assert [s.rule for s in r.steps][:3] == ["gradient", "solve", "solutions"]
    assert "Hessian" in [s.rule for s in r.steps]
    data = json.loads(json.dumps(r.to_dict()))
    assert [p["kind"] for p in data["points"]] == ["saddle", "minimum"]
    assert data["points"][1]["eigenvalues"][0]["expr"] == "2"
    assert "→ minimum" in r.text()


@pytest.mark.parametrize("f", ["x^2 + 3*x*y + y^2", "x*y*exp(-x^2 - y^2)"])
def test_every_point_makes_the_gradient_vanish(f: str) -> None:
    r = cm.critical_points(f, "x,y")
    grad = [sp.diff(r.expr, v) for v in r.variables]
    for p in r.points:
        at = dict(zip(r.variables, p.coords, strict=True))
        assert all(abs(float(g.subs(at))) < 1e-9 for g in grad)


def test_corners_are_not_classified_by_the_hessian() -> None:
    # |x| + y²: the gradient has sign(0) = 0, but f has a corner there (no DiracDelta crash)
    assert kinds("abs(x) + y^2") == [((0, 0), "not differentiable")]
    # one variable: the corner of ReLU is a critical point (the minimum of ReLU(x) + x²)
    r = cm.critical_points("relu(x) + x^2", "x")
    assert [(p.coords, p.kind) for p in r.points] == [((0,), "not differentiable")]
    assert "corner" in r.points[0].note
    assert "eigenvalues" not in r.points[0].line()


def test_gradient_and_hessian_steps_do_not_equate_f_with_its_gradient() -> None:
    shown = cm.critical_points("x^2 - y^2", "x,y").text()
    assert "∇f = " in shown and "H = " in shown and "shape (2,)" in shown


def test_numeric_roots_stay_in_the_region_searched(monkeypatch: pytest.MonkeyPatch) -> None:
    # a budget with no exact solve forces the numeric path; Newton may wander off to far roots
    monkeypatch.setattr(budget.current(), "max_solutions", 0)
    r = cm.critical_points("sin(x)", "x")
    assert "numerically" in r.method
    assert r.points and all(-5 <= float(p.coords[0]) <= 5 for p in r.points)
    assert any(s.rule == "periodic" and "[-5, 5]" in s.explanation for s in r.steps)


def test_families_are_counted_in_the_heading() -> None:
    assert "3 whole families" in cm.critical_points("x*y*z", "x,y,z").text().splitlines()[0]


# ----------------------------------------------------------------------------- complete root sets


def _real_roots_numpy(coeffs: list[int]) -> list[float]:
    """The reference: NumPy's companion-matrix roots, the (numerically) real ones."""
    roots = np.roots(coeffs)
    return sorted(float(r.real) for r in roots if abs(r.imag) < 1e-7)


def test_an_empty_exact_solve_is_not_a_proof_x6() -> None:
    r = cm.critical_points("x^6 - 3x^2 + x", "x")
    got = sorted(float(p.coords[0]) for p in r.points)
    want = _real_roots_numpy([6, 0, 0, 0, -6, 1])  # f' = 6x^5 - 6x + 1
    assert len(got) == len(want) == 3
    assert np.allclose(got, want, atol=1e-10)
    assert "real_roots" in r.method
    assert "never vanishes" not in r.text()


def test_generated_polynomials_get_every_real_critical_point() -> None:
    rng = np.random.default_rng(7)
    checked = 0
    while checked < 25:
        degree = int(rng.integers(5, 9))
        coeffs = [int(c) for c in rng.integers(-9, 10, size=degree + 1)]
        if coeffs[0] == 0:
            continue
        f = sum(
            sp.Integer(c) * sp.Symbol("x", real=True) ** (degree - i) for i, c in enumerate(coeffs)
        )
        fprime = [c * (degree - i) for i, c in enumerate(coeffs[:-1])]
        want = _real_roots_numpy(fprime)
        if any(abs(p - q) < 1e-4 for p, q in itertools.pairwise(want)):
            continue  # (near-)double roots: the float reference cannot count them
        r = cm.critical_points(f, "x")
        got = sorted(float(p.coords[0]) for p in r.points)
        assert len(got) == len(want), (f, got, want)
        assert np.allclose(got, want, atol=1e-7), (f, got, want)
        checked += 1


def test_numeric_fallback_needs_no_scipy(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "scipy", None)  # import scipy now raises ImportError
    monkeypatch.setitem(sys.modules, "scipy.optimize", None)
    r = cm.critical_points("x^2 + 3*cos(x) + y^2", "x,y")
    assert "numerically" in r.method and "Newton" in r.method
    import mpmath

    for p in r.points:
        px, py = (float(c) for c in p.coords)
        assert abs(py) < 1e-8
        root = float(mpmath.findroot(lambda t: 2 * t - 3 * mpmath.sin(t), px))
        assert abs(root - px) < 1e-8
    xs = sorted(float(p.coords[0]) for p in r.points)
    assert len(xs) == 3 and abs(xs[1]) < 1e-12  # 2x = 3 sin x: 0 and ±1.4961...


def test_a_numeric_search_that_finds_nothing_does_not_claim_a_proof() -> None:
    # ∂f/∂x = x² + 1 + cos x > 0, but no exact method sees it: the search finds nothing
    r = cm.critical_points("x^3/3 + x + sin(x) + y^2", "x,y")
    assert r.points == []
    assert "never vanishes" not in r.text()
    assert "not a proof" in r.text()
    # ∂f/∂x = eˣ: a factor that cannot vanish, so no point at all (proved, not searched)
    proved = cm.critical_points("exp(x) + y^2", "x,y")
    assert proved.points == [] and "never vanishes" in proved.text()
    exact = cm.critical_points("x^5 + x", "x")  # f' = 5x⁴ + 1 > 0: isolation proves it
    assert exact.points == [] and "never vanishes" in exact.text()


@pytest.mark.parametrize("seed", range(6))
def test_a_flat_valley_is_not_a_line_of_critical_points(seed: int) -> None:
    # (a·x + b·y + c)^(2k) + (x - x0)² has one critical point, where a·x + b·y + c = 0 and
    # x = x0; along the valley |∇f| < 1e-8 far from it (the power flattens everything near
    # 0), which a float Newton search once reported as ten "critical points"
    rng = np.random.default_rng(seed)
    a, b = (int(v) for v in rng.integers(1, 3, 2))
    c, x0 = int(rng.integers(-2, 3)), int(rng.integers(-1, 2))
    k = int(rng.integers(10, 21))
    f = f"({a}*x + {b}*y + {c})^{2 * k} + (x - {x0})^2"
    r = cm.critical_points(f, "x,y")
    truth = (x0, -(a * x0 + c) / b)  # the only solution of ∇f = 0, solved by hand
    assert len(r.points) == 1, (f, [p.coords for p in r.points])
    assert np.allclose([float(v) for v in r.points[0].coords], truth, atol=1e-9), f


def test_a_numeric_root_is_confirmed_without_losing_a_simple_one() -> None:
    # x² + 3cos(x) + y² (numeric by its shape): x = 0 and the two roots of 2x = 3 sin(x),
    # found here by NumPy bisection, independent of calcml
    def bisect(lo: float, hi: float) -> float:
        for _ in range(200):
            mid = (lo + hi) / 2
            if (2 * lo - 3 * np.sin(lo)) * (2 * mid - 3 * np.sin(mid)) <= 0:
                hi = mid
            else:
                lo = mid
        return (lo + hi) / 2

    root = bisect(0.5, 3.0)
    xs = sorted(
        float(p.coords[0]) for p in cm.critical_points("x^2 + 3*cos(x) + y^2", "x,y").points
    )
    assert np.allclose(xs, [-root, 0.0, root], atol=1e-8)


_SWITCHES = (
    "abs({u})",
    "relu({u})",
    "abs({u})^3",
    "({u})*abs({u})",
    "relu({u})^2",
    "({u})^(4/3)",
    "({u})^(2/3)",
    "({u})^(1/3)",
    "sign({u})*({u})^2",
)


def _one_sided_slopes(f: sp.Expr, x: sp.Symbol, a: sp.Expr) -> tuple[float, float]:
    """(left, right) difference quotients of f at a with h = 10⁻²⁰ at 60 digits (mpmath)."""
    import mpmath

    g = sp.lambdify(x, f.replace(relu, lambda u: sp.Max(u, 0)), "mpmath")
    with mpmath.workdps(60):
        h, at = mpmath.mpf(10) ** -20, mpmath.mpf(sp.Rational(a).p) / sp.Rational(a).q
        left, right = (g(at) - g(at - h)) / h, (g(at + h) - g(at)) / h
    return float(left), float(right)


@pytest.mark.parametrize("seed", range(16))
def test_a_switching_piece_is_a_critical_point_only_where_f_has_no_slope(seed: int) -> None:
    """c·K(x − r) + a·x² + b·x with a kink-like piece K switching at r: r is listed exactly when
    f is not differentiable there or its slope is 0 (one-sided quotients at 60 digits), and is
    "not differentiable" exactly when the slopes differ. Before, every switch point was listed
    as "a corner → not differentiable" (x·|x|, ReLU(x)², |x|³ are differentiable at 0, and
    ReLU(x)² − x has slope −1 there), and |x|^(2/3) − x crashed on an infinite Hessian."""
    import random

    rng = random.Random(seed)
    x = sp.Symbol("x", real=True)
    r = sp.Integer(rng.choice((-1, 0, 1, 2)))
    a, b, c = rng.choice((0, 1, -1)), rng.choice((0, 0, 1, -2)), rng.choice((1, -1, 2))
    text = f"{c}*" + rng.choice(_SWITCHES).format(u=f"x - ({r})") + f" + {a}*x^2 + {b}*x"
    result = cm.critical_points(text, "x")
    f = cm.parse(text)
    left, right = _one_sided_slopes(f, x, r)
    listed = {p.coords[0]: p for p in result.points}
    for p in listed:
        if p != r:  # away from the switch, f′(p) = 0 by sympy.diff
            assert abs(float(sp.diff(f, x).subs(x, p))) < 1e-9, (text, p)
    infinite = max(abs(left), abs(right)) > 1e6  # a vertical tangent (the cube root at 0)
    corner = infinite or not (abs(left - right) < 1e-9 * (1 + abs(left)))
    if any(reg.where is not None and reg.where.contains(r) == sp.true for reg in result.regions):
        # the closed end of a flat set (2·|x − 1| − 2x ≡ −2 on [1, ∞)): flat on one side
        assert r not in listed and min(abs(left), abs(right)) < 1e-9, (text, left, right)
    elif corner:
        assert r in listed and listed[r].kind == "not differentiable", (text, left, right)
    elif abs(left) > 1e-9:
        assert r not in listed, (text, left)
    else:
        assert r in listed and listed[r].kind != "not differentiable", (text, left)


@pytest.mark.parametrize(
    "f", ["x*y^2 - 3*x + y + x^2/2", "x*y^2 - 4*x + y + x^2/3", "y*x^2 - 5*y + x + y^2/2"]
)
def test_real_critical_points_written_with_i_are_kept(f: str) -> None:
    """sympy.solve writes the three real roots of a cubic with i (casus irreducibilis); they
    were dropped as complex, and "solved exactly" listed no point at all. Reference: the same
    solutions evaluated at 30 digits (imaginary part ≈ 0) and NumPy's Hessian eigenvalues."""
    x, y = sp.symbols("x y", real=True)
    e = cm.parse(f)
    grad = [sp.diff(e, v) for v in (x, y)]
    want = []
    for s in sp.solve(grad, [x, y], dict=True):
        v = [complex(sp.N(s[x], 30)), complex(sp.N(s[y], 30))]
        if all(abs(c.imag) < 1e-20 for c in v):
            want.append((v[0].real, v[1].real))
    r = cm.critical_points(f, "x, y")
    got = sorted((float(p.coords[0]), float(p.coords[1])) for p in r.points)
    assert len(want) == 3 and np.allclose(got, sorted(want), atol=1e-10), (got, want)
    for p in r.points:
        h = np.array(sp.hessian(e, (x, y)).subs({x: p.coords[0], y: p.coords[1]}), dtype=float)
        eig = np.linalg.eigvalsh(h)
        kind = (
            "saddle" if eig.min() < 0 < eig.max() else ("minimum" if eig.min() > 0 else "maximum")
        )
        assert p.kind == kind
