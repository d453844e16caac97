"""How optimizer and model results print their numbers: short text for a number, a vector and
a named point, and NumPy values as JSON (non-finite numbers as strings). Used by every `Run` and
the ml reports, so a number reads the same everywhere."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]


def num(v: float) -> str:
    """Six significant digits in [1e-3, 1e5), scientific notation outside; inf and nan as is."""
    if not np.isfinite(v):
        return str(v)
    if v == 0:
        return "0"
    if 1e-3 <= abs(v) < 1e5:
        return f"{v:.6g}"
    return f"{v:.3e}"


def vec(x: Array, limit: int = 6) -> str:
    """(a, b, …, z): at most `limit` entries shown, the last one always."""
    values = [num(float(v)) for v in np.ravel(x)]
    if len(values) > limit:
        values = [*values[: limit - 2], "…", values[-1]]
    return "(" + ", ".join(values) + ")"


def named_point(names: tuple[str, ...], x: Array) -> str:
    """x = 1.5, (x, y) = (1, 2), or x = (…) when the names do not fit."""
    if len(names) == 1 and len(x) == 1:
        return f"{names[0]} = {num(float(x[0]))}"
    if names and len(names) == len(x) and len(x) <= 6:
        return "(" + ", ".join(names) + ") = " + vec(x)
    return "x = " + vec(x)


def jsonable(v: Any) -> Any:
    """NumPy values as JSON: lists of floats, non-finite numbers as strings."""
    if v is None:
        return None
    if isinstance(v, np.ndarray):
        return [jsonable(e) for e in v.tolist()] if v.ndim else jsonable(v.item())
    if isinstance(v, list | tuple):
        return [jsonable(e) for e in v]
    if isinstance(v, float | np.floating):
        f = float(v)
        return f if np.isfinite(f) else str(f)
    if isinstance(v, np.integer):
        return int(v)
    return v
