"""Independent numeric confirmation of a limit's expected value (mpmath and NumPy, written here).

Used by the SymPy-suite corpus test: SymPy's expected values are checked before they are
trusted, because some hold only over the complex numbers (acsc(sin(x)/x) at 0 is complex on
both sides) and calcml works with real functions.
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
X = sp.Symbol("x", real=True)


@dataclass(frozen=True)
class Case:
    expr: str
    at: str
    side: str
    sympy: str  # SymPy's expected value (calcml syntax), or 'oo', '-oo', 'DNE'

    @property
    def id(self) -> str:
        return f"{self.expr} at {self.at} ({self.side})"


def load() -> list[Case]:
    return [Case(**c) for c in json.loads(DATA.read_text())]


def _points(at: sp.Expr, side: str) -> list[mp.mpf]:
    if at in (sp.oo, -sp.oo):
        s = 1 if at == sp.oo else -1
        return [s * mp.mpf(10) ** k * mp.mpf("1.0371") for k in (2, 3, 4, 5, 6)]
    a = mp.mpf(str(sp.N(at, 80)))
    sign = 1 if side == "right" else -1
    return [a + sign * mp.mpf(10) ** (-k) * mp.mpf("1.0371") for k in (4, 6, 8, 10, 12)]


def _values(f: sp.Expr, points: list[mp.mpf]) -> list[mp.mpc]:
    fn = sp.lambdify(X, f, "mpmath")
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


def _two_exact_sequences(f: sp.Expr, at: sp.Expr) -> bool:
    """No limit, exactly: far out, f is 0 (or undefined) at a zero of the periodic base, and
    between 0.5 and 10 a quarter, half or three quarters of a period further."""
    base = f.base
    period = sp.periodicity(base, X)
    zeros = sp.solveset(base, X, sp.Interval.Ropen(0, period))
    if not isinstance(zeros, sp.FiniteSet) or not zeros:
        return False
    z = min(zeros, key=float)
    far = (1 if at == sp.oo else -1) * period * 10**6
    at_zero = f.subs(X, z + far)
    if not (at_zero == 0 or not at_zero.is_finite):
        return False
    elsewhere = [sp.N(f.subs(X, z + period * k / 4 + far), 30) for k in (1, 2, 3)]
    return any(v.is_finite and sp.Float("0.5") < v < 10 for v in elsewhere)


# cases naive sampling cannot confirm, each with a reference written for it
SPECIAL = {
    "((2/3)^(x + 1) + 1)^(2^x)/2^((4/3)^(x - 1))": lambda f, at: _tower_grows(),
}


def confirm(case: Case, side: str) -> str:
    """What the numbers say about SymPy's value from one side: 'confirmed', 'complex' (f has
    no real values there), or 'unconfirmed'."""
    f = cm.parse(case.expr).subs(cm.parse("x"), X)
    if case.expr in SPECIAL:
        return "confirmed" if SPECIAL[case.expr](f, case.at) else "unconfirmed"
    if case.sympy == "DNE" and f.is_Pow and f.base.has(sp.sin, sp.cos, sp.tan):
        at_inf = sp.oo if case.at == "oo" else -sp.oo
        return "confirmed" if _two_exact_sequences(f, at_inf) else "unconfirmed"
    at = (
        cm.parse(case.at)
        if case.at not in ("oo", "-oo")
        else (sp.oo if case.at == "oo" else -sp.oo)
    )
    with mp.workdps(60):
        vals = _values(f, _points(at, side))
        if any(mp.isnan(v.real) for v in vals):
            return "unconfirmed"
        if sum(abs(v.imag) > mp.mpf(10) ** -30 * max(1, abs(v)) for v in vals) >= 3:
            return "complex"
        real = [v.real for v in vals]
        if case.sympy == "DNE":
            return "confirmed" if _spread(f, at, side) else "unconfirmed"
        if case.sympy in ("oo", "-oo"):
            s = 1 if case.sympy == "oo" else -1
            grows = s * real[-1] > 2 * max(1, s * real[0])  # log-slow growth included
            return "confirmed" if grows else "unconfirmed"
        target = mp.mpf(str(sp.N(cm.parse(case.sympy), 60)))
        errors = [abs(r - target) for r in real]
        near = errors[-1] <= mp.mpf("1e-2") * max(1, abs(target)) and errors[-1] <= errors[0]
        return "confirmed" if near else "unconfirmed"


def _spread(f: sp.Expr, at: sp.Expr, side: str) -> bool:
    """No limit: on a dense grid over a window near the point, f keeps swinging by > 0.01."""
    fn = sp.lambdify(X, f, "numpy")
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
    f = cm.parse(case.expr).subs(cm.parse("x"), X)
    fn = sp.lambdify(X, f, "mpmath")
    a = mp.mpf(str(sp.N(cm.parse(case.at), 60)))
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
