"""`ModelReport`: what a fitted model learned, as a Result (text, markdown, LaTeX, JSON)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from calcml.optim.formatting import jsonable, num
from calcml.result import Result
from calcml.text import count_of


@dataclass
class ModelReport(Result):
    """A fitted model's summary: facts (label → value), metrics, loss history, and words."""

    title: str
    facts: dict[str, Any] = field(default_factory=dict)
    metrics: dict[str, float] = field(default_factory=dict)
    loss_history: list[float] = field(default_factory=list)
    explanation: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    history_unit: str = "steps"  # "steps": history[0] is the start; "epochs": one per epoch

    def _history_words(self) -> str:
        h = self.loss_history
        count = len(h) - 1 if self.history_unit == "steps" else len(h)
        return f"{num(h[0])} → {num(h[-1])} over {count_of(count, self.history_unit)}"

    def text(self) -> str:
        lines = [self.title]
        lines.extend(f"  {k}: {_show(v)}" for k, v in self.facts.items())
        lines.extend(f"  {k}: {num(float(v))}" for k, v in self.metrics.items())
        if self.loss_history:
            h = self.loss_history
            lines.append(
                f"  loss: {self._history_words()}" if len(h) > 1 else f"  loss: {num(h[0])}"
            )
        if self.explanation:
            lines.append(self.explanation)
        return "\n".join(lines)

    def latex(self) -> str:
        parts = [rf"\text{{{k}}} = {float(v):.6g}" for k, v in self.metrics.items()]
        return r",\quad ".join(parts) or rf"\text{{{self.title}}}"

    def markdown(self) -> str:
        rows = [f"**{self.title}**", "", "| | |", "|---|---|"]
        rows.extend(f"| {k} | {_show(v)} |" for k, v in self.facts.items())
        rows.extend(f"| {k} | {num(float(v))} |" for k, v in self.metrics.items())
        return "\n".join([*rows, "", self.explanation])

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "facts": {k: jsonable(v) for k, v in self.facts.items()},
            "metrics": {k: jsonable(float(v)) for k, v in self.metrics.items()},
            "loss_history": jsonable(list(self.loss_history)),
            "explanation": self.explanation,
            **{k: jsonable(v) for k, v in self.extra.items()},
        }

    def __rich__(self) -> Any:
        from rich.console import Group
        from rich.table import Table
        from rich.text import Text

        table = Table(box=None, show_header=False)
        table.add_column(style="bold")
        table.add_column()
        for k, v in self.facts.items():
            table.add_row(k, _show(v))
        for k, v in self.metrics.items():
            table.add_row(k, num(float(v)))
        if len(self.loss_history) > 1:
            h = self.loss_history
            table.add_row("loss", self._history_words())
            table.add_row("curve", _sparkline(h))
        return Group(Text(self.title, style="bold"), table, Text(self.explanation))


def _show(v: Any) -> str:
    import numpy as np

    if isinstance(v, float | np.floating):
        return num(float(v))
    if isinstance(v, np.ndarray):
        return np.array2string(v, precision=4, suppress_small=True, max_line_width=90)
    if isinstance(v, list | tuple) and v and isinstance(v[0], float | np.floating):
        return "[" + ", ".join(num(float(e)) for e in v) + "]"
    return str(v)


def _sparkline(values: list[float], width: int = 40) -> str:
    import numpy as np

    v = np.asarray(values, dtype=np.float64)
    v = v[np.isfinite(v)]
    if v.size < 2:
        return ""
    idx = np.linspace(0, v.size - 1, min(width, v.size)).round().astype(int)
    log = bool(v.min() > 0)
    s = np.log10(v[idx]) if log else v[idx]
    lo, hi = s.min(), s.max()
    bars = "▁▂▃▄▅▆▇█"
    if hi - lo < 1e-12:
        return bars[0] * len(idx)
    return "".join(bars[int((e - lo) / (hi - lo) * 7)] for e in s) + ("  (log scale)" * log)
