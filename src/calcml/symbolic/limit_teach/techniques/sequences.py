"""Two sequences with different limits: a power whose base keeps oscillating has no limit.

For f = b^e as x → ±∞ with b periodic (period P) and e tending to a limit E: along
x_n = c ± n·P the base is the constant b(c), so f(x_n) → b(c)^E (0 when b(c) = 0 and e > 0).
Two starting points c with different limits prove that f has none — a bounded oscillating base
is *not* a limit (|AccumBounds(−1, 1)|⁰ = 1 is false reasoning: (cos x + 1)^(1/x) is 0 at
every x = (2n + 1)π and tends to 1 elsewhere).

The same witness is checked by evaluating f at the sequences' points (`sequence_samples`),
which is the numeric evidence that "sees" an oscillation generic sample points miss.

>>> import sympy as sp
>>> x = sp.Symbol("x", real=True)
>>> [(s.start, s.limit) for s in oscillation_witness((sp.cos(x) + 1) ** (1 / x), x, sp.oo)]
[(0, 1), (pi, 0)]
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import mpmath as mp
import sympy as sp

from calcml.expr.render import to_text
from calcml.symbolic.budget import reraise_if_spent
from calcml.symbolic.evidence import Sample, SequenceSamples
from calcml.symbolic.limit_result import DNE, LimitStep, limit_step, note_step
from calcml.symbolic.limit_sides import sign_near, smooth
from calcml.symbolic.limit_teach.approach import INF, NINF, Approach
from calcml.symbolic.limit_teach.forms import Form, _show
from calcml.symbolic.limit_teach.techniques.base import Move, Teach

PERIODIC = (sp.sin, sp.cos, sp.tan, sp.cot, sp.sec, sp.csc)
MAX_STARTS = 8  # starting points tried in one period
SEQUENCE_EXPONENTS = (1, 2, 3, 4, 6, 8)  # n = 10ᵏ along each sequence, for the evidence


@dataclass(frozen=True)
class Sequence:
    """x_n = start + sign·n·period; along it the base is `base` and f → `limit`."""

    start: sp.Expr
    period: sp.Expr
    sign: int
    base: sp.Expr
    limit: sp.Expr
    near: bool = False  # beside the points, not at them: f is undefined there (0 to a power < 0)

    def point(self, n: int) -> sp.Expr:
        return self.start + self.sign * n * self.period

    def shown(self, x: sp.Symbol) -> str:
        n = "n" if self.sign > 0 else "(−n)"
        start = "" if self.start == 0 else f"{to_text(self.start)} + "
        where = f"{to_text(x)} = {start}{n}·{to_text(self.period)}"
        return f"x ever closer to {where}" if self.near else where


def _starts(b: sp.Expr, x: sp.Symbol, period: sp.Expr) -> list[sp.Expr]:
    """Points of one period where the base is worth reading: its zeros, then simple fractions."""
    found: list[sp.Expr] = []
    try:
        zeros = sp.solveset(b, x, sp.Interval.Ropen(0, period))
    except Exception as error:
        reraise_if_spent(error)
        zeros = sp.S.EmptySet
    if isinstance(zeros, sp.FiniteSet):
        found.extend(sorted(zeros, key=lambda z: float(z))[:MAX_STARTS])
    for k in (0, 1, 2, 3):
        c = period * sp.Rational(k, 4) if k else sp.S.Zero
        if c not in found:
            found.append(c)
    return found[:MAX_STARTS]


def _limit_along(base: sp.Expr, e: sp.Expr, x: sp.Symbol, at: sp.Expr, big: Any) -> Any:
    """lim base^e(x) along the sequence, for a constant base (None: undefined or unknown)."""
    if base.is_zero:
        sign = sign_near(e, x, at, "-" if at is INF else "+")
        # 0^(e > 0) = 0; beside a zero of the base with e < 0, f grows without bound
        return sp.S.Zero if sign == 1 else INF if sign == -1 else None
    if base.is_negative or base.is_extended_real is not True or not base.is_finite:
        return None
    if big is INF or big is NINF:
        if base == 1:
            return sp.S.One
        grows = (base > 1) == (big is INF)
        return INF if grows else sp.S.Zero
    value = sp.Pow(base, big)
    return value if value.is_finite and value.is_extended_real else None


def one_power(f: sp.Expr, x: sp.Symbol) -> sp.Expr:
    """A product of powers whose exponents are rational multiples of one e, b₁^e · b₂^(−2e) …,
    as the one power (b₁/b₂² …)^e when every base is ≥ 0 for every x (then the two are equal):
    (sin x + 1)^x / 2^x is ((sin x + 1)/2)^x. Anything else is returned as it is."""
    if not f.is_Mul:
        return f
    powers = [a.as_base_exp() for a in f.args]
    e = next((exp for _, exp in powers if exp.has(x)), None)
    if e is None:
        return f
    ratios = [sp.cancel(exp / e) for _, exp in powers]
    if not all(r.is_Rational for r in ratios):
        return f
    if not all(_nonnegative(b, x) for b, _ in powers):
        return f
    return sp.Pow(sp.Mul(*(b**r for (b, _), r in zip(powers, ratios, strict=True))), e)


def _nonnegative(b: sp.Expr, x: sp.Symbol) -> bool:
    """b ≥ 0 for every real x: known to SymPy, or a periodic base whose minimum is ≥ 0."""
    if b.is_nonnegative:
        return True
    if not (b.has(*PERIODIC) and b.free_symbols == {x}):
        return False
    try:
        low = sp.minimum(b, x, sp.S.Reals)
    except Exception as error:
        reraise_if_spent(error)
        return False
    return bool(low.is_number and low.is_nonnegative)


@lru_cache(maxsize=64)
def oscillation_witness(f: sp.Expr, x: sp.Symbol, at: sp.Expr) -> list[Sequence] | None:
    """Two sequences toward ±∞ along which f = b^e has different limits, or None.

    Cached: the evidence and the teacher ask for the same witness.
    """
    f = one_power(f, x)
    if at not in (INF, NINF) or not (f.is_Pow and f.base.has(x) and f.exp.has(x)):
        return None
    b, e = f.base, f.exp
    if not b.has(*PERIODIC):
        return None  # SymPy's periodicity can take seconds to say "none"
    try:
        period = sp.periodicity(b, x)
        if period is None or not period.is_positive:
            return None
        exponent_limit = sp.limit(smooth(e), x, at)
    except Exception as error:
        reraise_if_spent(error)
        return None
    if exponent_limit.has(sp.AccumBounds, sp.Limit, sp.nan, sp.zoo):
        return None
    sign = 1 if at is INF else -1
    by_limit: dict[Any, Sequence] = {}
    for c in _starts(b, x, period):
        base = b.subs(x, c)  # exact; no simplify (seconds for |sin(π/12)|)
        value = _limit_along(base, e, x, at, exponent_limit)
        if value is not None and value not in by_limit:
            near = bool(base.is_zero) and value is INF
            by_limit[value] = Sequence(c, period, sign, base, value, near)
    if len(by_limit) < 2:
        return None
    first, second = sorted(by_limit.values(), key=lambda s: float(s.start))[:2]
    return [first, second]


def two_sequences(f: sp.Expr, ap: Approach, form: Form, depth: int, teach: Teach) -> Move | None:
    witness = oscillation_witness(f, ap.x, ap.at)
    if witness is None:
        return None
    b = form.parts["base"]
    steps: list[LimitStep] = [
        note_step(
            "two sequences",
            f"the base {to_text(b)} repeats with period {to_text(witness[0].period)}: "
            "follow f along two sequences that tend to "
            f"{'∞' if ap.at is INF else '−∞'}",
        )
    ]
    for s in witness:
        said = (
            "the base → 0⁺ while the exponent stays negative, so f grows without bound"
            if s.near
            else f"the base is exactly {to_text(s.base)}"
        )
        steps.append(
            limit_step(
                "two sequences",
                f"along {s.shown(ap.x)} {said}",
                f,
                s.limit,
                f"n → ∞ ({s.shown(ap.x)})",
            )
        )
    a, c = (_show(s.limit) for s in witness)
    steps.append(
        note_step(
            "two sequences",
            f"two sequences give different limits ({a} and {c}), so f has no limit: "
            "a base that keeps oscillating is not a base with a limit",
        )
    )
    return Move(steps, value=DNE)


def sequence_evidence(f: sp.Expr, x: sp.Symbol, at: sp.Expr) -> list[SequenceSamples]:
    """f evaluated along the witness's sequences (exactly, then to 30 digits), or []."""
    witness = oscillation_witness(f, x, at)
    if witness is None:
        return []
    found = []
    for s in witness:
        if s.near:
            found.append(SequenceSamples(s.shown(x), _beside_zeros(f, x, s), s.limit))
            continue
        samples = []
        for k in SEQUENCE_EXPONENTS:
            n = 10**k
            point = s.point(n)
            try:
                exact = f.subs(x, point)
                value = mp.mpf(str(sp.N(exact, 30))) if exact.is_extended_real else None
            except Exception as error:
                reraise_if_spent(error)
                value = None
            status = "ok" if value is not None else "undefined"
            samples.append(Sample(f"n = 10{k}", mp.mpf(str(sp.N(point, 30))), value, status))
        found.append(SequenceSamples(s.shown(x), samples, s.limit))
    return found


NEAR_STEPS = (2, 4, 6, 8, 12, 16, 20)  # n for the points beside the base's zeros


def _beside_zeros(f: sp.Expr, x: sp.Symbol, s: Sequence) -> list[Sample]:
    """f at x = c ± n·P + 10^(−n²): ever closer to the zeros of the base as n grows.

    Closer than any fixed distance, so that a power with a negative exponent shows how large
    it gets (|sin x|^(2/x) beside x = −nπ); each point is evaluated with enough digits.
    """
    from calcml.symbolic.evidence import numeric_function

    fn = numeric_function(f, x)
    samples = []
    for n in NEAR_STEPS:
        with mp.workdps(3 * n * n + 40):
            point = mp.mpf(str(sp.N(s.point(n), 3 * n * n + 60))) + mp.mpf(10) ** (-n * n)
            try:
                value = fn(point)
                status = "ok" if isinstance(value, mp.mpf) and mp.isfinite(value) else "undefined"
            except (ValueError, ZeroDivisionError, OverflowError, TypeError):
                value, status = None, "undefined"
            samples.append(Sample(f"n = {n}", point, value if status == "ok" else None, status))
    return samples


__all__ = ["Sequence", "oscillation_witness", "sequence_evidence"]
