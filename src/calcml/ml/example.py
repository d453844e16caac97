"""The worked example: gradient descent on linear regression, step by step.

The data, the model ŷ = w·x + b, the loss, its gradient derived symbolically (verified), each
update with its numbers for the first steps, the curvature that limits the learning rate, and
the convergence curve. A `Result`, so the course (`calcml.learn`), the tour and the CLI all
show the same computed content.

>>> ex = linear_regression_example(shown_steps=2)
>>> len(ex.steps), ex.run.status
(2, 'converged')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from calcml.optim.formatting import jsonable, num
from calcml.optim.run import Run
from calcml.result import Result

X_DATA = (0.0, 1.0, 2.0, 3.0, 4.0)
Y_DATA = (1.1, 2.9, 5.2, 6.8, 9.1)


@dataclass
class UpdateStep:
    """One gradient-descent update with every number that goes into it."""

    k: int
    w: float
    b: float
    predictions: list[float]
    residuals: list[float]
    loss: float
    grad_w: float
    grad_b: float
    new_w: float
    new_b: float

    def lines(self, lr: float) -> list[str]:
        res = ", ".join(num(r) for r in self.residuals)
        return [
            f"Step {self.k}: w = {num(self.w)}, b = {num(self.b)}",
            f"  residuals ŷᵢ − yᵢ = ({res}); loss L = {num(self.loss)}",
            f"  ∂L/∂w = (2/n)·Σ rᵢ·xᵢ = {num(self.grad_w)},  ∂L/∂b = (2/n)·Σ rᵢ = "
            f"{num(self.grad_b)}",
            f"  w ← {num(self.w)} − {num(lr)}·{_par(self.grad_w)} = {num(self.new_w)},  "
            f"b ← {num(self.b)} − {num(lr)}·{_par(self.grad_b)} = {num(self.new_b)}",
        ]

    def to_dict(self) -> dict[str, Any]:
        return {k: jsonable(v) for k, v in vars(self).items()}


def _par(v: float) -> str:
    return f"({num(v)})" if v < 0 else num(v)


@dataclass
class WorkedExample(Result):
    """Gradient descent on linear regression, every step computed (see module docstring)."""

    title: str
    x: list[float]
    y: list[float]
    lr: float
    loss_expr: Any
    derivations: list[Any]
    steps: list[UpdateStep]
    run: Run
    analysis: Any
    exact: tuple[float, float]
    notes: list[str] = field(default_factory=list)

    def sections(self) -> list[tuple[str, str]]:
        """(heading, body) pairs in reading order."""
        from calcml.expr import to_text

        n = len(self.x)
        data = ", ".join(f"({num(a)}, {num(b)})" for a, b in zip(self.x, self.y, strict=True))
        grads = "\n".join(d.text() for d in self.derivations)
        steps = "\n".join(line for s in self.steps for line in s.lines(self.lr))
        a = self.analysis
        curve = self.run.losses
        marks = [k for k in (0, 1, 2, 5, 10, 20, 50, 100, 200) if k < len(curve)]
        return [
            ("The data", f"{n} points (x, y): {data}. Model: ŷ = w·x + b."),
            (
                "The loss",
                "Mean squared error L(w, b) = (1/n)·Σ (w·xᵢ + b − yᵢ)²; with these numbers "
                f"L(w, b) = {to_text(self.loss_expr)}.",
            ),
            (
                "Its gradient, derived",
                "One term ℓ = (w·x + b − y)² differentiated by the rules:\n"
                f"{grads}\nAveraging over the data: ∂L/∂w = (2/n)·Σ rᵢ·xᵢ and "
                "∂L/∂b = (2/n)·Σ rᵢ, with residuals rᵢ = w·xᵢ + b − yᵢ.",
            ),
            (
                "The learning rate",
                f"The Hessian of L is constant, eigenvalues {num(a.mu)} and {num(a.L)}: steps "
                f"are stable below 2/L = {num(a.max_stable_lr)}. We use lr = {num(self.lr)}.",
            ),
            (f"The first {len(self.steps)} updates (from w = b = 0)", steps),
            (
                "Convergence",
                "Loss by step: "
                + ", ".join(f"{k}: {num(float(curve[k]))}" for k in marks)
                + f". {self.run.explain()} The normal equations give w = {num(self.exact[0])}, "
                f"b = {num(self.exact[1])}.",
            ),
        ]

    def text(self) -> str:
        out = [self.title]
        for head, body in self.sections():
            out.extend(["", head, body])
        return "\n".join(out)

    def latex(self) -> str:
        from calcml.expr import to_latex

        return (
            rf"L(w, b) = {to_latex(self.loss_expr)},\quad "
            r"\frac{\partial L}{\partial w} = \frac{2}{n}\sum_i r_i x_i,\quad "
            r"\frac{\partial L}{\partial b} = \frac{2}{n}\sum_i r_i"
        )

    def markdown(self) -> str:
        out = [f"## {self.title}"]
        for head, body in self.sections():
            out.extend(["", f"### {head}", "", "```" if "\n" in body else "", body])
            if "\n" in body:
                out.append("```")
        return "\n".join(out)

    def to_dict(self) -> dict[str, Any]:
        from calcml.expr import expr_dict

        return {
            "title": self.title,
            "data": {"x": list(self.x), "y": list(self.y)},
            "model": "w*x + b",
            "lr": self.lr,
            "loss": expr_dict(self.loss_expr),
            "derivations": [d.to_dict() for d in self.derivations],
            "steps": [s.to_dict() for s in self.steps],
            "curve": jsonable(self.run.losses),
            "params": jsonable(self.run.params),
            "status": self.run.status,
            "explanation": self.run.explain(),
            "analysis": self.analysis.to_dict(),
            "exact": list(self.exact),
            "sections": [{"heading": h, "body": b} for h, b in self.sections()],
        }


def linear_regression_example(
    shown_steps: int = 3,
    lr: float = 0.05,
    x: tuple[float, ...] = X_DATA,
    y: tuple[float, ...] = Y_DATA,
    max_steps: int = 2000,
) -> WorkedExample:
    """Build the worked example (the numbers are computed, never typed in)."""
    import sympy as sp

    from calcml.expr import symbol
    from calcml.optim import analyze, gradient_descent
    from calcml.symbolic import derive

    w, b, xs, ys = symbol("w"), symbol("b"), symbol("x"), symbol("y")
    per_sample = (w * xs + b - ys) ** 2
    derivations = [derive(per_sample, w), derive(per_sample, b)]
    xr = [sp.Rational(str(v)) for v in x]
    yr = [sp.Rational(str(v)) for v in y]
    n = len(xr)
    loss = sp.expand(sum((w * a + b - t) ** 2 for a, t in zip(xr, yr, strict=True)) / n)
    run = gradient_descent(loss, [0.0, 0.0], lr=lr, max_steps=max_steps, variables=["w", "b"])
    analysis = analyze(loss, [0.0, 0.0], lr=lr, variables=["w", "b"], run=run)
    xa, ya = np.array(x), np.array(y)
    steps: list[UpdateStep] = []
    for k in range(min(shown_steps, run.steps)):
        wk, bk = (float(v) for v in run.params[k])
        pred = wk * xa + bk
        r = pred - ya
        gw, gb = float(2 * np.mean(r * xa)), float(2 * np.mean(r))
        nw, nb = (float(v) for v in run.params[k + 1])
        steps.append(
            UpdateStep(k, wk, bk, pred.tolist(), r.tolist(), float(np.mean(r * r)), gw, gb, nw, nb)
        )
    A = np.column_stack([xa, np.ones(n)])
    exact = np.linalg.lstsq(A, ya, rcond=None)[0]
    return WorkedExample(
        "Gradient descent on linear regression, step by step",
        list(x),
        list(y),
        lr,
        loss,
        derivations,
        steps,
        run,
        analysis,
        (float(exact[0]), float(exact[1])),
    )
