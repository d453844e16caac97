"""A seeded differential fuzzer: random expressions (fuzzgrammar.py) through calcml's verbs,
each answer compared with an independent reference computed here (SymPy on the definitions,
evaluated with mpmath; sympy.series; sympy.limit with a numeric check; sympy.solve with NumPy's
eigenvalues). calcml may give up with a clear CalcmlError; it may not give a different number,
fail its own check (VerificationError) or raise anything else.

`make test` runs the first seeds of each family; `make soak` runs them all (the soak marker,
as with SymPy's limit suite). Any mismatch that is SymPy's fault is listed in REFERENCE_WRONG
with the numeric proof, re-checked every run.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from typing import Any

import mpmath
import numpy as np
import pytest
import sympy as sp
from fuzzgrammar import Tree, draw, points, sym

import calcml as cm
from calcml.errors import CalcmlError, VerificationError
from calcml.expr.functions import sigmoid, softplus
from calcml.symbolic import budget

DIGITS = 40
TOLERANCE = mpmath.mpf("1e-15")

NAMES_1 = [("x",), ("θ",), ("theta",), ("λ",)]
NAMES_2 = [("x", "y"), ("θ", "α"), ("x", "λ")]


def seeds(n_test: int, n_soak: int) -> list[Any]:
    """The first n_test seeds in `make test`, the rest up to n_soak under `make soak`."""
    return [s if s < n_test else pytest.param(s, marks=pytest.mark.soak) for s in range(n_soak)]


@pytest.fixture(autouse=True)
def _no_clock() -> Iterator[None]:
    """Answers depend on work alone: no safety net in seconds (the machine's load)."""
    with budget.request(seconds=None):
        yield


def _at(e: sp.Expr, pt: dict[str, mpmath.mpf]) -> mpmath.mpf | None:
    """e at the point by SymPy's evalf at DIGITS digits (None: not a finite real number)."""
    subs = {s: sp.Float(str(pt[s.name]), DIGITS) for s in e.free_symbols if s.name in pt}
    try:
        v = sp.N(e.xreplace(subs), DIGITS)
    except (TypeError, ValueError, ZeroDivisionError, ArithmeticError):
        return None
    if v.free_symbols or v.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
        return None
    re, im = v.as_real_imag()
    if abs(im) > 1e-25 * (1 + abs(re)):
        return None
    return mpmath.mpf(str(re))


def _reference(e: sp.Expr, pt: dict[str, mpmath.mpf]) -> mpmath.mpf | None:
    """The reference at a point: DiracDelta is 0 away from a kink (points keep away from them)."""
    return _at(e.replace(sp.DiracDelta, lambda *a: sp.S.Zero), pt)


def _same(got: mpmath.mpf | None, want: mpmath.mpf | None) -> bool:
    if got is None or want is None:
        return got is None and want is None
    return bool(abs(got - want) <= TOLERANCE * (1 + abs(got) + abs(want)))


def _mismatches(ours: sp.Expr, ref: sp.Expr, pts: Sequence[dict[str, mpmath.mpf]]) -> list[str]:
    bad = []
    for pt in pts:
        want = _reference(ref, pt)
        if want is None:
            continue  # the derivative itself is undefined there (a pole of f′)
        got = _at(ours, pt)
        if not _same(got, want):
            bad.append(
                f"at {dict((k, float(v)) for k, v in pt.items())}: calcml {got}, reference {want}"
            )
    return bad


def _allowed(error: Exception) -> bool:
    """A clear give-up is allowed; a failed self-check or an internal error is not."""
    return isinstance(error, CalcmlError) and not isinstance(error, VerificationError)


# ----------------------------------------------------------------------------- derivatives


@pytest.mark.parametrize("seed", seeds(25, 400))
def test_derive_agrees_with_sympy_diff_of_the_definitions(seed: int) -> None:
    rng = random.Random(seed)
    names = rng.choice(NAMES_1 + NAMES_2)
    t = draw(rng, names, depth=rng.choice((2, 3, 4)))
    wrt = rng.choice([n for n in names if sym(n) in t.ref.free_symbols])
    try:
        d = cm.derive(t.text, wrt)
    except Exception as error:
        assert _allowed(error), (t.text, wrt, repr(error))
        return
    pts = points(t, names, rng, 5)
    bad = _mismatches(d.result, sp.diff(t.ref, sym(wrt)), pts)
    assert not bad, (t.text, wrt, d.result, bad)


@pytest.mark.parametrize("seed", seeds(4, 120))
def test_gradient_hessian_jacobian_and_directional_agree_with_sympy(seed: int) -> None:
    rng = random.Random(10_000 + seed)
    names = rng.choice(NAMES_2)
    t = draw(rng, names, depth=rng.choice((2, 3)))
    u = draw(rng, names, depth=2)
    syms = [sym(n) for n in names]
    wrt = ", ".join(names)
    pts = points(t, names, rng, 4)
    v = [rng.choice((-2, -1, 1, 3)), rng.choice((1, 2, -4))]
    norm = sp.sqrt(v[0] ** 2 + v[1] ** 2)
    checks = {
        "gradient": (lambda: cm.gradient(t.text, wrt), [sp.diff(t.ref, s) for s in syms]),
        "hessian": (
            lambda: cm.hessian(t.text, wrt),
            [sp.diff(t.ref, a, b) for a in syms for b in syms],
        ),
        "jacobian": (
            lambda: cm.jacobian([t.text, u.text], wrt),
            [sp.diff(f, s) for f in (t.ref, u.ref) for s in syms],
        ),
        "directional": (
            lambda: cm.directional_derivative(t.text, wrt, v),
            [sum(sp.diff(t.ref, s) * c for s, c in zip(syms, v, strict=True)) / norm],
        ),
    }
    for verb, (run, want) in checks.items():
        try:
            got = run().result
        except Exception as error:
            assert _allowed(error), (verb, t.text, repr(error))
            continue
        entries = list(got) if isinstance(got, sp.MatrixBase) else [got]
        here = pts if verb != "jacobian" else [p for p in pts if u.value(p) is not None]
        for ours, ref in zip(entries, want, strict=True):
            bad = _mismatches(ours, ref, here)
            assert not bad, (verb, t.text, u.text if verb == "jacobian" else "", ours, bad)


# ----------------------------------------------------------------------------- Taylor


@pytest.mark.parametrize("seed", seeds(6, 100))
def test_taylor_agrees_with_sympy_series_of_the_definitions(seed: int) -> None:
    rng = random.Random(20_000 + seed)
    names = rng.choice(NAMES_1)
    t = draw(rng, names, depth=rng.choice((2, 3)), smooth_only=rng.random() < 0.5)
    (pt,) = points(t, names, rng, 1, scale=2.0) or [None]
    if pt is None:
        return
    x = sym(names[0])
    a = sp.Rational(round(float(pt[x.name]) * 4), 4)
    if t.value({x.name: mpmath.mpf(a.p) / a.q}) is None:
        return  # the rounded point left the domain
    n = rng.choice((2, 3, 4))
    try:
        r = cm.taylor(t.text, names[0], at=a, order=n)
    except Exception as error:
        assert _allowed(error), (t.text, a, n, repr(error))
        return
    # the reference: mpmath.taylor (numerical derivatives at DIGITS digits) of the tree's own
    # mpmath value — sympy.series of the definitions fails on |u| away from 0 (leadterm,
    # Derivative(re(ξ))) and loops on smooth exact points (log(1 + e^(1/4)))
    # calcml's σ and softplus by their definitions: SymPy's evalf of them is slow in large sums
    ours = r.result.replace(softplus, lambda z: sp.log(1 + sp.exp(z))).replace(
        sigmoid, lambda z: 1 / (1 + sp.exp(-z))
    )
    with mpmath.workdps(DIGITS):
        want = mpmath.taylor(lambda u: t.value({x.name: u}), mpmath.mpf(a.p) / a.q, n)
        for k in range(n + 1):
            got = mpmath.mpf(str(sp.N(ours.diff(x, k).subs(x, a) / sp.factorial(k), DIGITS)))
            bad = abs(got - want[k]) > mpmath.mpf("1e-20") * (1 + abs(want[k]))
            assert not bad, (t.text, a, n, k, got, want[k])


# ----------------------------------------------------------------------------- limits

REFERENCE_WRONG: dict[str, str] = {}


def _numeric_limit(f: sp.Expr, x: sp.Symbol, at: sp.Expr, side: str) -> list[mpmath.mpf]:
    """f at points approaching `at` from `side` (60 digits): 10⁻⁸ … 10⁻¹⁴ away, or 10⁸ … at ∞."""
    g = sp.lambdify(x, f.replace(sp.DiracDelta, lambda *a: sp.S.Zero), "mpmath")
    out = []
    with mpmath.workdps(60):
        for k in (8, 10, 12, 14):
            h = mpmath.mpf(10) ** -k
            if at in (sp.oo, -sp.oo):
                arg = mpmath.mpf(10) ** k * (1 if at == sp.oo else -1)
            else:
                arg = mpmath.mpf(sp.Rational(at).p) / sp.Rational(at).q + (h if side == "+" else -h)
            out.append(g(arg))
    return out


@pytest.mark.parametrize("seed", seeds(6, 100))
def test_a_difference_quotient_tends_to_the_derivative(seed: int) -> None:
    """(F(a + h) − F(a))/h → F′(a) (sympy.diff of the definitions) as h → 0."""
    rng = random.Random(30_000 + seed)
    names = rng.choice([("θ",), ("λ",)])  # spelled so that no function name contains it
    t = draw(rng, names, depth=2, smooth_only=True)
    x = sym(names[0])
    (pt,) = points(t, names, rng, 1, scale=1.5) or [None]
    if pt is None:
        return
    a = sp.Rational(round(float(pt[x.name]) * 2), 2)
    if t.value({x.name: mpmath.mpf(a.p) / a.q}) is None:
        return
    shifted, at = t.text.replace(names[0], f"({a} + h)"), t.text.replace(names[0], f"({a})")
    text = f"(({shifted}) - ({at}))/h"
    h = "h"
    want = sp.diff(t.ref, x).subs(x, a)
    try:
        r = cm.limit(text, h, 0)
    except Exception as error:
        assert _allowed(error), (text, repr(error))
        return
    if not isinstance(r.value, sp.Expr):
        assert "gave up" in r.text() or r.value is not None, (text, r.value)
        return
    assert abs(sp.N(r.value - want, DIGITS)) < 1e-20, (text, r.value, want)


@pytest.mark.parametrize("seed", seeds(3, 100))
def test_limits_at_infinity_agree_with_sympy_or_the_numbers(seed: int) -> None:
    """Quotients and differences of growing terms at ±∞: calcml against sympy.limit; where they
    differ, the numbers (mpmath, 60 digits, x = 10⁸ … 10¹⁴) decide who is right."""
    rng = random.Random(40_000 + seed)
    x = sym("x")
    growth = [
        x,
        x**2,
        sp.sqrt(x**2 + 1),
        sp.exp(x),
        sp.log(x**2 + 1),
        x * sp.atan(x),
        sp.tanh(x),
        1 / (1 + sp.exp(-x)),
        sp.log(1 + sp.exp(x)),
        sp.sign(x) * sp.Abs(x) ** sp.Rational(1, 3),
        sp.sin(x) / x,
    ]
    texts = {
        x: "x",
        x**2: "x^2",
        growth[2]: "sqrt(x^2 + 1)",
        growth[3]: "exp(x)",
        growth[4]: "log(x^2 + 1)",
        growth[5]: "x*atan(x)",
        growth[6]: "tanh(x)",
        growth[7]: "sigmoid(x)",
        growth[8]: "softplus(x)",
        growth[9]: "cbrt(x)",
        growth[10]: "sin(x)/x",
    }
    picks = [rng.choice(growth) for _ in range(4)]
    c = [sp.Integer(rng.choice((1, 2, -1, 3))) for _ in range(4)]
    num, den = c[0] * picks[0] + c[1] * picks[1], c[2] * picks[2] + c[3] * picks[3]
    if den == 0 or sp.simplify(den) == 0:
        return
    f = num / den
    text = (
        f"(({c[0]})*({texts[picks[0]]}) + ({c[1]})*({texts[picks[1]]}))"
        f" / (({c[2]})*({texts[picks[2]]}) + ({c[3]})*({texts[picks[3]]}))"
    )
    at = rng.choice((sp.oo, -sp.oo))
    try:
        r = cm.limit(text, "x", "oo" if at == sp.oo else "-oo")
    except Exception as error:
        assert _allowed(error), (text, repr(error))
        return
    if not isinstance(r.value, sp.Expr):
        return  # no limit / gave up: checked against SymPy below only for a value
    ref = sp.limit(f, x, at)
    if ref == r.value or (ref.is_finite and r.value.is_finite and abs(sp.N(ref - r.value)) < 1e-20):
        return
    key = f"{text} at {at}"
    values = _numeric_limit(f, x, at, "+")
    ours_ok = (
        all(abs(v - sp.N(r.value, 30)) < 1e-4 * (1 + abs(v)) for v in values[-2:])
        if r.value.is_finite
        else all((v > 1e6 if r.value == sp.oo else v < -1e6) for v in values[-2:])
    )
    assert ours_ok and key in REFERENCE_WRONG, (key, "calcml", r.value, "sympy", ref, values)


# ----------------------------------------------------------------------------- critical points


@pytest.mark.parametrize("seed", seeds(3, 60))
def test_critical_points_of_polynomials_agree_with_solve_and_numpy(seed: int) -> None:
    """A random quadratic or cubic in two variables: the real solutions of ∇f = 0 (sympy.solve)
    and their kinds from NumPy's eigenvalues of the Hessian (sympy.hessian, evaluated)."""
    rng = random.Random(50_000 + seed)
    names = rng.choice(NAMES_2)
    x, y = (sym(n) for n in names)
    monomials = [x, y, x**2, y**2, x * y] + ([x**3, y**3, x**2 * y] if seed >= 3 else [])
    terms = rng.sample(monomials, rng.choice((3, 4, 5)))
    f = sum(sp.Integer(rng.choice((-3, -2, -1, 1, 2, 4))) * m for m in terms)
    text = sp.sstr(f).replace("**", "^").replace("theta", names[0] if "θ" in names else "theta")
    text = text.replace("alpha", "α").replace("lambda", "λ")
    try:
        r = cm.critical_points(text, ", ".join(names))
    except Exception as error:
        assert _allowed(error), (text, repr(error))
        return
    grad = [sp.diff(f, v) for v in (x, y)]
    solutions = sp.solve(grad, [x, y], dict=True)
    if any(len(s) < 2 for s in solutions):
        return  # a curve of critical points: the families are checked elsewhere
    want = sorted(
        (complex(s[x]).real, complex(s[y]).real)
        for s in solutions
        if abs(complex(s[x]).imag) < 1e-12 and abs(complex(s[y]).imag) < 1e-12
    )
    got = sorted((float(p.coords[0]), float(p.coords[1])) for p in r.points)
    assert len(got) == len(want) and np.allclose(got, want, atol=1e-8), (text, got, want)
    hessian = sp.hessian(f, (x, y))
    for p in r.points:
        h = np.array(hessian.subs({x: p.coords[0], y: p.coords[1]}).evalf(), dtype=float)
        eig = np.linalg.eigvalsh(h)
        kind = (
            "inconclusive"
            if np.any(np.abs(eig) < 1e-9)
            else "saddle"
            if eig.min() < 0 < eig.max()
            else "minimum"
            if eig.min() > 0
            else "maximum"
        )
        assert p.kind == kind, (text, p.coords, p.kind, eig)


# ----------------------------------------------------------------------------- the grader


def _rewrites(t: Tree) -> list[sp.Expr]:
    """The same function written differently (identities valid everywhere on its domain)."""
    e = t.ref
    out = [sp.expand(e), e.rewrite(sp.exp), sp.expand_trig(e)]
    if sp.count_ops(e) < 25:
        out.append(sp.together(e))
    return [o for o in out if o != e]


def _wrong_versions(t: Tree, rng: random.Random) -> list[tuple[str, sp.Expr]]:
    """Answers that differ from t somewhere on its domain."""
    e = t.ref
    s = sorted(e.free_symbols, key=str)[0]
    return [
        ("plus a constant", e + 1),
        ("minus sign", -e),
        ("off by a factor", 2 * e),
        ("plus a tiny constant", e + sp.Rational(1, 10**6)),
        ("sqrt of the square", sp.sqrt(e**2)),
        ("shifted", e.subs(s, s + 1)),
    ]


def _differs(a: sp.Expr, b: sp.Expr, t: Tree, names: Sequence[str], rng: random.Random) -> bool:
    for pt in points(t, names, rng, 12):
        va, vb = _at(a, pt), _at(b, pt)
        if va is not None and vb is not None and not _same(va, vb):
            return True
    return False


@pytest.mark.parametrize("seed", seeds(12, 200))
def test_the_grader_accepts_rewrites_and_rejects_different_answers(seed: int) -> None:
    from calcml.learn.equivalence import compare

    rng = random.Random(60_000 + seed)
    names = rng.choice(NAMES_1 + NAMES_2)
    t = draw(rng, names, depth=rng.choice((2, 3)))
    expected = cm.parse(t.text)
    syms = sorted(expected.free_symbols, key=str)
    for other in _rewrites(t):
        verdict = compare(other, expected, syms)
        assert verdict.equal or verdict.how == "undecided", (t.text, other, verdict)
    for what, other in _wrong_versions(t, rng):
        if not _differs(other, t.ref, t, names, rng):
            continue  # equal on the domain after all (sqrt(u²) where u > 0)
        verdict = compare(other, expected, syms)
        assert not verdict.equal, (what, t.text, other, verdict)
