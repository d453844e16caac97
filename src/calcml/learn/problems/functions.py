"""Topic 1 — functions & limits: composition, limits, continuity."""

from __future__ import annotations

import random

import sympy as sp

from calcml.learn.problems.base import Problem, generator
from calcml.learn.problems.kit import choice, expression, nonzero, number, pick, tex, txt, x
from calcml.learn.worked import derivative, worked

u = sp.Symbol("u", real=True)


@generator("composition")
def composition(rng: random.Random, difficulty: int) -> Problem:
    a, c = nonzero(rng, -4, 4, (0, 1)), nonzero(rng, -5, 5)
    outer = pick(rng, [u**2, sp.sin(u), sp.exp(u), 1 / (1 + u**2), u**3 - u])
    inner = a * x + c if difficulty == 1 else x**2 + c if difficulty == 2 else sp.cos(a * x) + c
    f, g = sp.Lambda(u, outer), sp.Lambda(u, inner.subs(x, u))
    answer = f(inner)
    wrong = g(outer.subs(u, x))
    sol = worked(
        "(f ∘ g)(x)",
        answer,
        answer,
        [
            ("definition", "(f ∘ g)(x) = f(g(x)): g acts first", None, None),
            ("substitute", f"Put g(x) = {txt(inner)} in place of u in f(u)", outer, answer),
        ],
    )
    return Problem(
        "composition",
        f"Let f(u) = {txt(outer)} and g(x) = {txt(inner)}. Find (f ∘ g)(x).",
        rf"f(u) = {tex(outer)},\quad g(x) = {tex(inner)},\quad (f\circ g)(x) = ?",
        expression(answer, [x], None),
        ["(f ∘ g)(x) means f(g(x)).", f"Replace every u in f(u) by ({txt(inner)})."],
        sol,
        {"composition_order": wrong},
    )


@generator("limit-substitution")
def limit_substitution(rng: random.Random, difficulty: int) -> Problem:
    a = nonzero(rng, -3, 3, ())
    p, q = nonzero(rng, -4, 4), nonzero(rng, -4, 4)
    candidates = [p * x**2 + q * x + 1, (x**2 + p) / (x**2 + q * q + 1), sp.exp(x - a) * (x + p)]
    f = pick(rng, candidates[:difficulty])
    value = sp.nsimplify(f.subs(x, a))
    sol = worked(
        f"lim_(x→{a}) {_paren(f)}",
        f,
        value,
        [
            (
                "continuity",
                f"{txt(f)} is continuous at x = {a}: the limit is its value",
                None,
                None,
            ),
            ("substitute", f"Substitute x = {a}", f, value),
        ],
    )
    return Problem(
        "limit-substitution",
        f"Find lim_(x→{a}) {_paren(f)}.",
        rf"\lim_{{x\to {a}}} {tex(f)}",
        number(value, 1e-6),
        [
            "Is the function continuous at the point?",
            f"If it is, the limit is just the value: substitute x = {a}.",
        ],
        sol,
        {},
    )


@generator("limit-lhopital")
def limit_lhopital(rng: random.Random, difficulty: int) -> Problem:
    a, c = nonzero(rng, 1, 5), nonzero(rng, 1, 4)
    point: sp.Expr = sp.Integer(0)
    if difficulty == 1:
        num, den = sp.sin(a * x), c * x
    elif difficulty == 2:
        k = nonzero(rng, -3, 3)
        num, den, point = x**2 - k**2, x - k, sp.Integer(k)
        if rng.random() < 0.5:
            num, den, point = sp.exp(a * x) - 1, c * x, sp.Integer(0)
    else:
        num, den = 1 - sp.cos(a * x), c * x**2
    steps: list[tuple[str, str, object, object]] = [
        (
            "0/0",
            f"At x = {point} both {txt(num)} and {txt(den)} are 0: an indeterminate 0/0",
            None,
            None,
        )
    ]
    n, d = num, den
    for _ in range(3):
        dn, dd = derivative(n, x).result, derivative(d, x).result
        steps.append(
            ("l'hopital", "L'Hôpital: differentiate numerator and denominator", n / d, dn / dd)
        )
        n, d = dn, dd
        if d.subs(x, point) != 0:
            break
    value = sp.limit(num / den, x, point)
    steps.append(("substitute", f"Now substitute x = {point}", n / d, value))
    sol = worked(f"lim_(x→{point}) {txt(num / den)}", num / den, value, steps)
    return Problem(
        "limit-lhopital",
        f"Find lim_(x→{point}) ({txt(num)})/({txt(den)}).",
        rf"\lim_{{x\to {point}}} \frac{{{tex(num)}}}{{{tex(den)}}}",
        number(value, 1e-6),
        [
            "Substituting gives 0/0 — an indeterminate form.",
            "L'Hôpital's rule: lim f/g = lim f′/g′ when f and g both tend to 0.",
            f"Differentiate the numerator ({txt(num)}) and the denominator ({txt(den)}) "
            "separately — not as a quotient.",
        ],
        sol,
        {},
    )


@generator("limit-infinity")
def limit_infinity(rng: random.Random, difficulty: int) -> Problem:
    a, d = nonzero(rng, -6, 6), nonzero(rng, 1, 5)
    p, q = nonzero(rng, -5, 5), nonzero(rng, 1, 9)
    deg_num = 2 if difficulty < 3 else pick(rng, [1, 2])
    num = a * x**deg_num + p * x + 3
    den = d * x**2 + q if difficulty == 1 else d * x**2 - p * x + q
    value = sp.limit(num / den, x, sp.oo)
    lead = a if deg_num == 2 else 0
    sol = worked(
        f"lim_(x→∞) {txt(num / den)}",
        num / den,
        value,
        [
            ("divide", "Divide numerator and denominator by x², the highest power", None, None),
            (
                "leading terms",
                "Every term with a negative power of x tends to 0; the leading coefficients remain",
                num / den,
                sp.Rational(lead, d),
            ),
        ],
    )
    return Problem(
        "limit-infinity",
        f"Find lim_(x→∞) ({txt(num)})/({txt(den)}).",
        rf"\lim_{{x\to\infty}} \frac{{{tex(num)}}}{{{tex(den)}}}",
        number(value, 1e-6),
        [
            "Only the highest powers of x matter as x → ∞.",
            "Divide top and bottom by x² and let x → ∞.",
        ],
        sol,
        {"sign": -value} if value != 0 else {},
    )


CONTINUITY = (
    "continuous",
    "removable discontinuity",
    "jump discontinuity",
    "infinite discontinuity",
)


@generator("continuity")
def continuity(rng: random.Random, difficulty: int) -> Problem:
    a = nonzero(rng, -3, 3, ())
    kind = pick(rng, CONTINUITY if difficulty > 1 else CONTINUITY[:2] + CONTINUITY[3:])
    if kind == "continuous":
        f = pick(rng, [x**2 - a * x, sp.sin(x - a) + x, sp.exp(x) * (x - a)])
    elif kind == "removable discontinuity":
        f = pick(rng, [sp.expand((x - a) * (x + 2)) / (x - a), sp.sin(x - a) / (x - a)])
    elif kind == "jump discontinuity":
        f = sp.Abs(x - a) / (x - a)
    else:
        f = pick(rng, [1 / (x - a) ** 2, 1 / (x - a)])
    left = sp.limit(f, x, a, dir="-")
    right = sp.limit(f, x, a, dir="+")
    steps: list[tuple[str, str, object, object]] = [
        ("left limit", f"From the left, x → {a}⁻", f, left),
        ("right limit", f"From the right, x → {a}⁺", f, right),
    ]
    if kind == "continuous":
        steps.append(("value", f"f({a}) exists and equals both one-sided limits", f, f.subs(x, a)))
    elif left == right and left.is_finite:
        steps.append(
            ("verdict", "The limits agree but f is undefined there: removable", None, None)
        )
    elif left.is_finite and right.is_finite:
        steps.append(("verdict", "Finite one-sided limits that differ: a jump", None, None))
    else:
        steps.append(
            ("verdict", "A one-sided limit is infinite: an infinite discontinuity", None, None)
        )
    sol = worked(f"continuity of {txt(f)} at x = {a}", f, kind, steps)
    wrong = {
        "continuous": "removable discontinuity",
        "removable discontinuity": "continuous",
        "jump discontinuity": "removable discontinuity",
        "infinite discontinuity": "jump discontinuity",
    }[kind]
    return Problem(
        "continuity",
        f"How does f(x) = {txt(f)} behave at x = {a}? "
        "(f is undefined where its formula is undefined.)",
        rf"f(x) = {tex(f)}\ \text{{at}}\ x = {a}",
        choice(kind, CONTINUITY),
        [
            f"Is f({a}) defined?",
            "Compute the limits from the left and from the right.",
            "Equal finite limits → continuous or removable; different finite → jump; "
            "infinite → infinite discontinuity.",
        ],
        sol,
        {"continuity_kind": wrong},
    )


def _paren(f: sp.Expr) -> str:
    return f"({txt(f)})" if isinstance(f, sp.Add) else txt(f)
