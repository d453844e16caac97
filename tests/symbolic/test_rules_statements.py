"""What each structural rule says in its step (the formula a learner reads, the explanation naming
the parts), and that a rule is added by registering data. Results are checked against
sympy.diff or central finite differences; the formulas are the textbook statements."""

from __future__ import annotations

import random

import mpmath as mp
import pytest
import sympy as sp

from calcml.expr import leaky_relu, sigmoid, symbol
from calcml.symbolic import derive
from calcml.symbolic.rules import FUNCTIONS, RULES, function_rule, rule
from calcml.symbolic.rules.chain import _name, rule_id
from calcml.symbolic.steps import Derivation, Step

x, y = symbol("x"), symbol("y")


def top(d: Derivation) -> Step:
    return next(s for s in d.steps if s.kind == "diff")


def same(a: sp.Expr, b: sp.Expr) -> bool:
    """a = b at seeded random points in (0.2, 1.4), with mpmath at 30 digits."""
    rng = random.Random(5)
    fa, fb = (sp.lambdify(x, e, modules="mpmath") for e in (a, b))
    with mp.workdps(30):
        for _ in range(6):
            t = mp.mpf(rng.uniform(0.2, 1.4))
            if abs(fa(t) - fb(t)) > mp.mpf(10) ** -20 * max(1, abs(fb(t))):
                return False
    return True


# (expression, rule, formula, words the explanation must contain)
STATED = [
    (5 * sp.exp(x), "constant_multiple", "d/dx (c·f) = c·f′", ["factor 5 stays"]),
    (
        sp.sin(x) / (x + 1),
        "quotient",
        "d/dx (f/g) = (f′·g − f·g′)/g²",
        ["f = sin(x)", "g = x + 1"],
    ),
    (
        sp.log(x, 3),
        "log_base",
        "d/du log_b(u) = 1/(u·log(b))",
        ["base 3", "log_3(u) = log(u)/log(3)", "natural log"],
    ),
    (
        7**x,
        "exponential",
        "d/du aᵘ = aᵘ·log(a)",
        ["base 7", "aᵘ = e^(u·log(a))", "aᵘ·log(a)"],
    ),
    (
        sp.sin(x) ** x,
        "logarithmic",
        "d/dx f^g = f^g·(g·log(f))′",
        ["y = sin(x)^x", "log(y) = x·log(sin(x))", "y′/y = (g·log(f))′, and multiply by y"],
    ),
]


@pytest.mark.parametrize(("expr", "rule_name", "formula", "words"), STATED, ids=str)
def test_each_rule_states_its_formula_and_names_the_parts(
    expr: sp.Expr, rule_name: str, formula: str, words: list[str]
) -> None:
    d = derive(expr, x)
    step = top(d)
    assert step.rule == rule_name
    assert step.formula == formula
    for w in words:
        assert w in step.explanation, (w, step.explanation)
    assert same(d.result, sp.diff(expr, x))


def test_the_formula_is_written_in_the_variable_of_differentiation() -> None:
    t = symbol("t")
    assert top(derive(5 * sp.exp(t), t)).formula == "d/dt (c·f) = c·f′"
    assert top(derive(sp.sin(t) / (t + 1), t)).formula == "d/dt (f/g) = (f′·g − f·g′)/g²"


def test_an_exponential_inside_a_chain_states_its_rule_in_u() -> None:
    d = derive(3 ** sp.sin(x), x)
    outer = top(d).substeps[0]
    assert outer.rule == "exponential"
    assert outer.formula == "d/du aᵘ = aᵘ·log(a)"
    assert "base 3" in outer.explanation
    u = outer.wrt
    assert outer.before == 3**u and sp.simplify(outer.after - sp.diff(3**u, u)) == 0
    assert sp.simplify(d.result - sp.diff(3 ** sp.sin(x), x)) == 0


@pytest.mark.parametrize(
    "expr",
    [5 * sp.log(x), sp.sqrt(2) * sp.log(x), sp.log(x) / sp.pi, sp.log(x, y), sp.log(x**2, 2)],
    ids=str,
)
def test_only_a_numeric_base_makes_a_log_base_step(expr: sp.Expr) -> None:
    d = derive(expr, x)
    numeric_base = isinstance(expr, sp.Mul) and any(
        isinstance(f, sp.Pow) and isinstance(f.base, sp.log) and f.base.args[0].is_number
        for f in expr.args
    )
    assert top(d).rule == ("log_base" if numeric_base else "constant_multiple")
    assert sp.simplify(d.result - sp.diff(expr, x)) == 0


def _central_difference(f: sp.Expr, at: float) -> mp.mpf:
    g = sp.lambdify(x, f, modules="mpmath")
    with mp.workdps(40):
        h = mp.mpf(10) ** -12
        return (g(mp.mpf(at) + h) - g(mp.mpf(at) - h)) / (2 * h)


def test_a_function_of_several_varying_arguments_uses_the_multivariable_chain_rule() -> None:
    f = leaky_relu(x, x**2 / 10)  # the slope a varies with x too
    d = derive(f, x)
    step = top(d)
    assert step.rule == "multivariable_chain"
    assert step.formula == "d/dx f(u₁, …, uₖ) = Σ ∂f/∂uᵢ · duᵢ/dx"
    assert "leaky_relu has several arguments that depend on x" in step.explanation
    # below 0 f = (x²/10)·x = x³/10, so f′ = 3x²/10; above 0 f = x, f′ = 1
    rng = random.Random(7)
    for at in [rng.uniform(-3, -0.1) for _ in range(4)] + [rng.uniform(0.1, 3) for _ in range(4)]:
        got = float(d.result.subs(x, at))
        assert got == pytest.approx(
            float(_central_difference(sp.Piecewise((x**3 / 10, x < 0), (x, True)), at)), rel=1e-9
        )


def test_the_shown_name_of_a_function_is_how_it_is_printed() -> None:
    assert _name(sigmoid(x)) == "σ"
    assert _name(sp.Abs(x)) == "abs"  # printed |u|: no name to read, the type's
    assert _name(sp.Max(x, y)) == "max"
    assert _name(leaky_relu(x, x**2)) == "leaky_relu"
    assert _name(leaky_relu(sp.sin(x), x**2)) == "leaky_relu"  # the name, not "leaky_relu(sin"
    assert rule_id(sp.Max(x, y)) == "max" and rule_id(sp.Min(x, y)) == "min"
    assert rule_id(leaky_relu(x, y)) == "multivariable_chain"


def test_a_new_function_is_added_by_registering_its_rule_as_data() -> None:
    class cube(sp.Function):
        def fdiff(self, argindex: int = 1) -> sp.Expr:
            return 3 * self.args[0] ** 2

    function_rule(cube, "cube", "d/du cube(u) = 3u²", "cube′ = 3u²", kink="none at {u}")
    try:
        d = derive(cube(x), x)
        step = top(d)
        assert (step.rule, step.formula, step.explanation) == (
            "cube",
            "d/du cube(u) = 3u²",
            "cube′ = 3u²",
        )
        assert d.result == 3 * x**2
        assert "none at x" in d.notes
        chained = derive(cube(sp.sin(x)), x)
        assert sp.simplify(chained.result - 3 * sp.sin(x) ** 2 * sp.cos(x)) == 0
    finally:
        del FUNCTIONS[cube]


def test_a_new_structure_is_added_by_registering_a_rule_for_its_type() -> None:
    class Twice(sp.Function):  # Twice(u) = 2u, known to SymPy only through fdiff
        def fdiff(self, argindex: int = 1) -> sp.Expr:
            return sp.Integer(2)

    def twice_rule(expr: sp.Expr, d):  # type: ignore[no-untyped-def]
        inner = d.diff(expr.args[0])
        return d.step("twice", "twice the inner derivative", expr, 2 * inner.after, [inner])

    registered = rule(Twice)(twice_rule)
    try:
        assert registered is twice_rule and RULES[Twice] is twice_rule
        d = derive(Twice(x**3), x)
        assert top(d).rule == "twice" and d.result == 6 * x**2
    finally:
        del RULES[Twice]


@pytest.mark.parametrize(
    ("expr", "kind"),
    [
        (x**3, "Power rule"),
        (1 / x, "Power rule on a reciprocal (1/u = u⁻¹)"),
        (x**-4, "Power rule with a negative exponent (1/uⁿ = u⁻ⁿ)"),
        (sp.sqrt(x), "Power rule with a fractional exponent (√u is a power of u)"),
        (sp.cbrt(x), "Power rule with a fractional exponent (the cube root of u is a power of u)"),
        (x ** sp.Rational(3, 7), "Power rule with a fractional exponent (the root of order 7"),
    ],
    ids=str,
)
def test_the_power_rule_says_which_kind_of_power(expr: sp.Expr, kind: str) -> None:
    d = derive(expr, x)
    step = top(d)
    assert (step.rule, step.formula) == ("power", "d/du uⁿ = n·uⁿ⁻¹")
    assert step.explanation.startswith(kind)
    assert step.after == sp.diff(expr, x)


def test_a_chained_power_states_the_power_rule_in_u_and_the_chain_rule_in_x() -> None:
    d = derive((x + 1) ** 3, x)
    chain = top(d)
    assert (chain.rule, chain.formula) == ("chain", "d/dx f(u) = f′(u)·du/dx")
    outer = chain.substeps[0]
    assert (outer.rule, outer.formula, outer.explanation) == (
        "power",
        "d/du uⁿ = n·uⁿ⁻¹",
        "Power rule",
    )
    assert same(d.result, sp.diff((x + 1) ** 3, x))


def test_the_chain_rule_keeps_n_times_u_to_the_n_minus_1_as_a_factor() -> None:
    w, b = symbol("w"), symbol("b")
    d = derive((w * x + b - 1) ** 2, w)
    assert set(sp.Mul.make_args(d.result)) == {sp.Integer(2), x, w * x + b - 1}


def test_the_reciprocal_alternative_applies_the_quotient_rule_to_one_over_g() -> None:
    expr = 1 / (x**2 + 1)
    (alt,) = derive(expr, x).alternatives
    q = next(s for s in alt.all_steps() if s.rule == "quotient")
    assert q.before == expr
    assert "f = 1 and g = x² + 1" in q.explanation
    assert same(alt.result, sp.diff(expr, x))


def test_a_root_factor_is_not_a_denominator() -> None:
    d = derive(sp.sin(x) * sp.sqrt(x), x)
    assert top(d).rule == "product" and d.alternatives == []
    assert same(d.result, sp.diff(sp.sin(x) * sp.sqrt(x), x))
