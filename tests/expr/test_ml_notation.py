"""ML notation learners type (issue 14 item 4): floor/ceil, accented names (ŷ, x̄, θ̃).

References: finite differences (floor and ceil away from their jumps), `sympy.diff` of the
expression built by hand with the accented variable's SymPy symbol, and round trips through
`calcml.parse` of every rendering calcml prints.
"""

from __future__ import annotations

import math
import random
import unicodedata

import pytest
import sympy as sp

import calcml
from calcml.expr import parse, symbol, to_input, to_latex, to_text
from calcml.expr.names import GREEK_NAMES
from randexpr import random_expr

x, y = symbol("x"), symbol("y")
MARKS = {"hat": "\u0302", "bar": "\u0304", "tilde": "\u0303"}
SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
GREEK_OF = {name: chr(0x3B1 + i) for i, name in enumerate(GREEK_NAMES[:17])}


def _numeric(f: sp.Expr, at: float) -> float:
    value = complex(sp.N(f.subs(x, at), 30))
    if abs(value.imag) > 1e-12:
        raise ValueError("not real here")
    return value.real


@pytest.mark.parametrize("seed", range(12))
def test_floor_ceil_derivative_matches_finite_differences_away_from_jumps(seed: int) -> None:
    rng = random.Random(seed)
    inner = random_expr(rng, [x], depth=2)
    outer = random_expr(rng, [x], depth=2)
    step = rng.choice([sp.floor, sp.ceiling])
    f = outer * step(inner) + step(3 * x + 1) * x
    text = to_input(f)
    assert parse(text) == f and parse(to_text(f)) == f
    d = calcml.derive(text, "x")
    checked = 0
    for _ in range(40):
        at = rng.uniform(0.05, 2)  # where log and roots are real
        try:
            values = [_numeric(g, at) for g in (inner, 3 * x + 1, f)]
        except (TypeError, ValueError):
            continue
        if any(not math.isfinite(v) or abs(v - round(v)) < 1e-3 for v in values):
            continue  # at or near a jump
        h = 1e-7
        try:
            numeric = (_numeric(f, at + h) - _numeric(f, at - h)) / (2 * h)
            ours = _numeric(sp.sympify(d.result), at)
        except (TypeError, ValueError):
            continue
        if not (math.isfinite(numeric) and math.isfinite(ours)):
            continue
        assert ours == pytest.approx(numeric, rel=1e-4, abs=1e-4), (text, at)
        checked += 1
    assert checked >= 5, text


@pytest.mark.parametrize("name", ["floor", "ceil"])
def test_floor_ceil_steps_note_the_jumps_at_integers(name: str) -> None:
    d = calcml.derive(f"{name}(x^2 + 1)", "x")
    assert sp.sympify(d.result) == 0
    assert any("integer" in note and "jumps" in note for note in d.notes)


def test_ceiling_is_read_and_printed_as_ceil() -> None:
    assert parse("ceiling(x/2)") == parse("ceil(x/2)") == sp.ceiling(x / 2)
    assert "ceil(" in to_input(sp.ceiling(x)) and "ceiling" not in to_text(sp.ceiling(x))


def _accented_cases(seed: int, n: int) -> list[tuple[str, str]]:
    """(typed text, the variable name it stands for) for random letters, accents, subscripts."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        greek = rng.random() < 0.3
        base = rng.choice(list(GREEK_OF)) if greek else rng.choice("abcwxyzABXYZ")
        letter = GREEK_OF[base] if greek else base
        accent = rng.choice(list(MARKS))
        typed = letter + MARKS[accent]
        if rng.random() < 0.5:
            typed = unicodedata.normalize("NFC", typed)  # ŷ as one character where there is one
        name = base + accent
        sub = rng.choice(["", "", "1", "12"])
        if sub:
            style = rng.choice(["unicode", "plain", "braced"])
            typed += {
                "unicode": sub.translate(SUBSCRIPT),
                "plain": f"_{sub}",
                "braced": f"_{{{sub}}}",
            }[style]
            name += f"_{sub}"
        out.append((typed, name))
    return out


@pytest.mark.parametrize(("typed", "name"), _accented_cases(seed=4, n=40))
def test_accented_letters_are_variables(typed: str, name: str) -> None:
    v = sp.Symbol(name, real=True)
    assert parse(typed) == v
    assert parse(f"({typed} - y)^2") == (v - y) ** 2
    assert parse(f"2{typed}(1 - {typed})") == 2 * v * (1 - v)  # a product, never a call
    for shown in (to_text(v), to_input(v)):
        assert parse(shown) == v


@pytest.mark.parametrize("seed", range(8))
def test_derivatives_in_accented_variables_match_sympy(seed: int) -> None:
    rng = random.Random(seed)
    (_, name), (_, name2) = _accented_cases(seed=100 + seed, n=2)
    if name == name2:
        return
    v, u = sp.Symbol(name, real=True), sp.Symbol(name2, real=True)
    f = random_expr(rng, [v, u], depth=3)
    text = to_text(f)
    assert parse(text) == f and parse(to_input(f)) == f
    d = calcml.derive(text, to_text(v))
    assert sp.simplify(sp.sympify(d.result, locals={name: v, name2: u}) - sp.diff(f, v)) == 0


def test_latex_accents_read_as_the_same_variables() -> None:
    assert parse(r"\hat{y} - \bar{x} + \tilde{\theta}") == parse("ŷ - x̄ + θ̃")
    assert parse(r"(\hat y - y)^2") == (symbol("yhat") - y) ** 2
    assert to_latex(symbol("yhat")) == r"\hat{y}"


@pytest.mark.parametrize("text", [r"\hat{xy}", r"\hat", r"\bar{2}", r"\tilde{}"])
def test_latex_accent_needs_one_letter(text: str) -> None:
    with pytest.raises(calcml.ParseError) as caught:
        parse(text)
    assert caught.value.column is not None


def test_a_name_followed_by_an_accented_letter_is_a_product() -> None:
    assert parse("xŷ") == x * symbol("yhat")
    assert parse("ŷy") == symbol("yhat") * y


def _norm_cases(seed: int, n: int) -> list[tuple[str, sp.Expr]]:
    """(typed text, hand-built SymPy expression) for norms of random explicit vectors."""
    rng = random.Random(seed)
    names = ["w1", "w2", "w3", "x", "y", "b", "θ", "ŷ"]
    out = []
    for _ in range(n):
        parts = rng.sample(names, rng.randint(1, 4))
        syms = [parse(p) for p in parts]
        coef = [rng.randint(1, 3) for _ in parts]
        texts = [p if c == 1 else f"{c}{p}" for p, c in zip(parts, coef, strict=True)]
        comps = [c * s for c, s in zip(coef, syms, strict=True)]
        listed = ", ".join(texts)
        many = len(parts) > 1
        forms = [f"norm([{listed}])", f"norm({listed})", f"‖[{listed}]‖"]
        forms.append(f"‖({listed})‖" if many else f"‖{listed}‖")
        form = rng.choice(forms)
        power = rng.choice(["", "^2", "²", "^3", "^(1/2)"])
        exponent = {"": 1, "^2": 2, "²": 2, "^3": 3, "^(1/2)": sp.Rational(1, 2)}[power]
        built = sp.sqrt(sp.Add(*(c**2 for c in comps))) ** exponent
        out.append((f"{form}{power}", built))
    return out


@pytest.mark.parametrize(("text", "built"), _norm_cases(seed=21, n=40))
def test_norm_of_an_explicit_vector_is_the_euclidean_norm(text: str, built: sp.Expr) -> None:
    assert parse(text) == built
    loss = parse(f"(1 - {text})^2 + x")
    assert parse(to_text(loss)) == loss and parse(to_input(loss)) == loss
    for v in sorted(built.free_symbols, key=str)[:2]:
        d = calcml.derive(to_input(loss), to_text(v))
        reference = sp.diff((1 - built) ** 2 + x, v)
        names = {s.name: s for s in loss.free_symbols}
        assert sp.simplify(sp.sympify(d.result, locals=names) - reference) == 0, text


def test_squared_norm_is_the_sum_of_squares() -> None:
    w1, w2, w3 = symbol("w1"), symbol("w2"), symbol("w3")
    assert parse("norm([w1, w2, w3])^2") == w1**2 + w2**2 + w3**2
    assert parse("‖(w1, w2)‖²") == w1**2 + w2**2
    assert parse("‖w‖²") == parse("norm(w)^2") == symbol("w") ** 2
    assert parse("norm(w)") == sp.Abs(symbol("w"))


@pytest.mark.parametrize(
    ("text", "column"),
    [("sin([x, y])", 1), ("1 + max([x, y], 2)", 5), ("‖(x, y)", None), ("norm([])", None)],
)
def test_vectors_only_where_a_function_takes_one(text: str, column: int | None) -> None:
    with pytest.raises(calcml.ParseError) as caught:
        parse(text)
    if column is not None:
        assert caught.value.column == column


def _hand_sum(body: sp.Expr, first: int, last: int) -> sp.Expr:
    i, xi, wi = symbol("i"), symbol("x_i"), symbol("w_i")
    return sp.Add(
        *(
            body.xreplace({i: sp.Integer(k), xi: symbol(f"x_{k}"), wi: symbol(f"w_{k}")})
            for k in range(first, last + 1)
        )
    )


@pytest.mark.parametrize("seed", range(15))
def test_sums_over_an_index_range_expand_to_the_hand_built_sum(seed: int) -> None:
    rng = random.Random(seed)
    xi, wi, i, b = symbol("x_i"), symbol("w_i"), symbol("i"), symbol("b")
    body = random_expr(rng, [xi, wi, b], depth=2) + rng.randint(1, 3) * i * xi
    first = rng.randint(0, 3)
    last = first + rng.randint(0, 6)
    built = _hand_sum(body, first, last)
    inner = to_input(body)
    forms = [
        f"sum({inner}, i, {first}, {last})",
        f"\\sum_{{i={first}}}^{{{last}}} ({inner})",
        f"Σ_{{i={first}}}^{{{last}}} ({inner})",
        f"\\sum\\limits_{{i = {first}}}^{last} ({inner})",
    ]
    for text in forms:
        assert parse(text) == built, text
        assert parse(f"2 {text} + b") == 2 * built + b, text
    assert parse(to_text(built)) == built and parse(to_input(built)) == built
    v = symbol(f"x_{first}")
    d = calcml.derive(forms[0], to_text(v))
    names = {s.name: s for s in built.free_symbols}
    assert sp.simplify(sp.sympify(d.result, locals=names) - sp.diff(built, v)) == 0


def test_the_latex_sum_takes_the_product_after_it() -> None:
    x1, x2, x3, w, y = (symbol(n) for n in ["x_1", "x_2", "x_3", "w", "y"])
    assert parse(r"\sum_{i=1}^{3} x_i^2 + y") == x1**2 + x2**2 + x3**2 + y
    assert parse(r"\frac{1}{3}\sum_{i=1}^{3} w x_i") == sp.expand(w * (x1 + x2 + x3) / 3)
    assert parse("Σ_{i=1}^{5} x_i^2") == parse("sum(x_i^2, i, 1, 5)")
    assert parse("Σ + 1") == symbol("Sigma") + 1  # Σ without a range is a variable


@pytest.mark.parametrize(
    ("text", "column", "words"),
    [
        ("sum(x_i, i, 1, 51)", 1, "at most 50"),
        ("1 + sum(x_i, i, 1, n)", 5, "whole numbers"),
        ("sum(x_i, 2, 1, 3)", 1, "index"),
        ("sum(x_i, i, 3, 1)", 1, "no terms"),
        ("x + Σ_{i=1}^{60} x_i", 5, "at most 50"),
        ("sum(sum(sum(x_i y_j z_k, k, 1, 50), j, 1, 50), i, 1, 50)", 1, "at most"),
        ("sum(x_i, i, -1, 2)", 1, "subscripts"),
    ],
)
def test_sums_beyond_the_limits_are_clear_parse_errors(text: str, column: int, words: str) -> None:
    with pytest.raises(calcml.ParseError) as caught:
        parse(text)
    assert caught.value.column == column and words in caught.value.reason


@pytest.mark.parametrize("seed", range(10))
def test_softmax_components_match_the_hand_built_probabilities(seed: int) -> None:
    rng = random.Random(seed)
    n = rng.randint(2, 5)
    names = [rng.choice(["z{}", "z_{}", "a{}", "s_{}"]).format(j + 1) for j in range(n)]
    names = list(dict.fromkeys(names))
    zs = [symbol(name) for name in names]
    scale = rng.randint(1, 3)
    k = rng.randint(1, len(zs))
    text = f"softmax([{', '.join(f'{scale}{name}' for name in names)}], {k})"
    built = sp.exp(scale * zs[k - 1]) / sp.Add(*(sp.exp(scale * z) for z in zs))
    assert parse(text) == built
    loss = parse(f"-log({text})")
    assert parse(to_text(loss)) == loss and parse(to_input(loss)) == loss
    reference_loss = -sp.log(built)
    for z in zs:
        d = calcml.derive(f"-log({text})", to_text(z))
        got = sp.sympify(d.result, locals={s.name: s for s in zs})
        point = {s: sp.Rational(rng.randint(-20, 20), 7) for s in zs}
        want = sp.diff(reference_loss, z)
        assert float((got - want).xreplace(point).evalf(30)) == pytest.approx(0, abs=1e-12)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("softmax([a, b])", "vector of 2 probabilities"),
        ("softmax(a, 1)", "vector of scores"),
        ("softmax([a, b], 3)", "from 1 to 2"),
        ("softmax([a, b], 1/2)", "whole number"),
    ],
)
def test_softmax_asks_for_a_vector_and_one_component(text: str, words: str) -> None:
    with pytest.raises(calcml.ParseError) as caught:
        parse(text)
    assert words in caught.value.reason and caught.value.column == 1


def _notation_exprs(seed: int, n: int) -> list[sp.Expr]:
    """Random expressions built from the new notation's SymPy forms (never from calcml text)."""
    rng = random.Random(seed)
    yhat, xbar, w1, w2 = (symbol(s) for s in ["yhat", "xbar", "w_1", "w_2"])
    atoms = [x, y, yhat, xbar, w1, w2]
    pieces = [
        lambda e: sp.floor(e),
        lambda e: sp.ceiling(e),
        lambda e: sp.Heaviside(e),
        lambda e: sp.sqrt(e**2 + w1**2),
        lambda e: sp.exp(e) / (sp.exp(e) + sp.exp(w2)),
        lambda e: e**2,
    ]
    out = []
    for _ in range(n):
        e = random_expr(rng, rng.sample(atoms, 2), depth=2)
        for _ in range(rng.randint(1, 3)):
            e = rng.choice(pieces)(e) + rng.choice(atoms)
        out.append(e)
    return out


@pytest.mark.parametrize("f", _notation_exprs(seed=44, n=40), ids=str)
def test_what_calcml_prints_reads_back(f: sp.Expr) -> None:
    assert parse(to_text(f)) == f
    assert parse(to_input(f)) == f
    assert parse(to_latex(f)) == f


@pytest.mark.parametrize(
    ("text", "built"),
    [
        ("⌊x⌋ + ⌈2y⌉", sp.floor(x) + sp.ceiling(2 * y)),
        (r"\left\lfloor{x}\right\rfloor", sp.floor(x)),
        (r"\lceil x/2 \rceil", sp.ceiling(x / 2)),
        (r"\left\lVert x \right\rVert^{2}", x**2),
        (r"\lVert (x, y) \rVert", sp.sqrt(x**2 + y**2)),
        (
            r"\operatorname{H}\left(x\right) + heaviside(y - 1)",
            sp.Heaviside(x) + sp.Heaviside(y - 1),
        ),
        (
            r"\hat{y}_{i} - \hat y_2 + \bar{\theta}_{12}",
            symbol("yhat_i") - symbol("yhat_2") + symbol("thetabar_12"),
        ),
        (
            r"\theta_{2} + \mu_k^2 + \log_{2}(x)",
            symbol("theta_2") + symbol("mu_k") ** 2 + sp.log(x, 2),
        ),
    ],
)
def test_printed_brackets_and_step_function_read_back(text: str, built: sp.Expr) -> None:
    assert parse(text) == built
