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

from collections.abc import Callable, Mapping

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


def _sign_at(u: sp.Expr, at: Mapping[sp.Symbol, sp.Expr]) -> int | None:
    """The sign of u at the point, decided exactly: 1 or −1, None when it is 0 or undecided."""
    s = sp.sign(u.xreplace(at))
    return int(s) if s.is_number and s in (1, -1) else None


SignOf = Callable[[sp.Expr], "int | None"]  # a switching expression u → its sign (±1) or None

# |u|, sign(u), H(u), δ(u), ReLU(u), leaky ReLU(u, a) on a piece where u has sign s (≠ 0): the
# branch, from the node's arguments (already replaced by their own branches)
ONE_SIDED: dict[type, Callable[[list[sp.Expr], int], sp.Expr]] = {
    sp.Abs: lambda a, s: s * a[0],
    sp.sign: lambda a, s: sp.Integer(s),
    sp.Heaviside: lambda a, s: sp.Integer(1 if s > 0 else 0),
    sp.DiracDelta: lambda a, s: sp.S.Zero,
    relu: lambda a, s: a[0] if s > 0 else sp.S.Zero,
    leaky_relu: lambda a, s: a[0] if s > 0 else a[1] * a[0],
}


def _one_sided(node: sp.Expr, args: list[sp.Expr], sign_of: SignOf) -> sp.Expr | None:
    s = sign_of(node.args[0])
    return None if s is None else ONE_SIDED[type(node)](args, s)


def _extreme(node: sp.Expr, args: list[sp.Expr], sign_of: SignOf) -> sp.Expr | None:
    """max/min: the argument strictly larger (smaller) than every other one on the piece."""
    want = 1 if isinstance(node, sp.Max) else -1
    for i, a in enumerate(node.args):
        if all(sign_of(a - b) == want for j, b in enumerate(node.args) if j != i):
            return args[i]
    return None


# a switching node → its smooth branch on a piece where the sign of each switching expression
# is known (`sign_of`): one table for a neighbourhood of a point (`local_branch`) and for a
# sign pattern (`flat_pieces`); None when a sign it needs is 0 or undecided
BRANCHES: dict[type, Callable[[sp.Expr, list[sp.Expr], SignOf], sp.Expr | None]] = {
    **{kind: _one_sided for kind in ONE_SIDED},
    sp.Max: _extreme,
    sp.Min: _extreme,
}


def branch_on(e: sp.Expr, sign_of: SignOf, keep: bool = False) -> sp.Expr | None:
    """`e` with each switching node replaced by its branch for the signs `sign_of` gives
    (inside out; the signs are asked of the node's original arguments). A node whose sign is
    undecided makes the whole answer None, or stays itself when `keep`."""
    if not e.args:
        return e
    args = [branch_on(a, sign_of, keep) for a in e.args]
    if any(a is None for a in args):
        return None
    rule = BRANCHES.get(type(e))
    found = rule(e, args, sign_of) if rule is not None else None  # type: ignore[arg-type]
    if found is not None:
        return found
    if rule is not None and not keep:
        return None
    return e.func(*args) if args != list(e.args) else e


def _constant_step(node: sp.Expr, at: Mapping[sp.Symbol, sp.Expr]) -> sp.Expr:
    """floor(u), ceiling(u) where u is not an integer at the point: the constant value (else
    the node itself: it jumps there)."""
    value = node.xreplace(at)
    inside = node.args[0].xreplace(at)
    if not (value.is_Integer and inside.is_number and sp.simplify(inside).is_integer is False):
        return node
    return value  # type: ignore[no-any-return]


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
    stepped = f.replace(
        lambda n: isinstance(n, AT_INTEGERS) and bool(n.free_symbols & set(at)),
        lambda n: _constant_step(n, at),
    )
    return branch_on(stepped, lambda u: _sign_at(u, at), keep=True)  # type: ignore[return-value]


MAX_ORDER = 8  # derivatives tried for the sign of a switching u beside a zero of it


def side_branch(f: sp.Expr, x: sp.Symbol, a: sp.Expr, side: int) -> sp.Expr | None:
    """f on a short interval beside x = a (side +1: (a, a + δ), −1: (a − δ, a)) as one smooth
    expression, each switching node replaced by its branch there; None when a sign is not
    decided. The sign of u beside a zero of it is that of its first nonzero derivative there
    (times (−1)ᵏ on the left), u itself taken on the same side first.

    >>> x = sp.Symbol("x", real=True)
    >>> side_branch(sp.Abs(x) + sp.Max(0, x**3), x, 0, -1)
    -x
    """

    def sign_of(u: sp.Expr) -> int | None:
        s = _sign_at(u, {x: a})
        if s is not None or not u.has(x):
            return s
        g = branch_on(u, sign_of)
        if g is None or not g.subs(x, a).is_zero:
            return None  # u undefined at a, or not decided to vanish there
        for k in range(1, MAX_ORDER + 1):
            s = _sign_at(sp.diff(g, x, k), {x: a})
            if s is not None:
                return s * side**k
        return None

    return branch_on(f, sign_of)
