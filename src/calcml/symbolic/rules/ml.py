"""Rules for the functions of machine learning and the non-smooth ones: σ, softplus, ReLU,
leaky ReLU, |u|, sign, the step function H, floor and ceil. Kinks are recorded as notes on the
derivation.
"""

from __future__ import annotations

import sympy as sp

from calcml.expr.functions import leaky_relu, relu, sigmoid, softplus
from calcml.symbolic.rules import function_rule

function_rule(
    sigmoid,
    "sigmoid",
    "d/du σ(u) = σ(u)·(1 − σ(u))",
    "The sigmoid's derivative is σ·(1 − σ), written with the sigmoid itself",
    derivative=lambda applied: applied * (1 - applied),
)
function_rule(
    softplus,
    "softplus",
    "d/du softplus(u) = d/du log(1 + eᵘ) = σ(u)",
    "The derivative of softplus = log(1 + eᵘ) is the sigmoid",
)
function_rule(
    relu,
    "relu",
    "d/du ReLU(u) = H(u) (1 for u > 0, 0 for u < 0)",
    "ReLU has slope 1 where u > 0 and 0 where u < 0: the step function H(u)",
    kink="ReLU({u}) has a kink: its derivative is undefined where {u} = 0",
)
function_rule(
    leaky_relu,
    "leaky_relu",
    "d/du leaky_relu(u, a) = a + (1 − a)·H(u) (1 for u > 0, a for u < 0)",
    "Leaky ReLU has slope 1 where u > 0 and a where u < 0",
    kink="leaky_relu({u}) has a kink: its derivative is undefined where {u} = 0",
    parameters=("a",),
)
function_rule(
    sp.Abs,
    "abs",
    "d/du |u| = sign(u) (for u ≠ 0)",
    "|u| has slope 1 where u > 0 and −1 where u < 0: sign(u)",
    derivative=lambda applied: sp.sign(applied.args[0]),
    kink="|{u}| has a corner: its derivative is undefined where {u} = 0",
)
# sign and the step function H: flat on each side of 0 (slope 0), a jump at 0 (no derivative)
for _jump, _rule, _name in ((sp.sign, "sign", "sign"), (sp.Heaviside, "heaviside", "H")):
    function_rule(
        _jump,
        _rule,
        f"d/du {_name}(u) = 0 for u ≠ 0 (undefined at u = 0, where {_name} jumps)",
        f"{_name} is flat on each side of 0, so its slope is 0 there; at 0 it jumps",
        derivative=lambda applied: sp.S.Zero,
        kink=f"{_name}({{u}}) jumps where {{u}} = 0: "
        "the derivative is 0 elsewhere and undefined there",
    )
# floor and ceil: flat between integers (slope 0), a jump at every integer (no derivative)
for _step in (sp.floor, sp.ceiling):
    _shown = "ceil" if _step is sp.ceiling else "floor"
    function_rule(
        _step,
        _shown,
        f"d/du {_shown}(u) = 0 where u is not an integer (undefined at integers, where it jumps)",
        f"{_shown} is constant between consecutive integers, so its slope is 0 there; "
        "at each integer it jumps by 1",
        derivative=lambda applied: sp.S.Zero,
        kink=f"{_shown}({{u}}) jumps where {{u}} is an integer: "
        "the derivative is 0 elsewhere and undefined there",
    )
function_rule(
    sp.DiracDelta,
    "dirac_delta",
    "d/du δ(u) = δ′(u) (as a distribution)",
    "The Dirac delta's derivative, δ′, is a distribution",
)
