"""What calcml prints reads back (issue 14 item 4): hypothesis builds SymPy expressions from the
ML notation's functions (floor, ceil, the step function, norms, softmax components, sums written
out) over plain, accented, subscripted and Greek names — and over H and Σ as variables —, and
`calcml.parse` of each of `to_text`, `to_input` and `to_latex` gives the same expression back
(up to SymPy distributing a number over a sum when the text is re-read).

Also: H(x) is the product H·x like every one-letter name (H is an entropy or a Hessian as often
as a step in ML), with a note naming heaviside; `\\operatorname{H}` (how calcml's LaTeX prints the
step function) and heaviside(x) are the step function.
"""

from __future__ import annotations

import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

import calcml
from calcml.expr import parse, symbol, to_input, to_latex, to_text
from calcml.expr.functions import leaky_relu, relu, sigmoid

NAMES = ["x", "y", "yhat", "xbar_1", "thetatilde", "theta_2", "mu_k", "w_1", "w_2", "H", "Sigma"]
ATOMS = st.sampled_from([symbol(n) for n in NAMES]) | st.integers(-4, 4).map(sp.Integer)

UNARY = [
    sp.floor,
    sp.ceiling,
    sp.Heaviside,
    sp.Abs,
    sp.exp,
    sigmoid,
    relu,
    lambda e: leaky_relu(e, symbol("a")),
    lambda e: sp.log(e**2 + 1),
    lambda e: sp.sqrt(e**2 + symbol("w_1") ** 2),  # ‖(e, w₁)‖
    lambda e: sp.exp(e) / (sp.exp(e) + sp.exp(symbol("w_2"))),  # softmax([e, w₂], 1)
]
BINARY = [sp.Add, sp.Mul, lambda a, b: a - b, lambda a, b: a / (b**2 + 1)]


def _extend(children: st.SearchStrategy[sp.Expr]) -> st.SearchStrategy[sp.Expr]:
    unary = st.tuples(st.sampled_from(UNARY), children).map(lambda p: p[0](p[1]))
    binary = st.tuples(st.sampled_from(BINARY), children, children).map(lambda p: p[0](p[1], p[2]))
    power = st.tuples(children, st.integers(2, 3)).map(lambda p: p[0] ** p[1])
    return unary | binary | power


EXPRS = st.recursive(ATOMS, _extend, max_leaves=8)


@settings(max_examples=200, deadline=None)
@given(EXPRS)
def test_every_printed_form_reads_back_to_the_same_expression(f: sp.Expr) -> None:
    for printed in (to_text(f), to_input(f), to_latex(f)):
        back = parse(printed)
        # the same expression: equal, or equal once SymPy's automatic distribution of a number
        # over a sum (2·(x² + 1) → 2x² + 2 when re-read) is undone on both sides
        assert back == f or sp.expand(back - f) == 0, printed


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["i", "j", "k", "n"]), min_size=1, max_size=1), st.data())
def test_sums_with_any_index_and_range_are_the_terms_written_out(
    index: list[str], data: st.DataObject
) -> None:
    i = index[0]
    first = data.draw(st.integers(0, 5))
    last = data.draw(st.integers(first, first + 49))
    power = data.draw(st.integers(1, 3))
    built = sp.Add(*(k * symbol(f"x_{k}") ** power for k in range(first, last + 1)))
    for text in (f"sum({i}*x_{i}^{power}, {i}, {first}, {last})",
                 f"\\sum_{{{i}={first}}}^{{{last}}} {i} x_{{{i}}}^{{{power}}}",
                 f"Σ_{{{i}={first}}}^{{{last}}} {i}·x_{i}^{power}"):  # fmt: skip
        f = parse(text)
        assert f == built
        assert parse(to_text(f)) == f and parse(to_latex(f)) == f


def test_one_letter_h_before_a_parenthesis_is_a_product_with_a_note() -> None:
    H, p, x = symbol("H"), symbol("p"), symbol("x")
    assert parse("H(p)") == H * p
    assert parse("-p log(p) + H(x - 1)") == -p * sp.log(p) + H * (x - 1)
    d = calcml.derive("H(x) x^2", "x")
    assert sp.simplify(sp.sympify(d.result, locals={"H": H, "x": x}) - sp.diff(H * x**3, x)) == 0
    assert any("heaviside" in n and "H·(…)" in n for n in d.notes)
    assert not any("heaviside" in n for n in calcml.derive("heaviside(x) x^2", "x").notes)


def test_the_step_function_is_heaviside_and_its_printed_latex() -> None:
    x = symbol("x")
    for text in ("heaviside(x)", "Heaviside(x)", r"\operatorname{H}\left(x\right)"):
        assert parse(text) == sp.Heaviside(x)
    assert parse(to_latex(sp.Heaviside(x - 1) ** 2)) == sp.Heaviside(x - 1) ** 2


def test_sigma_without_a_range_is_a_variable_and_the_note_shows_a_sum() -> None:
    assert parse("Σ x") == symbol("Sigma") * symbol("x")
    d = calcml.derive("Σ_i x_i^2", "x_i")
    assert any("Σ_{i=1}^{5}" in n for n in d.notes)
    assert not any("Σ_{i=1}^{5}" in n for n in calcml.derive("Σ_{i=1}^{3} x_i^2", "x_2").notes)
