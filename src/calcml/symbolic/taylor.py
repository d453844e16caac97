"""Taylor polynomials with steps: one variable (derivative by derivative) and several
(linearization from the gradient, the quadratic term from the Hessian).

>>> taylor("exp(x)", "x", 0, order=3).text().splitlines()[0]
'Taylor polynomial of e^x at x = 0, order 3: 1 + x + x²/2 + x³/6 + O(x⁴)'
>>> taylor("x^2*y", ["x", "y"], at=(1, 2), order=1).result
4*x + y - 4
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import mpmath
import sympy as sp

from calcml.errors import CalcmlError, TimeLimitError, VerificationError
from calcml.expr.convert import as_expr
from calcml.expr.render import expr_dict, to_latex, to_text
from calcml.symbolic import budget
from calcml.symbolic.budget import budgeted
from calcml.symbolic.evidence import NAMESPACE, numeric_function
from calcml.symbolic.inputs import as_point, as_points, as_vars, noting_how_input_reads
from calcml.symbolic.nonsmooth import kinks_at, local_branch
from calcml.symbolic.show_derivative import derivative, gradient_step, hessian_step
from calcml.symbolic.steps import Derivation, Step
from calcml.symbolic.timelimit import DEFAULT_TIME_LIMIT, call_with_time_limit, check_time_limit
from calcml.symbolic.verify import equivalent

MAX_ORDER = 20


COMPACT_CONSTANT_NODES = 12  # a trig value at a rational multiple of π larger than this stays
MAX_COEFFICIENT_NODES = 600  # of one exact derivative value (printing it costs per node)


def expand_in(expr: sp.Expr, gens: list[Any]) -> sp.Expr:
    """expr multiplied out as a polynomial in `gens` only: every factor free of them (such as
    (1 + log(1 + e^(1/4))²)^(−log 4)) is kept whole, so the expansion grows with the degree,
    not with the size of the exact coefficients (sympy.expand multiplies those out too)."""
    wanted = set(gens)
    hidden: dict[sp.Expr, sp.Dummy] = {}

    def hide(e: sp.Expr) -> sp.Expr:
        if not e.free_symbols & wanted:
            return e if e.is_Atom else hidden.setdefault(e, sp.Dummy())
        return e.func(*(hide(arg) for arg in e.args)) if e.args else e

    expanded = sp.collect(sp.expand(hide(expr)), gens)
    return expanded.xreplace({d: e for e, d in hidden.items()})  # type: ignore[no-any-return]


def value_at(e: sp.Expr, x: sp.Symbol, a: sp.Expr) -> sp.Expr:
    """e at x = a, rebuilt bottom up with every node evaluated, except a trig function at a
    rational multiple of π that SymPy would write as nested radicals (tan(π/48) has 63
    operations, and each derivative multiplies them): that one stays tan(π/48)."""
    memo: dict[sp.Expr, sp.Expr] = {x: a}

    def rebuild(node: sp.Expr) -> sp.Expr:
        if node in memo:
            return memo[node]
        if not node.args:
            return node
        args = [rebuild(arg) for arg in node.args]
        value = node.func(*args)
        if (
            isinstance(node, sp.functions.elementary.trigonometric.TrigonometricFunction)
            and (args[0] / sp.pi).is_Rational
            and budget.nodes(value) > COMPACT_CONSTANT_NODES
        ):
            value = node.func(*args, evaluate=False)
        memo[node] = value
        return value

    return rebuild(e)


_SUP = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _terms(local: sp.Expr, ds: list[sp.Dummy]) -> list[tuple[tuple[int, ...], sp.Expr]]:
    """(powers, coefficient) of a sum expanded in `ds` (`expand_in`), like Poly.terms() but
    without building a coefficient domain from large exact constants."""
    found: dict[tuple[int, ...], sp.Expr] = {}
    for term in sp.Add.make_args(local):
        coefficient, monomial = term.as_independent(*ds, as_Add=False)
        powers = tuple(int(sp.degree(monomial, d)) for d in ds)
        found[powers] = found.get(powers, sp.S.Zero) + coefficient
    return [(k, v) for k, v in found.items() if v != 0]


def in_shifts(poly: sp.Expr, xs: list[sp.Symbol], point: list[sp.Expr]) -> str:
    """The polynomial as text in powers of x − a, lowest degree first: 1 + (x − 1) − (x − 1)²/2."""
    ds = [sp.Dummy() for _ in xs]
    local = expand_in(
        poly.subs({x: d + a for x, d, a in zip(xs, ds, point, strict=True)}, simultaneous=True), ds
    )
    terms = _terms(local, ds) if local.free_symbols & set(ds) else [((0,) * len(ds), local)]
    terms = sorted(terms, key=lambda t: (sum(t[0]), [-k for k in t[0]]))
    out = ""
    for powers, c in terms:
        if c == 0:
            continue
        factors = []
        for x, a, k in zip(xs, point, powers, strict=True):
            if k:
                base = to_text(x) if a == 0 else f"({to_text(x - a)})"
                factors.append(base + (str(k).translate(_SUP) if k > 1 else ""))
        mono = "·".join(factors)
        negative = c.could_extract_minus_sign()
        mag = -c if negative else c
        if not mono:
            body = to_text(mag)
        elif mag == 1:
            body = mono
        elif mag.is_Rational and mag.p == 1:
            body = f"{mono}/{mag.q}"
        else:
            shown = to_text(mag)
            body = f"({shown})·{mono}" if mag.is_Add else f"{shown}·{mono}"
        if not out:
            out = f"-{body}" if negative else body
        else:
            out += f" - {body}" if negative else f" + {body}"
    return out or "0"


def shifted_form(poly: sp.Expr, xs: list[sp.Symbol], point: list[sp.Expr]) -> sp.Expr:
    """poly as an unevaluated sum of c·(x − a)ᵏ terms, lowest degree first (equal to poly)."""
    if all(a == 0 for a in point):
        return poly
    ds = [sp.Dummy() for _ in xs]
    local = expand_in(
        poly.subs({x: d + a for x, d, a in zip(xs, ds, point, strict=True)}, simultaneous=True), ds
    )
    if not local.free_symbols & set(ds):
        return local
    terms = sorted(_terms(local, ds), key=lambda t: (sum(t[0]), [-k for k in t[0]]))
    parts = []
    for powers, c in terms:
        factors = [
            (x - a) if k == 1 else sp.Pow(x - a, k, evaluate=False)
            for x, a, k in zip(xs, point, powers, strict=True)
            if k
        ]
        if not factors:
            parts.append(c)
        elif c == 1:
            parts.append(factors[0] if len(factors) == 1 else sp.Mul(*factors, evaluate=False))
        else:
            parts.append(sp.Mul(c, *factors, evaluate=False))
    return sp.Add(*parts, evaluate=False)


@dataclass
class TaylorResult(Derivation):
    """A Taylor polynomial: `.result` (the polynomial), `.order`, `.remainder` (O(·)),
    `.coefficients` (one variable: c₀ … cₙ), `.linear` and `.hessian_at` (several variables)."""

    variables: list[Any] = field(default_factory=list)
    at: list[Any] = field(default_factory=list)
    order: int = 0
    remainder: str = ""
    coefficients: list[Any] = field(default_factory=list)
    linear: Any = None
    gradient_at: Any = None
    hessian_at: Any = None

    def shifts(self) -> list[sp.Expr]:
        return [v - a for v, a in zip(self.variables, self.at, strict=True)]

    def polynomial_text(self) -> str:
        return f"{in_shifts(self.result, self.variables, self.at)} + {self.remainder}"

    def shifted(self) -> sp.Expr:
        """The polynomial in powers of x − a (unevaluated, so it prints that way)."""
        return shifted_form(self.result, self.variables, self.at)

    def text(self) -> str:
        lines = super().text().splitlines()
        lines[0] = f"{self.question}: {self.polynomial_text()}"
        return "\n".join(lines)

    def __rich__(self) -> Any:
        from rich.text import Text

        return Text(self.text())

    def question_latex(self) -> str:
        """'Taylor polynomial of f at a, order n' with f typeset."""
        pairs = zip(self.variables, self.at, strict=True)
        at = ", ".join(f"{to_latex(v)} = {to_latex(a)}" for v, a in pairs)
        return (
            rf"\text{{Taylor polynomial of }} {to_latex(self.expr)} \text{{ at }} {at}"
            rf"\text{{, order {self.order}}}"
        )

    def latex(self) -> str:
        shown = to_latex(self.shifted())
        return f"{to_latex(self.expr)} \\approx {shown} + {self.remainder_latex()}"

    def remainder_latex(self) -> str:
        shifts = self.shifts()
        n = self.order + 1
        if len(shifts) == 1:
            return f"O\\left({to_latex(shifts[0] ** n)}\\right)"
        return f"O\\left(\\lVert {to_latex(sp.Matrix(shifts).T)} \\rVert^{{{n}}}\\right)"

    def to_dict(self) -> dict[str, Any]:
        data = super().to_dict()
        data["result"] = expr_dict(self.shifted())  # in powers of x − a, as a learner writes it
        data.update(
            {
                "variables": [str(v) for v in self.variables],
                "at": [to_text(a) for a in self.at],
                "order": self.order,
                "polynomial": expr_dict(self.result),
                "remainder": self.remainder,
            }
        )
        if self.coefficients:
            data["coefficients"] = [expr_dict(c) for c in self.coefficients]
        if self.linear is not None:
            data["linear"] = expr_dict(self.linear)
        return data


def _at_point(
    g: sp.Expr, x: sp.Symbol, a: sp.Expr, k: int, series: Callable[[], sp.Expr]
) -> tuple[sp.Expr, str]:
    """g(a) = f⁽ᵏ⁾(a); where substitution gives 0/0, the value f⁽ᵏ⁾ extends to continuously
    (read off the reference `series()`)."""
    v = value_at(g, x, a)
    if budget.nodes(v) > MAX_COEFFICIENT_NODES:
        raise budget.BudgetExceeded(
            f"gave up: the exact value of the {_ordinal(k)} derivative at the point grows past "
            f"{MAX_COEFFICIENT_NODES} symbols and operations (size budget); ask for a lower order"
        )
    if _finite_real(v):
        return sp.nsimplify(v) if v.is_Float else v, ""
    value = series().coeff(x - a, k) * sp.factorial(k) if k else series().subs(x, a)
    return value, "(the limit at the point: substitution gives 0/0)"


def numeric_value(v: sp.Expr) -> Any:
    """The exact number v in mpmath at the current precision, node by node over its tree (each
    shared part once): a cost proportional to v's size. SymPy's evalf, its is_finite and its
    printers (which order an Add by evaluating every term) can run for minutes on the large
    exact sums a high derivative at a point is. Raises when v has no mpmath counterpart."""
    memo: dict[sp.Expr, Any] = {}

    def value(node: sp.Expr) -> Any:
        if node in memo:
            return memo[node]
        if node.is_Rational:
            out = mpmath.mpf(node.p) / node.q
        elif node.is_Float or isinstance(node, sp.NumberSymbol):
            out = mpmath.mpf(str(sp.N(node, mpmath.mp.dps + 5)))
        elif node.is_Add:
            out = mpmath.fsum(value(a) for a in node.args)
        elif node.is_Mul:
            out = mpmath.fprod(value(a) for a in node.args)
        elif node.is_Pow:
            out = mpmath.power(value(node.base), value(node.exp))
        elif isinstance(node, sp.Function) and node.args:
            name = type(node).__name__
            fn = NAMESPACE.get(name) or getattr(mpmath, name)
            out = fn(*(value(a) for a in node.args))
        else:
            raise TypeError(f"no numeric value for {type(node).__name__}")
        memo[node] = out
        return out

    return value(v)


def _finite_real(v: sp.Expr) -> bool:
    """Whether the exact number v is finite and real, decided by evaluating it once in mpmath
    (`numeric_value`; SymPy's is_finite on a large exact sum can run for minutes)."""
    if not v.is_number or v.has(sp.zoo, sp.nan, sp.oo, sp.S.NegativeInfinity, sp.I):
        return False
    try:
        with mpmath.workdps(NUMERIC_DPS):
            n = numeric_value(v)
    except (ArithmeticError, ValueError, TypeError, AttributeError):
        return False
    return isinstance(n, mpmath.mpf) and bool(mpmath.isfinite(n))


def _reference(f: sp.Expr, x: sp.Symbol, a: sp.Expr, n: int, time_limit: float | None) -> sp.Expr:
    """sympy.series of f (its smooth branch at a, `local_branch`) to degree n, in powers of
    d = x − a; raises if f has no such expansion."""
    d = sp.Dummy("d", real=True)
    try:
        ref = call_with_time_limit(
            lambda: sp.series(f.subs(x, a + d), d, 0, n + 1).removeO(),
            None,  # the request's safety net (taylor is a budgeted request), no clock of its own
        )
    except TimeLimitError:
        raise  # "gave up after … s": the safety net, not a property of f
    except Exception as error:
        raise CalcmlError(
            f"could not expand {to_text(f)} at {to_text(x)} = {to_text(a)}: {error}"
        ) from None
    ref = sp.expand(ref)
    if not ref.is_polynomial(d) or ref.has(sp.zoo, sp.nan, sp.oo):
        raise CalcmlError(
            f"{to_text(f)} has no Taylor polynomial at {to_text(x)} = {to_text(a)}: "
            "it is not differentiable enough there"
        )
    return ref.subs(d, x - a)  # type: ignore[no-any-return]


@budgeted
@noting_how_input_reads
def taylor(
    f: Any,
    var: Any = None,
    at: Any = 0,
    order: int = 3,
    *,
    time_limit: float | None = DEFAULT_TIME_LIMIT,
) -> TaylorResult:
    """The Taylor polynomial of f at `at` up to degree `order`, with the remainder's order.

    With several variables (`var=["x", "y"]`, `at=(a, b)`) the order-1 polynomial is the
    linearization f(a) + ∇f(a)·(x − a), and order 2 adds ½ (x − a)ᵀ H(a) (x − a).
    """
    if not isinstance(order, int) or isinstance(order, bool) or not 0 <= order <= MAX_ORDER:
        raise CalcmlError(f"order must be a whole number from 0 to {MAX_ORDER}")
    time_limit = check_time_limit(time_limit)
    expr = as_expr(f)
    variables = as_vars(var, expr)
    if len(variables) == 1:
        point = as_point(at if not isinstance(at, (list, tuple)) else at[0])
        if point in (sp.S.Infinity, sp.S.NegativeInfinity):
            raise CalcmlError("a Taylor polynomial is taken at a real number, not at ±∞")
        return _single(expr, variables[0], point, order, time_limit)
    return _several(expr, variables, as_points(at, len(variables)), order)


def _refuse_kinks(f: sp.Expr, at: dict[sp.Symbol, sp.Expr], where: str) -> None:
    """A CalcmlError when f has a corner or jump (|u|, ReLU(u), max, ...) exactly at the point."""
    kinks = kinks_at(f, at)
    if kinks:
        shown = ", ".join(to_text(k) for k in kinks)
        raise CalcmlError(
            f"{to_text(f)} has no Taylor polynomial at {where}: {shown} has a corner or jump "
            "there, so f is not differentiable at that point"
        )


def _branch_step(f: sp.Expr, local: sp.Expr, where: str) -> list[Step]:
    """The step 'near the point f is this smooth branch' (none when f has no switch to decide)."""
    if local == f:
        return []
    words = (
        f"near {where} every switch (|u|, sign, ReLU, max, …) keeps one side, decided by the sign "
        "of its inside there, so f equals this smooth function on a neighbourhood"
    )
    return [Step("smooth branch", words, f, local, kind="rewrite")]


def _single(
    expr: sp.Expr, x: sp.Symbol, a: sp.Expr, n: int, time_limit: float | None
) -> TaylorResult:
    where = f"{to_text(x)} = {to_text(a)}"
    if n > 0:
        _refuse_kinks(expr, {x: a}, where)
    f = local_branch(expr, {x: a})  # the same function near a, with no switch left to decide
    steps: list[Step] = _branch_step(expr, f, where)
    coefficients: list[sp.Expr] = []
    current = f
    shift = x - a
    poly = sp.S.Zero
    # SymPy's series is computed once the derivatives are built: they are counted as they grow
    # (the work budget), and a series costs about as much as they do
    found: list[sp.Expr] = []

    def reference() -> sp.Expr:
        if not found:
            found.append(_reference(f, x, a, n, time_limit))
        return found[0]

    # every derivative first: they are counted as they grow (the work budget), so a request
    # that would explode gives up before SymPy's series (which costs about as much) starts
    derivatives: list[Derivation | None] = [None]
    compact: list[sp.Expr] = [f]  # what the next derivative is taken of
    for _ in range(n):
        derivatives.append(derivative(compact[-1], x))
        compact.append(_one_fraction(derivatives[-1].result, x))  # type: ignore[union-attr]
    current = f
    for k in range(n + 1):
        d = derivatives[k]
        if d is not None:
            steps.append(
                Step(
                    f"derivative {k}",
                    f"the {_ordinal(k)} derivative",
                    compact[k - 1],
                    d.result,
                    list(d.steps),
                    wrt=x,
                )
            )
            current = compact[k]
            if current != d.result:
                steps.append(
                    Step(
                        f"one fraction {k}",
                        "write it as one fraction (numerator expanded, denominator factored)",
                        d.result,
                        current,
                    )
                )
        value, how = _at_point(current, x, a, k, reference)
        name = "f" + "′" * k if k <= 3 else f"f⁽{k}⁾"
        coefficient = value / sp.factorial(k)
        explanation = f"{name}({to_text(a)}) = {to_text(value)} {how}".rstrip()
        term = "the constant term" if k == 0 else f"the coefficient of {to_text(shift**k)}"
        explanation += f", so {term} is {name}({to_text(a)})/{k}! = {to_text(coefficient)}"
        steps.append(Step(f"coefficient {k}", explanation, None, None, kind="note"))
        coefficients.append(coefficient)
        poly += coefficient * shift**k
    # every coefficient by substitution: checked numerically, at a cost bounded by f's size
    # (SymPy's series of a smooth f at a regular point can loop in its leading-term search or
    # expand tan(π/48) into radicals); else, or when f is not real around a: sympy.series
    verified = NUMERIC_CHECK
    if found or not _numerically_agrees(f, x, a, coefficients):
        verified = "equals sympy.series"
        # equal coefficients may be written differently (nested radicals of tanh(1)): exactly,
        # else at random points (verify.equivalent), never a rejection of a right polynomial
        if sp.expand(reference() - poly) != 0 and equivalent(poly, reference(), [x]) is None:
            raise VerificationError(
                f"Taylor polynomial of {to_text(expr)} disagrees with sympy.series"
            )
    remainder = f"O({to_text(shift ** (n + 1))})"
    steps.append(
        Step(
            "remainder",
            f"the error is {remainder}: Lagrange's form "
            f"f⁽{n + 1}⁾(ξ)/{n + 1}!·{to_text(shift ** (n + 1))} "
            f"for some ξ between {to_text(a)} and {to_text(x)}",
            None,
            None,
            kind="note",
        )
    )
    return TaylorResult(
        question=f"Taylor polynomial of {to_text(expr)} at {where}, order {n}",
        expr=expr,
        result=expand_in(poly, [x]),
        steps=steps,
        wrt=(x,),
        verified=verified,
        variables=[x],
        at=[a],
        order=n,
        remainder=remainder,
        coefficients=coefficients,
    )


NUMERIC_DPS = 50  # working digits of the numeric check
NUMERIC_TOLERANCE = mpmath.mpf(10) ** -25  # relative, per coefficient
NUMERIC_CHECK = f"agrees with mpmath.taylor (numeric derivatives at {NUMERIC_DPS} digits)"


def _numerically_agrees(f: sp.Expr, x: sp.Symbol, a: sp.Expr, coefficients: list[sp.Expr]) -> bool:
    """True when the coefficients agree with mpmath.taylor of f at a (numerical differentiation
    at NUMERIC_DPS digits), an independent check whose cost is a fixed number of evaluations of
    f; False when they differ or f is not real around a (the caller then asks sympy.series)."""
    try:
        with mpmath.workdps(NUMERIC_DPS):
            fn = numeric_function(f, x)
            want = mpmath.taylor(fn, mpmath.mpf(str(sp.N(a, NUMERIC_DPS))), len(coefficients) - 1)
            got = [numeric_value(c) for c in coefficients]
            return all(
                isinstance(g, mpmath.mpf)
                and isinstance(w, mpmath.mpf)
                and abs(g - w) <= NUMERIC_TOLERANCE * (1 + abs(w))
                for g, w in zip(got, want, strict=True)
            )
    except (ArithmeticError, ValueError, TypeError, NameError, AttributeError):
        return False


ONE_FRACTION_MAX_DEGREE = 160  # of the common denominator, as `budget.degree_bound` reads it


def _one_fraction(derivative: sp.Expr, x: sp.Symbol) -> sp.Expr:
    """A rational function's derivative as one fraction, when that is smaller.

    The rule engine keeps a quotient's numerator as built, so each further derivative nests it
    again (the 10th derivative of 1/(1+x²) grows to thousands of nodes); one fraction keeps
    every order small. Bounded: one variable (univariate polynomial arithmetic), and a degree
    bound read off the tree (`budget.degree_bound`, about twice the true degree here).
    """
    if not derivative.is_rational_function(x) or derivative.free_symbols - {x}:
        return derivative
    if budget.degree_bound(derivative, [x]) > ONE_FRACTION_MAX_DEGREE:
        return derivative
    numerator, denominator = sp.fraction(sp.cancel(derivative))
    combined = sp.expand(numerator) / sp.factor(denominator)
    return combined if sp.count_ops(combined) < sp.count_ops(derivative) else derivative


def _real_number(v: sp.Expr) -> bool:
    return bool(v.is_number and v.is_finite and v.is_extended_real)


def _defined_at(
    m: sp.Matrix, at: dict[sp.Symbol, sp.Expr], f: sp.Expr, point: list[sp.Expr], what: str
) -> sp.Matrix:
    """The matrix at the point, or a CalcmlError when an entry is undefined there (0/0, ∞)."""
    value = m.subs(at)
    if not all(_real_number(v) for v in value):
        raise CalcmlError(
            f"{to_text(f)} has no Taylor polynomial at {to_text(tuple(point))}: its {what} is "
            "undefined there (f is not differentiable enough at that point)"
        )
    return value


def _ordinal(k: int) -> str:
    return {1: "first", 2: "second", 3: "third"}.get(k, f"{k}th")


def _derivative_at(
    f: sp.Expr,
    xs: list[sp.Symbol],
    point: list[sp.Expr],
    build: Callable[[sp.Expr, list[sp.Symbol]], tuple[Step, Derivation]],
    what: str,
    symbol: str,
    vector: bool,
) -> tuple[list[Step], sp.Matrix]:
    """∇f or H by its rules (`build`: gradient_step or hessian_step), then its value at the
    point (a CalcmlError when undefined there; a `vector` shown as a tuple): (steps, value)."""
    at = dict(zip(xs, point, strict=True))
    step, derived = build(f, xs)
    value = _defined_at(sp.Matrix(derived.result), at, f, point, what)
    shown = tuple(value) if vector else value
    evaluated = Step(
        f"{what} at the point",
        f"evaluate {symbol} at the point",
        derived.result,
        shown,
        kind="note",
        lhs=f"{symbol}{to_text(tuple(point))}",
    )
    return [step, evaluated], value


def _term_note(
    name: str, words: str, lhs: str, f: sp.Expr, term: sp.Expr, xs: list[sp.Symbol], point: Any
) -> Step:
    """A term of the polynomial, shown in powers of x − a."""
    return Step(name, words, f, shifted_form(term, xs, point), kind="note", lhs=lhs)


def _linear_term(
    f: sp.Expr, xs: list[sp.Symbol], point: list[sp.Expr], f0: sp.Expr
) -> tuple[list[Step], sp.Expr, sp.Matrix]:
    """The gradient at the point and the linearization L(x) = f(a) + ∇f(a)·(x − a):
    (steps, L, ∇f(a))."""
    shifts = sp.Matrix([x - a for x, a in zip(xs, point, strict=True)])
    steps, grad_at = _derivative_at(f, xs, point, gradient_step, "gradient", "∇f", True)
    linear = sp.expand(f0 + (grad_at.T * shifts)[0])
    words = "L(x) = f(a) + ∇f(a)·(x − a)"
    steps.append(_term_note("linearization", words, "L(x)", f, linear, xs, point))
    return steps, linear, grad_at


def _quadratic_term(
    f: sp.Expr, xs: list[sp.Symbol], point: list[sp.Expr]
) -> tuple[list[Step], sp.Expr, sp.Matrix]:
    """The Hessian at the point and ½ (x − a)ᵀ H(a) (x − a): (steps, the term, H(a))."""
    shifts = sp.Matrix([x - a for x, a in zip(xs, point, strict=True)])
    steps, hess_at = _derivative_at(f, xs, point, hessian_step, "Hessian", "H", False)
    quad = sp.expand((shifts.T * hess_at * shifts)[0] / 2)
    term = "½ (x − a)ᵀ H(a) (x − a)"
    steps.append(_term_note("quadratic term", f"add {term}", term, f, quad, xs, point))
    return steps, quad, hess_at


def _series_along_line(f: sp.Expr, xs: list[sp.Symbol], point: list[sp.Expr], n: int) -> sp.Expr:
    """The reference: SymPy's one-variable series of f(a + t(x − a)) in t to order n, at t = 1."""
    at = dict(zip(xs, point, strict=True))
    t = sp.Dummy("t", real=True)
    along = f.subs({x: a + t * (x - a) for x, a in at.items()}, simultaneous=True)
    try:
        series = call_with_time_limit(lambda: sp.series(along, t, 0, n + 1).removeO(), None)
    except TimeLimitError:
        raise
    except Exception as error:
        raise CalcmlError(
            f"could not expand {to_text(f)} at {to_text(tuple(point))}: {error}"
        ) from None
    return series.subs(t, 1)


def _several(expr: sp.Expr, xs: list[sp.Symbol], point: list[sp.Expr], n: int) -> TaylorResult:
    at = dict(zip(xs, point, strict=True))
    f0 = expr.subs(at)
    if not _real_number(f0):
        raise CalcmlError(f"f is not defined at {to_text(tuple(point))}")
    if n > 0:
        _refuse_kinks(expr, at, to_text(tuple(point)))
    f = local_branch(expr, at)  # the same function near the point, no switch left to decide
    steps: list[Step] = _branch_step(expr, f, to_text(tuple(point)))
    steps.append(
        Step("value", f"f{to_text(tuple(point))} = {to_text(f0)}", None, None, kind="note")
    )
    poly = f0
    linear = f0
    grad_at = hess_at = None
    if n >= 1:
        linear_steps, linear, grad_at = _linear_term(f, xs, point, f0)
        steps += linear_steps
        poly = linear
    if n >= 2:
        quadratic_steps, quad, hess_at = _quadratic_term(f, xs, point)
        steps += quadratic_steps
        poly = linear + quad
    reference = _series_along_line(f, xs, point, n)
    if n > 2:
        poly = sp.expand(reference)
        steps.append(
            Step(
                "higher terms",
                f"terms of degree 3 … {n}: the k-th derivative along x − a, divided by k!",
                None,
                None,
                kind="note",
            )
        )
    if sp.expand(reference - poly) != 0:
        raise VerificationError(
            f"Taylor polynomial of {to_text(expr)} disagrees with the series along a line"
        )
    names = ", ".join(to_text(x - a) for x, a in at.items())
    remainder = f"O(‖({names})‖^{n + 1})"
    steps.append(Step("remainder", f"the error is {remainder}", None, None, kind="note"))
    return TaylorResult(
        question=f"Taylor polynomial of {to_text(expr)} at {to_text(tuple(point))}, order {n}",
        expr=expr,
        result=sp.expand(poly),
        steps=steps,
        wrt=tuple(xs),
        verified="equals the one-variable series of f(a + t(x − a)) at t = 1",
        variables=list(xs),
        at=list(point),
        order=n,
        remainder=remainder,
        linear=linear,
        gradient_at=grad_at,
        hessian_at=hess_at,
    )
