"""L'Hôpital's rule, and writing a product 0·∞ as a quotient for it."""

from __future__ import annotations

import sympy as sp

from calcml.expr.render import to_text
from calcml.symbolic.budget import within_expansion
from calcml.symbolic.limit_result import (
    rewrite_step,
)
from calcml.symbolic.limit_teach.approach import MAX_DEPTH, MAX_LHOPITAL, Approach
from calcml.symbolic.limit_teach.forms import Form
from calcml.symbolic.limit_teach.techniques.base import Move, Teach, _quotient
from calcml.symbolic.show_derivative import derivative_step

_KEEP_ON_TOP = (sp.log, sp.atan, sp.asin, sp.acos)


def product_to_quotient(
    f: sp.Expr, ap: Approach, form: Form, depth: int, teach: Teach
) -> Move | None:
    zero, inf = sp.Mul(*form.parts["zero"]), sp.Mul(*form.parts["inf"])
    others = sp.Mul(
        *[g for g in form.parts["factors"] if g not in form.parts["zero"] + form.parts["inf"]]
    )
    if inf.has(*_KEEP_ON_TOP) or (inf.is_Pow and inf.exp.is_negative):
        num, den, name = others * inf, 1 / zero, "∞/∞"
        how = f"move {to_text(zero)} to the denominator as 1/({to_text(den)}): now ∞/∞"
    else:
        num, den, name = others * zero, 1 / inf, "0/0"
        how = f"move {to_text(inf)} to the denominator as 1/({to_text(den)}): now 0/0"
    quotient = _quotient(num, den)
    step = rewrite_step("rewrite as quotient", how, f, quotient)
    move = lhopital(quotient, ap, Form(name, {"num": num, "den": den}), depth, teach)
    if move is None:
        return None
    return Move([step, *move.steps], expr=move.expr)


def lhopital(f: sp.Expr, ap: Approach, form: Form, depth: int, teach: Teach) -> Move | None:
    num, den = form.parts["num"], form.parts["den"]
    if depth > MAX_DEPTH - 2 or sum(1 for _ in range(depth)) > MAX_LHOPITAL * 2:
        return None
    dn = derivative_step(num, ap.x, "numerator")
    dd = derivative_step(den, ap.x, "denominator")
    new = dn.after / dd.after
    if sp.count_ops(new) > 3 * sp.count_ops(f) + 12:
        return None
    # cancelling expands: (x + 1)⁹⁹⁹ would become 1000 terms with 300-digit coefficients
    rational = new.is_rational_function(ap.x) and within_expansion(new)
    simpler = sp.cancel(new) if rational else new
    step = rewrite_step(
        "L'Hôpital",
        f"L'Hôpital's rule ({form.name}): the limit of N/D equals the limit of N′/D′",
        _quotient(num, den),
        simpler,
        substeps=[dn, dd],
    )
    return Move([step], expr=simpler)
