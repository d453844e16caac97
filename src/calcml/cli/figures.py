"""`calcml gallery DIR`: every figure calcml draws, from live computations, with an index.html;
and the tour's "Pictures" stop, which saves a few figures and says where they are."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from calcml.cli.app import app
from calcml.cli.options import bounded
from calcml.cli.output import console, err_console
from calcml.cli.tour import tour_section

PLOT = typer.Option(
    None, "--plot", help="Also save a figure of the result here (.png, .svg or .pdf)."
)


def save_plot(result: Any, path: Path | None, **options: Any) -> Any:
    """For `--plot FILE` on any verb: draw `result` with calcml.viz and save it (nothing when
    path is None). Says where on stderr, so `--json` output stays clean. Returns `result`.

    In a verb: `plot: Path | None = PLOT` and `show(result, as_json, plot)`, or after
    `emit(result, as_json)`, `save_plot(result, plot)` (models: `save_plot(model, plot, X=X)`).
    """
    if path is None:
        return result
    import os

    os.environ.setdefault("MPLBACKEND", "Agg")
    from calcml.viz import plot_result

    saved = plot_result(result, path, **options)
    err_console.print(f"figure saved to {saved}", markup=False, highlight=False, soft_wrap=True)
    return result


def show(result: Any, as_json: bool, plot: Path | None, **options: Any) -> None:
    """Print `result` (or its JSON), then save its figure for --plot: a file that cannot be
    written is reported after the result (exit 2), never instead of it."""
    from calcml.cli.output import emit

    emit(result, as_json)
    save_plot(result, plot, **options)


@app.command("gallery")
def gallery_command(
    outdir: Path = typer.Argument(
        Path("out/gallery"), metavar="DIR", help="Folder for the pictures (created if needed)."
    ),
    only: str | None = typer.Option(
        None, help="Comma-separated figure names, e.g. tangent,backprop-graph (default: all)."
    ),
    dpi: int = bounded(
        200,
        "dpi",
        "--dpi",
        help="Resolution of the PNGs; the index shows them at 100 dpi (800 px wide), so the "
        "default 200 is sharp on HiDPI screens.",
    ),
) -> None:
    """Draw every kind of figure (tangents to backprop graphs) into DIR, with an index.html."""
    import os

    os.environ.setdefault("MPLBACKEND", "Agg")
    from calcml.errors import CalcmlError
    from calcml.viz.gallery import ENTRIES, gallery
    from calcml.web.book import gallery_html

    names = [n.strip() for n in only.split(",") if n.strip()] if only else None
    known = {e.name for e in ENTRIES}
    if names and (unknown := [n for n in names if n not in known]):
        raise CalcmlError(
            f"no figure named {', '.join(unknown)}; choose from {', '.join(sorted(known))}"
        )
    with console.status("drawing figures ..."):
        result = gallery(outdir, dpi=dpi, only=names, page=gallery_html)
    for path in result.written:
        console.print(f"  [green]✓[/] {path}", soft_wrap=True)  # paths stay whole
    for name, why in result.failed.items():
        err_console.print(f"  [red]✗[/] {name}: {why}", markup=True)
    console.print(
        f"{len(result.written)} figures written; open [bold]{result.index}[/] in a browser.",
        soft_wrap=True,
    )
    if result.failed:
        raise typer.Exit(1)


@tour_section(order=8, title="Pictures")
def _tour(outdir: Path) -> None:
    import os

    os.environ.setdefault("MPLBACKEND", "Agg")
    from calcml.viz.gallery import gallery
    from calcml.web.book import gallery_html

    console.print(
        "Every picture is drawn from a computed result — the tangent's slope is the derivative "
        "calcml found, the descent path is the optimizer's own history, the graph is the "
        "backprop trace — and each comes with its data as JSON."
    )
    picks = ["tangent", "activations", "learning-rates", "backprop-graph"]
    result = gallery(outdir / "figures", only=picks, page=gallery_html)
    for path in result.written:
        console.print(f"  saved {path}", soft_wrap=True)
    for name, why in result.failed.items():
        console.print(f"  could not draw {name}: {why}", markup=False)
    console.print(
        f"Open {result.index} to see them; [bold]calcml gallery out/[/] draws them all.",
        soft_wrap=True,
    )
