"""`calcml.taylor`: coefficients against sympy.series; several variables via the gradient and
the Hessian; the remainder's order; functions without a Taylor polynomial."""

from __future__ import annotations

import json
import random

import pytest
import sympy as sp

import calcml as cm
from calcml.errors import CalcmlError
from calcml.expr import sigmoid, softplus, symbol

x, y = symbol("x"), symbol("y")


@pytest.mark.parametrize(
    ("f", "a", "n"),
    [
        (sp.exp(x), 0, 5),
        (sp.sin(x), 0, 7),
        (sp.cos(x), sp.pi, 4),
        (sp.log(x), 1, 4),
        (sp.sqrt(1 + x), 0, 3),
        (sp.atan(x), 0, 5),
        (sp.tanh(x), 0, 5),
        (1 / (1 - x), 0, 6),
        (sigmoid(x), 0, 5),
        (softplus(x), 0, 4),
        (sp.exp(x) * sp.sin(x), 1, 3),
    ],
)
def test_coefficients_match_sympy_series(f: sp.Expr, a: sp.Expr, n: int) -> None:
    r = cm.taylor(f, "x", a, order=n)
    reference = sp.series(
        f.rewrite(sp.exp) if f.has(sigmoid, softplus) else f, x, a, n + 1
    ).removeO()
    assert sp.simplify(r.result - reference) == 0
    assert len(r.coefficients) == n + 1
    for k, c in enumerate(r.coefficients):
        assert sp.simplify(c - sp.diff(f, x, k).subs(x, a) / sp.factorial(k)) == 0


def test_text_lists_terms_from_low_to_high_with_the_remainder() -> None:
    r = cm.taylor("exp(x)", "x", 0, order=3)
    assert r.text().splitlines()[0].endswith("1 + x + x²/2 + x³/6 + O(x⁴)")
    r = cm.taylor("log(x)", "x", 1, order=2)
    assert "(x - 1) - (x - 1)²/2 + O((x - 1)³)" in r.text()
    assert r.remainder == "O((x - 1)³)"


def test_steps_show_each_derivative_and_coefficient() -> None:
    r = cm.taylor("sin(x)", "x", 0, order=3)
    rules = [s.rule for s in r.steps]
    assert rules[:3] == ["coefficient 0", "derivative 1", "coefficient 1"]
    assert rules[-1] == "remainder"
    assert r.steps[1].after == sp.cos(x) and r.steps[1].substeps


def test_removable_singularity_uses_the_limit() -> None:
    r = cm.taylor("sin(x)/x", "x", 0, order=4)
    assert sp.expand(r.result - (1 - x**2 / 6 + x**4 / 120)) == 0


def test_no_taylor_polynomial_where_f_is_not_smooth() -> None:
    for f in ("sqrt(x)", "1/x", "abs(x)"):
        with pytest.raises(CalcmlError):
            cm.taylor(f, "x", 0, order=2)
    with pytest.raises(CalcmlError):
        cm.taylor("exp(x)", "x", 0, order=-1)


def test_linearization_uses_the_gradient() -> None:
    r = cm.taylor("x^2*y", ["x", "y"], at=(1, 2), order=1)
    assert sp.expand(r.result - (2 + 4 * (x - 1) + (y - 2))) == 0
    assert list(r.gradient_at) == [4, 1]
    assert r.hessian_at is None


def test_quadratic_term_uses_the_hessian() -> None:
    f = sp.exp(x) * sp.cos(y)
    r = cm.taylor(f, [x, y], at=(0, 0), order=2)
    assert sp.expand(r.result - (1 + x + x**2 / 2 - y**2 / 2)) == 0
    assert r.hessian_at == sp.Matrix([[1, 0], [0, -1]])
    assert [s.rule for s in r.steps][:4] == [
        "value",
        "gradient",
        "gradient at the point",
        "linearization",
    ]
    assert "O(‖(x, y)‖^3)" in r.text()


def test_higher_order_in_several_variables_matches_a_double_series() -> None:
    f = sp.exp(x + 2 * y)
    r = cm.taylor(f, ["x", "y"], at=(0, 0), order=3)
    t = sp.Symbol("t")
    reference = sp.series(f.subs({x: t * x, y: t * y}), t, 0, 4).removeO().subs(t, 1)
    assert sp.expand(r.result - reference) == 0


def test_taylor_serialises() -> None:
    data = json.loads(json.dumps(cm.taylor("exp(x)", "x", 0, order=2).to_dict()))
    assert data["order"] == 2 and data["remainder"] == "O(x³)"
    assert [c["expr"] for c in data["coefficients"]] == ["1", "1", "1/2"]
    assert cm.parse(data["polynomial"]["expr"]) == sp.expand(1 + x + x**2 / 2)


@pytest.mark.parametrize(
    ("f", "var", "at"),
    [
        ("relu(x)", "x", 0),
        ("abs(x)", "x", 0),
        ("max(x, 0)", "x", 0),
        ("sqrt(x^2 + y^2)", "x,y", (0, 0)),
    ],
)
def test_corners_are_a_clear_error_not_a_failed_verification(f: str, var: str, at: object) -> None:
    # SymPy's series of |x| at 0 is x (it assumes x > 0); calcml must refuse, not crash
    with pytest.raises(CalcmlError, match="no Taylor polynomial"):
        cm.taylor(f, var, at, order=2)
    assert cm.taylor("abs(x)", "x", 1, order=2).result == x  # away from the corner it is fine


def test_json_result_is_in_powers_of_x_minus_a_and_parses_back() -> None:
    r = cm.taylor("sqrt(x)", "x", 4, order=3)
    shown = r.to_dict()["result"]
    assert shown["text"].count("(x - 4)") == 3
    assert sp.expand(cm.parse(shown["expr"]) - r.result) == 0
    assert "(x - 4)" in r.latex().replace(r"\left", "").replace(r"\right", "")
    first = r.steps[0].explanation
    assert "the constant term is f(4)/0! = 2" in first
    two = cm.taylor("x^2*y + y^3", "x,y", (1, 2), order=2).to_dict()["result"]["expr"]
    assert "(x - 1)" in two and "(y - 2)" in two


def test_several_variables_steps_name_what_they_show() -> None:
    r = cm.taylor("x^2*y + y^3", "x,y", (1, 2), order=2)
    shown = r.text()
    assert "∇f = " in shown and "H(1, 2) = " in shown and "L(x) = " in shown
    assert "x²·y + y³ = [[" not in shown  # f is not "equal" to its gradient


def test_unit_coefficients_are_not_written_and_gradients_read_as_vectors() -> None:
    r = cm.taylor("x^2*y", "x,y", (1, 2), order=1)
    assert r.to_dict()["result"]["text"] == "4·(x - 1) + (y - 2) + 2"
    assert "∇f(1, 2) = (4, 1)" in r.text()


def _several_cases() -> list[tuple[sp.Expr, tuple[sp.Expr, sp.Expr], int]]:
    from randexpr import random_exprs

    rng = random.Random(11)
    points = [0, 1, -1, 2, sp.Rational(1, 2)]
    cases = []
    for f in random_exprs(seed=13, n=24, nvars=2, depth=2):
        if f.free_symbols == {x, y}:
            cases.append((f, (rng.choice(points), rng.choice(points)), rng.choice([1, 2])))
    return cases


@pytest.mark.parametrize(("f", "at", "n"), _several_cases())
def test_several_variables_linear_and_quadratic_terms_match_sympy(
    f: sp.Expr, at: tuple[sp.Expr, sp.Expr], n: int
) -> None:
    """Seeded random f(x, y): ∇f(a), H(a) and f(a) + ∇f(a)·s + ½ sᵀH(a)s (s = (x, y) − a)
    against sympy.diff and sympy.hessian at the point, and each shown in its own step."""
    substituted = dict(zip((x, y), at, strict=True))
    try:
        r = cm.taylor(f, ["x", "y"], at, order=n)
    except CalcmlError:  # undefined or not smooth at the point: said, never a wrong answer
        assert not all(
            sp.diff(f, v, k).subs(substituted).is_finite for v in (x, y) for k in range(n + 1)
        )
        return
    s = sp.Matrix([x - at[0], y - at[1]])
    grad = sp.Matrix([sp.diff(f, v) for v in (x, y)]).subs(substituted)
    want = f.subs(substituted) + (grad.T * s)[0]
    assert sp.simplify(sp.Matrix(list(r.gradient_at)) - grad) == sp.zeros(2, 1)
    names = [step.rule for step in r.steps]
    assert "gradient at the point" in names and "linearization" in names
    if n == 2:
        hess = sp.hessian(f, (x, y)).subs(substituted)
        assert sp.simplify(r.hessian_at - hess) == sp.zeros(2, 2)
        want += (s.T * hess * s)[0] / 2
        assert "Hessian at the point" in names and "quadratic term" in names
    assert sp.simplify(sp.expand(r.result - want)) == 0


@pytest.mark.parametrize(
    ("text", "at"), [("asinh(cbrt(x))", "-1/4"), ("cbrt(x)^2 + x", "-2"), ("exp(x^(1/5))", "-3/2")]
)
def test_taylor_of_a_real_root_away_from_zero_matches_mpmath(text: str, at: str) -> None:
    """SymPy's series of sign(u)·|u|^(1/3) returns Derivative(re(ξ)) terms, so a right Taylor
    polynomial of a real odd root at a < 0 failed its check (VerificationError). Reference:
    mpmath.taylor of the real root sign(x)·|x|^(p/q) at 40 digits."""
    import mpmath

    funcs = {
        "asinh(cbrt(x))": lambda t: mpmath.asinh(mpmath.sign(t) * mpmath.cbrt(abs(t))),
        "cbrt(x)^2 + x": lambda t: mpmath.cbrt(abs(t)) ** 2 + t,
        "exp(x^(1/5))": lambda t: mpmath.exp(mpmath.sign(t) * abs(t) ** (mpmath.mpf(1) / 5)),
    }
    a = sp.Rational(at)
    r = cm.taylor(text, "x", at=a, order=3)
    with mpmath.workdps(40):
        want = mpmath.taylor(funcs[text], mpmath.mpf(a.p) / a.q, 3)
    x = sp.Symbol("x", real=True)
    got = sp.Poly(sp.expand(r.result.subs(x, x + a)), x).all_coeffs()[::-1]
    for g, w in zip(got, want, strict=True):
        assert abs(complex(sp.N(g, 40)) - complex(w)) < 1e-25, (text, got, want)
