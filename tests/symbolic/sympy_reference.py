"""Independent numeric confirmation of a limit's expected value (mpmath and NumPy, written here).

Used by the SymPy-suite corpus test: SymPy's expected values are checked before they are
trusted, because some hold only over the complex numbers (acsc(sin(x)/x) at 0 is complex on
both sides) and calcml works with real functions; and where calcml and SymPy differ, the same
evaluation decides which one the numbers support (`approaches`).
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from pathlib import Path

import mpmath as mp
import numpy as np
import sympy as sp

import calcml as cm

DATA = Path(__file__).with_name("data") / "sympy_limits.json"


@dataclass(frozen=True)
class Case:
    expr: str
    at: str
    side: str
    sympy: str  # SymPy's expected value (calcml syntax), or 'oo', '-oo', 'DNE'
    var: str = "x"
    source: str = ""  # SymPy's test file, test and line
    params: str = ""  # the values given to SymPy's other symbols ('a = 7/3')

    @property
    def id(self) -> str:
        return f"{self.expr} as {self.var} → {self.at} ({self.side})"

    @property
    def symbol(self) -> sp.Symbol:
        return cm.parse(self.var)  # type: ignore[no-any-return]

    @property
    def f(self) -> sp.Expr:
        return cm.parse(self.expr)  # type: ignore[no-any-return]

    @property
    def point(self) -> sp.Expr:
        return {"oo": sp.oo, "-oo": -sp.oo}.get(self.at) or cm.parse(self.at)


def load() -> list[Case]:
    return [Case(**c) for c in json.loads(DATA.read_text())["cases"]]


def skipped() -> list[dict[str, str]]:
    """SymPy's assertions the extractor did not keep, each with its reason."""
    return list(json.loads(DATA.read_text())["skipped"])


def _points(at: sp.Expr, side: str) -> list[mp.mpf]:
    if at in (sp.oo, -sp.oo):
        s = 1 if at == sp.oo else -1
        return [s * mp.mpf(10) ** k * mp.mpf("1.0371") for k in (2, 3, 4, 5, 6)]
    a = mp.mpf(str(sp.N(at, 80)))
    sign = 1 if side == "right" else -1
    return [a + sign * mp.mpf(10) ** (-k) * mp.mpf("1.0371") for k in (4, 6, 8, 10, 12)]


def _values(f: sp.Expr, x: sp.Symbol, points: list[mp.mpf]) -> list[mp.mpc]:
    fn = sp.lambdify(x, f, "mpmath")
    out = []
    for p in points:
        try:
            out.append(mp.mpc(fn(p)))
        except (ZeroDivisionError, ValueError, OverflowError):
            out.append(mp.mpc(mp.nan))
    return out


def _log_of_tower(x: mp.mpf) -> mp.mpf:
    """log of ((2/3)^(x+1) + 1)^(2^x) / 2^((4/3)^(x-1)), with log1p: no term lost."""
    third = mp.mpf(2) / 3
    return mp.power(2, x) * mp.log1p(third ** (x + 1)) - (mp.mpf(4) / 3) ** (x - 1) * mp.log(2)


def _tower_grows() -> bool:
    with mp.workdps(50):
        logs = [_log_of_tower(mp.mpf(10) ** k) for k in (1, 2, 3, 4)]
    return all(b > a for a, b in itertools.pairwise(logs)) and logs[-1] > 100


def _two_exact_sequences(f: sp.Expr, x: sp.Symbol, at: sp.Expr) -> bool:
    """No limit, exactly: far out, f is 0 (or undefined) at a zero of the periodic base, and
    between 0.5 and 10 a quarter, half or three quarters of a period further."""
    base = f.base
    period = sp.periodicity(base, x)
    zeros = sp.solveset(base, x, sp.Interval.Ropen(0, period))
    if not isinstance(zeros, sp.FiniteSet) or not zeros:
        return False
    z = min(zeros, key=float)
    far = (1 if at == sp.oo else -1) * period * 10**6
    at_zero = f.subs(x, z + far)
    if not (at_zero == 0 or not at_zero.is_finite):
        return False
    elsewhere = [sp.N(f.subs(x, z + period * k / 4 + far), 30) for k in (1, 2, 3)]
    return any(v.is_finite and sp.Float("0.5") < v < 10 for v in elsewhere)


# cases naive sampling cannot confirm, each with a reference written for it
SPECIAL = {
    "((2/3)^(x + 1) + 1)^(2^x)/2^((4/3)^(x - 1))": lambda f, at: _tower_grows(),
}


def confirm(case: Case, side: str) -> str:
    """What the numbers say about SymPy's value from one side: 'confirmed', 'complex' (f has
    no real values there), or 'unconfirmed'."""
    return approaches(case, side, case.sympy)


def approaches(case: Case, side: str, value: str) -> str:
    """Whether f's values approach `value` ('oo', '-oo', 'DNE' or a number in calcml syntax)
    from one side: 'confirmed', 'complex' (f has no real values there), or 'unconfirmed'."""
    f, x, at = case.f, case.symbol, case.point
    if case.expr in SPECIAL:
        return "confirmed" if SPECIAL[case.expr](f, at) and value == case.sympy else "unconfirmed"
    if value == "DNE" and f.is_Pow and f.base.has(sp.sin, sp.cos, sp.tan) and at.is_infinite:
        return "confirmed" if _two_exact_sequences(f, x, at) else "unconfirmed"
    with mp.workdps(60):
        vals = _values(f, x, _points(at, side))
        if any(mp.isnan(v.real) for v in vals):
            return "unconfirmed"
        if sum(abs(v.imag) > mp.mpf(10) ** -30 * max(1, abs(v)) for v in vals) >= 3:
            return "complex"
        real = [v.real for v in vals]
        if value == "DNE":
            return "confirmed" if _spread(f, x, at, side) else "unconfirmed"
        if value in ("oo", "-oo"):
            s = 1 if value == "oo" else -1
            grows = s * real[-1] > 2 * max(1, s * real[0])  # log-slow growth included
            return "confirmed" if grows else "unconfirmed"
        target = mp.mpf(str(sp.N(cm.parse(value), 60)))
        errors = [abs(r - target) for r in real]
        near = errors[-1] <= mp.mpf("1e-2") * max(1, abs(target)) and errors[-1] <= errors[0]
        return "confirmed" if near else "unconfirmed"


def _spread(f: sp.Expr, x: sp.Symbol, at: sp.Expr, side: str) -> bool:
    """No limit: on a dense grid over a window near the point, f keeps swinging by > 0.01."""
    fn = sp.lambdify(x, f, "numpy")
    if at in (sp.oo, -sp.oo):
        s = 1 if at == sp.oo else -1
        grids = [s * np.linspace(10.0**k, 10.0**k + 7, 40001) for k in (3, 4)]
    else:
        a = float(sp.N(at))
        s = 1 if side == "right" else -1
        grids = [a + s * np.linspace(10.0**-k, 2 * 10.0**-k, 40001) for k in (3, 4)]
    with np.errstate(all="ignore"):
        for grid in grids:
            y = np.asarray(fn(grid), dtype=complex)
            y = y[np.isfinite(y) & (np.abs(y.imag) < 1e-9)].real
            if y.size < 100 or np.ptp(y) < 0.01:
                return False
    return True


def real_values_approach(case: Case, side: str, value: sp.Expr) -> bool:
    """Where f is real near the point (it may be complex elsewhere), do its values → value?"""
    fn = sp.lambdify(case.symbol, case.f, "mpmath")
    a = mp.mpf(str(sp.N(case.point, 60)))
    sign = 1 if side == "right" else -1
    near = []
    with mp.workdps(40):
        for k in range(6, 12):
            for u in (1.1, 1.7, 2.3, 3.9, 5.3, 7.7, 9.1):
                try:
                    v = mp.mpc(fn(a + sign * mp.mpf(u) * mp.mpf(10) ** (-k)))
                except (ValueError, ZeroDivisionError):
                    continue
                if abs(v.imag) < mp.mpf(10) ** -20:
                    near.append(v.real)
        target = mp.mpf(str(sp.N(value, 40)))
        return len(near) >= 5 and all(abs(v - target) < mp.mpf("1e-2") for v in near[-5:])


def not_real_near(case: Case, side: str) -> bool:
    """f takes non-real values at points of the approach (relative to its size: (-1/4)^x is
    tiny and complex at x = 10ᵏ·1.0371), so it has no real limit there."""
    vals = _values(case.f, case.symbol, _points(case.point, side))
    with mp.workdps(60):
        return sum(abs(v.imag) > mp.mpf(10) ** -10 * abs(v) for v in vals) >= 3
