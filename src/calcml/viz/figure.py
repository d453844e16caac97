"""`CalcmlFigure`: a matplotlib Figure that carries its JSON spec, and the renderer registry.

Figures are built without pyplot (no global state, no window ever opens); they show inline in
Jupyter and save to PNG, SVG or PDF by the file's suffix.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from calcml.errors import CalcmlError
from calcml.viz.spec import Spec, to_json
from calcml.viz.style import DPI, WIDTH_IN, house_style

FORMATS = (".png", ".svg", ".pdf")


class CalcmlFigure(Figure):
    """A Figure with `.spec`, the plain-JSON data it was drawn from."""

    spec: Spec

    def save(self, path: str | Path, dpi: int = DPI) -> Path:
        """Save as PNG, SVG or PDF (by suffix; none means .png); returns the path written."""
        out = Path(path)
        if not out.suffix:
            out = out.with_suffix(".png")
        if out.suffix.lower() not in FORMATS:
            raise CalcmlError(
                f"cannot save a figure as {out.suffix!r}; use one of {', '.join(FORMATS)}"
            )
        from calcml.fileio import atomic_path

        with atomic_path(out) as temp, house_style():
            self.savefig(temp, dpi=dpi, format=out.suffix.lower()[1:])
        return out

    def spec_json(self, indent: int | None = 2) -> str:
        """The spec as strict JSON."""
        return to_json(self.spec, indent)

    def _repr_png_(self) -> bytes:
        import io

        buf = io.BytesIO()
        with house_style():
            self.savefig(buf, format="png", bbox_inches="tight")
        return buf.getvalue()


def new_figure(
    spec: Spec,
    nrows: int = 1,
    ncols: int = 1,
    height: float = 4.5,
    width: float = WIDTH_IN,
    subplot_kw: dict[str, Any] | None = None,
    **kwargs: Any,
) -> tuple[CalcmlFigure, np.ndarray]:
    """A styled figure holding `spec`, and its axes as a 2-D array (call inside house_style)."""
    fig = CalcmlFigure(figsize=(width, height), layout="constrained")
    fig.spec = spec
    axes = fig.subplots(nrows, ncols, squeeze=False, subplot_kw=subplot_kw, **kwargs)
    if spec.get("title"):
        fig.suptitle(spec["title"])
    return fig, axes


CAPTION_PT = 9
# DejaVu Sans' widest common characters are ~0.62 em: a line of this many em fits the width
EM_PER_CHAR = 0.62


def caption(fig: Figure, texts: list[str], fontsize: float = CAPTION_PT) -> None:
    """One caption under the plot (the figure's supxlabel), each text wrapped to the figure's
    own width, so a narrow figure never cuts it at both sides; later calls add lines to it."""
    import textwrap

    width_pt = fig.get_figwidth() * 72 * 0.94  # a small margin on each side
    chars = max(20, int(width_pt / (fontsize * EM_PER_CHAR)))
    earlier = getattr(fig, "_calcml_caption", [])
    lines = [*earlier, *(textwrap.fill(t, chars) for t in texts if t)]
    fig._calcml_caption = lines  # type: ignore[attr-defined]
    if lines:
        fig.supxlabel("\n".join(lines), fontsize=fontsize, color="#444444")


def add_notes(fig: Figure, spec: Spec) -> None:
    """Write the spec's notes (gaps, statuses, caveats) under the plot (after any caption)."""
    caption(fig, list(spec.get("notes") or [])[:4])


Renderer = Callable[[Spec], CalcmlFigure]
RENDERERS: dict[str, Renderer] = {}


def renderer(kind: str) -> Callable[[Renderer], Renderer]:
    """Register the function that draws specs of this `kind`."""

    def register(fn: Renderer) -> Renderer:
        RENDERERS[kind] = fn
        return fn

    return register


def render(spec: Spec) -> CalcmlFigure:
    """Draw a spec (of any registered kind) as a figure."""
    import calcml.viz  # noqa: F401  (registers every renderer)

    kind = spec.get("kind")
    if kind not in RENDERERS:
        raise CalcmlError(f"no figure knows how to draw a spec of kind {kind!r}")
    with house_style():
        return RENDERERS[kind](spec)


def legend(ax: Axes, **kwargs: Any) -> None:
    """A legend only when something is labelled."""
    _, labels = ax.get_legend_handles_labels()
    if labels:
        ax.legend(**kwargs)
