"""The gradient-descent playground's model: the classic functions (as data), the form's settings
read from a query string, and the service requests they become (`descend` or `newton`, then a
`figure` for the contour plot around the path).

Maxima: `steps` ≤ BOUNDS["playground_steps"] (every iterate is drawn), the learning rate and
momentum within the `descend` verb's own bounds (0 < lr ≤ 1000, 0 ≤ momentum < 1), the
condition number of a bowl ≤ MAX_CONDITION, start coordinates |x|, |y| ≤ MAX_COORDINATE.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from calcml.bounds import BOUNDS
from calcml.web.errors import WebError

MAX_CONDITION = 1_000.0
MAX_COORDINATE = 1_000.0
VIEW_GROWTH = 4.0  # the window grows to show the path, up to this many times its own size


@dataclass(frozen=True)
class Classic:
    """A named test function with a window, a start point and a learning rate that show it."""

    label: str
    formula: str  # "{k}" is the bowl's condition number
    window: tuple[float, float, float, float]  # x_low, x_high, y_low, y_high
    start: tuple[float, float]
    lr: float
    note: str

    def expr(self, condition: float) -> str:
        return self.formula.replace("{k}", f"{condition:g}")


CLASSICS: dict[str, Classic] = {
    "bowl": Classic(
        "Quadratic bowl (condition number κ)",
        "(x^2 + {k}*y^2)/2",
        (-2.5, 2.5, -2.5, 2.5),
        (2.0, 1.5),
        0.15,
        "Eigenvalues 1 and κ: GD is stable for lr < 2/κ; larger κ means a narrower valley.",
    ),
    "rosenbrock": Classic(
        "Rosenbrock's banana",
        "(1 - x)^2 + 100*(y - x^2)^2",
        (-2.0, 2.0, -1.0, 3.0),
        (-1.2, 1.0),
        0.001,
        "A curved, flat-bottomed valley; the minimum is at (1, 1).",
    ),
    "himmelblau": Classic(
        "Himmelblau's function",
        "(x^2 + y - 11)^2 + (x + y^2 - 7)^2",
        (-5.0, 5.0, -5.0, 5.0),
        (0.0, 0.0),
        0.01,
        "Four minima of value 0; which one the path finds depends on the start.",
    ),
    "saddle": Classic(
        "A saddle",
        "x^2 - y^2",
        (-2.0, 2.0, -2.0, 2.0),
        (1.5, 0.01),
        0.1,
        "Curving up along x and down along y: a stationary point at 0 that is not a minimum.",
    ),
}
CUSTOM_WINDOW = 3.0  # half-width of the window around the start for a typed function

OPTIMIZERS: dict[str, str] = {
    "gd": "Gradient descent",
    "momentum": "Momentum (heavy ball)",
    "nesterov": "Nesterov momentum",
    "adam": "Adam",
    "newton": "Newton's method",
}


def _number(params: Mapping[str, str], name: str, default: float, label: str) -> float:
    raw = str(params.get(name, "")).strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise WebError(400, f"{label} must be a number, got {raw[:40]!r}") from None
    if not math.isfinite(value):
        raise WebError(400, f"{label} must be a finite number, got {raw[:40]!r}")
    return value


@dataclass(frozen=True)
class Settings:
    """The playground's form. `classic` names a CLASSICS entry or is "custom" (use `f`)."""

    classic: str = "bowl"
    condition: float = 10.0
    f: str = ""
    x0: float = 2.0
    y0: float = 1.5
    optimizer: str = "gd"
    lr: float = 0.15
    momentum: float = 0.9
    steps: int = 200

    @classmethod
    def read(cls, params: Mapping[str, str]) -> Settings:
        """The settings of a query string (defaults: a bowl of condition number 10)."""
        classic = str(params.get("classic", "bowl"))
        if classic != "custom" and classic not in CLASSICS:
            raise WebError(400, f"no classic {classic!r}; one of: {', '.join(CLASSICS)}, custom")
        optimizer = str(params.get("optimizer", "gd"))
        if optimizer not in OPTIMIZERS:
            raise WebError(400, f"no optimizer {optimizer!r}; one of: {', '.join(OPTIMIZERS)}")
        base = CLASSICS.get(classic, CLASSICS["bowl"])
        condition = _number(params, "condition", 10.0, "the condition number")
        if not 1.0 <= condition <= MAX_CONDITION:
            raise WebError(
                400, f"the condition number must be from 1 to {MAX_CONDITION:g}, got {condition:g}"
            )
        start = [
            _number(params, name, default, f"the start's {name[0]}")
            for name, default in (("x0", base.start[0]), ("y0", base.start[1]))
        ]
        if any(abs(v) > MAX_COORDINATE for v in start):
            raise WebError(400, f"start coordinates must be at most {MAX_COORDINATE:g} in size")
        steps = _number(params, "steps", 200.0, "steps")
        bound = BOUNDS["playground_steps"]
        if not steps.is_integer():
            raise WebError(400, f"steps must be a whole number, got {steps:g}")
        try:
            bound.check(steps, "steps")
        except Exception as exc:
            raise WebError(400, str(exc)) from None
        return cls(
            classic=classic,
            condition=condition,
            f=str(params.get("f", "")).strip()[:2000],
            x0=start[0],
            y0=start[1],
            optimizer=optimizer,
            lr=_number(params, "lr", base.lr, "the learning rate"),
            momentum=_number(params, "momentum", 0.9, "momentum"),
            steps=int(steps),
        )

    def expr(self) -> str:
        """The function minimised: the classic's formula, or the typed f."""
        if self.classic == "custom":
            if not self.f:
                raise WebError(400, "type a function of x and y, or pick a classic")
            return self.f
        return CLASSICS[self.classic].expr(self.condition)

    def window(self) -> tuple[float, float, float, float]:
        if self.classic == "custom":
            w = CUSTOM_WINDOW
            return (self.x0 - w, self.x0 + w, self.y0 - w, self.y0 + w)
        x_lo, x_hi, y_lo, y_hi = CLASSICS[self.classic].window
        return (
            min(x_lo, self.x0 - 0.5),
            max(x_hi, self.x0 + 0.5),
            min(y_lo, self.y0 - 0.5),
            max(y_hi, self.y0 + 0.5),
        )

    def verb(self) -> str:
        return "newton" if self.optimizer == "newton" else "descend"

    def request(self) -> dict[str, Any]:
        """The fields of the service request (`descend` or `newton`) these settings ask for."""
        common = {
            "expr": self.expr(),
            "start": [self.x0, self.y0],
            "steps": self.steps,
            "variables": ["x", "y"],
        }
        if self.optimizer == "newton":
            return common
        fields: dict[str, Any] = {**common, "lr": self.lr}
        if self.optimizer in ("momentum", "nesterov"):
            fields["momentum"] = self.momentum
            fields["nesterov"] = self.optimizer == "nesterov"
        if self.optimizer == "adam":
            fields["adam"] = True
        return fields


def view_window(settings: Settings, path: list[list[Any]]) -> tuple[list[float], list[float], bool]:
    """The contour plot's window: the settings' window grown to hold the path, but at most
    VIEW_GROWTH times its size (a diverging path leaves it: the flag says so)."""
    x_lo, x_hi, y_lo, y_hi = settings.window()
    cx, cy = (x_lo + x_hi) / 2, (y_lo + y_hi) / 2
    rx, ry = VIEW_GROWTH * (x_hi - x_lo) / 2, VIEW_GROWTH * (y_hi - y_lo) / 2
    left = False
    for point in path:
        x, y = point[0], point[1]
        if not all(isinstance(v, int | float) and math.isfinite(v) for v in (x, y)):
            left = True
            continue
        if abs(x - cx) > rx or abs(y - cy) > ry:
            left = True
            continue
        x_lo, x_hi = min(x_lo, x), max(x_hi, x)
        y_lo, y_hi = min(y_lo, y), max(y_hi, y)
    pad_x, pad_y = 0.05 * (x_hi - x_lo), 0.05 * (y_hi - y_lo)
    return [x_lo - pad_x, x_hi + pad_x], [y_lo - pad_y, y_hi + pad_y], left
