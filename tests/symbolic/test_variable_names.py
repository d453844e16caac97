"""A variable named by the user (θ, theta, \\theta) is the symbol the parser builds for it, in
every verb and on the command line; a derivative that is 0 because the variable is absent says
so, names a look-alike that is present, and is never reported as "checked"."""

from __future__ import annotations

import json
import random

import numpy as np
import pytest
import sympy as sp

import calcml as cm
from calcml.cli import main
from calcml.errors import CalcmlError
from calcml.expr.names import GREEK_LETTER_OF, GREEK_NAMES

# every Greek variable: its Unicode letter, its name and its LaTeX command (pi is a constant)
GREEK = [n for n in GREEK_NAMES if n != "pi"]


def spellings(name: str) -> list[str]:
    return [GREEK_LETTER_OF[name], name, "\\" + name]


@pytest.mark.parametrize("name", GREEK)
def test_every_spelling_of_a_greek_variable_is_one_variable(name: str) -> None:
    rng = random.Random(name)
    for typed in spellings(name):
        for wrt in spellings(name):
            k = rng.randint(2, 6)
            text = f"{typed}^{k} + 3*{typed}*y"
            d = cm.derive(text, wrt)
            v = sp.Symbol(name, real=True)
            y = sp.Symbol("y", real=True)
            # reference written here: d/dv (v^k + 3 v y) = k v^(k-1) + 3y
            assert sp.expand(d.result - (k * v ** (k - 1) + 3 * y)) == 0, (typed, wrt)
            assert d.result != 0


@pytest.mark.parametrize("name", ["theta", "lambda", "alpha", "phi"])
def test_greek_variables_in_every_verb(name: str) -> None:
    letter = GREEK_LETTER_OF[name]
    v = sp.Symbol(name, real=True)
    g = cm.gradient(f"{letter}^2 * x", [letter, "x"])
    x = sp.Symbol("x", real=True)
    assert list(g.result) == [2 * v * x, v**2]
    h = cm.hessian(f"{letter}^3", [name])
    assert h.result[0, 0] == 6 * v
    assert cm.limit(f"sin({letter})/{letter}", letter, 0).value == 1
    assert cm.limit(f"{letter}^2", "\\" + name, 3).value == 9
    t = cm.taylor(f"exp({letter})", letter, 0, order=2)
    assert sp.expand(t.result - (1 + v + v**2 / 2)) == 0
    c = cm.critical_points(f"({letter} - 1)^2", [letter])
    assert [p.coords for p in c.points] == [(1,)]
    assert cm.derive(sp.Symbol(letter) ** 2, letter).result == 2 * v  # SymPy input, named θ


def test_cli_derive_with_a_greek_variable(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["derive", "θ^2", "--wrt", "θ", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    theta = sp.Symbol("theta", real=True)
    assert cm.parse(data["result"]["expr"]) == 2 * theta
    assert main(["gradient", "theta^2 + λ", "--wrt", "θ,lambda", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["result"]["text"] == "(2·θ, 1)"


@pytest.mark.parametrize(
    ("expr", "wrt", "alike"),
    [("X^2 + 1", "x", "X"), ("ο^2", "o", "omicron"), ("x^2", "X", "x"), ("Α*z", "A", "Α")],
)
def test_an_absent_variable_says_so_and_names_a_look_alike(expr: str, wrt: str, alike: str) -> None:
    d = cm.derive(expr, wrt)
    assert d.result == 0
    notes = " ".join(d.notes)
    assert "does not depend on" in notes
    assert f"did you mean {alike}" in notes
    assert "checked" not in d.verified  # no check of a derivative w.r.t. an absent symbol


def test_no_confirmation_for_an_absent_variable() -> None:
    rng = np.random.default_rng(11)
    for _ in range(20):
        a, b = (int(c) for c in rng.integers(1, 9, size=2))
        d = cm.derive(f"{a}*y^{b} + sin(y)", "x")
        assert d.result == 0 and not d.verified.startswith("checked")
        present = cm.derive(f"{a}*x^{b} + sin(y)", "x")
        assert present.verified.startswith("checked against sympy.diff")


@pytest.mark.parametrize("bad", ["2x", "pi", "x+y", "", "sin", "e"])
def test_a_variable_name_that_is_not_one_is_refused(bad: str) -> None:
    with pytest.raises(CalcmlError):
        cm.derive("x^2", bad)
