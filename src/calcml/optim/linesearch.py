"""Backtracking line search with the Armijo (sufficient decrease) condition.

Start from a trial step t and halve it until f(x + t·d) ≤ f(x) + c·t·∇f(x)·d: the loss must
fall by at least a fraction c of what the tangent line promises.

>>> import numpy as np
>>> f = lambda x: float(x @ x)
>>> x = np.array([1.0]); g = 2 * x
>>> armijo(f, x, f(x), g, -g, step=1.0).step
0.5
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]


@dataclass(frozen=True)
class LineSearchResult:
    """The accepted step t, f at the new point, how many f evaluations it took, success flag."""

    step: float
    value: float
    evaluations: int
    ok: bool


def armijo(
    f: Callable[[Array], float],
    x: Array,
    fx: float,
    g: Array,
    direction: Array,
    step: float = 1.0,
    c: float = 1e-4,
    shrink: float = 0.5,
    max_halvings: int = 60,
) -> LineSearchResult:
    """Backtrack from `step` until the Armijo condition holds along `direction` (a descent
    direction: ∇f·d < 0). Returns the last tried step with ok=False if none qualified."""
    slope = float(np.dot(g, direction))
    t = step
    value = np.inf
    with np.errstate(all="ignore"):
        for i in range(1, max_halvings + 1):
            value = f(x + t * direction)
            if np.isfinite(value) and value <= fx + c * t * slope:
                return LineSearchResult(t, float(value), i, True)
            t *= shrink
    return LineSearchResult(t / shrink, float(value), max_halvings, False)
