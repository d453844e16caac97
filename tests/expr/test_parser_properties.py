"""Properties over many generated inputs: hostile text only ever raises ParseError, and every
expression round-trips through the renderers and back (parse speed: benchmarks/bench_parse.py)."""

from __future__ import annotations

import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy.parsing.sympy_parser import parse_expr

import calcml as cm
from calcml.expr import symbol, to_input, to_latex, to_text
from randexpr import random_exprs

# characters the grammar cares about, so random text gets deep into the parser
MATH_ALPHABET = "0123456789.xyzewbsincotaqrlgpσθ²⁻¹·×−+-*/^()[]{},|\\ _e"


def _parse_or_parse_error(text: str) -> None:
    try:
        result = cm.parse(text)
    except cm.ParseError:
        pass
    else:
        assert isinstance(result, sp.Expr)


@settings(max_examples=400)
@given(st.text(alphabet=MATH_ALPHABET, max_size=2000))
def test_random_math_like_text_only_raises_parse_error(text: str) -> None:
    _parse_or_parse_error(text)


@settings(max_examples=200)
@given(st.text(max_size=2000))
def test_random_unicode_text_only_raises_parse_error(text: str) -> None:
    _parse_or_parse_error(text)


ROUND_TRIP = [e for e in random_exprs(seed=2024, n=300, nvars=3, depth=4) if not e.has(sp.I)]
_LOCALS = {
    **{n: symbol(n) for n in "xyz"},
    "sigmoid": cm.expr.sigmoid,
    "relu": cm.expr.relu,
    "softplus": cm.expr.softplus,
    "leaky_relu": cm.expr.leaky_relu,
}


def same_expression(ours: sp.Expr, original: sp.Expr) -> bool:
    """Equal as trees, or as SymPy itself re-reads its own printing (it distributes 2·(x + 1)
    when rebuilding), or with a difference that expands to zero."""
    if ours == original:
        return True
    reference = parse_expr(str(original), local_dict=_LOCALS)  # SymPy re-reading itself
    return bool(ours == reference or sp.expand(ours - original) == 0)


def test_random_expressions_round_trip_through_text() -> None:
    failures = [(e, to_text(e)) for e in ROUND_TRIP if not same_expression(cm.parse(to_text(e)), e)]
    assert failures == []


def test_random_expressions_round_trip_through_input_syntax() -> None:
    failures = [
        (e, to_input(e)) for e in ROUND_TRIP if not same_expression(cm.parse(to_input(e)), e)
    ]
    assert failures == []


def test_random_expressions_round_trip_through_str() -> None:
    failures = [(e, str(e)) for e in ROUND_TRIP if not same_expression(cm.parse(str(e)), e)]
    assert failures == []


def test_random_expressions_render_to_latex() -> None:
    assert all(to_latex(e) for e in ROUND_TRIP)


_x, _y = symbol("x"), symbol("y")
_atoms = st.sampled_from([_x, _y, sp.Integer(2), sp.Integer(-3), sp.Rational(1, 2), sp.pi, sp.E])


def _combine(children: st.SearchStrategy[sp.Expr]) -> st.SearchStrategy[sp.Expr]:
    binary = st.tuples(children, children)
    return st.one_of(
        binary.map(lambda p: p[0] + p[1]),
        binary.map(lambda p: p[0] * p[1]),
        binary.map(lambda p: p[0] - p[1]),
        st.tuples(children, st.integers(-3, 4)).map(lambda p: p[0] ** p[1]),
        children.map(sp.sin),
        children.map(sp.exp),
        children.map(sp.Abs),
        children.map(cm.expr.sigmoid),
    )


@settings(max_examples=300)
@given(st.recursive(_atoms, _combine, max_leaves=8))
def test_hypothesis_expressions_round_trip_through_text(expr: sp.Expr) -> None:
    if expr.has(sp.zoo, sp.nan):
        return
    assert same_expression(cm.parse(to_text(expr)), expr)
    assert same_expression(cm.parse(to_input(expr)), expr)
