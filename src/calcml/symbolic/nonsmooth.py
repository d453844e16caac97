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


def _sign_at(u: sp.Expr, at: Mapping[sp.Symbol, sp.Expr]) -> int:
    """The sign of u at the point, decided exactly: 1 or −1, or 0 when it is 0 or undecided."""
    s = sp.sign(u.xreplace(at))
    return int(s) if s.is_number and s in (1, -1) else 0


def _one_sided(node: sp.Expr, at: Mapping[sp.Symbol, sp.Expr]) -> sp.Expr | None:
    """|u|, sign(u), H(u), ReLU(u), leaky ReLU(u): the branch for the sign of u at the point."""
    u = node.args[0]
    s = _sign_at(u, at)
    if not s:
        return None
    positive = s > 0
    branches = {
        sp.Abs: lambda: s * u,
        sp.sign: lambda: sp.Integer(s),
        sp.Heaviside: lambda: sp.Integer(positive),
        relu: lambda: u if positive else sp.S.Zero,
        leaky_relu: lambda: u if positive else node.args[1] * u,
    }
    return branches[type(node)]()


def _largest(node: sp.Expr, at: Mapping[sp.Symbol, sp.Expr]) -> sp.Expr | None:
    """max/min: the argument that is strictly the largest (smallest) at the point."""
    want = 1 if isinstance(node, sp.Max) else -1
    for a in node.args:
        if all(_sign_at(a - b, at) == want for b in node.args if b is not a):
            return a  # type: ignore[no-any-return]
    return None


def _constant_step(node: sp.Expr, at: Mapping[sp.Symbol, sp.Expr]) -> sp.Expr | None:
    """floor(u), ceiling(u) where u is not an integer at the point: the constant value."""
    value = node.xreplace(at)
    inside = node.args[0].xreplace(at)
    if not (value.is_Integer and inside.is_number and sp.simplify(inside).is_integer is False):
        return None
    return value  # type: ignore[no-any-return]


# a switching function -> its branch on a neighbourhood of the point (None: it switches there)
BRANCHES = {
    **{kind: _one_sided for kind in ONE_ARGUMENT},
    sp.Max: _largest,
    sp.Min: _largest,
    sp.floor: _constant_step,
    sp.ceiling: _constant_step,
}


def local_branch(f: sp.Expr, point: Mapping[sp.Symbol, sp.Expr]) -> sp.Expr:
    """f on a neighbourhood of `point`, each |u|, sign, H, ReLU, leaky ReLU, max, min, floor and
    ceiling replaced by its one smooth branch there, decided exactly by the sign of u at the
    point (|u| -> s·u, ReLU(u) -> u or 0, max(f, g) -> the larger, floor(u) -> its value).

    The same function near the point, so its derivatives and series there are f's; a switch
    exactly at the point is kept (`kinks_at` names it). Replaced inside out.

    >>> x = sp.Symbol("x", real=True)
    >>> local_branch(relu(x) + sp.Abs(x - 3) * sp.Max(x, 2 * x), {x: -1})
    x*(3 - x)
    """
    at = {x: as_expr(v, exact=False) for x, v in point.items()}

    def branch(node: sp.Expr) -> sp.Expr:
        if not node.free_symbols & set(at):
            return node
        found = BRANCHES[type(node)](node, at)
        return node if found is None else found

    return f.replace(lambda n: type(n) in BRANCHES, branch)  # type: ignore[no-any-return]
