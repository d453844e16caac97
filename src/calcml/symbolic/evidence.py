"""Numeric evidence for a limit: f evaluated ever closer to the point, with mpmath.

Each value is computed at two working precisions and kept only when both agree, so
cancellation (1 − cos h for tiny h) cannot fake a result. The table shows h = 10⁻¹ … 10⁻⁸
(or x = 10¹ … 10⁸ toward ±∞); deeper probes (10⁻¹² … 10⁻⁴⁸, 10¹² … 10³²) back the verdict.

Powers of ten are special points for some functions: cos(π/x) is exactly 1 at every x = 10⁻ᵏ,
and x^(1/x) is real at x = −10⁻ᵏ (an integer exponent) though not at almost any other x < 0.
So every depth is also probed at a generic offset h = 0.618…·10⁻ᵏ (the golden ratio's
reciprocal, far from every simple fraction), and the verdict reads both kinds of point.

>>> import sympy as sp
>>> x = sp.Symbol("x", real=True)
>>> ev = gather(sp.sin(x) / x, x, sp.S.Zero, "+")
>>> ev.supports(sp.S.One), ev.supports(sp.S.Zero)
(True, False)
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import mpmath as mp
import sympy as sp

from calcml.expr.functions import leaky_relu, relu, sigmoid, softplus

TABLE_EXPONENTS = tuple(range(1, 9))
DEEP_EXPONENTS = (12, 16, 24, 32, 48)
DEEP_EXPONENTS_AT_INFINITY = (12, 16, 24, 32)
BASE_DPS = 40


def _relu(z: Any) -> Any:
    return z if z > 0 else mp.mpf(0)


def _leaky(z: Any, a: Any = None) -> Any:
    return z if z > 0 else (mp.mpf("0.01") if a is None else a) * z


def _heaviside(z: Any, h0: Any = None) -> Any:
    return mp.mpf(1) if z > 0 else (mp.mpf(0) if z < 0 else mp.mpf("0.5") if h0 is None else h0)


_EXP_CAP = mp.mpf(10) ** 60


def _exp(z: Any) -> Any:
    # e^(e^(10⁴)) would need a ten-thousand-digit exponent: call it an overflow instead.
    if abs(z) > _EXP_CAP:
        raise OverflowError("exponent too large")
    return mp.exp(z)


NAMESPACE: dict[str, Any] = {
    "exp": _exp,
    "sigmoid": lambda z: 1 / (1 + _exp(-z)),
    "softplus": lambda z: mp.log1p(_exp(z)) if z < 30 else z + mp.log1p(_exp(-z)),
    "relu": _relu,
    "leaky_relu": _leaky,
    "Heaviside": _heaviside,
    "sign": mp.sign,
    "Abs": abs,
    "Max": max,
    "Min": min,
}

_ML = (sigmoid, softplus, relu, leaky_relu)


@lru_cache(maxsize=128)
def numeric_function(f: sp.Expr, x: sp.Symbol) -> Callable[[Any], Any]:
    """f as a Python function of one mpmath number (evaluated at the current mp.dps).

    Cached: both sides of a limit, the side resolver and the sequences evaluate the same f,
    and printing plus compiling it costs more than many of its evaluations.
    """
    return sp.lambdify(x, f, modules=[NAMESPACE, "mpmath"])  # type: ignore[no-any-return]


def _interval_power(base: Any, exponent: Any) -> Any:
    """base^exponent on intervals, through exp(exponent·log(base)) when the base is positive.

    mpmath's own interval power multiplies out an exponent that happens to be an integer
    (2^(10⁴) at x = 10⁴ makes an exponent of 3,011 digits) — which never ends.
    """
    iv = mp.iv
    b = iv.mpf(base)
    if b.a > 0:
        return _Interval.exp(iv.mpf(exponent) * iv.log(b))
    return b ** iv.mpf(exponent)


# mpmath's interval versions of these sum a (hypergeometric) series on intervals: minutes per
# point at the precisions used here, or NoConvergence; for them the interval check is skipped
SERIES_ONLY_IN_INTERVALS = frozenset(
    "erf erfc erfi gamma rgamma loggamma digamma psi polygamma zeta ei e1 li si ci shi chi "
    "fresnels fresnelc besselj bessely besseli besselk expint gammainc betainc beta "
    "hyper hyp0f1 hyp1f1 hyp2f1 airyai airybi".split()
)


class _IntervalNamespace:
    """mpmath's interval context under the name `mpmath`, with exp capped as `_exp` is."""

    def __getattr__(self, name: str) -> Any:
        if name in SERIES_ONLY_IN_INTERVALS:
            raise AttributeError(name)  # no practical interval version: the check is skipped
        return getattr(mp.iv, name)

    @staticmethod
    def exp(z: Any) -> Any:
        z = mp.iv.mpf(z)
        if max(abs(mp.mpf(z.a)), abs(mp.mpf(z.b))) > _EXP_CAP:
            raise OverflowError("exponent too large")
        return mp.iv.exp(z)


_Interval = _IntervalNamespace()


@lru_cache(maxsize=128)
def interval_function(f: sp.Expr, x: sp.Symbol) -> Callable[[Any], Any] | None:
    """f in mpmath's interval arithmetic (`mp.iv`): its result bounds every rounding error.

    Cached, as `numeric_function` is.
    """
    from sympy.printing.pycode import MpmathPrinter

    class _Printer(MpmathPrinter):  # type: ignore[misc]
        def _print_Pow(self, expr: sp.Pow, rational: bool = False) -> str:
            if expr.exp.is_Number:
                return str(super()._print_Pow(expr, rational))
            return f"ipow({self._print(expr.base)}, {self._print(expr.exp)})"

    # the printer writes mpmath.exp(…), mpmath.mpf(…): mpmath's interval context has the same
    # names (a function it lacks raises AttributeError at the call, and the check is skipped)
    names: dict[str, Any] = {"mpmath": _Interval, "ipow": _interval_power}
    try:
        return sp.lambdify(x, f, modules=[names], printer=_Printer)  # type: ignore[no-any-return]
    except Exception:
        return None


INTERVAL_WIDTH = mp.mpf(10) ** -8  # relative width past which a value is not trusted


def _interval_unsure(ivfn: Callable[[Any], Any] | None, at: Any, dps: int) -> str:
    """'' when interval arithmetic confirms f(at) to INTERVAL_WIDTH (or cannot run at all);
    else the status of a value rounding errors may have faked ('unstable' or 'overflow').

    Two working precisions agree even when both lose a term entirely ((2/3)^(10³²) + 1 is 1
    at any practical precision, and then raised to 2^(10³²)); an interval does not.
    """
    if ivfn is None:
        return ""
    iv = mp.iv
    saved = iv.dps
    iv.dps = dps
    try:
        # a tiny interval around the point, not the point itself: at x = 10ᵏ an exact integer
        # exponent (2^x) would make mpmath multiply out 2^(10⁴) exactly
        with mp.workdps(dps):
            ends = sorted([at, at + max(abs(at), 1) * mp.mpf(10) ** (-dps + 5)])
        value = ivfn(iv.mpf(ends))
    except (NameError, TypeError, AttributeError, NotImplementedError, mp.libmp.NoConvergence):
        return ""  # a function mpmath has no interval version of (or whose series diverges)
    except (ZeroDivisionError, ValueError):
        return "unstable"
    except (OverflowError, MemoryError):
        return "overflow"
    finally:
        iv.dps = saved
    if isinstance(value, type(iv.mpc(1))):
        # f's value is real, yet its interval is complex: a base whose interval reaches below 0
        # (2 + (x + 2 − 2·2ˣ)/2ˣ at x = 10³, where 2ˣ cancels past the working precision)
        return "unstable"
    if not isinstance(value, type(iv.mpf(1))):
        return ""
    lo, hi = mp.mpf(value.a), mp.mpf(value.b)
    if mp.isinf(lo) or mp.isinf(hi) or mp.isnan(lo) or mp.isnan(hi):
        return "" if lo == hi else "unstable"
    with mp.workdps(30):
        scale = max(abs(lo), abs(hi))
        if scale == 0 or (hi - lo) <= INTERVAL_WIDTH * scale:
            return ""
    return "unstable"


@dataclass
class Sample:
    """f at one point: `value` (an mpf) or None with a `status` saying why."""

    label: str
    point: Any
    value: Any
    status: str = "ok"  # ok | undefined | complex | unstable | overflow

    def shown(self) -> str:
        if self.status != "ok":
            return self.status
        return show_number(self.value, 10)

    def to_dict(self) -> dict[str, Any]:
        return {
            "at": self.label,
            "x": show_number(self.point, 17),
            "value": self.shown(),
            "status": self.status,
        }


SHOWN_MAGNITUDE = 10_000  # beyond 2^±this, a number is shown from its logarithm


def show_number(v: Any, digits: int = 10) -> str:
    """v in decimal, cheaply even when it is astronomically large or small.

    mpmath prints 2^(10^30) by converting its binary exponent to decimal at full length, which
    takes forever; past 2^±10,000 the mantissa and exponent are read from log10 instead.
    """
    if not isinstance(v, mp.mpf) or not mp.isfinite(v) or v == 0:
        return mp.nstr(v, digits)
    if abs(mp.mag(v)) < SHOWN_MAGNITUDE:
        return mp.nstr(v, digits)
    with mp.workdps(digits + 10):
        exponent = mp.floor(mp.log10(abs(v)))
        mantissa = mp.power(10, mp.log10(abs(v)) - exponent)
    sign = "-" if v < 0 else ""
    if abs(exponent) > 10**15:  # 10^(10^4300) and the like: show the exponent the same way
        return f"{sign}10^({show_number(exponent, 6)})"
    return f"{sign}{mp.nstr(mantissa, digits)}e{int(exponent):+d}"


def _sup(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻"))


def _evaluate(
    fn: Callable[[Any], Any],
    point: Callable[[], Any],
    dps: int,
    ivfn: Callable[[Any], Any] | None = None,
) -> tuple[Any, str]:
    value, status = _two_precisions(fn, point, dps)
    if status == "ok":
        with mp.workdps(2 * dps):
            where = point()
        unsure = _interval_unsure(ivfn, where, 2 * dps)
        if unsure:
            return None, unsure
    return value, status


def _two_precisions(
    fn: Callable[[Any], Any], point: Callable[[], Any], dps: int
) -> tuple[Any, str]:
    results = []
    for p in (dps, 2 * dps):
        with mp.workdps(p):
            try:
                value = fn(point())
            except (ZeroDivisionError, ValueError, TypeError):
                return None, "undefined"
            except (MemoryError, OverflowError):
                return None, "overflow"
            if isinstance(value, mp.mpc):
                # relative to |f|: (−0.6·10⁻⁴)^(2.6·10⁸) is tiny but as much imaginary as real
                if abs(value.imag) > mp.mpf(10) ** (-p // 2) * abs(value):
                    return None, "complex"
                value = value.real
            if not isinstance(value, (mp.mpf, mp.mpc)):
                try:
                    value = mp.mpf(value)  # ints, floats, mpmath constants such as mp.e
                except (TypeError, ValueError):
                    return None, "undefined"
            if not isinstance(value, mp.mpf) or mp.isnan(value):
                return None, "undefined"
            results.append(value)
    a, b = results
    if mp.isinf(a) or mp.isinf(b):
        return (a, "ok") if a == b else (None, "unstable")
    with mp.workdps(2 * dps):
        scale = max(abs(a), abs(b), mp.mpf(10) ** (-dps))
        if abs(a - b) > scale * mp.mpf(10) ** (-12):
            return None, "unstable"
    return +b, "ok"


@dataclass
class SequenceSamples:
    """f along one sequence x_n → the point (n = 10, 100, …) and the limit claimed along it."""

    label: str
    samples: list[Sample]
    limit: Any

    def agrees(self) -> bool | None:
        """Do the values along the sequence approach `limit`? (None: too few values.)"""
        vals = [s.value for s in self.samples if s.status == "ok"]
        if len(vals) < 4:
            return None
        if self.limit is sp.S.Infinity or self.limit is sp.S.NegativeInfinity:
            return _diverges(vals, 1 if self.limit is sp.S.Infinity else -1)
        target = mp.mpf(str(sp.N(self.limit, 40)))
        return _approaches(vals, target)


@dataclass
class Evidence:
    """Samples of f approaching `at` from `side` ('+' right, '-' left; ignored at ±∞)."""

    at: Any
    side: str
    table: list[Sample] = field(default_factory=list)
    deep: list[Sample] = field(default_factory=list)
    probes: list[Sample] = field(default_factory=list)  # at generic points 0.618…·10⁻ᵏ
    note: str = ""
    # f along sequences with different claimed limits (a periodic base's zeros and peaks):
    # the points where an oscillation shows, which generic points almost never hit
    sequences: list[SequenceSamples] = field(default_factory=list)

    def sequences_disagree(self) -> bool:
        """True when f, evaluated along two sequences, approaches two different limits."""
        limits = {str(s.limit) for s in self.sequences if s.agrees() is True}
        return len(limits) >= 2

    @property
    def tail(self) -> list[Sample]:
        """The samples nearest the point (powers of ten and generic probes), in approach order."""
        special = self.table[3:] + self.deep
        return sorted(special + self.probes, key=lambda s: _closeness(s, self.at))

    def values(self) -> list[Any]:
        return [s.value for s in self.tail if s.status == "ok"]

    @property
    def undefined(self) -> bool:
        """True when f has no real value on most of the approach (outside its domain).

        Read from the generic probes when there are any: a function real only at special
        points (x^(1/x) at x = −10⁻ᵏ) is not a real function there.
        """
        samples = self.probes or self.tail
        bad = [s for s in samples if s.status in ("undefined", "complex")]
        return len(bad) > len(samples) // 2

    @property
    def usable(self) -> bool:
        return len(self.values()) >= 4

    def estimate(self) -> Any:
        """The value nearest the point (an mpf), or None."""
        vals = self.values()
        return vals[-1] if vals else None

    def supports(self, candidate: Any) -> bool | None:
        """Does the evidence agree with `candidate` (a number, ±oo, or 'oscillates')?

        True: consistent; False: contradicted; None: the evidence cannot tell.
        """
        if self.undefined:
            return False
        if self.sequences_disagree():
            return isinstance(candidate, str)  # an oscillation, and no single value
        vals = self.values()
        if len(vals) < 4:
            return None
        if isinstance(candidate, str):
            return _oscillates(vals)
        if candidate is sp.S.Infinity or candidate is sp.S.NegativeInfinity:
            sign = 1 if candidate is sp.S.Infinity else -1
            return _diverges(vals, sign) and not _oscillates(vals)
        if _oscillates(vals):
            return False  # swings of a size that does not shrink: no single value
        try:
            target = mp.mpf(str(sp.N(candidate, 40)))
        except (TypeError, ValueError):
            return None
        return _approaches(vals, target)

    def to_dict(self) -> dict[str, Any]:
        return {
            "table": [s.to_dict() for s in self.table],
            "deep": [s.to_dict() for s in self.deep],
            "probes": [s.to_dict() for s in self.probes],
            "sequences": [
                {"along": q.label, "samples": [s.to_dict() for s in q.samples]}
                for q in self.sequences
            ],
        }

    def rows(self) -> list[tuple[str, str, str]]:
        """(h or x, point, value) rows for display."""
        return [(s.label, show_number(s.point, 12), s.shown()) for s in self.table]


def _approaches(vals: list[Any], target: Any) -> bool:
    dist = [abs(v - target) for v in vals]
    tol = mp.mpf(10) ** -6 * max(1, abs(target))
    if dist[-1] <= tol and dist[-2] <= 10 * tol:
        return True
    if abs(vals[-1]) > 1e8 * max(1, abs(target)) and abs(vals[-1]) > abs(vals[-3]):
        return False  # blowing up
    if _settled(vals):
        return False  # the values have settled, and not at the target
    # moving toward the target: the last distances are smaller than the first ones
    half = len(dist) // 2
    return bool(max(dist[half:]) < min(dist[:half]) or dist[-1] < dist[0] * mp.mpf("0.5"))


def _settled(vals: list[Any]) -> bool:
    """The last three values agree to 9 digits: the function has levelled off at a value."""
    scale = max(1, abs(vals[-1]))
    return all(abs(a - b) < mp.mpf(10) ** -9 * scale for a, b in itertools.pairwise(vals[-3:]))


def _diverges(vals: list[Any], sign: int) -> bool:
    signed = [sign * v for v in vals]
    if signed[-1] <= 0 or _settled(vals):
        return False  # -1 + 1/x rises toward -1: growing, but levelled off, not unbounded
    half = len(signed) // 2
    growing = min(signed[half:]) > max(signed[:half]) or signed[-1] > 1e12
    return bool(growing and signed[-1] > signed[0])


def _oscillates(vals: list[Any]) -> bool:
    diffs = [b - a for a, b in itertools.pairwise(vals)]
    sign_changes = sum(1 for a, b in itertools.pairwise(diffs) if a * b < 0)
    spread = max(vals[-4:]) - min(vals[-4:])
    scale = max(1, max(abs(v) for v in vals[-4:]))
    return bool(sign_changes >= 2 and spread > 1e-3 * scale)


def generic() -> Any:
    """0.618… (1/φ, at the current precision): a factor that makes 10⁻ᵏ a generic offset."""
    return (mp.sqrt(5) - 1) / 2


def _closeness(sample: Sample, at: Any) -> Any:
    """Sort key: samples farther from the point first."""
    if at is sp.S.Infinity or at is sp.S.NegativeInfinity:
        return abs(sample.point)
    with mp.workdps(400):  # π + 10⁻⁴⁸ − π needs the digits the point was made with
        return -abs(sample.point - _digits_of(at))


@lru_cache(maxsize=64)
def _digits_of(at: sp.Expr) -> Any:
    """`at` as an mpf of 400 digits (computed once: every sort of the samples reads it)."""
    with mp.workdps(400):
        return mp.mpf(str(sp.N(at, 420)))


def _point_maker(
    at: sp.Expr, side: str, k: int, dps: int, offset: bool = False
) -> tuple[str, Callable[[], Any]]:
    """(label, point) for depth k: 10⁻ᵏ from `at` (10ᵏ toward ±∞), times 1/φ when `offset`."""
    factor = generic if offset else (lambda: mp.mpf(1))
    mark = "0.618·" if offset else ""
    if at is sp.S.Infinity or at is sp.S.NegativeInfinity:
        s = 1 if at is sp.S.Infinity else -1
        label = f"{'-' if s < 0 else ''}{mark}10{_sup(k)}"
        return label, _per_precision(lambda: s * factor() * mp.mpf(10) ** k)
    sign = 1 if side == "+" else -1
    text = str(sp.N(at, 2 * dps + 20))
    label = f"{'+' if sign > 0 else '-'}{mark}10{_sup(-k)}"
    return label, _per_precision(lambda: mp.mpf(text) + sign * factor() * mp.mpf(10) ** (-k))


def _per_precision(make: Callable[[], Any]) -> Callable[[], Any]:
    """`make`, computed once per working precision (a sample asks for its point 4 times)."""
    made: dict[int, Any] = {}

    def point() -> Any:
        prec = mp.mp.prec
        if prec not in made:
            made[prec] = make()
        return made[prec]

    return point


def gather(
    f: sp.Expr, x: sp.Symbol, at: sp.Expr, side: str, seconds: float | None = 2.0
) -> Evidence:
    """Evaluate f ever closer to `at` from `side` (both precisions must agree).

    Outside a request, stops after `seconds`, keeping the samples computed so far. Inside one
    (`calcml.symbolic.budget.request`) the request's safety net bounds it, and running out
    gives the whole request up: fewer samples could change the verdict.
    """
    from calcml.errors import TimeLimitError
    from calcml.symbolic.budget import reraise_if_spent
    from calcml.symbolic.timelimit import call_with_time_limit

    ev = Evidence(at, side)
    try:
        call_with_time_limit(_fill, seconds, ev, f, x, at, side)
    except TimeLimitError as error:
        reraise_if_spent(error)
        ev.note = f"numeric evaluation stopped after {seconds:g} s"
    return ev


def _fill(ev: Evidence, f: sp.Expr, x: sp.Symbol, at: sp.Expr, side: str) -> None:
    if f.free_symbols - {x}:
        ev.note = "no numeric evidence: the expression has other symbols"
        return
    try:
        fn = numeric_function(f, x)
    except Exception:  # an expression mpmath cannot print
        ev.note = "no numeric evidence: the expression cannot be evaluated numerically"
        return
    ivfn = interval_function(f, x)
    infinite = at in (sp.S.Infinity, sp.S.NegativeInfinity)
    deep = DEEP_EXPONENTS_AT_INFINITY if infinite else DEEP_EXPONENTS
    near = TABLE_EXPONENTS[3:] + deep
    runs = ((TABLE_EXPONENTS, ev.table, False), (deep, ev.deep, False), (near, ev.probes, True))
    for exps, into, offset in runs:
        for k in exps:
            dps = BASE_DPS + (3 * k if not infinite else k)
            label, point = _point_maker(at, side, k, dps, offset)
            # the first table rows are shown, never read by a verdict: no interval check
            checked = ivfn if (into is not ev.table or k > 3) else None
            value, status = _evaluate(fn, point, dps, checked)
            with mp.workdps(dps):
                into.append(Sample(label, point(), value, status))
