"""The backprop playground's model: the network form read from a query string (sizes, one
activation per hidden layer, loss, seed, optional input, target, weights and biases), the
`backprop` service request it becomes, and the presentation of the answer: the computation
graph laid out in columns, and each backward step's chain rule as LaTeX (rules as data).

Maxima are the service's: at most MAX_HIDDEN hidden layers (MAX_LAYERS layers in all) of at
most MAX_UNITS units, and MAX_FIELD characters in any one text field.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from calcml.service.models import MAX_LAYERS, MAX_SEED, MAX_UNITS
from calcml.web.errors import WebError

MAX_HIDDEN = MAX_LAYERS - 2
MAX_FIELD = 4_000
ACTIVATIONS = ("tanh", "sigmoid", "relu", "softplus")
LOSSES = {"mse": "Squared error Σ(out − y)²", "softmax_ce": "Softmax + cross-entropy"}
DEFAULT_HIDDEN = (3, 0, 0, 0)


def _int(params: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = str(params.get(name, "")).strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise WebError(400, f"{name} must be a whole number, got {raw[:40]!r}") from None
    if not low <= value <= high:
        raise WebError(400, f"{name} must be from {low} to {high}, got {value}")
    return value


def _numbers(text: str, what: str) -> list[float] | None:
    """'0.5, -1' -> [0.5, -1.0] (plain decimal numbers only); None when blank."""
    parts = [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]
    if not parts:
        return None
    out = []
    for part in parts:
        try:
            out.append(float(part))
        except ValueError:
            raise WebError(400, f"{what}: {part[:40]!r} is not a number") from None
    return out


def _json(text: str, what: str) -> Any:
    """A JSON list of numbers (weights, biases); None when blank. Shapes are the service's."""
    if not text.strip():
        return None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise WebError(400, f"{what} is not valid JSON: {exc.msg} (column {exc.colno})") from None


@dataclass(frozen=True)
class Network:
    """The playground's form."""

    inputs: int = 2
    hidden: tuple[int, ...] = DEFAULT_HIDDEN  # size of each hidden slot, 0 = unused
    activations: tuple[str, ...] = ("tanh",) * MAX_HIDDEN
    outputs: int = 1
    loss: str = "mse"
    seed: int = 0
    x: str = ""
    target: str = ""
    weights: str = ""
    biases: str = ""

    @classmethod
    def read(cls, params: Mapping[str, str]) -> Network:
        loss = str(params.get("loss", "mse"))
        if loss not in LOSSES:
            raise WebError(400, f"no loss {loss!r}; one of: {', '.join(LOSSES)}")
        hidden, acts = [], []
        for i in range(1, MAX_HIDDEN + 1):
            default = DEFAULT_HIDDEN[i - 1]
            hidden.append(_int(params, f"h{i}", default, 0, MAX_UNITS))
            act = str(params.get(f"a{i}", "tanh"))
            if act not in ACTIVATIONS:
                raise WebError(400, f"no activation {act!r}; one of: {', '.join(ACTIVATIONS)}")
            acts.append(act)
        text = {k: str(params.get(k, ""))[:MAX_FIELD] for k in ("x", "target", "weights", "biases")}
        return cls(
            inputs=_int(params, "inputs", 2, 1, MAX_UNITS),
            hidden=tuple(hidden),
            activations=tuple(acts),
            outputs=_int(params, "outputs", 1, 1, MAX_UNITS),
            loss=loss,
            seed=_int(params, "seed", 0, 0, MAX_SEED),
            **text,
        )

    def layers(self) -> list[int]:
        return [self.inputs, *[h for h in self.hidden if h], self.outputs]

    def request(self) -> dict[str, Any]:
        """The fields of the `backprop` service request (with its gradient check)."""
        fields: dict[str, Any] = {
            "layers": self.layers(),
            "activation": [a for h, a in zip(self.hidden, self.activations, strict=True) if h],
            "loss": self.loss,
            "seed": self.seed,
            "gradcheck": True,
        }
        if not fields["activation"]:
            fields["activation"] = "tanh"  # no hidden layer: nothing to activate
        x = _numbers(self.x, "the input x")
        if x is not None:
            fields["x"] = x
        target = _numbers(self.target, "the target")
        if target is not None:
            if self.loss == "softmax_ce":
                if len(target) != 1 or not target[0].is_integer():
                    raise WebError(400, "the target of softmax + cross-entropy is a class index")
                fields["target"] = int(target[0])
            else:
                fields["target"] = target
        for name in ("weights", "biases"):
            value = _json(getattr(self, name), name)
            if value is not None:
                fields[name] = value
        return fields


# ---------------------------------------------------------------- presentation


def tex_name(name: str) -> str:
    """A node name as LaTeX: W1 -> W_{1}, logp -> \\log p, out -> \\mathrm{out}."""
    special = {"logp": r"\log p", "L": "L"}
    if name in special:
        return special[name]
    m = re.fullmatch(r"([A-Za-z]+)(\d+)", name)
    base, sub = (m.group(1), m.group(2)) if m else (name, "")
    base = base if len(base) == 1 else rf"\mathrm{{{base}}}"
    return f"{base}_{{{sub}}}" if sub else base


def _args(expr: str) -> list[str]:
    inner = expr[expr.find("(") + 1 : expr.rfind(")")]
    return [a.strip() for a in inner.split(",") if a.strip()]


Rule = Callable[[list[str], int], str]
G = r"\bar g"
# op -> the local rule "ḡ times ∂node/∂input" for the input at position i (args as LaTeX)
CHAIN_RULES: dict[str, Rule] = {
    "add": lambda a, i: G,
    "sub": lambda a, i: G if i == 0 else f"-{G}",
    "neg": lambda a, i: f"-{G}",
    "matmul": lambda a, i: rf"{G}\,{a[1]}^{{\top}}" if i == 0 else rf"{a[0]}^{{\top}}{G}",
    "tanh": lambda a, i: rf"{G}\odot\left(1-\tanh^{{2}}({a[0]})\right)",
    "sigmoid": lambda a, i: rf"{G}\odot\sigma({a[0]})\left(1-\sigma({a[0]})\right)",
    "relu": lambda a, i: rf"{G}\odot[{a[0]}>0]",
    "softplus": lambda a, i: rf"{G}\odot\sigma({a[0]})",
    "logsumexp": lambda a, i: rf"{G}\,\operatorname{{softmax}}({a[0]})",
    "getitem": lambda a, i: rf"{G}\,e_{{t}}",
    "pow": lambda a, i: rf"{G}\cdot 2\,{a[0]}",
    "sum": lambda a, i: rf"{G}\,\mathbf{{1}}",
}


def chain_tex(step: dict[str, Any]) -> str:
    """One backward step as LaTeX: ∂L/∂input += ∂L/∂node · ∂node/∂input = the op's rule."""
    node, target = tex_name(step["node"]), tex_name(step["input"])
    names = _args(step["expr"])
    position = names.index(step["input"]) if step["input"] in names else 0
    rule = CHAIN_RULES.get(step["op"])
    local = rule([tex_name(n) for n in names], position) if rule else rf"\text{{{step['formula']}}}"
    return (
        rf"\frac{{\partial L}}{{\partial {target}}} \mathrel{{{{+}}{{=}}}} "
        rf"\frac{{\partial L}}{{\partial {node}}}\,\frac{{\partial {node}}}{{\partial {target}}}"
        rf" = {local},\quad {G} = \frac{{\partial L}}{{\partial {node}}}"
    )


COLUMN = 156  # px between the graph's columns
ROW = 66  # px between nodes of one column
BOX = (128, 54)  # a node's box: name, value, gradient


def fmt(value: Any, digits: int = 4) -> str:
    """A value (number or nested list) with `digits` significant digits, for the tables."""
    if value is None:
        return "–"
    if isinstance(value, list):
        return "[" + ", ".join(fmt(v, digits) for v in value) + "]"
    return f"{value:.{digits}g}"


def short(value: Any) -> str:
    """A value in a few characters for the graph's boxes: 0.712, [−0.07, 0.1, …]."""
    if value is None:
        return "–"
    if isinstance(value, int | float):
        return f"{value:.3g}"
    flat: list[Any] = []
    stack = [value]
    while stack and len(flat) < 3:
        v = stack.pop(0)
        if isinstance(v, list):
            stack = v + stack
        else:
            flat.append(v)
    text = ", ".join(f"{v:.2g}" for v in flat[:2])
    return f"[{text}{', …' if len(flat) > 2 else ''}]"


def layout(nodes: list[dict[str, Any]]) -> dict[str, Any]:
    """The computation graph in columns: an op one column right of its latest input, a leaf
    (input, weight, constant) one column left of its first use. Returns node positions, edges
    and the drawing's size, for an SVG."""
    column: dict[str, int] = {}
    for n in nodes:
        if n["kind"] == "op":
            column[n["name"]] = 1 + max((column.get(i, 0) for i in n["inputs"]), default=0)
    for n in nodes:
        if n["kind"] != "op":
            uses = [column[m["name"]] for m in nodes if n["name"] in m.get("inputs", [])]
            column[n["name"]] = max(0, min(uses, default=1) - 1)
    rows: dict[int, int] = {}
    placed = []
    for n in nodes:
        c = column[n["name"]]
        r = rows.get(c, 0)
        rows[c] = r + 1
        placed.append({"name": n["name"], "x": 8 + c * COLUMN, "y": 8 + r * ROW, "kind": n["kind"]})
    where = {p["name"]: p for p in placed}
    edges = [
        {"from": i, "to": n["name"], "id": f"{i}>{n['name']}"}
        for n in nodes
        for i in n.get("inputs", [])
        if i in where
    ]
    for e in edges:
        a, b = where[e["from"]], where[e["to"]]
        e.update(x1=a["x"] + BOX[0], y1=a["y"] + BOX[1] / 2, x2=b["x"], y2=b["y"] + BOX[1] / 2)
    width = 16 + (max(column.values(), default=0)) * COLUMN + BOX[0]
    height = 16 + (max(rows.values(), default=1) - 1) * ROW + BOX[1]
    return {"nodes": placed, "edges": edges, "width": width, "height": height, "box": BOX}
