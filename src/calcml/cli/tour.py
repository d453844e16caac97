"""`calcml tour`: a terminal walk through the course; each topic adds a section to `SECTIONS`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import typer
from rich.rule import Rule

from calcml.cli.app import app
from calcml.cli.output import console


@dataclass(frozen=True)
class TourSection:
    """One stop of the tour: `show(outdir)` prints it; figures it saves go under outdir."""

    order: int
    title: str
    show: Callable[[Path], None]


SECTIONS: list[TourSection] = []


def tour_section(
    order: int, title: str
) -> Callable[[Callable[[Path], None]], Callable[[Path], None]]:
    """Register a function as a tour stop (sections print in `order`)."""

    def register(fn: Callable[[Path], None]) -> Callable[[Path], None]:
        SECTIONS.append(TourSection(order, title, fn))
        return fn

    return register


@app.command()
def tour(
    outdir: Path = typer.Option(Path("out/tour"), "--out", help="Where the tour saves figures."),
    only: str | None = typer.Option(None, help="Show only sections whose title contains this."),
) -> None:
    """A walk through the course, topic by topic, every result computed live."""
    console.print(Rule("[bold]calcml — the calculus of machine learning, executable[/]"))
    # Stops are numbered by position, so the numbers run 0, 1, 2, ... whatever the sort keys.
    for number, section in enumerate(sorted(SECTIONS, key=lambda s: s.order)):
        if only and only.lower() not in section.title.lower():
            continue
        console.print()
        console.print(Rule(f"[bold cyan]{number}. {section.title}[/]"))
        section.show(outdir)
