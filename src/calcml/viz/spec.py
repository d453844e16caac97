"""Figure specs: the plain-JSON data behind every figure (series, contours, paths, graphs).

A spec is a dict with at least `kind` (which renderer draws it), `title` and `notes`. Numbers
are floats; a missing or undefined value is `None` (JSON `null`), never NaN or inf, so the web
app can read a spec with `JSON.parse`.
"""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np

Spec = dict[str, Any]


def jsonable(v: Any) -> Any:
    """NumPy arrays and scalars as JSON-ready lists and floats; NaN/inf become None."""
    if v is None or isinstance(v, bool | str):
        return v
    if isinstance(v, np.ndarray):
        return [jsonable(e) for e in v.tolist()]
    if isinstance(v, dict):
        return {str(k): jsonable(e) for k, e in v.items()}
    if isinstance(v, list | tuple):
        return [jsonable(e) for e in v]
    if isinstance(v, np.bool_):
        return bool(v)
    if isinstance(v, int | np.integer):
        return int(v)
    if isinstance(v, float | np.floating):
        f = float(v)
        return f if math.isfinite(f) else None
    return v


def array(values: Any) -> np.ndarray:
    """A spec list back as a float array (None -> NaN)."""
    return np.array(values, dtype=np.float64)


def series(label: str, x: Any, y: Any, role: str = "function", **extra: Any) -> Spec:
    """One drawn line: `label`, `x`, `y` (None where undefined), and its `role`."""
    return {"label": label, "role": role, "x": jsonable(np.asarray(x)), "y": jsonable(y), **extra}


def to_json(spec: Spec, indent: int | None = 2) -> str:
    """The spec as a JSON string (strict: no NaN/Infinity)."""
    return json.dumps(jsonable(spec), indent=indent, ensure_ascii=False, allow_nan=False)
