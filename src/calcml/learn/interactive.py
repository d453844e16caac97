"""The lessons' interactive figures as data: every frame a slider can show, computed by calcml.

A registry from figure name to a function returning a JSON-ready dict (`name`, `title`, the
slider(s) and the `frames`, one per slider position). The web app draws them with Plotly and
moves between frames in the browser, so nothing is computed in JavaScript: secant slopes,
gradient-descent iterates with their status and curvature analysis (`calcml.optim`), Taylor
polynomials (`calcml.taylor`), the regression fit step by step and the chain rule's graph with
values and gradients (`calcml.autodiff.trace`). A lesson places one with `::: interactive NAME`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import numpy as np

from calcml.errors import CalcmlError
from calcml.viz.spec import jsonable

Figure = dict[str, Any]
INTERACTIVE: dict[str, Callable[[], Figure]] = {}
PATH_POINTS = 80  # iterates drawn of a run (the status and rates come from the whole run)
LOSS_POINTS = 150  # losses drawn of a run


def interactive(name: str) -> Callable[[Callable[[], Figure]], Callable[[], Figure]]:
    """Register the frames of an interactive figure."""

    def add(fn: Callable[[], Figure]) -> Callable[[], Figure]:
        INTERACTIVE[name] = fn
        return fn

    return add


@cache
def figure_data(name: str) -> Figure:
    """The data of the interactive figure `name` (JSON-ready: NaN and inf as None)."""
    if name not in INTERACTIVE:
        raise CalcmlError(f"no interactive figure {name!r}; one of: {', '.join(INTERACTIVE)}")
    return {"name": name, **jsonable(INTERACTIVE[name]())}


def slider(name: str, label: str, values: Any, start: float) -> dict[str, Any]:
    """A slider over `values` (the frames), its keyboard twin is a number field."""
    values = [float(v) for v in values]
    step = round(values[1] - values[0], 12) if len(values) > 1 else 1.0
    return {
        "name": name,
        "label": label,
        "values": values,
        "min": values[0],
        "max": values[-1],
        "step": step,
        "start": start,
    }


def _grid(lo: float, hi: float, step: float) -> np.ndarray:
    n = round((hi - lo) / step)
    return np.round(lo + step * np.arange(n + 1), 10)


def _numeric(expr_text: str, var: str = "x") -> tuple[Any, Callable[[Any], Any]]:
    import sympy as sp

    from calcml.expr import parse, symbol

    expr = parse(expr_text)
    return expr, sp.lambdify(symbol(var), expr, "numpy")


# ---------------------------------------------------------------- derivatives


SECANT_F, SECANT_A = "x^3 - 2*x", 1.0


@interactive("secant")
def secant() -> Figure:
    """Secants through (a, f(a)) and (a + h, f(a + h)) turning into the tangent as h → 0."""
    import sympy as sp

    from calcml.expr import symbol, to_latex
    from calcml.symbolic import derive

    expr, f = _numeric(SECANT_F)
    derivation = derive(SECANT_F, "x")
    df = sp.lambdify(symbol("x"), derivation.result, "numpy")
    a, fa = SECANT_A, float(f(SECANT_A))
    xs = np.linspace(-2.0, 3.0, 201)
    window = [-2.0, 3.0]
    hs = _grid(0.05, 2.0, 0.05)
    frames = []
    for h in hs:
        slope = (float(f(a + h)) - fa) / h
        frames.append(
            {
                "h": h,
                "slope": slope,
                "point": [a + h, float(f(a + h))],
                "line": {"x": window, "y": [fa + slope * (w - a) for w in window]},
            }
        )
    tangent = float(df(a))
    return {
        "title": f"Secants of f(x) = x³ − 2x through x = {a:g} become the tangent as h → 0",
        "tex": f"f(x) = {to_latex(expr)}",
        "a": a,
        "fa": fa,
        "curve": {"x": xs, "y": f(xs)},
        "window": {"x": window, "y": [-6.0, 22.0]},
        "tangent": {"slope": tangent, "x": window, "y": [fa + tangent * (w - a) for w in window]},
        "derivative_tex": f"f'(x) = {to_latex(derivation.result)}",
        "slider": slider("h", "h", hs, 1.0),
        "frames": frames,
    }


# ---------------------------------------------------------------- gradient descent

BOWL, BOWL_START = "x^2 + 10*y^2", (1.0, 1.0)


def _surface(expr_text: str, box: tuple[float, float, float, float], n: int = 41) -> Figure:
    import sympy as sp

    from calcml.expr import parse, symbol

    f = sp.lambdify((symbol("x"), symbol("y")), parse(expr_text), "numpy")
    xs, ys = np.linspace(box[0], box[1], n), np.linspace(box[2], box[3], n)
    X, Y = np.meshgrid(xs, ys)
    return {"x": xs, "y": ys, "z": np.asarray(f(X, Y), dtype=np.float64)}


def _run_frame(run: Any, analysis: Any) -> Figure:
    params = np.asarray(run.params)[:PATH_POINTS]
    return {
        "status": run.status,
        "reason": run.reason,
        "steps": run.steps,
        "path": {"x": params[:, 0], "y": params[:, 1]},
        "losses": np.asarray(run.losses)[:LOSS_POINTS],
        "L": analysis.L,
        "limit": analysis.stable_limit(),
        "predicted_rate": analysis.rate(analysis.lr) if analysis.lr is not None else None,
        "measured_rate": run.measured_rate(),
        "explanation": analysis.verdict(run),
    }


@cache
def _bowl() -> Any:
    """The bowl as one objective (parsed, differentiated and compiled once for every frame)."""
    from calcml.optim.objective import as_objective

    return as_objective(BOWL)


def descend(lr: float, momentum: float = 0.0) -> tuple[Any, Any]:
    """Gradient descent on the lesson's bowl and the curvature analysis of that run."""
    from calcml import optim

    start = list(BOWL_START)
    run = optim.gradient_descent(
        _bowl(), start, lr=lr, momentum=momentum, max_steps=3000, tol=1e-6, analyze=False
    )
    return run, optim.analyze(_bowl(), start, lr=lr, run=run, momentum=momentum)


@interactive("learning-rate")
def learning_rate() -> Figure:
    """Fixed-step gradient descent on x² + 10y² for learning rates around 2/L = 0.1."""
    lrs = _grid(0.005, 0.125, 0.005)
    frames = []
    for lr in lrs:
        run, analysis = descend(float(lr))
        frames.append({"lr": lr, **_run_frame(run, analysis)})
    first = descend(0.05)[1]
    return {
        "title": "Gradient descent on f(x, y) = x² + 10y² from (1, 1): the learning rate and 2/L",
        "tex": r"f(x, y) = x^{2} + 10 y^{2},\quad "
        r"\theta_{k+1} = \theta_k - \eta\,\nabla f(\theta_k)",
        "L": first.L,
        "limit": first.stable_limit(),
        "eigenvalues": first.eigenvalues,
        "start": list(BOWL_START),
        "surface": _surface(BOWL, (-1.5, 1.5, -1.5, 1.5)),
        "window": {"x": [-1.5, 1.5], "y": [-1.5, 1.5]},
        "slider": slider("lr", "learning rate η", lrs, 0.05),
        "frames": frames,
    }


MOMENTUM_LR = 0.01


@interactive("momentum")
def momentum() -> Figure:
    """Plain gradient descent against heavy-ball momentum β on the same bowl and step."""
    betas = _grid(0.0, 0.95, 0.05)
    plain_run, plain_analysis = descend(MOMENTUM_LR)
    frames = []
    for beta in betas:
        run, analysis = descend(MOMENTUM_LR, float(beta))
        frames.append({"beta": beta, **_run_frame(run, analysis)})
    return {
        "title": f"Momentum against plain gradient descent (η = {MOMENTUM_LR:g}) on x² + 10y²",
        "tex": r"v_{k+1} = \beta v_k - \eta\,\nabla f(\theta_k),\quad "
        r"\theta_{k+1} = \theta_k + v_{k+1}",
        "lr": MOMENTUM_LR,
        "surface": _surface(BOWL, (-1.5, 1.5, -1.5, 1.5)),
        "window": {"x": [-1.5, 1.5], "y": [-1.5, 1.5]},
        "plain": _run_frame(plain_run, plain_analysis),
        "slider": slider("beta", "momentum β", betas, 0.8),
        "frames": frames,
    }


# ---------------------------------------------------------------- Taylor

TAYLOR_F, TAYLOR_AT, TAYLOR_MAX = "cos(x)", 0.0, 12


@interactive("taylor")
def taylor_orders() -> Figure:
    """Taylor polynomials of cos(x) at 0 of order 0 … 12 (calcml.taylor) against the function."""
    import sympy as sp

    from calcml.expr import symbol, to_latex
    from calcml.symbolic import taylor

    expr, f = _numeric(TAYLOR_F)
    xs = np.linspace(-3 * np.pi, 3 * np.pi, 241)
    frames = []
    for order in range(TAYLOR_MAX + 1):
        poly = taylor(TAYLOR_F, "x", TAYLOR_AT, order=order).result
        p = sp.lambdify(symbol("x"), poly, "numpy")
        ys = np.broadcast_to(np.asarray(p(xs), dtype=np.float64), xs.shape)
        frames.append({"order": order, "tex": f"T_{{{order}}}(x) = {to_latex(poly)}", "y": ys})
    return {
        "title": "Taylor polynomials of cos(x) at 0: a higher order hugs the curve for longer",
        "tex": f"f(x) = {to_latex(expr)}",
        "curve": {"x": xs, "y": f(xs)},
        "window": {"x": [float(xs[0]), float(xs[-1])], "y": [-3.0, 3.0]},
        "slider": slider("order", "order n", range(TAYLOR_MAX + 1), 2),
        "frames": frames,
    }


# ---------------------------------------------------------------- linear regression

REGRESSION_LR, REGRESSION_STEPS, REGRESSION_N = 0.05, 60, 30


def regression_data() -> tuple[np.ndarray, np.ndarray]:
    """The seed's worked example: 30 points of y = w·x + 1 + noise (calcml.ml.make_linear)."""
    from calcml import ml

    data = ml.make_linear(n=REGRESSION_N, seed=0)
    return np.asarray(data.X[:, 0], dtype=np.float64), np.asarray(data.y, dtype=np.float64)


@interactive("regression")
def regression() -> Figure:
    """Gradient descent on the mean squared error of a line, one frame per step."""
    import sympy as sp

    from calcml import optim
    from calcml.expr import symbol

    x, y = regression_data()
    w, b = symbol("w"), symbol("b")
    # (1/n)·Σ(w·xᵢ + b − yᵢ)² expanded: a quadratic in (w, b) with the data's moments
    m = {k: sp.Float(float(np.mean(v))) for k, v in {"xx": x * x, "x": x, "xy": x * y}.items()}
    m |= {"y": sp.Float(float(np.mean(y))), "yy": sp.Float(float(np.mean(y * y)))}
    mse = m["xx"] * w**2 + 2 * m["x"] * w * b + b**2 - 2 * m["xy"] * w - 2 * m["y"] * b + m["yy"]
    run = optim.gradient_descent(
        mse,
        [0.0, 0.0],
        lr=REGRESSION_LR,
        max_steps=REGRESSION_STEPS,
        tol=1e-9,
        variables=["w", "b"],
        analyze=False,
    )
    ends = [float(x.min()) - 0.5, float(x.max()) + 0.5]
    frames = [
        {
            "step": k,
            "w": float(p[0]),
            "b": float(p[1]),
            "loss": float(run.losses[k]),
            "line": {"x": ends, "y": [float(p[0]) * e + float(p[1]) for e in ends]},
        }
        for k, p in enumerate(run.params)
    ]
    return {
        "title": f"Gradient descent (η = {REGRESSION_LR:g}) fits a line to {len(x)} points",
        "tex": r"L(w, b) = \frac{1}{n}\sum_{i}(w x_i + b - y_i)^2,\quad "
        r"w \leftarrow w - \eta\,\frac{\partial L}{\partial w},\ "
        r"b \leftarrow b - \eta\,\frac{\partial L}{\partial b}",
        "lr": REGRESSION_LR,
        "points": {"x": x, "y": y},
        "losses": run.losses,
        "slider": slider("step", "step k", range(len(frames)), 0),
        "frames": frames,
    }


# ---------------------------------------------------------------- the chain rule

NEURON = {"x": 2.0, "b": 0.1, "y": 1.0}


def neuron_trace(w: float) -> Any:
    """The trace of L = (σ(w·x + b) − y)² at the lesson's x, b, y (calcml.autodiff.trace)."""
    from calcml import autodiff as ad

    x, y = NEURON["x"], NEURON["y"]

    def loss(w: Any, b: Any) -> Any:
        return (ad.sigmoid(w * x + b) - y) ** 2

    return ad.trace(loss, w, NEURON["b"])


def _graph(trace: Any) -> Figure:
    d = trace.to_dict()
    nodes = {n["name"]: n for n in d["nodes"]}
    depth: dict[str, int] = {}
    for n in d["nodes"]:  # topological order: inputs before the nodes that use them
        depth[n["name"]] = 1 + max((depth.get(i, 0) for i in n["inputs"]), default=-1)
    for name, n in nodes.items():  # an input sits just before its first consumer
        users = [depth[m["name"]] for m in d["nodes"] if name in m["inputs"]]
        if not n["inputs"] and users:
            depth[name] = min(users) - 1
    rows: dict[int, int] = {}
    for name in nodes:
        rows[depth[name]] = rows.get(depth[name], 0) + 1
    seen: dict[int, int] = {}
    placed = []
    for name, n in nodes.items():
        level = depth[name]
        seen[level] = seen.get(level, 0) + 1
        y = seen[level] - (rows[level] + 1) / 2
        placed.append({**n, "x": float(level), "y": -float(y)})
    edges = [
        {"from": s["input"], "to": s["node"], "grad": s["product"], "local": s["local"]}
        for s in d["steps"]
        if s["input"] in nodes
    ]
    return {"value": d["value"], "nodes": placed, "edges": edges}


@interactive("chain-graph")
def chain_graph() -> Figure:
    """One neuron's computation graph: the value of every node, the gradient on every edge."""
    ws = _grid(-2.0, 2.0, 0.1)
    frames = [{"w": w, **_graph(neuron_trace(float(w)))} for w in ws]
    return {
        "title": "The chain rule on a graph: L = (σ(w·x + b) − y)² with x = 2, b = 0.1, y = 1",
        "tex": r"\frac{\partial L}{\partial w} = \frac{\partial L}{\partial a}\cdot"
        r"\frac{\partial a}{\partial z}\cdot\frac{\partial z}{\partial w}"
        r" = 2(a - y)\,\sigma'(z)\,x",
        "neuron": NEURON,
        "slider": slider("w", "weight w", ws, 0.5),
        "frames": frames,
    }


__all__ = ["INTERACTIVE", "figure_data", "interactive", "neuron_trace", "regression_data"]
