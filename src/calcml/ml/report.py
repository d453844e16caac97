"""`ModelReport`: what a fitted model learned, as a Result (text, markdown, LaTeX, JSON)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from calcml.optim.formatting import jsonable, num
from calcml.result import Result
from calcml.text import count_of


@dataclass
class LabelledMatrix:
    """A matrix with named rows and columns: coefficients by class (rows) and feature."""

    rows: list[str]
    columns: list[str]
    values: Any  # 2-D array, len(rows) × len(columns)
    corner: str = ""  # the heading above the row names

    def text(self) -> str:
        """An aligned table, column names on top and row names on the left."""
        cells = [[self.corner, *self.columns]]
        cells += [
            [r, *(num(float(v)) for v in row)]
            for r, row in zip(self.rows, self.values, strict=True)
        ]
        widths = [max(len(line[j]) for line in cells) for j in range(len(cells[0]))]
        return "\n".join(
            "  ".join(
                c.ljust(w) if j == 0 else c.rjust(w)
                for j, (c, w) in enumerate(zip(line, widths, strict=True))
            )
            for line in cells
        )

    def inline(self) -> str:
        """One line (for a Markdown cell): `row: col = v, …; row: …`."""
        return f"{self.corner}: " * bool(self.corner) + "; ".join(
            f"{r}: "
            + ", ".join(f"{c} = {num(float(v))}" for c, v in zip(self.columns, row, strict=True))
            for r, row in zip(self.rows, self.values, strict=True)
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "columns": self.columns,
            "values": jsonable(self.values),
            "corner": self.corner,
        }


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
        for k, v in self.facts.items():
            if isinstance(v, LabelledMatrix):
                lines.append(f"  {k}:")
                lines.extend(f"    {row}" for row in v.text().splitlines())
            else:
                lines.append(f"  {k}: {_show(v)}")
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
        rows.extend(f"| {k} | {_cell(v)} |" for k, v in self.facts.items())
        rows.extend(f"| {k} | {num(float(v))} |" for k, v in self.metrics.items())
        return "\n".join([*rows, "", self.explanation])

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "facts": {
                k: v.to_dict() if isinstance(v, LabelledMatrix) else jsonable(v)
                for k, v in self.facts.items()
            },
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
        matrices = []
        for k, v in self.facts.items():
            if isinstance(v, LabelledMatrix):  # a table of its own, below, at full width
                table.add_row(k, "(table below)")
                matrices.extend([Text(k, style="bold"), _rich_matrix(v)])
            else:
                table.add_row(k, _show(v))
        for k, v in self.metrics.items():
            table.add_row(k, num(float(v)))
        if len(self.loss_history) > 1:
            h = self.loss_history
            table.add_row("loss", self._history_words())
            table.add_row("curve", _sparkline(h))
        return Group(Text(self.title, style="bold"), table, *matrices, Text(self.explanation))


def _rich_matrix(m: LabelledMatrix) -> Any:
    from rich.table import Table

    table = Table(box=None, show_header=True, header_style="bold", pad_edge=False)
    table.add_column(m.corner, style="bold")
    for c in m.columns:
        table.add_column(c, justify="right")
    for r, row in zip(m.rows, m.values, strict=True):
        table.add_row(r, *(num(float(v)) for v in row))
    return table


def _cell(v: Any) -> str:
    return v.inline() if isinstance(v, LabelledMatrix) else _show(v)


def _show(v: Any) -> str:
    import numpy as np

    if isinstance(v, LabelledMatrix):
        return v.text()
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
