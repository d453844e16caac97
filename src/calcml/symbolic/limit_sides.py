"""One-sided rewriting: on one side of a point |u|, sign(u), H(u), ReLU(u) are plain formulas.

For x → 0⁺ we have x > 0, so |x| = x and ReLU(x) = x; for x → 0⁻, |x| = −x and ReLU(x) = 0.
The sign of the inside is read from samples very close to the point (all must agree); an
inside that keeps changing sign (x·sin(1/x)) is left alone. Smooth ML functions (σ, softplus)
are written with exp/log so SymPy's limit algorithm understands them.

>>> import sympy as sp
>>> x = sp.Symbol("x", real=True)
>>> resolve(sp.Abs(x) / x, x, sp.S.Zero, "-")[0]
-1
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import mpmath as mp
import sympy as sp

from calcml.expr.functions import leaky_relu, relu, sigmoid, softplus
from calcml.expr.render import to_text
from calcml.symbolic.evidence import generic, numeric_function
from calcml.symbolic.limit_result import LimitStep, arrow, rewrite_step

# function -> (its value when the inside is positive, when negative); args are the call's args
SIDE_RULES: dict[type, tuple[Callable[..., Any], Callable[..., Any], str]] = {
    sp.Abs: (lambda u: u, lambda u: -u, "|u| = u for u > 0 and −u for u < 0"),
    sp.sign: (lambda u: sp.S.One, lambda u: sp.S.NegativeOne, "sign(u) = ±1 as u > 0 or u < 0"),
    sp.Heaviside: (
        lambda u, *h: sp.S.One,
        lambda u, *h: sp.S.Zero,
        "H(u) = 1 for u > 0, 0 for u < 0",
    ),
    relu: (lambda u: u, lambda u: sp.S.Zero, "ReLU(u) = u for u > 0 and 0 for u < 0"),
    leaky_relu: (
        lambda u, a: u,
        lambda u, a: a * u,
        "LeakyReLU(u) = u for u > 0 and a·u for u < 0",
    ),
}

SMOOTH_REWRITES: dict[type, Callable[[Any], Any]] = {
    sigmoid: lambda z: 1 / (1 + sp.exp(-z)),
    softplus: lambda z: sp.log(1 + sp.exp(z)),
}

_PROBES = (16, 20, 24, 32, 40)


def sign_near(u: sp.Expr, x: sp.Symbol, at: sp.Expr, side: str) -> int | None:
    """+1/−1/0 when u keeps one sign on the approach (side '+' right, '-' left), else None."""
    if not u.has(x):
        return _exact_sign(u)
    try:
        fn = numeric_function(u, x)
    except Exception:
        return None
    signs = set()
    infinite = at in (sp.S.Infinity, sp.S.NegativeInfinity)
    with mp.workdps(200):
        base = mp.mpf(0) if infinite else mp.mpf(str(sp.N(at, 220)))
        for k in _PROBES:
            # 0.618…·10⁻ᵏ, not 10⁻ᵏ: cos(π/x) is 1 at every x = 10⁻ᵏ but changes sign near 0
            if infinite:
                point = (1 if at is sp.S.Infinity else -1) * generic() * mp.mpf(10) ** k
            else:
                point = base + (1 if side == "+" else -1) * generic() * mp.mpf(10) ** (-k)
            try:
                value = fn(point)
            except Exception:
                return None
            if isinstance(value, mp.mpc) or value != value:
                return None
            signs.add(0 if abs(value) < mp.mpf(10) ** -150 else (1 if value > 0 else -1))
    return signs.pop() if len(signs) == 1 else None


def _exact_sign(u: sp.Expr) -> int | None:
    if u.is_positive:
        return 1
    if u.is_negative:
        return -1
    if u.is_zero:
        return 0
    return None


def resolve(f: sp.Expr, x: sp.Symbol, at: sp.Expr, side: str) -> tuple[sp.Expr, list[LimitStep]]:
    """f with |·|, sign, H, ReLU replaced by their formula on this side; the steps saying so."""
    steps: list[LimitStep] = []
    skipped: set[sp.Expr] = set()
    while True:
        # innermost first: a call whose inside holds no other such call
        calls = [c for c in _calls(f) if c not in skipped and not _calls(c.args[0])]
        if not calls:
            return f, steps
        call = calls[0]
        inside = call.args[0]
        s = sign_near(inside, x, at, side)
        if not s:
            skipped.add(call)
            continue
        pos, neg, _rule = SIDE_RULES[type(call)]
        new = pos(*call.args) if s > 0 else neg(*call.args)
        before = f
        f = f.xreplace({call: new})
        relation = f"{to_text(inside)} {'>' if s > 0 else '<'} 0"
        explanation = f"{_near(x, at, side)}: {relation}, so {to_text(call)} = {to_text(new)}"
        steps.append(rewrite_step("one-sided", explanation, before, f))


def _near(x: sp.Symbol, at: sp.Expr, side: str) -> str:
    return f"for {arrow(x, at, side)}"


def _calls(f: sp.Expr) -> list[sp.Expr]:
    return [c for c in sp.preorder_traversal(f) if type(c) in SIDE_RULES]


def smooth(f: sp.Expr) -> sp.Expr:
    """σ and softplus written with exp/log (for SymPy's limit algorithm)."""
    for fn, rule in SMOOTH_REWRITES.items():
        if f.has(fn):
            f = f.replace(fn, rule)
    return f
