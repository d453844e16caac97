"""`Result`: the base of every object calcml hands to a learner; it renders itself.

Subclasses implement `text()`, `latex()`, `markdown()` and `to_dict()`; the Jupyter and rich
hooks here are derived from them so every result shows the same way everywhere. `repr()` is one
short line (`<Derivation d/dx x³ = 3·x², 1 step, verified>`: `repr_summary()`, `repr_counts()`),
never a dump of the fields, even for dataclass subclasses. `_repr_html_` is drawn by the web face's
templates (the same step partial as the web app and the book), named in `HTML_RENDERER`.
"""

from __future__ import annotations

import importlib
from typing import Any

# The face that renders a result as an HTML fragment (`result_html(result) -> str`). It sits above
# every engine, so a result names it and it is imported on first use (like calcml's lazy names).
HTML_RENDERER = "calcml.web.notebook"
REPR_WIDTH = 100  # characters of the summary shown by repr() (the counts come after)


def clip(text: str, width: int) -> str:
    """`text` on one line, cut to `width` characters with an ellipsis."""
    line = " ".join(text.split())
    return line if len(line) <= width else line[: width - 1].rstrip() + "…"


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

    def repr_summary(self) -> str:
        """What this result is, in one line (the first line of `text()` unless told)."""
        lines = self.text().strip().splitlines()
        return lines[0].lstrip("# ") if lines else ""  # a Markdown heading without its marks

    def repr_counts(self) -> list[str]:
        """Short facts shown after the summary in repr() ("4 steps", "verified")."""
        return []

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "__repr__" not in cls.__dict__ and cls.__repr__ is Result.__repr__:
            # @dataclass adds a field dump unless the class already has its own __repr__ (a
            # subclass's own __repr__, written in its body or inherited, is kept)
            cls.__repr__ = Result.__repr__  # type: ignore[method-assign]

    def __repr__(self) -> str:
        parts = [clip(self.repr_summary(), REPR_WIDTH), *self.repr_counts()]
        return f"<{type(self).__name__} {', '.join(p for p in parts if p)}>"

    def __str__(self) -> str:
        return self.text()

    def _repr_markdown_(self) -> str:
        return self.markdown()

    def _repr_html_(self) -> str:
        """An HTML fragment: the question and answer typeset, the steps as a collapsible list."""
        renderer = importlib.import_module(HTML_RENDERER)
        return str(renderer.result_html(self))

    def _repr_latex_(self) -> str:
        return f"$\\displaystyle {self.latex()}$"

    def __rich__(self) -> Any:
        from rich.text import Text

        return Text(self.text())
