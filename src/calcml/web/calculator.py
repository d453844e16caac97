"""The calculator's operations as data: each names its service verb, the form inputs it shows,
how the form's fields become the verb's request, and the figure drawn beside the result."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

MAX_QUERY = 2_000  # characters of any one form field (the service's models bound each further)


@dataclass(frozen=True)
class Query:
    """The calculator's form, as it appears in a permalink's query string."""

    op: str = "derive"
    q: str = ""
    wrt: str = ""
    at: str = "0"
    side: str = "both"
    order: str = "3"
    direction: str = ""
    shapes: str = ""

    @classmethod
    def read(cls, params: Mapping[str, str]) -> Query:
        values = {k: str(params[k])[:MAX_QUERY] for k in cls.__dataclass_fields__ if k in params}
        return cls(**{k: v.strip() for k, v in values.items()})

    def permalink(self, inputs: tuple[str, ...]) -> dict[str, str]:
        """The fields that matter for an operation with these inputs (defaults left out)."""
        default = Query()
        out = {"op": self.op, "q": self.q}
        for name in inputs:
            value = getattr(self, name)
            if value and value != getattr(default, name):
                out[name] = value
        return out

    def names(self) -> list[str] | None:
        out = [n.strip() for n in self.wrt.replace(";", ",").split(",") if n.strip()]
        return out or None

    def first(self) -> str | None:
        names = self.names()
        return names[0] if names else None

    def exprs(self) -> list[str]:
        return [e.strip() for e in self.q.split(";") if e.strip()]

    def parts(self) -> list[str]:
        return [p.strip() for p in self.direction.split(",") if p.strip()]

    def matrix(self) -> dict[str, Any]:
        """The shapes field for the service (vector/matrix questions), when one was given."""
        return {"shapes": self.shapes} if self.shapes else {}

    def point(self) -> str:
        """The point of a picture of the plane: `at` when it has two coordinates, else (1, 0.5)."""
        return self.at if self.at.count(",") == 1 else "1, 0.5"

    def order_int(self) -> int | str:
        return int(self.order) if self.order.strip().isdigit() else self.order


@dataclass(frozen=True)
class Op:
    """One calculator operation."""

    label: str
    verb: str
    inputs: tuple[str, ...]  # extra form inputs shown: wrt, at, side, order, direction
    request: Callable[[Query], dict[str, Any]]
    figure: Callable[[Query], dict[str, Any]] | None
    example: str


def _expr_wrt(q: Query) -> dict[str, Any]:
    return {"expr": q.q, "wrt": q.names()}


def _expr_wrt_shapes(q: Query) -> dict[str, Any]:
    return {**_expr_wrt(q), **q.matrix()}


def _figure(kind: str, **more: Callable[[Query], Any]) -> Callable[[Query], dict[str, Any]]:
    def build(q: Query) -> dict[str, Any]:
        fields = {"kind": kind, "expr": q.q, "var": q.names()}
        fields.update({k: f(q) for k, f in more.items()})
        return {k: v for k, v in fields.items() if v is not None}

    return build


OPS: dict[str, Op] = {
    "derive": Op(
        "Derivative",
        "derive",
        ("wrt", "shapes"),
        lambda q: {"expr": q.q, "wrt": q.names(), **q.matrix()},
        _figure("with_derivative"),
        "sigmoid(w*x + b)",
    ),
    "partial": Op(
        "Partial derivative",
        "derive",
        ("wrt",),
        lambda q: {"expr": q.q, "wrt": q.names() or ["x"]},
        None,
        "x^2*y + sin(x*y)",
    ),
    "gradient": Op(
        "Gradient",
        "gradient",
        ("wrt", "shapes"),
        _expr_wrt_shapes,
        _figure("gradient_field"),
        "x^2*y + y^3",
    ),
    "jacobian": Op(
        "Jacobian",
        "jacobian",
        ("wrt", "shapes"),
        lambda q: {"exprs": q.exprs(), "wrt": q.names(), **q.matrix()},
        lambda q: {"kind": "jacobian_map", "exprs": q.exprs(), "var": q.names(), "at": q.point()},
        "x*y; x + y^2",
    ),
    "hessian": Op(
        "Hessian",
        "hessian",
        ("wrt", "shapes"),
        _expr_wrt_shapes,
        _figure("curvature"),
        "x^2*y + y^3",
    ),
    "directional": Op(
        "Directional derivative",
        "directional",
        ("wrt", "direction"),
        lambda q: {"expr": q.q, "wrt": q.names(), "direction": q.parts()},
        _figure("surface"),
        "x^2 + 3*x*y",
    ),
    "limit": Op(
        "Limit",
        "limit",
        ("wrt", "at", "side"),
        lambda q: {"expr": q.q, "var": q.first(), "at": q.at or "0", "side": q.side},
        _figure("limit", at=lambda q: q.at or "0", side=lambda q: q.side),
        "sin(x)/x",
    ),
    "continuity": Op(
        "Continuity",
        "continuity",
        ("wrt", "at"),
        lambda q: {"expr": q.q, "var": q.first(), "at": q.at or "0"},
        _figure("limit", at=lambda q: q.at or "0"),
        "abs(x)/x",
    ),
    "taylor": Op(
        "Taylor polynomial",
        "taylor",
        ("wrt", "at", "order"),
        lambda q: {"expr": q.q, "var": q.names(), "at": q.at or "0", "order": q.order_int()},
        _figure(
            "taylor",
            at=lambda q: q.at or "0",
            orders=lambda q: (
                list(range(1, min(int(q.order_int()), 6) + 1))
                if isinstance(q.order_int(), int) and int(q.order_int()) > 0
                else None
            ),
        ),
        "exp(x)",
    ),
    "critical": Op(
        "Critical points", "critical", ("wrt",), _expr_wrt, _figure("curvature"), "x^3 - 3*x + y^2"
    ),
}

INPUT_LABELS = {
    "wrt": ("Variable(s)", "x   or   x, y"),
    "at": ("At the point", "0, 1, pi, oo, -oo"),
    "side": ("Side", ""),
    "order": ("Order", ""),
    "direction": ("Direction", "1, 1"),
    "shapes": ("Shapes (vectors, matrices)", "X: n×d, w: d, y: n"),
}
SIDES = ("both", "left", "right")
