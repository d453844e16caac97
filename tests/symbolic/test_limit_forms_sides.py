"""Naming the form of a limit (`limit_teach.forms`) and one-sided rewriting (`limit_sides`).

References are independent of calcml: the form's name is the textbook fact for that input, its
value is SymPy's `limit` (or a numeric evaluation with mpmath at 60 digits), and a one-sided
rewrite must agree with the original function at points on that side (evaluated with mpmath and
|·|, sign, H, ReLU written here).
"""

from __future__ import annotations

import random

import mpmath as mp
import pytest
import sympy as sp

from calcml.expr import leaky_relu, parse, relu, sigmoid, softplus, symbol
from calcml.symbolic.limit_result import DNE
from calcml.symbolic.limit_sides import resolve, sign_near, smooth
from calcml.symbolic.limit_teach.approach import Approach
from calcml.symbolic.limit_teach.forms import _bounded, _form_note, _substitution, classify

x = symbol("x")
OO = sp.oo

# (text, point, side, the form substitution gives)
INDETERMINATE = [
    ("(1 + x)^(1/x)", 0, "+", "1^∞"),
    ("x^x", 0, "+", "0^0"),
    ("x^(1/x)", OO, "", "∞^0"),
    ("sin(x)/x", 0, "", "0/0"),
    ("(x^2 - 1)/(x - 1)", 1, "", "0/0"),
    ("x/e^x", OO, "", "∞/∞"),
    ("log(x)/x", OO, "", "∞/∞"),
    ("sin(x)/x", OO, "", "bounded/∞"),
    ("x*log(x)", 0, "+", "0·∞"),
    ("x*e^x", -OO, "", "0·∞"),
    ("x*sin(1/x)", 0, "", "0·bounded"),
    ("x - sqrt(x^2 + 1)", OO, "", "∞−∞"),
    ("x - x^2", OO, "", "∞−∞"),
    ("e^x - x^3", OO, "", "∞−∞"),
]


@pytest.mark.parametrize(("text", "at", "side", "name"), INDETERMINATE)
def test_indeterminate_forms_are_named(text: str, at: sp.Expr, side: str, name: str) -> None:
    f = parse(text)
    form = classify(f, Approach(x, sp.sympify(at), side))
    assert form is not None and form.name == name, (text, form)
    assert not form.determinate and form.value is None
    note = _form_note(f, Approach(x, sp.sympify(at), side), form)
    assert f"gives {name}, an indeterminate form" in note.explanation


# (text, point, side): substitution or the parts' limits decide the value
DETERMINATE = [
    ("x^(1/x)", 0, "+"),  # 0^+∞ = 0
    ("x^(-1/x)", 0, "+"),  # 0^−∞ = ∞
    ("x^x", OO, ""),  # ∞^∞
    ("x^(-x)", OO, ""),  # ∞^−∞ = 0
    ("(2 + x)^x", 1, ""),
    ("1/x", 0, "+"),
    ("1/x", 0, "-"),
    ("1/x^2", 0, ""),
    ("-1/x^2", 0, ""),
    ("(x + 1)/(x + 2)", 1, ""),
    ("(x + 1)*(x + 2)", 1, ""),
    ("x*e^x", OO, ""),
    ("x^2 + 3", -OO, ""),
    ("e^(1/x)", 0, "+"),
    ("e^(1/x)", 0, "-"),
    ("log(x^2)", 0, ""),
    ("atan(1/x)", 0, "+"),
    ("sqrt(x + 3)", 1, ""),
    ("e^x", -OO, ""),
    ("2^x", -OO, ""),
    ("sigmoid(x)", OO, ""),
    ("softplus(x)", -OO, ""),
]


@pytest.mark.parametrize(("text", "at", "side"), DETERMINATE)
def test_determinate_forms_give_sympys_limit(text: str, at: sp.Expr, side: str) -> None:
    f = parse(text)
    point = sp.sympify(at)
    form = classify(f, Approach(x, point, side))
    assert form is not None and form.determinate, (text, form)
    t = sp.Symbol("t", positive=True)
    if point == -OO:  # SymPy's limit at −∞ is not reliable (2^x); as t → +∞ with x = −t it is
        want = sp.limit(smooth(f).subs(x, -t), t, OO)
    elif side:
        want = sp.limit(smooth(f), x, point, side)
    else:
        want = sp.limit(smooth(f), x, point, "+")
        if point.is_finite:
            assert sp.limit(smooth(f), x, point, "-") == want
    if want.is_finite:
        assert sp.simplify(form.value - want) == 0, (text, form.value, want)
    else:
        assert form.value == want, (text, form.value, want)
    assert " → " in form.why or " tend to " in form.why  # says which parts tend to what


@pytest.mark.parametrize(
    ("text", "at", "side"),
    [("x*sin(x)", OO, ""), ("sin(1/x)", 0, "+"), ("cos(x)", OO, ""), ("x^2*cos(x)", OO, "")],
)
def test_oscillating_parts_make_the_limit_not_exist(text: str, at: sp.Expr, side: str) -> None:
    f = parse(text)
    form = classify(f, Approach(x, sp.sympify(at), side))
    assert form is not None and form.value is DNE, (text, form)
    # the reference: far along the approach the values still swing by a lot
    fn = sp.lambdify(x, f, "mpmath")
    with mp.workdps(60):
        if at == OO:
            samples = [fn(mp.mpf(10) ** 6 + k * mp.pi / 2) for k in range(4)]
        else:
            samples = [fn(1 / (mp.mpf(10) ** 6 + (k + 0.5) * mp.pi)) for k in range(4)]
    assert max(samples) - min(samples) > 1


@pytest.mark.parametrize(
    ("text", "at", "side"),
    [
        ("1/x", 0, ""),  # the sides disagree: ∞ on one, −∞ on the other
        ("x + sin(x)", OO, ""),  # an oscillating term in a sum
        ("x^sin(1/x)", 0, "+"),  # an exponent with no limit
        ("sin(x)*cos(x)*x", OO, ""),  # two oscillating factors with ∞
        ("(1/x)/sin(1/x)", 0, "+"),  # the denominator has no limit
    ],
)
def test_undecidable_forms_are_left_to_other_techniques(text: str, at: sp.Expr, side: str) -> None:
    assert classify(parse(text), Approach(x, sp.sympify(at), side)) is None


def test_a_constant_or_a_plain_symbol_has_no_form() -> None:
    assert classify(x, Approach(x, sp.S(2))) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sin(x)", True),
        ("cos(3*x)^2", True),
        ("sin(x) + cos(x)", True),
        ("2*tanh(x)*atan(x)", True),
        ("x*sin(x)", False),
        ("e^x", False),
        ("sin(x)^(-1)", False),
    ],
)
def test_bounded_parts_are_recognised(text: str, expected: bool) -> None:
    assert _bounded(parse(text)) is expected


@pytest.mark.parametrize(
    ("text", "at", "substitutes"),
    [
        ("x^2 + 3*x", 2, True),
        ("sin(x)/(1 + x^2)", 1, True),
        ("sqrt(x)", 4, True),
        ("x^x", 0, False),  # 0^0 is a form, not 1
        ("sin(x)/x", 0, False),
        ("sign(x) + 1", 1, False),  # jumpy functions are never substituted
        ("sqrt(x - 2)", 1, False),  # not real there
        ("log(x)", 0, False),
    ],
)
def test_direct_substitution_only_where_every_part_is_finite(
    text: str, at: int, substitutes: bool
) -> None:
    f = parse(text)
    step = _substitution(f, Approach(x, sp.S(at)))
    if not substitutes:
        assert step is None
        return
    assert step is not None and step.kind == "limit"
    with mp.workdps(30):
        want = sp.lambdify(x, f, "mpmath")(mp.mpf(at))
    assert abs(float(step.after) - float(want)) < 1e-12
    assert "is continuous at x = " in step.explanation


def test_substitution_is_not_used_at_infinity() -> None:
    assert _substitution(parse("1/x"), Approach(x, OO)) is None


# -- one-sided rewriting ------------------------------------------------------------------------
KINKS = {
    "abs": lambda u: abs(u),
    "sign": lambda u: mp.sign(u),
    "heaviside": lambda u: mp.mpf(1) if u > 0 else mp.mpf(0),
    "relu": lambda u: max(u, mp.mpf(0)),
    "leaky": lambda u: u if u > 0 else mp.mpf("0.1") * u,
}
WRAP = {
    "abs": sp.Abs,
    "sign": sp.sign,
    "heaviside": sp.Heaviside,
    "relu": relu,
    "leaky": lambda u: leaky_relu(u, sp.Rational(1, 10)),
}


def random_kinked(rng: random.Random) -> tuple[sp.Expr, str, sp.Expr]:
    """kink(p(x)) · q(x) + r(x) with small integer polynomials; the kink's name and p."""
    a, b, c = rng.randint(-3, 3) or 1, rng.randint(-3, 3), rng.randint(-2, 2)
    inside = a * (x - b) * (x - c) if rng.random() < 0.5 else a * (x - b)
    kind = rng.choice(list(WRAP))
    q = rng.randint(1, 3) * x + rng.randint(-2, 2)
    return WRAP[kind](inside) * q + x**2, kind, inside


def evaluate(f: sp.Expr, at: mp.mpf) -> mp.mpf:
    """f at a point with the kinks as written in KINKS (not SymPy's or calcml's)."""
    fn = sp.lambdify(
        x,
        f,
        modules=[
            {
                "Abs": KINKS["abs"],
                "sign": KINKS["sign"],
                "Heaviside": lambda u, *h: KINKS["heaviside"](u),
                "relu": KINKS["relu"],
                "leaky_relu": lambda u, s: u if u > 0 else s * u,
            },
            "mpmath",
        ],
    )
    return fn(at)


@pytest.mark.parametrize("seed", range(60))
def test_one_sided_rewrite_agrees_with_the_function_on_that_side(seed: int) -> None:
    rng = random.Random(seed)
    f, _kind, inside = random_kinked(rng)
    roots = [r for r in sp.solve(inside, x) if r.is_real]
    at = rng.choice(roots) if roots and rng.random() < 0.8 else sp.Integer(rng.randint(-3, 3))
    for side, sgn in (("+", 1), ("-", -1)):
        rewritten, steps = resolve(f, x, at, side)
        assert not rewritten.has(sp.Abs, sp.sign, sp.Heaviside, relu, leaky_relu), (f, at, side)
        assert len(steps) == 1 and steps[0].kind == "rewrite"
        assert steps[0].before == f and steps[0].after == rewritten
        with mp.workdps(40):
            for k in (6, 9, 12):
                point = mp.mpf(float(at)) + sgn * mp.mpf("0.7") * mp.mpf(10) ** (-k)
                got, want = evaluate(rewritten, point), evaluate(f, point)
                assert abs(got - want) <= mp.mpf(10) ** -25 * max(1, abs(want)), (f, at, side)


def test_a_kink_whose_inside_keeps_changing_sign_is_left_alone() -> None:
    f = sp.Abs(x * sp.sin(1 / x))
    rewritten, steps = resolve(f, x, sp.S.Zero, "+")
    assert rewritten == f and steps == []


def test_nested_kinks_are_resolved_innermost_first() -> None:
    f = sp.Abs(sp.Abs(x) - 2)  # near 0⁻: |x| = −x, then |−x − 2| = x + 2
    rewritten, steps = resolve(f, x, sp.S.Zero, "-")
    assert sp.simplify(rewritten - (x + 2)) == 0
    assert [s.after for s in steps] == [sp.Abs(-x - 2), x + 2]
    assert "for x → 0⁻" in steps[0].explanation and "x < 0" in steps[0].explanation


@pytest.mark.parametrize(
    ("inside", "at", "side", "want"),
    [
        (x, 0, "+", 1),
        (x, 0, "-", -1),
        (x**2, 0, "-", 1),
        (-(x**2) - 1, 0, "+", -1),
        (x - 1, OO, "", 1),
        (x + 5, -OO, "", -1),
        (sp.cos(sp.pi / x), 0, "+", None),  # keeps changing sign
        (sp.sqrt(x), 0, "-", None),  # complex on the left
        (x * 0 + 3, 0, "+", 1),
        (sp.S.Zero, 0, "+", 0),
        (sp.Symbol("c"), 0, "+", None),  # an unknown constant has no known sign
    ],
)
def test_sign_near_matches_direct_evaluation(
    inside: sp.Expr, at: sp.Expr, side: str, want: int | None
) -> None:
    assert sign_near(inside, x, sp.sympify(at), side) == want


def test_sign_near_of_a_function_mpmath_cannot_evaluate_is_unknown() -> None:
    assert sign_near(sp.Function("g")(x), x, sp.S.Zero, "+") is None


@pytest.mark.parametrize("seed", range(10))
def test_smooth_rewrites_activations_to_equal_formulas(seed: int) -> None:
    rng = random.Random(seed)
    inner = rng.randint(-3, 3) * x + rng.randint(-2, 2)
    f = sigmoid(inner) + rng.randint(1, 3) * softplus(x - 1)
    g = smooth(f)
    assert not g.has(sigmoid, softplus)
    for point in (-2.5, -0.3, 0.0, 1.7):
        value = mp.mpf(point)
        sig = 1 / (1 + mp.exp(-float(inner.subs(x, point))))
        coeff = float((f - sigmoid(inner)).coeff(softplus(x - 1)))
        expected = sig + coeff * mp.log(1 + mp.exp(value - 1))
        assert abs(sp.lambdify(x, g, "mpmath")(value) - expected) < 1e-12
