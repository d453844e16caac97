"""`Run`: the record of one optimizer run — its history, its status, and an explanation in words.

Statuses: "converged" (gradient norm under tol — a stationary point; the run's notes say when
it is a saddle, degenerate, or only a flattening slope), "diverged" (loss overflowed, became
undefined, or kept rising: stopped early, or still rising at max_steps), "oscillating" (hit
max_steps while bouncing back and forth), "max_steps" (still making progress when stopped).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from calcml.optim.formatting import jsonable, named_point, num, vec
from calcml.result import Result
from calcml.text import count_of

Array = NDArray[np.float64]

STATUSES = ("converged", "diverged", "oscillating", "max_steps")

# Divergence: the loss rose this many steps in a row and grew this much past the start ...
RISING_STEPS = 8
RISE_FACTOR = 100.0
# ... or simply became this large (relative to the start), or non-finite.
BLOWUP_FACTOR = 1e12


@dataclass
class Run(Result):
    """One optimizer run. `params[k]`, `losses[k]`, `grad_norms[k]` are at iterate k (k = 0 is
    the start); `step_sizes[k]` is the learning rate used to go from k to k+1.

    >>> from calcml.optim import gradient_descent
    >>> run = gradient_descent("x^2", [1.0], lr=0.25, tol=1e-10)
    >>> run.status, run.steps
    ('converged', 35)
    """

    method: str
    objective: str
    names: tuple[str, ...]
    params: Array
    losses: Array
    grad_norms: Array
    step_sizes: Array
    status: str
    reason: str
    settings: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    evaluations: int = 0
    analysis: Any = field(default=None, repr=False)
    expression: Any = field(default=None, repr=False)  # the SymPy objective, when symbolic

    def repr_summary(self) -> str:
        return f"{self.method} on {self.objective}"

    def repr_counts(self) -> list[str]:
        return [self.status, count_of(self.steps, "steps"), f"loss {num(self.loss)}"]

    # -- the numbers ---------------------------------------------------------------------------
    @property
    def steps(self) -> int:
        """Number of updates made."""
        return int(len(self.losses) - 1)

    @property
    def x(self) -> Array:
        """The last finite iterate."""
        finite = [i for i in range(len(self.losses)) if np.all(np.isfinite(self.params[i]))]
        return np.asarray(self.params[finite[-1] if finite else 0])

    @property
    def loss(self) -> float:
        """The loss at the last iterate."""
        return float(self.losses[-1])

    @property
    def converged(self) -> bool:
        return self.status == "converged"

    def measured_rate(self) -> float | None:
        """Observed linear rate: the per-step factor r of the least-squares fit
        log‖∇f_k‖ ≈ c + k·log r over the second half of the run (robust to momentum's zig-zag)."""
        g = self.grad_norms
        if len(g) < 4:
            return None
        k = np.arange(len(g) // 2, len(g))
        tail = g[k]
        ok = np.isfinite(tail) & (tail > 1e-300)
        if np.count_nonzero(ok) < 3:
            return None
        slope = np.polyfit(k[ok], np.log(tail[ok]), 1)[0]
        return float(np.exp(slope))

    # -- words ---------------------------------------------------------------------------------
    def summary(self) -> str:
        """One sentence: how the run ended and why."""
        head = f"{self.method[:1].upper()}{self.method[1:]} {_verb(self.status)}"
        if self.status == "converged":
            head += f" in {self.steps} step{'s' * (self.steps != 1)}"
        elif self.status == "diverged":
            head += f" (stopped at step {self.steps})"
        else:
            head += f" after {_steps(self.steps)}"
        return f"{head}: {self.reason}."

    def explain(self) -> str:
        """What happened and why, in sentences."""
        out = [self.summary()]
        if self.status != "diverged":
            out.append(
                f"It ended at {named_point(self.names, self.x)} with loss {num(self.loss)} "
                f"and gradient norm {num(float(self.grad_norms[-1]))}."
            )
        if self.analysis is not None:
            out.append(self.analysis.verdict(self))
        out.extend(self.notes)
        return " ".join(s for s in out if s)

    # -- renderings ----------------------------------------------------------------------------
    def text(self) -> str:
        settings = self._settings_text()
        lines = [f"{self.method} on {self.objective}" + (f" ({settings})" if settings else "")]
        lines.append(f"status: {self.status} after {_steps(self.steps)}")
        lines.append(self._table_text())
        lines.append(self.explain())
        return "\n".join(lines)

    def latex(self) -> str:
        x = ", ".join(f"{v:.6g}" for v in self.x)
        return (
            rf"\text{{{self.method}: {self.status} after {_steps(self.steps)}}},\quad "
            rf"x^* = ({x}),\ f(x^*) = {self.loss:.6g}"
        )

    def markdown(self) -> str:
        head = (
            f"**{self.method}** on `{self.objective}` — *{self.status}* after {_steps(self.steps)}"
        )
        rows = ["| step | x | loss | ‖∇f‖ | step size |", "|---:|---|---:|---:|---:|"]
        for k in self._shown_rows():
            rows.append(
                f"| {k} | {vec(self.params[k])} | {num(float(self.losses[k]))} | "
                f"{num(float(self.grad_norms[k]))} | {self._lr_text(k)} |"
            )
        return "\n".join([head, "", *rows, "", self.explain()])

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "objective": self.objective,
            "expression": _expression_json(self.expression),
            "variables": list(self.names),
            "settings": {k: jsonable(v) for k, v in self.settings.items()},
            "status": self.status,
            "reason": self.reason,
            "steps": self.steps,
            "x": jsonable(self.x),
            "loss": jsonable(self.loss),
            "grad_norm": jsonable(float(self.grad_norms[-1])),
            "measured_rate": jsonable(self.measured_rate()),
            "evaluations": self.evaluations,
            "explanation": self.explain(),
            "notes": list(self.notes),
            "analysis": self.analysis.to_dict() if self.analysis is not None else None,
            "history": {
                "params": jsonable(self.params),
                "loss": jsonable(self.losses),
                "grad_norm": jsonable(self.grad_norms),
                "step_size": jsonable(self.step_sizes),
            },
        }

    def __rich__(self) -> Any:
        from rich.console import Group
        from rich.table import Table
        from rich.text import Text

        settings = self._settings_text()
        colour = {"converged": "green", "diverged": "red"}.get(self.status, "yellow")
        table = Table(box=None, header_style="bold")
        for col in ("step", "x", "loss", "‖∇f‖", "step size"):
            table.add_column(col, justify="left" if col == "x" else "right")
        last = -1
        for k in self._shown_rows():
            if last >= 0 and k > last + 1:
                table.add_row("⋮", "", "", "", "")
            table.add_row(
                str(k),
                vec(self.params[k]),
                num(float(self.losses[k])),
                num(float(self.grad_norms[k])),
                self._lr_text(k),
            )
            last = k
        return Group(
            Text.assemble((f"{self.method}", "bold"), f" on {self.objective}  ", (settings, "dim")),
            Text.assemble(
                "status: ", (self.status, f"bold {colour}"), f" after {_steps(self.steps)}"
            ),
            table,
            Text(self.explain()),
        )

    # -- helpers -------------------------------------------------------------------------------
    def _settings_text(self) -> str:
        """'lr 0.1, momentum 0.9, Nesterov, line search, max_steps 1000, tol 1e-06'."""
        parts = []
        for key, value in self.settings.items():
            if value is None or value is False:
                continue
            name = {"nesterov": "Nesterov", "line_search": "line search"}.get(key, key)
            parts.append(
                name
                if value is True
                else f"{name} {value:g}"
                if isinstance(value, float)
                else f"{name} {value}"
            )
        return ", ".join(parts)

    def _shown_rows(self, head: int = 5, tail: int = 3) -> list[int]:
        n = len(self.losses)
        if n <= head + tail:
            return list(range(n))
        return [*range(head), *range(n - tail, n)]

    def _lr_text(self, k: int) -> str:
        return num(float(self.step_sizes[k])) if k < len(self.step_sizes) else ""

    def _table_text(self) -> str:
        lines = [f"{'step':>6}  {'loss':>12}  {'‖∇f‖':>10}  x"]
        last = -1
        for k in self._shown_rows():
            if last >= 0 and k > last + 1:
                lines.append(f"{'⋮':>6}")
            lines.append(
                f"{k:>6}  {num(float(self.losses[k])):>12}  "
                f"{num(float(self.grad_norms[k])):>10}  {vec(self.params[k])}"
            )
            last = k
        return "\n".join(lines)


class Monitor:
    """Watches a run step by step and decides when (and why) it stops."""

    def __init__(self, tol: float, max_steps: int) -> None:
        self.tol = tol
        self.max_steps = max_steps
        self.params: list[Array] = []
        self.losses: list[float] = []
        self.grad_norms: list[float] = []
        self.step_sizes: list[float] = []
        self.rising = 0

    def start(self, x: Array, loss: float, g: Array) -> tuple[str, str] | None:
        """Record the start point; a CalcmlError when f or ∇f is not finite there (bad input:
        outside f's domain, at a kink, or overflowing), since no run can begin."""
        if not (np.isfinite(loss) and np.all(np.isfinite(g))):
            from calcml.errors import CalcmlError

            what = "f" if not np.isfinite(loss) else "the gradient of f"
            raise CalcmlError(
                f"{what} is not finite at the start point {vec(x)} (value {num(loss)}): it is "
                "outside f's domain, at a kink, or overflows there; start somewhere else"
            )
        return self.record(x, loss, float(np.linalg.norm(g)))

    def record(self, x: Array, loss: float, gnorm: float) -> tuple[str, str] | None:
        """Store iterate k; return (status, reason) when the run must stop here."""
        self.params.append(np.array(x, dtype=np.float64))
        self.losses.append(float(loss))
        self.grad_norms.append(float(gnorm))
        k = len(self.losses) - 1
        if np.isnan(loss) or np.isnan(gnorm):
            at = vec(self.params[-2]) if k > 0 else vec(x)
            return "diverged", (
                f"f or its gradient is undefined (nan) at step {k}: the step from {at} left the "
                "function's domain"
            )
        if not (np.isfinite(loss) and np.isfinite(gnorm) and np.all(np.isfinite(x))):
            return "diverged", f"the loss overflowed to {loss} at step {k}"
        start = self.losses[0]
        scale = max(abs(start), 1.0)
        # a huge fall is divergence only while the slope steepens too (a deep minimum is not)
        if abs(loss - start) > BLOWUP_FACTOR * scale and (
            loss > start or gnorm > self.grad_norms[0]
        ):
            word = "fell without bound" if loss < start else "blew up"
            return (
                "diverged",
                f"the loss {word} to {num(loss)} at step {k} (start {num(start)})",
            )
        if k > 0:
            self.rising = self.rising + 1 if loss > self.losses[-2] else 0
        if self.rising >= RISING_STEPS and loss - start > RISE_FACTOR * scale:
            return "diverged", (
                f"the loss rose {self.rising} steps in a row, from {num(start)} to {num(loss)}"
            )
        if gnorm <= self.tol:
            return (
                "converged",
                f"the gradient norm {num(gnorm)} fell below tol {self.tol:g}",
            )
        if k >= self.max_steps:
            return self.stalled_status()
        return None

    def stalled_status(self) -> tuple[str, str]:
        """At max_steps: 'diverged' when the loss is still growing past its start, 'oscillating'
        when steps keep reversing direction, else 'max_steps'."""
        window = self.losses[-min(len(self.losses), 21) :]
        start = self.losses[0]
        if len(window) >= 6 and window[-1] > start and np.all(np.diff(window[-5:]) > 0):
            return "diverged", (
                f"the loss was still growing when max_steps = {self.max_steps} was reached "
                f"(from {num(start)} at the start to {num(window[-1])})"
            )
        if len(self.params) >= 6:
            moves = np.diff(np.array(self.params[-min(len(self.params), 21) :]), axis=0)
            norms = np.linalg.norm(moves, axis=1)
            ok = (norms[:-1] > 0) & (norms[1:] > 0)
            if np.any(ok):
                cos = np.sum(moves[:-1] * moves[1:], axis=1)[ok] / (norms[:-1] * norms[1:])[ok]
                recent = self.losses[-len(moves) - 1 :]
                progress = abs(recent[0] - recent[-1]) / max(abs(recent[0]), 1e-12)
                if np.mean(cos < -0.5) > 0.8 and progress < 0.5:
                    fell = (
                        "the loss no longer falls"
                        if progress < 1e-3
                        else f"the loss fell only {100 * progress:.2g}% over the last "
                        f"{len(moves)} steps"
                    )
                    return "oscillating", (
                        f"the steps keep reversing direction (median cosine between consecutive "
                        f"steps {np.median(cos):.2f}) and {fell}"
                    )
        return "max_steps", (
            f"it reached max_steps = {self.max_steps} with gradient norm "
            f"{num(self.grad_norms[-1])}, still above tol {self.tol:g}"
        )

    def finish(
        self,
        method: str,
        objective: str,
        names: tuple[str, ...],
        status: tuple[str, str],
        settings: dict[str, Any],
        notes: list[str],
        evaluations: int,
    ) -> Run:
        n = len(self.params[0]) if self.params else 0
        return Run(
            method=method,
            objective=objective,
            names=names,
            params=np.array(self.params, dtype=np.float64).reshape(-1, n),
            losses=np.array(self.losses, dtype=np.float64),
            grad_norms=np.array(self.grad_norms, dtype=np.float64),
            step_sizes=np.array(self.step_sizes, dtype=np.float64),
            status=status[0],
            reason=status[1],
            settings=settings,
            notes=notes,
            evaluations=evaluations,
        )


def _expression_json(expr: Any) -> Any:
    if expr is None:
        return None
    from calcml.expr.render import expr_dict

    return expr_dict(expr)


def _steps(n: int) -> str:
    return count_of(n, "steps")


def _verb(status: str) -> str:
    return {
        "converged": "converged",
        "diverged": "diverged",
        "oscillating": "is oscillating",
        "max_steps": "stopped at max_steps",
    }[status]
