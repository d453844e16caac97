"""From user input to sampled numbers: parse, pick the variable(s), evaluate on a grid.

Undefined points (log of a negative, 0/0, complex values) become NaN; `gaps` reports the
intervals where a function is undefined, and `break_jumps` splits a curve at vertical
asymptotes so that no false vertical line is drawn across them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import sympy as sp

from calcml.errors import CalcmlError

Array = np.ndarray


def variables(expr: sp.Expr, names: Sequence[Any] | Any | None, count: int) -> list[sp.Symbol]:
    """The `count` variables to plot against: given by name, or the expression's free symbols."""
    from calcml.expr import symbol
    from calcml.expr.variables import variable

    if names is not None:
        if isinstance(names, str | sp.Symbol):
            names = [names]
        chosen = [variable(n if isinstance(n, sp.Symbol) else str(n)) for n in names]
    else:
        chosen = sorted(expr.free_symbols, key=lambda s: s.name)  # type: ignore[attr-defined]
        if not chosen:
            chosen = [symbol(n) for n in ("x", "y", "z")[:count]]
    if len(chosen) != count:
        have = ", ".join(s.name for s in chosen) or "none"
        raise CalcmlError(
            f"this figure needs a function of {count} variable{'s' * (count > 1)}; "
            f"{have} given — name the variable{'s' * (count > 1)} to plot against"
        )
    extra = expr.free_symbols - set(chosen)
    if extra:
        names_ = ", ".join(sorted(s.name for s in extra))  # type: ignore[attr-defined]
        raise CalcmlError(f"give values for {names_}: the figure plots only {chosen[0].name}")
    return chosen


def numeric(
    expr: sp.Expr, syms: Sequence[sp.Symbol], keep_inf: bool = False
) -> Callable[..., Array]:
    """expr as a NumPy function of arrays; non-real values come back as NaN, and so do ±inf
    unless `keep_inf` (to tell an overflow from a point where f is undefined)."""
    fn = sp.lambdify(list(syms), expr, "numpy")

    def call(*args: Any) -> Array:
        arrays = [np.asarray(a, dtype=np.float64) for a in args]
        with np.errstate(all="ignore"):
            try:
                raw = fn(*arrays)
            except (ZeroDivisionError, OverflowError, ValueError, TypeError):
                raw = np.full(np.broadcast(*arrays).shape, np.nan)
            out = np.asarray(raw)
            if np.iscomplexobj(out):
                out = np.where(np.abs(out.imag) < 1e-12, out.real, np.nan)
            out = np.broadcast_to(out.astype(np.float64), np.broadcast(*arrays).shape).copy()
        out[np.isnan(out) if keep_inf else ~np.isfinite(out)] = np.nan
        return out

    return call


def value_at(expr: sp.Expr, point: dict[sp.Symbol, float]) -> float:
    """expr at a point as a float (NaN when undefined there)."""
    syms = list(point)
    return float(numeric(expr, syms)(*[np.array(point[s]) for s in syms]))


SINGULARITY_TIME_LIMIT = 1.0  # seconds


def singular_points(expr: sp.Expr, var: sp.Symbol, lo: float, hi: float) -> list[float]:
    """Points of [lo, hi] where expr is singular (1/x at 0, tan at ±π/2), by SymPy; [] when
    SymPy cannot tell quickly. They are sampled exactly so the figure shows them as gaps."""
    from sympy.calculus.util import singularities

    from calcml.symbolic.timelimit import call_with_time_limit

    try:
        found = call_with_time_limit(
            singularities, SINGULARITY_TIME_LIMIT, expr, var, sp.Interval(lo, hi)
        )
    except Exception:  # unknown to SymPy, or too slow: draw without exact gaps
        return []
    if not isinstance(found, sp.FiniteSet) or len(found) > 50:
        return []
    points = []
    for p in found:
        try:
            v = float(p)  # type: ignore[arg-type]
        except TypeError:
            continue
        if lo <= v <= hi:
            points.append(v)
    return sorted(points)


def grid(lo: float, hi: float, n: int, avoid: Sequence[float] = ()) -> Array:
    """n points on [lo, hi] (the points in `avoid` are included exactly, so holes show)."""
    if not (np.isfinite(lo) and np.isfinite(hi)) or hi <= lo:
        raise CalcmlError(f"the plotting range must be two finite numbers lo < hi, got {lo}, {hi}")
    xs = np.linspace(lo, hi, n)
    extra = [a for a in avoid if lo <= a <= hi]
    return np.unique(np.concatenate([xs, extra])) if extra else xs


def gaps(x: Array, y: Array) -> list[tuple[float, float]]:
    """Intervals [a, b] of x (from the sample) where y is undefined (NaN)."""
    bad = ~np.isfinite(y)
    out: list[tuple[float, float]] = []
    i = 0
    while i < len(x):
        if bad[i]:
            j = i
            while j + 1 < len(x) and bad[j + 1]:
                j += 1
            out.append((float(x[i]), float(x[j])))
            i = j + 1
        else:
            i += 1
    return out


def describe_gaps(var: str, found: list[tuple[float, float]], what: str = "undefined") -> str:
    """'undefined for x in [-3, -0.01] and at x = 2' — the gaps in words."""
    from calcml.viz.style import number

    parts = [
        f"at {var} = {number(a)}" if a == b else f"for {var} in [{number(a)}, {number(b)}]"
        for a, b in found[:4]
    ]
    more = f" and {len(found) - 4} more places" if len(found) > 4 else ""
    return f"{what} " + ", ".join(parts) + more


def y_window(ys: Sequence[Array], pad: float = 0.08) -> tuple[float, float]:
    """y-limits that show the bulk of the curves without letting asymptotes flatten them."""
    finite = np.concatenate([np.ravel(y)[np.isfinite(np.ravel(y))] for y in ys] or [np.zeros(0)])
    if finite.size == 0:
        return (-1.0, 1.0)
    lo, hi = float(finite.min()), float(finite.max())
    q_lo, q_hi = np.percentile(finite, [3, 97])
    spread = q_hi - q_lo
    if spread > 0 and (hi - lo) > 6 * spread:  # a few huge values: an asymptote
        lo, hi = max(lo, float(q_lo - spread)), min(hi, float(q_hi + spread))
    if hi - lo < 1e-12:
        lo, hi = lo - 1.0, hi + 1.0
    margin = pad * (hi - lo)
    return lo - margin, hi + margin


def break_jumps(y: Array, window: tuple[float, float]) -> Array:
    """Copy of y with NaN inserted where the curve jumps across most of the window
    (a vertical asymptote or a jump), so the line is not joined across it."""
    out = y.copy()
    height = window[1] - window[0]
    d = np.abs(np.diff(y))
    jump = np.where(np.isfinite(d) & (d > 0.5 * height))[0]
    for i in jump:
        # blank the point further from the window's centre
        centre = 0.5 * (window[0] + window[1])
        k = i if abs(y[i] - centre) > abs(y[i + 1] - centre) else i + 1
        out[k] = np.nan
    return out
