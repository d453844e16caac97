"""`Result`: the base of every object calcml hands to a learner; it renders itself.

Subclasses implement `text()`, `latex()`, `markdown()` and `to_dict()`; the Jupyter and rich
hooks here are derived from them so every result shows the same way everywhere.
"""

from __future__ import annotations

from typing import Any


class Result:
    """Something calcml computed, renderable as Unicode text, LaTeX, Markdown and JSON."""

    def text(self) -> str:
        """One-line (or short multi-line) Unicode rendering."""
        raise NotImplementedError

    def latex(self) -> str:
        """LaTeX rendering (no surrounding $)."""
        raise NotImplementedError

    def markdown(self) -> str:
        """Markdown rendering, with math in $...$."""
        return self.text()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary (what the CLI prints under --json)."""
        raise NotImplementedError

    def __str__(self) -> str:
        return self.text()

    def _repr_markdown_(self) -> str:
        return self.markdown()

    def _repr_latex_(self) -> str:
        return f"$\\displaystyle {self.latex()}$"

    def __rich__(self) -> Any:
        from rich.text import Text

        return Text(self.text())
