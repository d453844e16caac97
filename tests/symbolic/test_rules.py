"""Each differentiation rule on its own: the rule that fires, its result (against sympy.diff),
and the shape of its steps."""

from __future__ import annotations

import pytest
import sympy as sp
from treecheck import tree_problems

from calcml.errors import UnsupportedError
from calcml.expr import leaky_relu, parse, relu, sigmoid, softplus, symbol
from calcml.symbolic import derive
from calcml.symbolic.steps import Derivation, Step

x, y, a = symbol("x"), symbol("y"), symbol("a")


def top(d: Derivation) -> Step:
    """The main "diff" step (after the 'held constant' note, before the simplify step)."""
    return next(s for s in d.steps if s.kind == "diff")


def rules_used(d: Derivation) -> set[str]:
    return {s.rule for s in d.all_steps()}


CASES = [
    # (expression, rule of the top step, other rules that must appear somewhere)
    (sp.Integer(7), "constant", set()),
    (x, "variable", set()),
    (x**2 + sp.sin(x) - 3, "sum", {"power", "sin", "constant"}),
    (5 * sp.exp(x), "constant_multiple", {"exp"}),
    (x**7, "power", set()),
    (x**-3, "power", set()),
    (sp.sqrt(x), "power", set()),
    (sp.cbrt(x), "power", set()),
    (x ** sp.Rational(2, 3), "power", set()),
    (x**2 * sp.sin(x), "product", {"power", "sin"}),
    (x * sp.exp(x) * sp.cos(x), "product", {"variable", "exp", "cos"}),
    (sp.sin(x) / (x + 1), "quotient", {"sin", "sum"}),
    (sp.sin(x**2), "chain", {"sin", "power"}),
    (sp.exp(3 * x), "chain", {"exp"}),
    (2**x, "exponential", set()),
    (3 ** (x**2), "chain", {"exponential", "power"}),
    (sp.log(x), "log", set()),
    (sp.log(x, 2), "log_base", {"log"}),
    (sp.log(x, 10), "log_base", {"log"}),
    (sp.sin(x), "sin", set()),
    (sp.cos(x), "cos", set()),
    (sp.tan(x), "tan", set()),
    (sp.cot(x), "cot", set()),
    (sp.sec(x), "sec", set()),
    (sp.csc(x), "csc", set()),
    (sp.asin(x), "asin", set()),
    (sp.acos(x), "acos", set()),
    (sp.atan(x), "atan", set()),
    (sp.acot(x), "acot", set()),
    (sp.asec(x), "asec", set()),
    (sp.acsc(x), "acsc", set()),
    (sp.sinh(x), "sinh", set()),
    (sp.cosh(x), "cosh", set()),
    (sp.tanh(x), "tanh", set()),
    (sp.coth(x), "coth", set()),
    (sp.sech(x), "sech", set()),
    (sp.csch(x), "csch", set()),
    (sp.asinh(x), "asinh", set()),
    (sp.acosh(x), "acosh", set()),
    (sp.atanh(x), "atanh", set()),
    (sp.acoth(x), "acoth", set()),
    (sp.asech(x), "asech", set()),
    (sp.acsch(x), "acsch", set()),
    (sp.asech(x**2), "chain", {"asech", "power"}),
    (sp.Abs(x), "abs", set()),
    (sigmoid(x), "sigmoid", set()),
    (softplus(x), "softplus", set()),
    (relu(x), "relu", set()),
    (leaky_relu(x), "leaky_relu", set()),
    (x**x, "logarithmic", {"product", "log"}),
    (sp.sin(x) ** sp.cos(x), "logarithmic", {"chain", "product"}),
    (sp.Max(x, x**2), "max", {"power"}),
    (sp.Min(x, 1 - x), "min", set()),
    (sp.Heaviside(x), "heaviside", set()),
    (sp.sign(x), "sign", set()),
    (sp.erf(2 * x), "chain", {"erf"}),
]


@pytest.mark.parametrize(("expr", "rule", "inner"), CASES, ids=[str(c[0]) for c in CASES])
def test_rule_fires_and_matches_sympy(expr: sp.Expr, rule: str, inner: set[str]) -> None:
    d = derive(expr, x)
    assert top(d).rule == rule
    assert inner <= rules_used(d)
    # away from the jumps of sign and H (SymPy writes δ(x) there; we say 0 and note the jump)
    reference = sp.diff(expr, x).replace(sp.DiracDelta, lambda *args: sp.S.Zero)
    assert sp.simplify(d.result - reference) == 0
    assert not tree_problems(d)


def test_power_rule_explanations_name_the_kind_of_exponent() -> None:
    assert "negative exponent" in top(derive(x**-3, x)).explanation
    assert "fractional exponent" in top(derive(sp.sqrt(x), x)).explanation
    assert "reciprocal" in top(derive(1 / x, x)).explanation


def test_product_rule_takes_n_factors() -> None:
    step = top(derive(x * sp.exp(x) * sp.cos(x), x))
    assert len(step.substeps) == 3
    assert "n = 3" in (step.formula or "")


def test_chain_rule_states_u_differentiates_outer_in_u_and_substitutes_back() -> None:
    d = derive(sp.sin(x**2), x)
    chain = top(d)
    u = sp.Symbol("u", real=True)
    assert "u = x²" in chain.explanation
    outer, inner = chain.substeps
    assert (outer.wrt, outer.before, outer.after) == (u, sp.sin(u), sp.cos(u))
    assert (inner.wrt, inner.before, inner.after) == (x, x**2, 2 * x)
    assert chain.after == 2 * x * sp.cos(x**2)


def test_nested_chains_use_a_fresh_inner_symbol_when_u_is_taken() -> None:
    u = symbol("u")
    d = derive(sp.sin(u * x**2), x)
    assert top(d).substeps[0].wrt != u
    assert not tree_problems(d)


def test_sigmoid_and_tanh_keep_their_ml_forms() -> None:
    z = symbol("z")
    assert derive(sigmoid(z)).result == sigmoid(z) * (1 - sigmoid(z))
    assert derive(sp.tanh(z)).result == 1 - sp.tanh(z) ** 2
    assert derive(softplus(z)).result == sigmoid(z)


def test_abs_is_sign_with_a_note_at_zero() -> None:
    d = derive(sp.Abs(x - 1), x)
    assert d.result == sp.sign(x - 1)
    assert any("undefined where x - 1 = 0" in n for n in d.notes)


def test_relu_is_a_step_function_undefined_at_zero() -> None:
    w = symbol("w")
    d = derive(relu(w * x), w)
    assert d.result == x * sp.Heaviside(w * x)
    assert any("kink" in n and "w·x = 0" in n for n in d.notes)
    assert any("kink" in n for n in derive(leaky_relu(x), x).notes)


def test_max_notes_where_it_is_not_differentiable() -> None:
    d = derive(sp.Max(x, x**2), x)
    assert any("not differentiable" in n for n in d.notes)


def test_log_base_b_shows_the_base() -> None:
    step = top(derive(sp.log(x, 2), x))
    assert "base 2" in step.explanation
    assert derive(sp.log(x, 2), x).result == 1 / (x * sp.log(2))


def test_quotient_offers_product_and_chain_as_the_alternative() -> None:
    d = derive(sp.exp(x) / (x**2 + 1), x)
    assert top(d).rule == "quotient"
    (alt,) = d.alternatives
    assert "quotient" not in rules_used(alt)
    assert {"product", "chain"} <= rules_used(alt)
    assert sp.simplify(alt.result - d.result) == 0
    assert not tree_problems(d)


def test_reciprocal_offers_the_quotient_rule_as_the_alternative() -> None:
    d = derive(1 / (x**2 + 1), x)
    assert top(d).rule == "chain"
    (alt,) = d.alternatives
    assert "quotient" in rules_used(alt)
    assert sp.simplify(alt.result - d.result) == 0


def test_no_alternative_without_a_quotient() -> None:
    assert derive(x**2 * sp.sin(x), x).alternatives == []


def test_x_to_the_x_by_logarithmic_differentiation() -> None:
    d = derive(parse("x^x"))
    assert d.result == x**x * (sp.log(x) + 1)
    assert "log(y) = x·log(x)" in top(d).explanation


@pytest.mark.parametrize(
    ("expr", "name"),
    [
        (sp.gamma(x), "gamma"),
        (sp.Function("f")(x), "f"),
        (sp.besselj(1, x), "besselj"),
        (sp.Integral(sp.sin(x * y), (y, 0, 1)), "Integral"),
    ],
)
def test_unsupported_functions_raise_an_error_naming_them(expr: sp.Expr, name: str) -> None:
    with pytest.raises(UnsupportedError, match=name):
        derive(expr, x)


def test_unsupported_inside_a_chain_is_still_named() -> None:
    with pytest.raises(UnsupportedError, match="gamma"):
        derive(sp.sin(sp.gamma(x**2)) + x, x)


def test_min_formula_selects_the_smaller_argument() -> None:
    step = top(derive(sp.Min(x, x**2), x))
    assert step.formula == "d/dx min(f, g) = f′·H(g − f) + g′·H(f − g)"
    assert top(derive(sp.Max(x, x**2), x)).formula == "d/dx max(f, g) = f′·H(f − g) + g′·H(g − f)"


def test_sign_and_step_have_slope_zero_off_the_jump_without_dirac_deltas() -> None:
    for f in (sp.sign(x), sp.Heaviside(x), x * sp.sign(x), relu(x) * x):
        d = derive(f, x)
        assert not d.result.has(sp.DiracDelta), f
        assert any("jump" in n or "kink" in n for n in d.notes), f
    assert derive(x * sp.sign(x), x).result == sp.sign(x)  # = |x|′ away from 0


def test_root_explanations_read_as_english() -> None:
    assert "cube root" in top(derive(sp.cbrt(x), x)).explanation
    assert "3th" not in top(derive(sp.cbrt(x), x)).explanation
    assert "root of order 5" in top(derive(x ** sp.Rational(1, 5), x)).explanation


def test_one_walk_over_the_class_hierarchy_subclasses_dispatch_to_the_nearest_base() -> None:
    from calcml.symbolic.differentiator import Differentiator
    from calcml.symbolic.rules import FUNCTIONS, RULES, lookup, registered
    from calcml.symbolic.rules.chain import function_call_rule, function_rule_for

    class my_sin(sp.sin):  # a user's subclass of a registered function
        pass

    t = sp.Symbol("t", real=True)
    assert registered(my_sin(t), FUNCTIONS) is FUNCTIONS[sp.sin] is function_rule_for(my_sin(t))
    assert registered(t + 1, RULES, FUNCTIONS) is RULES[sp.Add] is lookup(t + 1)
    assert lookup(my_sin(t)) is function_call_rule
    assert registered(my_sin(t), {}) is None
    for inner in (t**2, sp.exp(t) + t, 3 * t - 1):
        got = Differentiator(t).diff(my_sin(inner)).after
        assert sp.simplify(got - sp.diff(sp.sin(inner), t)) == 0  # SymPy's own derivative
