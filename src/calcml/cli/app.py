"""The Typer application that every `calcml` verb registers on."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="calcml",
    help="calcml — the calculus of machine learning, executable.\n\n"
    "Every derivative, limit, gradient and optimizer run is derived step by step and checked. "
    "Every verb that prints a result takes --json for machine-readable output (errors then "
    "come as a JSON object on stderr).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)
