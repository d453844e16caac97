"""Sums over an explicit index range, `sum(x_i^2, i, 1, 5)` and `\\sum_{i=1}^{5} x_i^2`, expanded.

The parser builds the body once with the index as a plain variable; each term then puts the
number k for the index and the variable x_k for every subscripted x_i. At most MAX_SUM_TERMS
terms, so a sum can never grow an expression past what a learner could write out.

>>> from calcml.expr.parser import symbol
>>> i = symbol("i")
>>> from sympy import Integer
>>> expand_sum(symbol("x_i") ** 2, i, Integer(1), Integer(3))
x_1**2 + x_2**2 + x_3**2
"""

from __future__ import annotations

import sympy as sp

from calcml.errors import ParseError

MAX_SUM_TERMS = 50  # terms of one expanded sum
MAX_SUM_NODES = 20_000  # terms × size of the body: nested sums cannot multiply past this


def expand_sum(body: sp.Expr, index: sp.Expr, lower: sp.Expr, upper: sp.Expr) -> sp.Expr:
    """body summed for index = lower … upper: the index becomes each number, x_index each x_k.

    Raises ParseError (without a column; the parser adds it) for a bad index, bounds that are
    not whole numbers, an empty range, more than MAX_SUM_TERMS terms or MAX_SUM_NODES nodes.
    """
    if not isinstance(index, sp.Symbol):
        raise ParseError(f"the index of a sum must be a name, such as i, not {index}")
    if not (lower.is_Integer and upper.is_Integer):
        raise ParseError(
            f"the bounds of a sum must be whole numbers, such as 1 and 5 (not {lower} … {upper}):"
            f" calcml writes the sum out, at most {MAX_SUM_TERMS} terms"
        )
    first, last = int(lower), int(upper)
    count = last - first + 1
    if count < 1:
        raise ParseError(f"the sum over {index} = {first} … {last} has no terms")
    if count > MAX_SUM_TERMS:
        raise ParseError(
            f"a sum has at most {MAX_SUM_TERMS} terms; {index} = {first} … {last} has {count}"
        )
    size = sum(1 for _ in sp.preorder_traversal(body)) * count
    if size > MAX_SUM_NODES:
        raise ParseError(
            f"this sum would expand to about {size} nodes (at most {MAX_SUM_NODES}): "
            "nest fewer sums or use fewer terms"
        )
    suffix = f"_{index.name}"
    indexed = [s for s in body.free_symbols if isinstance(s, sp.Symbol) and s.name.endswith(suffix)]
    if indexed and first < 0:
        raise ParseError(f"subscripts start at 0: {indexed[0]} cannot take {index} = {first}")
    terms = []
    for k in range(first, last + 1):
        swap: dict[sp.Basic, sp.Basic] = {index: sp.Integer(k)}
        for s in indexed:
            swap[s] = sp.Symbol(f"{s.name[: -len(suffix)]}_{k}", **s.assumptions0)
        terms.append(body.xreplace(swap))
    return sp.Add(*terms)


def written_out(expr: sp.Expr) -> sp.Expr:
    """A SymPy `Sum` handed to the API, written out the way `sum(x_i^2, i, 1, 5)` is (innermost
    first; x[k] of an IndexedBase with a whole-number index becomes the variable x_k), so the
    result prints as text `calcml.parse` reads back. A sum calcml does not write out (a symbolic
    bound n, more than MAX_SUM_TERMS terms) stays a Sum: SymPy differentiates it term by term,
    as the loss derivations (1/n)·Σ(w·x_i + b − y_i)² do. Other expressions are returned as
    they are.
    """
    if expr.has(sp.Sum):
        done: dict[sp.Expr, sp.Expr] = {}
        for inner in sp.postorder_traversal(expr):
            if isinstance(inner, sp.Sum):
                body = inner.function.xreplace(done)
                try:
                    for index, lower, upper in inner.limits:
                        body = expand_sum(body, index, lower, upper)
                except ParseError:
                    continue  # kept as a Sum (see the docstring)
                done[inner] = body  # keyed by the original: xreplace matches it top-down
        expr = expr.xreplace(done)
    if expr.has(sp.Indexed):
        expr = expr.replace(
            lambda e: (
                isinstance(e, sp.Indexed)
                and len(e.indices) == 1
                and e.indices[0].is_Integer
                and int(e.indices[0]) >= 0
            ),
            lambda e: sp.Symbol(f"{e.base.label}_{int(e.indices[0])}", real=True),
        )
    return expr
