"""One budget per request for all its SymPy work: limits on work, and a safety-net deadline.

A request (one `limit`, `derive`, `taylor`, … call) opens a `Budget` with `request()`; every
piece of engine work inside it — nested calls, worker threads started by
`calcml.symbolic.timelimit`, helpers — reads the same budget from a context variable, so the
budget is per request and thread-safe.

What an answer may depend on is *work*, never the clock:

- `max_digits`: no exact number larger than this is ever computed. SymPy evaluates
  ``Integer ** Integer`` eagerly (``2^(10^100)`` would fill the memory in C code that no
  thread exception can stop), so `guard_exact_powers` checks the size of the result *before*
  SymPy computes it and raises `BudgetExceeded` instead. The parser refuses larger numbers too.
- `max_terms`, `max_degree`: expansions and common denominators whose result would be larger
  are refused before they start (`check_expansion`, `check_degree`).
- `max_ops`: a count of charged steps (`charge`), for loops inside calcml's own engines.
- `max_nodes`, `max_work`: the size of one derivative (its tree: every symbol, number and
  operation, shared parts counted each time they occur) and of all derivatives a request
  builds. Nested compositions grow fast when differentiated again and again (the 7th
  derivative of tan(tan(tan(tan x))) has ~10⁵ nodes): every later step — tidying, SymPy's
  reference, the numeric check, a series — costs in proportion, so the size is counted as the
  derivative is built (`count_nodes`, `charge_work`) and the request gives up past it.
- `max_expanded`: an expansion (tidying, the exact check) is tried only when the expanded sum
  would have at most this many nodes (`expanded_nodes`, estimated before expanding).
- `max_solutions`: an exact solve (critical points) is tried only on a system with at most this
  many solutions by Bézout's bound (the product of the equations' degrees); beyond it the
  engine takes its bounded numeric way.

`seconds` is only the last safety net, counted in computing time (the thread's CPU clock, see
`calcml.symbolic.timelimit`): when it runs out the request *gives up* (a
`TimeLimitError`), it never turns into a different answer. Time limits inside a request are
clamped to what is left of it (`remaining`; `timelimit.clamp`).

>>> with request(max_digits=50) as b:
...     b.max_digits
50
>>> import sympy as sp
>>> with request(max_digits=50):
...     sp.Integer(10) ** 80  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
calcml.symbolic.budget.BudgetExceeded: gave up: an exact number here would have about ...
"""

from __future__ import annotations

import contextvars
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

import sympy as sp

from calcml.bounds import SAFETY_FACTOR, TIME_LIMIT_HELP
from calcml.errors import TimeLimitError
from calcml.expr.parser import MAX_EXACT_DIGITS  # of one exact number anywhere in calcml
from calcml.symbolic.timelimit import (
    call_with_time_limit,
    check_time_limit,
    cpu_now,
    safety_net,
)

MAX_TERMS = 5000  # of an expanded sum
MAX_DEGREE = 40  # of a polynomial built by expansion or a common denominator (beyond: not built)
MAX_OPS = 1_000_000  # charged steps of calcml's own loops
MAX_NODES = 3_000  # tree nodes of one derivative (or of SymPy's reference for it)
MAX_WORK = 20_000  # tree nodes of all the derivatives one request builds
MAX_EXPANDED = 4_000  # tree nodes of an expanded sum, estimated before expanding
MAX_SOLUTIONS = 8  # of a polynomial system handed to an exact solver (its Bézout bound)
DEFAULT_SECONDS = 20.0  # the safety net of a request without a `time_limit` argument


class BudgetExceeded(TimeLimitError):
    """The request would need more work than its budget allows: calcml gives up."""


@dataclass
class Budget:
    """The work limits of one request and what it has used so far."""

    max_digits: int = MAX_EXACT_DIGITS
    max_terms: int = MAX_TERMS
    max_degree: int = MAX_DEGREE
    max_ops: int = MAX_OPS
    max_solutions: int = MAX_SOLUTIONS
    max_nodes: int = MAX_NODES
    max_work: int = MAX_WORK
    max_expanded: int = MAX_EXPANDED
    seconds: float | None = DEFAULT_SECONDS
    ops: int = 0
    work: int = 0
    started: float = field(default_factory=cpu_now)  # the request's thread's CPU clock
    sizes: dict[Any, int] = field(default_factory=dict, repr=False)  # memo of `nodes`

    def charge(self, n: int = 1, what: str = "steps") -> None:
        """Count `n` steps of work; past `max_ops`, give up."""
        self.ops += n
        if self.ops > self.max_ops:
            raise BudgetExceeded(f"gave up: more than {self.max_ops} {what}")

    def count_nodes(self, expr: Any, what: str = "a derivative") -> int:
        """The tree size of `expr`; past `max_nodes`, give up."""
        n = nodes(expr, self.sizes)
        if n > self.max_nodes:
            raise BudgetExceeded(
                f"gave up: {what} here grows past {self.max_nodes:,} symbols and operations "
                "(size budget)"
            )
        return n

    def charge_work(self, n: int) -> None:
        """Count `n` nodes built or walked (derivatives, expansions); past `max_work`, give up."""
        self.work += n
        if self.work > self.max_work:
            raise BudgetExceeded(
                f"gave up: the expressions this request builds add up to more than "
                f"{self.max_work:,} symbols and operations (work budget)"
            )

    def remaining(self) -> float | None:
        """Seconds of computing left of the safety net (None: no deadline)."""
        if self.seconds is None:
            return None
        return max(0.0, self.seconds - (cpu_now() - self.started))


_CURRENT: contextvars.ContextVar[Budget | None] = contextvars.ContextVar(
    "calcml_budget", default=None
)


def current() -> Budget | None:
    """The budget of the request being served (None outside a request)."""
    return _CURRENT.get()


@contextmanager
def request(**limits: Any) -> Iterator[Budget]:
    """Open a request's budget; inside an open request, reuse it (one budget per request)."""
    outer = _CURRENT.get()
    if outer is not None:
        yield outer
        return
    budget = Budget(**limits)
    token = _CURRENT.set(budget)
    try:
        with safety_net(budget.remaining()):
            yield budget
    finally:
        _CURRENT.reset(token)


# ----------------------------------------------------------------------------- exact numbers


def digits_of_power(base: sp.Rational, exponent: sp.Rational) -> float:
    """About how many decimal digits base^exponent has (numerator or denominator)."""
    p, q = abs(int(base.p)), int(base.q)
    if max(p, q) <= 1:
        return 1.0
    size = max(p.bit_length() - 1, q.bit_length() - 1, 1) * abs(float(exponent))
    return size * math.log10(2) + 1


def too_many_digits(n: int) -> bool:
    """True when the integer n has more digits than one exact number may have."""
    limit = (current() or Budget()).max_digits
    return n.bit_length() * math.log10(2) > limit + 1


def _check_power(base: Any, expt: Any) -> None:
    budget = _CURRENT.get()
    if budget is None or not isinstance(expt, sp.Rational) or expt.q != 1:
        return
    if not isinstance(base, sp.Rational) or abs(expt.p) < 2:
        return
    about = digits_of_power(base, expt)
    if about > budget.max_digits:
        shown = f"{about:.0f}" if about < 1e6 else f"10^{math.log10(about):.0f}"
        raise BudgetExceeded(
            f"gave up: an exact number here would have about {shown} digits "
            f"(at most {budget.max_digits})"
        )


_INSTALLED = False


def guard_exact_powers() -> None:
    """Make SymPy refuse, inside a request, exact powers larger than the budget allows."""
    global _INSTALLED
    if _INSTALLED:
        return
    from sympy.core import numbers

    for cls in (numbers.Integer, numbers.Rational):
        original = cls.__dict__["_eval_power"]

        def guarded(self: Any, expt: Any, _original: Any = original) -> Any:
            _check_power(self, expt)
            return _original(self, expt)

        guarded.__doc__ = original.__doc__
        cls._eval_power = guarded  # type: ignore[method-assign]
    _INSTALLED = True


guard_exact_powers()


# ----------------------------------------------------------------------------- sizes


def nodes(expr: Any, memo: dict[Any, int] | None = None) -> int:
    """The tree size of `expr`: every symbol, number and operation, a shared sub-expression
    counted each time it occurs (what printing, evaluating or expanding it walks). Linear in
    the distinct sub-expressions, with `memo` kept across calls."""
    memo = {} if memo is None else memo
    stack: list[tuple[Any, bool]] = [(expr, False)]
    while stack:
        e, ready = stack.pop()
        if e in memo:
            continue
        args = getattr(e, "args", ())
        if ready or not args:
            memo[e] = 1 + sum(memo[a] for a in args)
            continue
        stack.append((e, True))
        stack.extend((a, False) for a in args if a not in memo)
    return memo[expr]


def count_nodes(expr: Any, what: str = "a derivative") -> int:
    """`Budget.count_nodes` of the current request (outside a request: only counted)."""
    budget = _CURRENT.get()
    return nodes(expr) if budget is None else budget.count_nodes(expr, what)


def charge_work(n: int) -> None:
    """`Budget.charge_work` of the current request (nothing outside a request)."""
    budget = _CURRENT.get()
    if budget is not None:
        budget.charge_work(n)


def expanded_nodes(expr: Any, deep: bool = True) -> float:
    """About how much work `expand(expr)` is: its terms before like terms are collected, times
    the factors each term gets, plus the factors all terms share (read off the tree; nothing is
    expanded). `deep=False`: function applications
    are kept whole (as `calcml.symbolic.simplify` shields them)."""
    cap = 10.0 * ((_CURRENT.get() or Budget()).max_expanded + 1)
    return min(cap, _expanded(expr, deep, cap, {})[1])


def within_expansion(expr: Any, deep: bool = True) -> bool:
    """True when expanding `expr` stays within the budget's `max_expanded` nodes."""
    return expanded_nodes(expr, deep) <= (_CURRENT.get() or Budget()).max_expanded


def _expanded(
    e: Any, deep: bool, cap: float, memo: dict[Any, tuple[float, float]]
) -> tuple[float, float]:
    """(terms, nodes) of the expansion of e, both capped near `cap`."""
    if e in memo:
        return memo[e]
    if not e.args:
        out = (1.0, 1.0)
    elif e.is_Add:
        parts = [_expanded(a, deep, cap, memo) for a in e.args]
        out = (sum(t for t, _ in parts), 1 + sum(n for _, n in parts))
    elif e.is_Mul:
        parts = [_expanded(a, deep, cap, memo) for a in e.args]
        terms = 1.0
        for t, _ in parts:
            terms = min(cap, terms * t)
        # a factor of one term (a function, a denominator) is shared by every term: built once
        spread = sum(n / t if t > 1 else 1.0 for t, n in parts)
        out = (terms, terms * (1 + spread) + sum(n for t, n in parts if t <= 1))
    elif e.is_Pow and e.exp.is_Integer and e.base.is_Add:
        t, n = _expanded(e.base, deep, cap, memo)
        k = min(abs(int(e.exp)), cap)  # C(k + t − 1, t − 1) terms, from its logarithm
        terms = math.exp(min(700.0, math.lgamma(k + t) - math.lgamma(k + 1) - math.lgamma(t)))
        terms = min(cap, max(1.0, terms))
        out = (terms if e.exp > 0 else 1.0, terms * (2 + k * n / t))
    elif isinstance(e, sp.Function) and not deep:
        out = (1.0, float(nodes(e)))
    else:  # a function application or another power: one term, its arguments expanded
        out = (1.0, 1 + sum(_expanded(a, deep, cap, memo)[1] for a in e.args))
    out = (min(cap, out[0]), min(cap, out[1]))
    memo[e] = out
    return out


# ----------------------------------------------------------------------------- expansion


def check_expansion(expr: sp.Expr) -> None:
    """Refuse to expand `expr` when the expanded sum would exceed the term budget.

    Counts terms without expanding: a product multiplies the counts of its factors, a power
    (a + b + …)^n has at most C(n + k − 1, k − 1) terms.
    """
    budget = _CURRENT.get() or Budget()
    if _terms(expr, budget.max_terms) > budget.max_terms:
        raise BudgetExceeded(
            f"gave up: expanding this would give more than {budget.max_terms} terms"
        )


def _terms(e: sp.Expr, cap: int) -> int:
    if e.is_Add:
        return min(cap + 1, sum(_terms(a, cap) for a in e.args))
    if e.is_Mul:
        n = 1
        for a in e.args:
            n = min(cap + 1, n * _terms(a, cap))
        return n
    if e.is_Pow and e.exp.is_Integer and e.base.is_Add:
        k = _terms(e.base, cap)
        n = abs(int(e.exp))
        if k > cap or n > 10 * cap:
            return cap + 1
        return min(cap + 1, math.comb(n + k - 1, k - 1))
    return 1


def expansion_terms(expr: sp.Expr) -> int:
    """An upper bound on the terms of expand(expr) (capped just above the budget's MAX_TERMS)."""
    budget = _CURRENT.get() or Budget()
    return _terms(expr, budget.max_terms)


def within_degree(expr: sp.Expr) -> bool:
    """True when a common denominator of `expr` stays within the degree budget."""
    budget = _CURRENT.get() or Budget()
    return _degree(expr, expr.free_symbols) <= budget.max_degree


def check_degree(expr: sp.Expr, *gens: sp.Symbol) -> None:
    """Refuse work on a rational function whose combined degree would exceed the budget.

    The degree of a common denominator is at most the sum of the denominators' degrees.
    """
    budget = _CURRENT.get() or Budget()
    total = _degree(expr, set(gens) or expr.free_symbols)
    if total > budget.max_degree:
        raise BudgetExceeded(
            f"gave up: this would build a polynomial of degree about {total} "
            f"(at most {budget.max_degree})"
        )


def degree_bound(expr: sp.Expr, gens: Any = None) -> int:
    """An upper bound on the degree of expr (or of its common denominator) in `gens`, read off
    the tree without building a polynomial (x^(10^100) is not expanded to find 10^100)."""
    return _degree(expr, set(gens) if gens is not None else expr.free_symbols)


def _degree(e: sp.Expr, gens: set[Any]) -> int:
    if e in gens:
        return 1
    if e.is_Pow and e.exp.is_Rational and e.base.free_symbols & gens:
        return int(abs(e.exp) * _degree(e.base, gens) + 0.999)
    if e.is_Add or e.is_Mul:
        return sum(_degree(a, gens) for a in e.args)
    if e.args and e.free_symbols & gens:
        return sum(_degree(a, gens) for a in e.args)
    return 0


__all__ = [
    "MAX_EXACT_DIGITS",
    "Budget",
    "BudgetExceeded",
    "budgeted",
    "charge_work",
    "check_degree",
    "check_expansion",
    "count_nodes",
    "current",
    "degree_bound",
    "expanded_nodes",
    "expansion_terms",
    "guard_exact_powers",
    "nodes",
    "request",
    "reraise_if_spent",
    "within_degree",
    "within_expansion",
]


def reraise_if_spent(error: BaseException) -> None:
    """Re-raise `error` when it means the whole request must give up.

    Engines catch SymPy's failures to try another way; a spent budget (or a request whose
    safety net has run out) is no such failure: trying another way would make the answer
    depend on how much work or time was left.
    """
    if isinstance(error, BudgetExceeded):
        raise error
    budget = _CURRENT.get()
    if isinstance(error, TimeLimitError) and budget is not None and budget.remaining() == 0:
        raise BudgetExceeded(f"gave up after {budget.seconds:g} s") from error


F = TypeVar("F", bound=Callable[..., Any])


def budgeted(fn: F) -> F:
    """Run `fn` as one request: one budget for all its work, however deeply it calls others.

    The safety net is SAFETY_FACTOR × the function's `time_limit` argument when it has one
    (None: no deadline), else DEFAULT_SECONDS; past it the caller gets `TimeLimitError`
    ("gave up after … s") at once. Inside an open request, the request goes on.
    """
    import functools
    import inspect

    parameter = inspect.signature(fn).parameters.get("time_limit")
    default = parameter.default if parameter is not None else DEFAULT_SECONDS

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if _CURRENT.get() is not None:  # part of a request already: its budget goes on
            return fn(*args, **kwargs)
        seconds = check_time_limit(kwargs.get("time_limit", default))
        net = None if seconds is None else SAFETY_FACTOR * seconds
        net = net if parameter is not None else DEFAULT_SECONDS
        with request(seconds=net):
            # the work runs in a worker the safety net can stop (SymPy is pure Python; the
            # C big-integer work a stop cannot reach is refused before it starts)
            try:
                return call_with_time_limit(fn, net, *args, **kwargs)
            except BudgetExceeded:
                raise
            except TimeLimitError:
                if current() is not None and current().remaining() == 0:  # type: ignore[union-attr]
                    raise TimeLimitError(f"gave up after {net:g} s") from None
                raise

    if parameter is not None and fn.__doc__:  # the one description, in every engine's help()
        wrapper.__doc__ = f"{fn.__doc__.rstrip()}\n\n    time_limit: {TIME_LIMIT_HELP}\n    "
    return wrapper  # type: ignore[return-value]
