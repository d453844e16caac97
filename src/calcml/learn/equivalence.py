"""Is a learner's expression equal to the expected one? Symbolic first, then numeric, then exact.

Both sides are evaluated at random points of the domain (WeBWorK-style: several points, a relative
tolerance) where both are real; a point where the expected answer is defined but the learner's is
not is a domain mismatch when the expected answer has a restricted domain of its own (log(x²) vs
2·log(x)); an expected answer defined everywhere (1, x) is compared where the learner's form is real
(√(k/m)·√(m/k) is 1 there). An infinite or overflowing answer is never equal to a finite one; a
point where float64 overflows inside a finite value (a `.rewrite(exp)` form) is evaluated again by
evalf, never counted as a disagreement. Float sampling cannot tell (x − a)^6000 from (x − a)^5999 or
a degree-13 polynomial from one whose constant differs by 1, so when neither side contains a float
the agreement is confirmed exactly (STACK's AlgEquiv decides by computer algebra; here: exact
evaluation at random rational points, negative ones and simple fractions included, with a bit budget
— never by expanding large powers; 50-digit evaluation where values are irrational). The relative
tolerance applies only to answers that contain floats. A guarded symbolic test (the difference
expanded and cancelled only when small) upgrades an agreement to 'exact'.

>>> from calcml.expr import parse, symbol
>>> x = symbol("x")
>>> compare(parse("sigmoid(x)(1 - sigmoid(x))"), parse("e^(-x)/(1 + e^(-x))^2"), [x]).equal
True
>>> compare(parse("99999999/10^8"), parse("99999998/99999999")).equal
False
"""

from __future__ import annotations

import cmath
import math
import random
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache
from typing import Any

import numpy as np
import sympy as sp

from calcml.expr.roots import real_power, real_powers
from calcml.symbolic.nonsmooth import AT_INTEGERS, switch_points

DEFAULT_DOMAIN = (-2.0, 2.0)
POINTS = 6
MIN_POINTS = 3
TRIES = 40
MAX_SYMBOLIC_OPS = 120
MAX_EXPANDED_POWER = 12
EXACT_POINTS = 8  # rational points where both sides must agree exactly (exact answers only)
EXACT_TRIES = 60
BRANCHY_POINTS = 80  # ... when a power has a variable exponent or a root of a signed base
BRANCHY_TRIES = 240
MAX_EXACT_BITS = 200_000  # an exact value larger than this is evaluated to PRECISION digits
PRECISION = 50
CHECK_DIGITS = 20  # at a huge point, a value is trusted only when 20 more digits agree with it
HUGE = 2**53
_DENOMINATORS = (1, 1, 1, 2, 2, 3, 3, 5, 7, 11)  # simple rational points, integers most often
SWITCH_GRID = 4001  # where |u|, sign, max, floor … switch: u's pieces found on this grid
MAX_SWITCH_POINTS = 24  # at most this many points placed on the pieces between switches
SWITCH_CLOUD = 4000  # random points where u of several variables is labelled by its sign


@dataclass
class Comparison:
    """The outcome: `how` is 'exact', 'numeric', 'different', 'domain', 'infinite' (an
    infinite answer for a finite one) or 'undecided'.

    `point` is a witness (variable name -> value) for 'different' and 'domain', with the two
    values there.
    """

    equal: bool
    how: str
    point: dict[str, float] = field(default_factory=dict)
    given_value: complex | None = None
    expected_value: complex | None = None


def compare(
    given: sp.Expr,
    expected: sp.Expr,
    variables: Sequence[sp.Symbol] = (),
    domain: Mapping[str, tuple[float, float]] | None = None,
    tolerance: float = 1e-6,
    seed: int = 0,
    approximate: bool = False,
) -> Comparison:
    """Compare two scalar expressions over the real domain of their variables.

    `approximate`: the given answer was typed with decimals (the parser reads 0.33 as 33/100),
    so it is compared within the relative tolerance only, like an answer containing floats.

    Cheap checks first: identical trees, an infinite answer; then the numeric test, whose
    counterexample settles 'different' at once (for exact answers only once it is confirmed at
    high precision: float round-off is no counterexample); then the guarded symbolic test
    ('exact'), and for answers without floats the exact test at rational points.
    """
    given, expected = real_powers(given), real_powers(expected)
    if given == expected:
        return Comparison(True, "exact")
    if unbounded(given) and not unbounded(expected):
        return Comparison(False, "infinite", given_value=complex(math.inf))
    domain = domain or {}
    exact_inputs = not (approximate or given.atoms(sp.Float) or expected.atoms(sp.Float))
    syms = _symbols(given, expected, variables)
    rng = random.Random(seed)
    pieces = switch_samples([given, expected], syms, domain, rng)  # once, for both tests
    found = _numeric(given, expected, syms, domain, tolerance, rng, pieces)
    if found.how == "different" and exact_inputs and not _differ_at(given, expected, found.point):
        found = Comparison(False, "undecided")  # float round-off: the exact test decides
    if found.how in ("different", "domain"):
        return found
    difference = given - expected
    if difference == 0 or symbolically_zero(difference):
        return Comparison(True, "exact")
    if exact_inputs:
        checked = exact_test(given, expected, syms, domain, pieces, rng)
        if checked is not None:
            return checked
    return found


def unbounded(e: sp.Expr) -> bool:
    """True when e contains ∞, complex infinity or nan: never a finite answer."""
    return bool(e.has(sp.oo, -sp.oo, sp.zoo, sp.nan))


def symbolically_zero(e: sp.Expr) -> bool:
    """True when a cheap, guarded expand/cancel shows e == 0 (False means 'not shown')."""
    if not _small(e):
        return False
    expanded = sp.expand(e)
    if expanded == 0:
        return True
    if not _small(expanded):
        return False
    return bool(sp.cancel(sp.together(expanded)) == 0)


def _small(e: sp.Expr) -> bool:
    if sp.count_ops(e) > MAX_SYMBOLIC_OPS:
        return False
    for p in e.atoms(sp.Pow):
        exp = p.exp
        if exp.is_Integer and abs(int(exp)) > MAX_EXPANDED_POWER and p.base.is_Add:
            return False
        if not exp.is_number and p.base.is_Add:
            return False
    return True


def numeric(
    given: sp.Expr,
    expected: sp.Expr,
    variables: Sequence[sp.Symbol],
    domain: Mapping[str, tuple[float, float]],
    tolerance: float,
    seed: int = 0,
) -> Comparison:
    """Compare at random real points: equal within `tolerance` at all of them where both are
    real (see the module's note on domains)."""
    rng = random.Random(seed)
    syms = _symbols(given, expected, variables)
    pieces = switch_samples([given, expected], syms, domain, rng)
    return _numeric(given, expected, syms, domain, tolerance, rng, pieces)


def _symbols(given: sp.Expr, expected: sp.Expr, variables: Sequence[sp.Symbol]) -> list[sp.Symbol]:
    """Every variable of the comparison, in a fixed order (the points drawn depend on it)."""
    return sorted(set(variables) | given.free_symbols | expected.free_symbols, key=str)


def _numeric(
    given: sp.Expr,
    expected: sp.Expr,
    syms: Sequence[sp.Symbol],
    domain: Mapping[str, tuple[float, float]],
    tolerance: float,
    rng: random.Random,
    pieces: Sequence[Mapping[sp.Symbol, float]],
) -> Comparison:
    """`numeric` on given switch pieces (shared with the exact test), then rng's points."""
    at_expected, at_given = evaluator(expected, syms), evaluator(given, syms)
    strict_domain = restricted(expected)
    outside: Comparison | None = None
    checked = 0
    for attempt in range(TRIES + len(pieces)):
        if checked >= POINTS + len(pieces):
            break
        point = (
            {s: sp.Float(v, 17) for s, v in pieces[attempt].items()}
            if attempt < len(pieces)
            else {s: _draw(rng, domain.get(str(s), DEFAULT_DOMAIN)) for s in syms}
        )
        want = at_expected(point)
        if want is None or cmath.isinf(want):
            continue
        got = at_given(point)
        named = {str(s): float(v) for s, v in point.items()}
        if got is None:
            mismatch = Comparison(False, "domain", named, None, want)
            if strict_domain:
                return mismatch
            outside = outside or mismatch
            continue
        if not close(got, want, tolerance):
            return Comparison(False, "different", named, got, want)
        checked += 1
        if not syms:
            break
    if checked >= MIN_POINTS or (checked and not syms):
        return Comparison(True, "numeric")
    return outside or Comparison(False, "undecided")


def restricted(e: sp.Expr) -> bool:
    """True when e has a real domain of its own: a log, an even root, asin … of a variable."""
    return any(
        (isinstance(node, _PARTIAL) and node.free_symbols)
        or (
            isinstance(node, sp.Pow)
            and not node.exp.is_integer
            and node.free_symbols
            and not node.base.is_nonnegative
        )
        for node in sp.preorder_traversal(e)
    )


_PARTIAL = (sp.log, sp.asin, sp.acos, sp.asec, sp.acsc, sp.acosh, sp.atanh, sp.acoth)


def close(a: complex, b: complex, tolerance: float) -> bool:
    """Relative closeness, with an absolute floor near zero; never for an infinite value."""
    if not (cmath.isfinite(a) and cmath.isfinite(b)):
        return False
    return abs(a - b) <= tolerance * max(abs(a), abs(b)) + 1e-10


def exact_test(
    given: sp.Expr,
    expected: sp.Expr,
    syms: Sequence[sp.Symbol],
    domain: Mapping[str, tuple[float, float]],
    switches: Sequence[Mapping[sp.Symbol, float]],
    rng: random.Random,
) -> Comparison | None:
    """Exact answers compared at random rational points where both are real: 'different' with
    a witness, equal ('numeric') at enough points, or None when too few points were real.

    Rational functions need few points (a nonzero one vanishes at few of them); powers with a
    variable exponent or a root of a signed base ((a^b)^c vs a^(b·c)) differ only at special
    points (a < 0, b even, c = 1/2), so they get many points drawn from simple fractions.
    `switches`: the points on the pieces between switches (`switch_samples`), made rational;
    `rng` draws the others (the numeric test's, so they are new points).
    """
    branchy = _branchy(given) or _branchy(expected)
    wanted, tries = (BRANCHY_POINTS, BRANCHY_TRIES) if branchy else (EXACT_POINTS, EXACT_TRIES)
    pieces = [
        {s: sp.Rational(Fraction(v).limit_denominator(10**6)) for s, v in piece.items()}
        for piece in switches
    ]
    agree = 0
    for attempt in range(tries + len(pieces)):
        if agree >= wanted + len(pieces):
            break
        point = (
            pieces[attempt]
            if attempt < len(pieces)
            else {s: _rational(rng, domain.get(str(s), DEFAULT_DOMAIN)) for s in syms}
        )
        want = exact_value(expected, point)
        if want is None:
            continue
        got = exact_value(given, point)
        if got is None:
            continue
        if not _same(got, want):
            named = {str(s): float(v) for s, v in point.items()}
            return Comparison(False, "different", named, _complex(got), _complex(want))
        agree += 1
        if not syms:
            break
    if agree >= MIN_POINTS or (agree and not syms):
        return Comparison(True, "numeric")
    return None


def switch_samples(
    exprs: Sequence[sp.Expr],
    syms: Sequence[sp.Symbol],
    domain: Mapping[str, tuple[float, float]],
    rng: random.Random,
) -> list[dict[sp.Symbol, float]]:
    """Points on every piece of the domain between the switches of |u|, sign, H, ReLU, max,
    min, floor, ceil and √(u²) (= |u|): |θ² − θ| and θ² − θ differ only on (0, 1), which a few
    random points can miss. u of one variable: each piece is found by u's sign (floor's value)
    on a grid of SWITCH_GRID points and sampled at its middle (the other variables drawn at
    random); u of several variables: one point of each sign (floor value) u takes on a cloud of
    SWITCH_CLOUD random points (|λx − x + 2| and λx − x + 2 differ only where λx < x − 2)."""
    points: list[dict[sp.Symbol, float]] = []
    insides = {
        (inside, isinstance(node, AT_INTEGERS))
        for e in exprs
        for node in sp.preorder_traversal(e)
        for inside in _switching(node)
    }
    for inside, stepwise in sorted(insides, key=str):
        free = tuple(s for s in syms if s in inside.free_symbols)
        if not free or inside.free_symbols - set(syms):
            continue
        compiled = _compile(inside, free)
        if compiled is None:
            continue
        if len(free) == 1:
            lo, hi = domain.get(str(free[0]), DEFAULT_DOMAIN)
            columns = [np.linspace(lo, hi, SWITCH_GRID)]
        else:
            cloud = np.random.default_rng(rng.randrange(2**32))
            columns = [
                cloud.uniform(*domain.get(str(s), DEFAULT_DOMAIN), SWITCH_CLOUD) for s in free
            ]
        label = _labels(compiled, columns, stepwise)
        if label is None:
            continue
        others = {s: float(_draw(rng, domain.get(str(s), DEFAULT_DOMAIN))) for s in syms}
        if len(free) == 1:  # each run of one label on the grid, at its middle
            cuts = np.flatnonzero(np.diff(label) != 0) + 1
            chosen = [run[len(run) // 2] for run in np.split(np.arange(len(label)), cuts)]
        else:  # the first cloud point of each label
            chosen = [int(np.argmax(label == v)) for v in np.unique(label)]
        points += [
            {**others, **{s: float(c[i]) for s, c in zip(free, columns, strict=True)}}
            for i in chosen
            if not np.isnan(label[i])
        ]
    return points[:MAX_SWITCH_POINTS]


def _switching(node: sp.Expr) -> list[sp.Expr]:
    """What node switches on: `switch_points`, and w for a root of an even power of w
    ((w²)^(1/2) is |w|, which SymPy keeps as a power when it cannot tell w is real)."""
    base = node.base if isinstance(node, sp.Pow) else None
    if isinstance(base, sp.Pow) and base.exp.is_even and node.exp.is_integer is False:
        return [*switch_points(node), base.base]
    return switch_points(node)


def _labels(
    compiled: Callable[..., Any], columns: Sequence[np.ndarray], stepwise: bool
) -> np.ndarray | None:
    """u's sign (floor's value for a step function) at the given points; None where NumPy
    cannot evaluate u or u is complex there (the random points alone then)."""
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            u = np.real_if_close(np.broadcast_to(compiled(*columns), columns[0].shape))
    except Exception:
        return None
    if np.iscomplexobj(u):
        return None
    return np.floor(u) if stepwise else np.sign(u)


def _branchy(e: sp.Expr) -> bool:
    return any(
        p.free_symbols
        and (not p.exp.is_number or (not p.exp.is_integer and not p.base.is_nonnegative))
        for p in e.atoms(sp.Pow)
    )


def exact_value(e: sp.Expr, point: Mapping[sp.Symbol, sp.Rational]) -> sp.Expr | None:
    """e at a rational point, every part of it real (odd roots real): an exact Rational when e
    is a rational function whose value has at most MAX_EXACT_BITS bits, else a PRECISION-digit
    Float; None where e or a part of it is undefined or not real."""
    if _bits(e, point) > MAX_EXACT_BITS:  # too large to hold exactly: 60-digit floats instead
        point = {s: sp.Float(v, PRECISION + 10) for s, v in point.items()}
    try:
        v = _substitute(e, point, {})
        if v is None:
            return None
        if v.is_Rational:
            return v
        v = _stable_evalf(v) if _huge(point) else v.evalf(PRECISION)
        if v is None:
            return None
        re, im = v.as_real_imag()
        if not (re.is_Number and im.is_Number) or re.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
            return None
        if abs(im) > sp.Float(10) ** (15 - PRECISION) * (1 + abs(re)):
            return None
    except (TypeError, ValueError, ZeroDivisionError, ArithmeticError, RecursionError):
        return None
    return re  # type: ignore[no-any-return]


def _huge(point: Mapping[sp.Symbol, sp.Expr]) -> bool:
    """A coordinate past 2⁵³: where SymPy's argument reduction of cosh, sin … may lose digits."""
    return any(abs(v) > HUGE for v in point.values())


def _stable_evalf(v: sp.Expr) -> sp.Expr | None:
    """v to PRECISION digits, or None when 20 more digits change it: SymPy's evalf of cosh,
    sinh … at a huge argument (x ≈ 10²⁷⁷) returns digits that are noise, and such a point can
    neither confirm nor refute an answer (it is skipped for both sides)."""
    low, high = v.evalf(PRECISION), v.evalf(PRECISION + CHECK_DIGITS)
    if low == high:
        return low
    try:
        if _same(low, high):
            return low
    except TypeError:  # not comparable (complex parts): the caller's checks decide
        return low
    return None


def _substitute(e: Any, point: Mapping[sp.Symbol, sp.Expr], seen: dict[Any, Any]) -> Any:
    """e at the point, built bottom-up (odd roots real); None as soon as a part is not real."""
    if e in seen:
        return seen[e]
    if isinstance(e, sp.Symbol):
        value = point.get(e, e)
    elif not e.args:
        value = e
    else:
        args = [_substitute(a, point, seen) for a in e.args]
        if any(a is None for a in args):
            return None
        value = real_power(*args) if isinstance(e, sp.Pow) else e.func(*args)
        if isinstance(value, sp.Expr) and not _real_number(value):
            value = None
    seen[e] = value
    return value


def _real_number(v: sp.Expr) -> bool:
    if v.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        return False
    if not v.is_number or v.is_Rational or v.is_Float:
        return True
    real = v.is_extended_real
    if real is not None:
        return bool(real)
    z = complex(v.evalf(30))
    return abs(z.imag) <= 1e-20 * (1 + abs(z.real))


def _bits(e: sp.Expr, point: Mapping[sp.Symbol, sp.Rational]) -> float:
    """An upper bound on the bits of e's exact value at the point (inf: not a rational function)."""
    if e.is_Rational:
        return float(max(abs(int(e.p)).bit_length(), int(e.q).bit_length()) + 1)  # type: ignore[attr-defined]
    if isinstance(e, sp.Symbol):
        return _bits(point[e], point) if e in point else float("inf")
    if isinstance(e, (sp.Add, sp.Mul)):
        return sum(_bits(a, point) for a in e.args) + len(e.args)
    if isinstance(e, sp.Pow) and e.exp.is_Integer:
        return abs(int(e.exp)) * _bits(e.base, point)
    if isinstance(e, sp.Pow) and e.exp.is_Rational:
        return _bits(e.base, point)  # a root of a bounded number stays bounded
    return sum(_bits(a, point) for a in e.args) if e.args else 64.0


def _same(a: sp.Expr, b: sp.Expr) -> bool:
    """Equal exactly (rationals), else within the round-off of a PRECISION-digit evaluation:
    relative, with an absolute floor, since a value 0 computed from irrational parts
    (sin²1 + cos²1 − 1 + log 1) comes out as ±1e-160, not 0."""
    if a.is_Rational and b.is_Rational:
        return bool(a == b)
    scale = max(abs(a), abs(b), sp.S.One)
    return bool(abs(a - b) <= sp.Float(10) ** (15 - PRECISION) * scale)


def _differ_at(given: sp.Expr, expected: sp.Expr, named: Mapping[str, float]) -> bool:
    """True when the two differ at the (float) witness point evaluated at high precision; False
    when they agree there or a side cannot be evaluated reliably (then the exact test decides)."""
    by_name = {str(s): s for s in given.free_symbols | expected.free_symbols}
    point = {by_name[k]: sp.Rational(v) for k, v in named.items() if k in by_name}
    want = exact_value(expected, point)
    got = exact_value(given, point)
    return want is not None and got is not None and not _same(got, want)


def _complex(v: sp.Expr) -> complex:
    """A real SymPy number as a complex float: ±inf past the float range (SymPy's float()
    saturates there, through mpmath, rather than raising OverflowError)."""
    return complex(float(v))


def _rational(rng: random.Random, interval: tuple[float, float]) -> sp.Rational:
    """A simple rational point in the interval: an integer or a fraction with a small
    denominator, negative ones included when the interval has them."""
    lo, hi = interval
    q = rng.choice(_DENOMINATORS)
    low, high = math.ceil(lo * q), math.floor(hi * q)
    if low > high:
        return sp.Rational(Fraction(rng.uniform(lo, hi)).limit_denominator(1000))
    return sp.Rational(rng.randint(low, high), q)


def evaluator(
    e: sp.Expr, syms: Sequence[sp.Symbol]
) -> Callable[[Mapping[sp.Symbol, sp.Float]], complex | None]:
    """Evaluate e at points: compiled to NumPy float64 first (fast), evalf where NumPy cannot or
    its value is nan or inf — an overflow inside a finite value (tanh(u) written with eᵘ at a
    large u) is no infinite answer and no undefined point; evalf says inf only for a value past
    the float range and None where e is not real."""
    compiled = _compile(e, tuple(syms))
    if compiled is None:  # an expression NumPy cannot print: evalf only
        return lambda point: value_at(e, point)

    def at(point: Mapping[sp.Symbol, sp.Float]) -> complex | None:
        args = [float(point[s]) for s in syms]
        try:
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                raw = compiled(*args)
            v = complex(raw)
        except Exception:  # too large for a float, or not numeric in NumPy: evalf
            return value_at(e, point)
        if cmath.isnan(v) or cmath.isinf(v):
            # float64 failed (inf − inf after an overflow, log of a negative inside exp(·)):
            # SymPy's evalf (mpmath, any exponent, complex intermediates) says what it is
            return value_at(e, point)
        if abs(v.imag) > 1e-9 * (1 + abs(v.real)):
            return None
        return complex(v.real)

    return at


@lru_cache(maxsize=1024)
def _compile(e: sp.Expr, syms: tuple[sp.Symbol, ...]) -> Callable[..., Any] | None:
    """e compiled to a NumPy function of syms (cached: answers are compared many times)."""
    try:
        return sp.lambdify(list(syms), e, modules=["numpy"])  # type: ignore[no-any-return]
    except Exception:
        return None


def value_at(e: sp.Expr, point: Mapping[sp.Symbol, sp.Float]) -> complex | None:
    """The real value of e at the point (inf when too large: evalf's exponent is unbounded and
    SymPy's complex() saturates to ±inf), None where undefined or not real."""
    try:
        v = complex(e.evalf(17, subs=dict(point)))
    except (TypeError, ValueError, ZeroDivisionError, ArithmeticError):
        return None
    if cmath.isinf(v) and v.imag == 0:
        return v
    if cmath.isnan(v) or cmath.isinf(v) or abs(v.imag) > 1e-9 * (1 + abs(v.real)):
        return None
    return complex(v.real)


def _draw(rng: random.Random, interval: tuple[float, float]) -> sp.Float:
    lo, hi = interval
    for _ in range(20):
        v = rng.uniform(lo, hi)
        if abs(v - round(v)) > 0.05:  # avoid integers, where kinks and poles live
            return sp.Float(v, 17)
    return sp.Float(rng.uniform(lo, hi), 17)
