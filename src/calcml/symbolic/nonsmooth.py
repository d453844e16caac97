"""Where a function built from |u|, sign, H, ReLU, leaky ReLU, max, min, floor and ceil has a
kink or a jump.

Taylor polynomials and the Hessian test need f to be smooth at the point; these helpers find
the non-smooth pieces whose inside vanishes there, so the caller can say so instead of
producing a wrong answer.

>>> import sympy as sp
>>> x = sp.Symbol("x", real=True)
>>> [str(k) for k in kinks_at(sp.Abs(x) + x**2, {x: 0})]
['Abs(x)']
>>> kinks_at(sp.Abs(x), {x: 1})
[]
"""

from __future__ import annotations

from collections.abc import Mapping

import sympy as sp

from calcml.expr.convert import as_expr
from calcml.expr.functions import leaky_relu, relu

ONE_ARGUMENT = (sp.Abs, sp.sign, sp.Heaviside, relu, leaky_relu)
AT_INTEGERS = (sp.floor, sp.ceiling)  # jump where their argument is an integer


def switch_points(node: sp.Expr) -> list[sp.Expr]:
    """The expressions whose sign change makes `node` non-smooth (empty for smooth nodes)."""
    if isinstance(node, ONE_ARGUMENT + AT_INTEGERS):
        return [node.args[0]]
    if isinstance(node, (sp.Max, sp.Min)):
        args = node.args
        return [a - b for i, a in enumerate(args) for b in args[i + 1 :]]
    return []


def kinks_at(f: sp.Expr, point: Mapping[sp.Symbol, sp.Expr]) -> list[sp.Expr]:
    """The non-smooth parts of f (|u|, ReLU(u), max(f, g), ...) that switch exactly at `point`."""
    at = {x: as_expr(v, exact=False) for x, v in point.items()}
    found: list[sp.Expr] = []
    for node in sp.preorder_traversal(f):
        for inside in switch_points(node):
            if not inside.free_symbols & set(at):
                continue
            value = inside.xreplace(at)
            if isinstance(node, AT_INTEGERS):
                switches = value.is_number and sp.simplify(value).is_integer is True
            else:
                switches = value.is_number and (value.is_zero or sp.simplify(value) == 0)
            if switches and node not in found:
                found.append(node)
    return found
