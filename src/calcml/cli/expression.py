"""`calcml parse`: read an expression and show it back in every form; the parser's tour stop."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from calcml.cli.app import app
from calcml.cli.options import EXPRESSION_FIRST, json_option
from calcml.cli.output import console, emit
from calcml.cli.tour import tour_section


def describe(text: str) -> dict[str, Any]:
    """Parse `text` and return {"expr", "text", "latex", "variables"} (the --json payload)."""
    from calcml.expr import expr_dict, parse, sorted_variables

    expr = parse(text)
    return {**expr_dict(expr), "variables": [str(s) for s in sorted_variables(expr.free_symbols)]}


def _table(info: dict[str, Any]) -> Any:
    from rich.table import Table

    table = Table(show_header=False, box=None, padding=(0, 2))
    table.add_column(style="bold cyan")
    table.add_column()
    table.add_row("text", info["text"])
    table.add_row("input", info["expr"])
    table.add_row("LaTeX", info["latex"])
    table.add_row("variables", ", ".join(info["variables"]) or "(none)")
    return table


@app.command("parse", context_settings=EXPRESSION_FIRST)
def parse_command(
    expression: str = typer.Argument(..., help='Math as you would write it: "2x sin x", "σ(z)".'),
    as_json: bool = json_option("Print JSON instead of a table."),
) -> None:
    """Read an expression and show its canonical text, LaTeX and variables."""
    info = describe(expression)
    if as_json:
        emit(info, True)
    else:
        console.print(info["text"], style="bold green")
        console.print(_table(info))


@tour_section(order=0, title="The math language")
def _tour(outdir: Path) -> None:
    from rich.table import Table

    from calcml.errors import ParseError
    from calcml.expr import parse

    console.print(
        "calcml reads math the way you write it — implicit products, Unicode, LaTeX — and "
        'shows it back in canonical form. Try: [bold]calcml parse "2x sin x"[/]'
    )
    table = Table("you type", "calcml reads", "LaTeX", box=None, padding=(0, 2))
    for text in ["2x sin x", "x²·sin(x)", "sigmoid(w x + b)", r"\frac{1}{1 + e^{-z}}", "|x - 1|"]:
        info = describe(text)
        table.add_row(text, f"[bold]{info['text']}[/]", f"[dim]{info['latex']}[/]")
    console.print(table)
    console.print("Mistakes get a message that says what and where, never a traceback:")
    for bad in ["sinn(x)", "2 * (x + 1"]:
        try:
            parse(bad)
        except ParseError as error:
            console.print(f"  {bad:<12} [red]{error.message}[/]", markup=True)
