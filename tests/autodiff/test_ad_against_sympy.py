"""The two engines against each other: for 240 seeded random expressions f(x, y, z), calcml's
`grad` and `hessian` equal SymPy's exact derivatives, lambdified to NumPy, at random points.

The expression is evaluated by the engine through the same lambdified NumPy code (so NumPy's
protocols route every call through the autodiff primitives).
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest
import sympy as sp

from calcml import autodiff as ad
from randexpr import random_exprs

N_EXPRS = 240
EXPRS = random_exprs(seed=2024, n=N_EXPRS, nvars=3, depth=3)
X, Y, Z = (sp.Symbol(n, real=True) for n in "xyz")
VARS = [X, Y, Z]


def _points(expr: sp.Expr, f: Any, rng: np.random.Generator) -> list[np.ndarray]:
    """Up to 3 points where f is finite and away from kinks (points land in (-1.8, 1.8))."""
    found = []
    for _ in range(40):
        p = rng.uniform(-1.8, 1.8, size=3)
        p = np.where(np.abs(p) < 0.05, p + 0.2, p)
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            try:
                value = np.asarray(f(*p), dtype=complex)
            except TypeError:  # complex constants such as (-1)**(1/3): not a real function
                return []
        if (
            np.all(np.isfinite(value))
            and np.all(np.abs(value.imag) < 1e-12)
            and np.all(np.abs(value) < 1e6)
        ):
            found.append(p)
        if len(found) == 3:
            break
    return found


def _smooth(e: sp.Expr) -> sp.Expr:
    """Drop Dirac deltas and sign′ (from |u|'' or relu''): the points avoid the kinks."""
    e = e.replace(sp.DiracDelta, lambda *args: sp.S.Zero)
    return e.replace(
        lambda a: isinstance(a, sp.Derivative) and isinstance(a.expr, sp.sign),
        lambda a: sp.S.Zero,
    )


def _close(a: Any, b: Any) -> bool:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return bool(np.allclose(a, b, rtol=1e-6, atol=1e-8 * (1 + np.max(np.abs(b)))))


@pytest.mark.parametrize("k", range(0, N_EXPRS, 20))
def test_grad_and_hessian_equal_sympys_exact_derivatives(k: int) -> None:
    rng = np.random.default_rng(k)
    checked = 0
    expressions = 0
    for expr in EXPRS[k : k + 20]:
        f = sp.lambdify(VARS, expr, "numpy")
        points = _points(expr, f, rng)
        if not points:
            continue
        grad_exprs = [_smooth(sp.diff(expr, v)) for v in VARS]
        hess_exprs = [[_smooth(sp.diff(g, v)) for v in VARS] for g in grad_exprs]
        g_ref = sp.lambdify(VARS, grad_exprs, "numpy")
        h_ref = sp.lambdify(VARS, hess_exprs, "numpy")

        def fv(v: Any, f: Any = f) -> Any:
            return f(v[0], v[1], v[2])

        expressions += 1
        for p in points:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                want_g = np.array(g_ref(*p), dtype=float)
                want_h = np.array(h_ref(*p), dtype=float)
                if not (np.all(np.isfinite(want_g)) and np.all(np.isfinite(want_h))):
                    continue
                got_g = ad.grad(f, argnums=(0, 1, 2))(*p)
                got_h = ad.hessian(fv)(p)
            assert _close(got_g, want_g), f"grad of {expr} at {p}: {got_g} != {want_g}"
            assert _close(got_h, want_h), f"hessian of {expr} at {p}:\n{got_h}\n!=\n{want_h}"
            checked += 1
    assert expressions >= 15 and checked >= 30, "too few expressions could be evaluated"
