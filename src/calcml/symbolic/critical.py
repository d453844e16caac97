"""Critical points: solve ∇f = 0, then classify each point with the Hessian's eigenvalues.

Which way ∇f = 0 is solved is decided by the size of the system, never by a clock (one work
budget per request, `calcml.symbolic.budget`). sympy.solve is tried only on a system it can
finish: each equation a product of factors, each polynomial in the variables (of degree ≤ 2
when in one variable) or in one function of them (cos x, eˣ …), and no choice of one factor per
equation with more than `Budget.max_solutions` solutions (the product of the degrees, Bézout's
bound). If it is not tried, fails or finds nothing (an empty answer from sympy.solve is not a
proof), a polynomial f′ of one variable has its real roots isolated exactly (sympy.real_roots,
shown as decimals); otherwise ∇f = 0 is searched numerically (Newton's method in NumPy, a fixed
number of steps) from a grid of starting points, each root checked (|∇f| tiny) and made exact
when a simple rational point fits. The request's time limit is only a safety net: past it the
request gives up ("gave up …"); it never switches to another method.

Eigenvalues all > 0: a local minimum; all < 0: a maximum; both signs: a saddle; a zero
eigenvalue otherwise: the test is inconclusive. A point where f has a corner (|x| at 0, ReLU)
is reported as not differentiable: the Hessian test does not apply there.

>>> r = critical_points("x^3 - 3*x + y^2", ["x", "y"])
>>> [(p.coords, p.kind) for p in r.points]
[((-1, 0), 'saddle'), ((1, 0), 'minimum')]
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np
import sympy as sp

from calcml.errors import CalcmlError
from calcml.expr.convert import as_expr
from calcml.expr.render import expr_dict, to_latex, to_text
from calcml.symbolic import budget
from calcml.symbolic.budget import budgeted, reraise_if_spent
from calcml.symbolic.flat_pieces import FlatRegion, flat_regions, merge_line
from calcml.symbolic.inputs import as_vars, noting_how_input_reads
from calcml.symbolic.nonsmooth import kinks_at, switch_points
from calcml.symbolic.show_derivative import gradient_step, hessian_step
from calcml.symbolic.steps import Derivation, Step
from calcml.symbolic.timelimit import DEFAULT_TIME_LIMIT, call_with_time_limit, check_time_limit

MAX_CLOSED_FORM_DEGREE = 2  # a factor in one variable is solved in radicals up to this degree
MAX_VALUE_OPS = 300  # f at an exact point is simplified only below this size (else shown as is)
MAX_NOTE_OPS = 2000  # higher derivatives for an inconclusive test stop past this size
NOT_DIFFERENTIABLE = "not differentiable"
UNDECIDED = "was not decided"
BOX = (-5.0, 5.0)
ZERO_TOL = 1e-9


@dataclass
class CriticalPoint:
    """A point where ∇f = 0: coordinates, f there, the Hessian, its eigenvalues, the kind."""

    coords: tuple[Any, ...]
    value: Any
    hessian: Any
    eigenvalues: list[Any]
    kind: str
    exact: bool = True
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "point": [_json(c) for c in self.coords],
            "value": _json(self.value),
            "hessian": [[_json(v) for v in row] for row in self.hessian.tolist()],
            "eigenvalues": [_json(e) for e in self.eigenvalues],
            "kind": self.kind,
            "exact": self.exact,
            "note": self.note,
        }

    def line(self) -> str:
        eig = ", ".join(_shown(e) for e in self.eigenvalues)
        where = _point_text(self.coords)
        approx = "" if self.exact else " (numeric)"
        if not self.eigenvalues:  # a corner, a vertical tangent, no second derivative: see note
            return f"{where}{approx}: f = {_shown(self.value)} → {self.kind}"
        return f"{where}{approx}: f = {_shown(self.value)}, eigenvalues {eig} → {self.kind}"


def _shown(v: Any) -> str:
    """Exact values as calcml text; floats to 8 significant digits (tiny ones as 0)."""
    if isinstance(v, (sp.Float, float)):
        x = float(v)
        return "0" if abs(x) < 1e-12 else f"{x:.8g}"
    return to_text(v)


def _point_text(p: tuple[Any, ...]) -> str:
    inner = ", ".join(_shown(c) for c in p)
    return f"({inner})" if len(p) > 1 else inner


def _json(v: Any) -> Any:
    if isinstance(v, (sp.Float, float)):
        return float(v)
    return expr_dict(v)


@dataclass
class CriticalPointsResult(Derivation):
    """The critical points of f (`.points`), how they were found (`.method`), with steps."""

    variables: list[Any] = field(default_factory=list)
    points: list[CriticalPoint] = field(default_factory=list)
    method: str = ""
    families: list[Any] = field(default_factory=list)
    regions: list[FlatRegion] = field(default_factory=list)

    def text(self) -> str:
        lines = super().text().splitlines()
        lines[0] = f"{self.question}: {len(self.points)} point(s)"
        if self.regions:
            lines[0] += " and " + "; ".join(r.where_text() for r in self.regions)
        if self.families:
            lines[0] += (
                f" and {len(self.families)} whole famil{'y' if len(self.families) == 1 else 'ies'}"
            )
        lines[1:1] = ["   " + p.line() for p in self.points]
        lines[1:1] = [f"   {r.text()}" for r in self.regions]
        return "\n".join(lines)

    def __rich__(self) -> Any:
        from rich.text import Text

        return Text(self.text())

    def question_latex(self) -> str:
        """∇f = 0: the typeset heading."""
        return f"\\nabla \\left({to_latex(self.expr)}\\right) = 0"

    def latex(self) -> str:
        pts = ", ".join(
            [sp.latex(p.coords) for p in self.points]
            + [sp.latex(r.where) for r in self.regions if r.where is not None]
        )
        pts = pts or r"\emptyset"
        return f"{self.question_latex()} \\text{{ at }} {pts}"

    def to_dict(self) -> dict[str, Any]:
        data = super().to_dict()
        data["variables"] = [str(v) for v in self.variables]
        data["points"] = [p.to_dict() for p in self.points]
        data["method"] = self.method
        data["regions"] = [r.to_dict() for r in self.regions]
        if self.families:
            data["families"] = [
                {str(k): to_text(v) for k, v in fam.items()} for fam in self.families
            ]
        return data


def classify(eigenvalues: list[Any]) -> str:
    """'minimum', 'maximum', 'saddle' or 'inconclusive' from the Hessian's eigenvalues."""
    signs = []
    for e in eigenvalues:
        v = float(sp.re(e)) if isinstance(e, sp.Basic) else float(e)
        signs.append(
            0
            if abs(v) < ZERO_TOL * max(1.0, *(abs(float(sp.re(w))) for w in eigenvalues))
            else (1 if v > 0 else -1)
        )
    if 1 in signs and -1 in signs:
        return "saddle"
    if 0 in signs:
        return "inconclusive"
    return "minimum" if signs[0] > 0 else "maximum"


def _eigenvalues(h: sp.Matrix) -> tuple[list[Any], bool]:
    if all(e.is_Rational for e in h) and h.rows <= 3:
        vals: list[Any] = []
        for value, mult in h.eigenvals().items():
            vals.extend([sp.nsimplify(value)] * mult)
        return sorted(vals, key=lambda v: float(sp.re(v))), True
    arr = np.array(h.evalf(), dtype=float)
    return [sp.Float(v, 8) for v in np.linalg.eigvalsh(arr)], False


def _real_solutions(
    solutions: list[dict[Any, Any]], xs: list[sp.Symbol]
) -> tuple[list[tuple[Any, ...]], list[Any]]:
    points, families = [], []
    for sol in solutions:
        if any(x not in sol for x in xs) or any(sol[x].free_symbols for x in xs):
            families.append(sol)
            continue
        coords = tuple(sol[x] for x in xs)
        if all(c.is_extended_real is not False and not c.has(sp.I) for c in coords):
            if all(c.is_real or sp.im(sp.N(c)) == 0 for c in coords):
                points.append(coords)
        elif all(_real_in_complex_radicals(c) for c in coords):
            # three real roots of a cubic are written with i (casus irreducibilis): shown as
            # decimals, like the isolated roots of a polynomial
            points.append(tuple(sp.Float(sp.re(sp.N(c, REAL_DIGITS)), 15) for c in coords))
    return points, families


REAL_DIGITS = 60


def _real_in_complex_radicals(c: sp.Expr) -> bool:
    """A closed form written with i whose value is real: its imaginary part vanishes at 60
    digits (a non-real root of a polynomial with small integer coefficients is far from that)."""
    if c.is_extended_real is False:
        return False
    v = sp.N(c, REAL_DIGITS)
    re, im = v.as_real_imag()
    return bool(re.is_Number and im.is_Number and abs(im) < sp.Float(10) ** -45 * (1 + abs(re)))


PER_AXIS = {1: 41, 2: 11, 3: 6}  # starting points per axis for the numeric search (else 4)
NEWTON_STEPS = 60


def _numeric(
    grad: list[sp.Expr], hess: sp.Matrix, xs: list[sp.Symbol], box: tuple[float, float]
) -> list[tuple[Any, ...]]:
    """Roots of ∇f from a grid of starts (damped Newton on ∇f with the Hessian, in NumPy)."""
    g = sp.lambdify(xs, grad, "numpy")
    h = sp.lambdify(xs, hess, "numpy")
    n = len(xs)
    axis = np.linspace(box[0], box[1], PER_AXIS.get(n, 4))
    found: list[np.ndarray] = []
    for start in itertools.product(axis, repeat=n):
        x = _newton(g, h, np.array(start, dtype=float))
        if x is None:
            continue
        if np.any(x < box[0] - 1e-9) or np.any(x > box[1] + 1e-9):
            continue  # a root the solver wandered off to, far outside the region searched
        if all(np.max(np.abs(x - p)) > 1e-6 for p in found):
            found.append(x)
    points = []
    confirm = _confirmer(grad, hess, xs)
    for p in sorted(found, key=lambda v: [round(float(c), 6) for c in v]):
        exact = tuple(sp.Rational(Fraction(float(c)).limit_denominator(1000)) for c in p)
        near = max(abs(float(e) - float(c)) for e, c in zip(exact, p, strict=True)) < 1e-8
        if near and all(e.subs(dict(zip(xs, exact, strict=True))) == 0 for e in grad):
            points.append(exact)
        elif confirm(p):
            points.append(tuple(sp.Float(float(c), 10) for c in p))
    return points


CONFIRM_DIGITS = 40
CONFIRM_STEPS = 30
_EVALUATION_ERRORS = (ArithmeticError, ValueError, TypeError, NameError, AttributeError, KeyError)


def _confirmer(grad: list[sp.Expr], hess: sp.Matrix, xs: list[sp.Symbol]) -> Any:
    """A test that a float root of ∇f is a root: Newton's method again at 40 digits from it must
    reach |∇f| ≈ 10⁻²⁵ without moving away. Where ∇f is only tiny (a flat valley such as
    (x + y + 1)⁴⁰'s, |∇f| < 1e-8 far from any root), the refinement walks off along the valley
    and the point is no critical point; a simple root converges in a few steps, in place."""
    import mpmath

    try:
        g = sp.lambdify(xs, grad, "mpmath")
        h = sp.lambdify(xs, hess, "mpmath")
    except _EVALUATION_ERRORS:  # a function mpmath cannot evaluate: the float check stands
        return lambda p: True

    def confirm(p: np.ndarray) -> bool:
        try:
            with mpmath.workdps(CONFIRM_DIGITS):
                x = mpmath.matrix([mpmath.mpf(float(c)) for c in p])
                for _ in range(CONFIRM_STEPS):
                    gv = mpmath.matrix(g(*x))
                    if mpmath.norm(gv, mpmath.inf) < mpmath.mpf(10) ** (5 - CONFIRM_DIGITS):
                        break
                    x = x - mpmath.lu_solve(mpmath.matrix(h(*x)), gv)
                gv = mpmath.matrix(g(*x))
                scale = 1 + mpmath.norm(mpmath.matrix(h(*x)), mpmath.inf)
                tiny = mpmath.mpf(10) ** (15 - CONFIRM_DIGITS) * scale
                small = mpmath.norm(gv, mpmath.inf) < tiny
                moved = max(abs(float(a) - float(b)) for a, b in zip(x, p, strict=True))
                return bool(small) and moved < 1e-6 * (1 + float(np.max(np.abs(p))))
        except _EVALUATION_ERRORS:  # a singular Hessian at a root, a value mpmath refuses:
            return True  # the float check stands

    return confirm


def _newton(g: Any, h: Any, x: np.ndarray) -> np.ndarray | None:
    """A root of g near x by Newton's method, halving a step that does not shrink |g|; None
    when it does not converge to |g| < 1e-8 (or g cannot be evaluated on the way)."""

    def size(v: np.ndarray) -> float:
        with np.errstate(all="ignore"):
            r = np.asarray(g(*v), dtype=float).ravel()
        return float(np.max(np.abs(r))) if np.all(np.isfinite(r)) else float("inf")

    try:
        now = size(x)
        for _ in range(NEWTON_STEPS):
            if now < 1e-12:
                break
            with np.errstate(all="ignore"):
                gv = np.asarray(g(*x), dtype=float).ravel()
                hv = np.asarray(h(*x), dtype=float).reshape(len(x), len(x))
            if not (np.all(np.isfinite(gv)) and np.all(np.isfinite(hv))):
                return None
            step = np.linalg.lstsq(hv, -gv, rcond=None)[0]
            t = 1.0
            while t > 1e-6 and size(x + t * step) >= now:
                t /= 2
            if t <= 1e-6:
                break
            x = x + t * step
            now = size(x)
    except (ArithmeticError, ValueError, TypeError, np.linalg.LinAlgError):
        return None
    return x if now < 1e-8 and np.all(np.isfinite(x)) else None


def _near(p: tuple[Any, ...], q: tuple[Any, ...]) -> bool:
    return max(abs(float(a) - float(b)) for a, b in zip(p, q, strict=True)) < 1e-6


def _isolated(grad: list[sp.Expr], xs: list[sp.Symbol]) -> list[tuple[Any, ...]] | None:
    """One variable and f′ a polynomial (or a quotient of them) of degree within the budget:
    every real root of f′, isolated exactly (sympy's real_roots), rational roots kept exact,
    others as 15-digit decimals. None when ∇f is not of that kind."""
    if len(xs) != 1:
        return None
    x = xs[0]
    if budget.degree_bound(grad[0], [x]) > _budget().max_degree:
        return None  # a common denominator or polynomial past the degree budget: not built
    numerator, denominator = sp.fraction(sp.together(grad[0]))
    if not (numerator.is_polynomial(x) and denominator.is_polynomial(x)):
        return None
    poly = sp.Poly(numerator, x)
    if poly.is_zero or not all(c.is_Rational for c in poly.coeffs()):
        return None
    points: list[tuple[Any, ...]] = []
    for r in sp.real_roots(poly):
        if denominator.subs(x, r) == 0:
            continue
        value = r if r.is_Rational else sp.Float(r.evalf(15), 15)
        if (value,) not in points:
            points.append((value,))
    return points


def _budget() -> budget.Budget:
    return budget.current() or budget.Budget()


def solve_size(grad: list[sp.Expr], xs: list[sp.Symbol]) -> int | str:
    """How hard an exact solve of ∇f = 0 is, from the system's shape alone; or why it is not
    tried (a string).

    Each equation is split into factors (a product is 0 when one factor is); the size is the
    product over the equations of their largest factor's degree: Bézout's bound on the
    solutions of the largest sub-system sympy.solve meets (one factor per equation). A factor
    that never vanishes (eᵘ, u² + 1) is dropped; 0 when an equation has no factor left (no
    critical point at all). Not tried: a factor mixing a variable with a function
    of it (2x − 3 sin x: no closed form), a polynomial factor in one variable of degree >
    MAX_CLOSED_FORM_DEGREE (its real roots are isolated instead), anything past the degree
    budget (x^(10^100) is never expanded or factored).
    """
    total = 1
    for equation in grad:
        degrees = _factor_degrees(equation, xs)
        if isinstance(degrees, str):
            return degrees
        if not degrees:
            return 0  # this equation never holds: no critical point at all
        total *= max(degrees)
    return total


def _factor_degrees(equation: sp.Expr, xs: list[sp.Symbol]) -> list[int] | str:
    """The degrees of the factors of `equation` that can vanish, or why it is not solved."""
    limit = _budget().max_degree
    if equation == 0:
        return [1]  # no condition: a whole family (sympy.solve says which)
    if not equation.free_symbols & set(xs):
        return []
    if budget.degree_bound(equation, xs) > limit:
        return f"∇f has degree above {limit} (the degree budget)"
    numerator = sp.fraction(sp.together(equation))[0]
    degrees: list[int] = []
    for factor in sp.Mul.make_args(sp.factor_terms(numerator)):
        base = factor.base if factor.is_Pow and factor.exp.is_Integer else factor
        if not base.free_symbols & set(xs):
            continue
        if base.func is sp.exp or (base.is_Pow and base.base.is_positive):
            continue  # eᵘ, 2ᵘ: never 0
        if base.is_polynomial(*xs):
            _, parts = sp.factor_list(base, *xs)
            for part, _ in parts:
                degree = sp.Poly(part, *xs).total_degree()
                if _no_real_root(part):
                    continue  # x² + 1: never 0
                if len(part.free_symbols & set(xs)) == 1 and degree > MAX_CLOSED_FORM_DEGREE:
                    return (
                        f"a factor of ∇f has degree {degree} in one variable (closed forms "
                        f"only up to degree {MAX_CLOSED_FORM_DEGREE})"
                    )
                degrees.append(degree)
            continue
        degree = _one_generator_degree(base, xs)
        if degree is None:
            return f"{to_text(base)} = 0 mixes a variable with a function of it (no closed form)"
        if degree:
            degrees.append(degree)
    return degrees


def _no_real_root(e: sp.Expr) -> bool:
    """A polynomial in ONE symbol or function g with rational coefficients and no real root
    (g² + 1): never 0 for real g. Decided exactly (sympy's count_roots), no solving."""
    try:
        poly = sp.Poly(e)
    except sp.PolynomialError:
        return False
    if len(poly.gens) != 1 or not all(c.is_Rational for c in poly.coeffs()):
        return False
    return bool(poly.degree() > 0 and poly.count_roots() == 0)


def _one_generator_degree(factor: sp.Expr, xs: list[sp.Symbol]) -> int | None:
    """A factor polynomial in ONE function of the variables (cos x, sin(x + y), …): its degree
    in that function (0 when it has no real root: tan²x + 1); None for anything else."""
    try:
        poly = sp.Poly(factor)
    except sp.PolynomialError:
        return None
    gens = [g for g in poly.gens if g.free_symbols & set(xs)]
    if len(gens) != 1 or poly.total_degree() > _budget().max_degree:
        return None
    return 0 if _no_real_root(factor) else int(poly.total_degree())


def _exact(
    grad: list[sp.Expr], xs: list[sp.Symbol]
) -> tuple[tuple[list[tuple[Any, ...]], list[Any]] | None, str]:
    """(points, families) from sympy.solve, or None and why not (the size of the system, or
    how the solve failed). Whether it is tried depends on the system alone (`solve_size`)."""
    size = solve_size(grad, xs)
    most = _budget().max_solutions
    if isinstance(size, str):
        return None, size
    if size == 0:
        return ([], []), (
            "∇f = 0 has no solution: some component of ∇f is a product of factors none of "
            "which can vanish (like eˣ or u² + 1)"
        )
    if size > most:
        return None, (
            f"a part of ∇f = 0 may have up to {size} solutions (Bézout's bound), more than an "
            f"exact solve is tried on ({most})"
        )
    try:
        # no clock of its own: the request's safety net (a give-up, never another method)
        solutions = call_with_time_limit(sp.solve, None, grad, xs, dict=True)
    except (NotImplementedError, ValueError, TypeError, sp.PolynomialError) as error:
        reraise_if_spent(error)
        return None, str(error) or error.__class__.__name__
    points, families = _real_solutions(solutions, xs)
    if any(c.has(sp.CRootOf) for p in points for c in p):
        return None, "roots without a closed form"
    if not solutions:
        return None, "sympy.solve found no solution, which is not a proof there is none"
    return (points, families), ""


def _find_points(
    grad: list[sp.Expr], hess: sp.Matrix, xs: list[sp.Symbol], box: tuple[float, float]
) -> tuple[list[tuple[Any, ...]], list[Any], str, bool]:
    """(points, families, method, proved): exact when the system's size allows it, else real
    roots isolated (one polynomial), else a numeric search over `box` (not a proof)."""
    families: list[Any] = []
    method = "solved ∇f = 0 exactly (sympy.solve)"
    proved = True  # the list of points is complete (an exact method), not a numeric search
    found, reason = _exact(grad, xs)
    if found is None:
        isolated = _isolated(grad, xs)
        if isolated is not None:
            points, families = isolated, []
            method = (
                f"{reason}; f′ is a polynomial: its real roots isolated exactly "
                "(sympy.real_roots), irrational ones shown as decimals"
            )
        else:
            points, families, proved = _numeric(grad, hess, xs, box), [], False
            per = PER_AXIS.get(len(xs), 4)
            method = (
                f"{reason}; searched ∇f = 0 numerically (Newton's method) from {per}^{len(xs)} "
                f"starting points in [{box[0]:g}, {box[1]:g}]"
                f"{'²' if len(xs) == 2 else ''}, each root checked |∇f| < 1e-8"
            )
    else:
        points, families = found
        method = reason or method
    return points, families, method, proved


def _note(name: str, text: str) -> Step:
    return Step(name, text, None, None, kind="note")


def _solution_notes(
    grad: list[sp.Expr],
    points: list[tuple[Any, ...]],
    method: str,
    unsolved: list[sp.Expr],
    families: list[Any],
) -> list[Step]:
    """What was solved and how, the points found, corners not located, curves of points."""
    equations = ", ".join(f"{to_text(e)} = 0" for e in grad)
    listed = "; ".join(_point_text(p) for p in points) or "no isolated real solutions"
    steps = [
        _note("solve", f"solve ∇f = 0: {equations} — {method}"),
        _note("solutions", f"critical points: {listed}"),
    ]
    if unsolved:
        where = ", ".join(f"{to_text(u)} = 0" for u in unsolved)
        steps.append(
            _note(
                "corners",
                f"f has corners where {where}; those points were not located (no exact solve "
                "of that size) and are not listed",
            )
        )
    if families:
        fams = "; ".join(
            ", ".join(f"{k} = {to_text(v)}" for k, v in fam.items()) for fam in families
        )
        steps.append(_note("family", f"a whole curve of critical points: {fams} (the others free)"))
    return steps


def _classify_point(
    expr: sp.Expr,
    hess: sp.Matrix,
    xs: list[sp.Symbol],
    p: tuple[Any, ...],
    kink: tuple[str, str] | None,
) -> CriticalPoint:
    """The Hessian's eigenvalues at `p` decide its kind; at a switch point of |u|, ReLU … the
    one-sided verdict `kink` (from `_at_kink`) does; an undefined H or a zero f″ adds a note."""
    at = _at(xs, p)
    hp = hess.subs(at)
    exact = all(not c.is_Float for c in p)
    if not exact:
        hp = hp.evalf(12)
    value = expr.subs(at)
    eig = _eigenvalues(hp)[0] if _finite(hp) else []
    kind = classify(eig) if eig else "inconclusive"
    if kink is not None:
        (kind, note), eig = kink, []  # H at a switch is not f's second derivative
    elif not eig:
        note = (
            "the Hessian is not defined here (f is not twice differentiable at this point), "
            "so the Hessian test does not apply (compare f's values nearby instead)"
        )
    elif kind == "inconclusive" and len(xs) == 1:
        note = _higher_order_note(expr, xs[0], p[0])
    else:
        note = ""
    if not exact:
        value = sp.Float(value, 10)
    elif sp.count_ops(value) <= MAX_VALUE_OPS:  # by size, never by time
        value = call_with_time_limit(sp.simplify, None, value)
    return CriticalPoint(p, value, hp, eig, kind, exact, note)


def _closing_notes(
    expr: sp.Expr,
    method: str,
    box: tuple[float, float],
    found: bool,
    proved: bool,
) -> list[Step]:
    """Periodic functions repeat their points; no point at all is said (and whether proved)."""
    steps: list[Step] = []
    if expr.has(sp.sin, sp.cos, sp.tan):
        where = (
            ""
            if method.startswith("solved")
            else f" (only those in [{box[0]:g}, {box[1]:g}] are listed)"
        )
        steps.append(
            _note("periodic", f"sin/cos are periodic: these points repeat with the period{where}")
        )
    if not found:
        none = (
            "f has no critical points: ∇f never vanishes"
            if proved
            else f"the numeric search found no point with ∇f = 0 in [{box[0]:g}, {box[1]:g}] "
            "(this is not a proof that there is none)"
        )
        steps.append(_note("none", none))
    return steps


@budgeted
@noting_how_input_reads
def critical_points(
    f: Any,
    wrt: Any = None,
    *,
    time_limit: float | None = DEFAULT_TIME_LIMIT,
    box: tuple[float, float] = BOX,
) -> CriticalPointsResult:
    """Solve ∇f = 0 and classify each point (minimum, maximum, saddle, inconclusive).

    Exact (sympy.solve, or real-root isolation for one variable) when the system's size allows
    it (`solve_size`), else numeric from a grid over `box` in each variable.
    """
    check_time_limit(time_limit)
    expr = as_expr(f)
    xs = as_vars(wrt, expr)
    grad_step, g = gradient_step(expr, xs)
    grad = list(sp.Matrix(g.result))
    hess_step, h = hessian_step(expr, xs)
    hess = sp.Matrix(h.result)
    points, families, method, proved = _find_points(grad, hess, xs, box)
    corners, unsolved = _corners(expr, xs, points)
    if not proved:  # Newton's method homes in on a corner where ∇f jumps: that is the corner
        points = [p for p in points if not any(_near(p, c) for c in corners)]
    points = sorted([*points, *corners], key=lambda p: [float(c) for c in p])
    at_kinks = {
        p: _at_kink(expr, grad, xs, p, time_limit) for p in points if kinks_at(expr, _at(xs, p))
    }
    points = [p for p in points if at_kinks.get(p, True) is not None]
    regions, points = _flat(expr, xs, points, at_kinks)
    steps = [grad_step, *_solution_notes(grad, points, method, unsolved, families)]
    steps += [*(_flat_note(r) for r in regions), hess_step]
    result_points = []
    for p in points:
        cp = _classify_point(expr, hess, xs, p, at_kinks.get(p))
        result_points.append(cp)
        note = f"; {cp.note}" if cp.note else ""
        steps.append(_note("classify", f"H at the point: {cp.line()}{note}"))
    steps += _closing_notes(expr, method, box, bool(points or families or regions), proved)
    return CriticalPointsResult(
        question=f"critical points of {to_text(expr)}",
        expr=expr,
        result=[p.coords for p in result_points],
        steps=steps,
        wrt=tuple(xs),
        variables=list(xs),
        points=result_points,
        method=method,
        families=families,
        regions=regions,
        verified="each point makes ∇f vanish",
    )


def _flat(
    expr: sp.Expr,
    xs: list[sp.Symbol],
    points: list[tuple[Any, ...]],
    at_kinks: dict[tuple[Any, ...], tuple[str, str] | None],
) -> tuple[list[FlatRegion], list[tuple[Any, ...]]]:
    """The pieces where f is constant (every point critical; in one variable joined with their
    ends where f is continuous with the same value, `merge_line`), and the points left once
    those inside a piece — or on its edge, where f is differentiable with ∇f = 0 — are taken
    into it (a grid of numeric roots there is no list of the critical points)."""
    regions = flat_regions(expr, xs)
    if not regions:
        return [], points
    smooth = [p for p in points if _differentiable_here(at_kinks.get(p))]
    if len(xs) == 1:
        regions = merge_line(expr, xs[0], regions)
    absorbed = [
        p
        for p in points
        if any(r.contains(p) or (p in smooth and r.contains(p, closed=True)) for r in regions)
    ]
    return regions, [p for p in points if p not in absorbed]


def _differentiable_here(kink: tuple[str, str] | None) -> bool:
    """A point where f is differentiable with ∇f = 0 (smooth, or decided at a switch)."""
    return kink is None or (kink[0] != NOT_DIFFERENTIABLE and UNDECIDED not in kink[1])


def _flat_note(r: FlatRegion) -> Step:
    how = (
        ", ".join(f"{to_text(u)} {'>' if s > 0 else '<'} 0" for u, s in r.pattern.items())
        if r.pattern
        else ""
    )
    piece = f" (the piece where {how})" if how else ""
    ends = _closed_ends(r)
    inside = " inside it" if ends else ""
    edge = (
        f"; f is continuous with the same value at its end{'s' if len(ends) > 1 else ''} "
        f"{' and '.join(to_text(e) for e in ends)}, which belong to the set: there one side "
        "is flat, so 0 is a one-sided slope and the point is critical too, though f may have "
        "a corner there and need not be both a minimum and a maximum"
        if ends
        else ""
    )
    return _note(
        "flat",
        f"{r.text()}{piece}, so ∇f = 0 at every point{inside} — a whole "
        "set of critical points (each a local minimum and maximum, not strict); its branch's "
        f"gradient simplifies to 0 (SymPy){edge}",
    )


def _closed_ends(r: FlatRegion) -> list[sp.Expr]:
    """The finite ends an interval region contains ([0, 1] → 0, 1; (−∞, 0] → 0)."""
    w = r.where
    if not isinstance(w, sp.Interval):
        return []
    return [
        e
        for e, open_ in ((w.start, w.left_open), (w.end, w.right_open))
        if e.is_finite and not open_
    ]


def _at(xs: list[sp.Symbol], p: tuple[Any, ...]) -> dict[sp.Symbol, Any]:
    return dict(zip(xs, p, strict=True))


def _finite(h: sp.Matrix) -> bool:
    """Every entry a finite real number (not zoo, nan, DiracDelta(0) or complex)."""
    return all(e.is_number and e.is_finite and e.is_extended_real for e in h)


def _at_kink(
    f: sp.Expr,
    grad: list[sp.Expr],
    xs: list[sp.Symbol],
    p: tuple[Any, ...],
    time_limit: float | None,
) -> tuple[str, str] | None:
    """f at a point where some |u|, ReLU(u), max … switches: (kind, note), or None when p is no
    critical point after all (f is differentiable there with a partial derivative ≠ 0).

    A switching piece does not make f non-differentiable (x·|x|, ReLU(x)², |x|³ are smooth
    enough at 0): f restricted to each axis line through p is decided by `differentiable` (one-
    sided difference quotients, exact limits). A corner on one axis proves f is not
    differentiable; with every partial derivative 0, p is critical, and in one variable f″(p)
    is decided the same way; otherwise the Hessian test does not apply and says so."""
    from calcml.symbolic.continuity import differentiable

    at = _at(xs, p)
    pieces = ", ".join(to_text(k) for k in kinks_at(f, at))
    if any(c.is_Float for c in p):
        return NOT_DIFFERENTIABLE, f"{pieces} switches near here: f is not smooth at this point"
    slopes = []
    for x in xs:
        line = f.subs({y: c for y, c in at.items() if y != x})
        verdict = differentiable(line, x, at[x], time_limit=time_limit)
        if verdict.differentiable is False:
            return NOT_DIFFERENTIABLE, (
                f"{pieces} has a corner or jump here: f is not differentiable at this point "
                f"(along {to_text(x)}: {'; '.join(verdict.notes) or 'no derivative'}), so ∇f = 0 "
                "and the Hessian test do not apply (compare f's values nearby instead)"
            )
        if verdict.differentiable is None:
            return "inconclusive", (
                f"{pieces} switches here and whether f is differentiable at this point {UNDECIDED}"
                ": the Hessian test does not apply"
            )
        slopes.append(verdict.derivative)
    if any(s != 0 for s in slopes):
        return None  # differentiable, with a nonzero slope: not a critical point
    if len(xs) == 1:
        second = differentiable(grad[0], xs[0], p[0], time_limit=time_limit)
        if second.differentiable and second.derivative != 0:
            kind = "minimum" if second.derivative > 0 else "maximum"
            return kind, (
                f"{pieces} switches here, yet f′ = 0 and f″ = {to_text(second.derivative)} at this "
                "point (both from one-sided difference quotients)"
            )
    return "inconclusive", (
        f"{pieces} switches here: f is differentiable with ∇f = 0, but not smooth enough for "
        "the Hessian test (compare f's values nearby instead)"
    )


def _corners(
    f: sp.Expr, xs: list[sp.Symbol], known: list[tuple[Any, ...]]
) -> tuple[list[tuple[Any, ...]], list[sp.Expr]]:
    """One variable: the points where |u|, ReLU(u), max, ... switch (f′ is undefined there),
    which are critical points too (ReLU(x) + x² has its minimum at the corner x = 0); and the
    switching expressions u too large or mixed to solve exactly (`solve_size`), said so."""
    if len(xs) != 1:
        return [], []
    x = xs[0]
    out: list[tuple[Any, ...]] = []
    unsolved: list[sp.Expr] = []
    for node in sp.preorder_traversal(f):
        for inside in switch_points(node):
            if not inside.has(x):
                continue
            size = solve_size([inside], [x])
            if isinstance(size, str) or size > _budget().max_solutions:
                unsolved.append(inside)
                continue
            try:
                roots = call_with_time_limit(sp.solve, None, inside, x)
            except (NotImplementedError, ValueError, TypeError, sp.PolynomialError) as error:
                reraise_if_spent(error)
                unsolved.append(inside)
                continue
            for r in roots:
                if r.is_extended_real and (r,) not in known and (r,) not in out:
                    out.append((r,))
    return out, unsolved


def _higher_order_note(f: sp.Expr, x: sp.Symbol, a: Any) -> str:
    """One variable, f''(a) = 0: the first nonzero derivative decides (even: extremum)."""
    d = sp.diff(f, x, 2)
    for n in range(3, 9):
        if sp.count_ops(d) > MAX_NOTE_OPS:  # derivatives grow fast: stop by size, not by time
            return ""
        _budget().charge(1, "higher derivatives")
        d = sp.diff(d, x)
        v = d.subs(x, a)
        if v != 0:
            if n % 2:
                return f"f⁽{n}⁾({to_text(a)}) = {to_text(v)} ≠ 0, n odd: not an extremum"
            kind = "minimum" if v > 0 else "maximum"
            return f"f⁽{n}⁾({to_text(a)}) = {to_text(v)} with n even: a local {kind}"
    return ""


__all__ = ["CalcmlError", "CriticalPoint", "CriticalPointsResult", "classify", "critical_points"]
