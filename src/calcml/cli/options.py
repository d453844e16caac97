"""Options every verb shares, defined once: the variable option (`--wrt`, with `--var` and
`--vars` as aliases everywhere), `--json`, sizes bounded by calcml.bounds (their range shown in
--help), and the setting that lets an expression start with a minus sign."""

from __future__ import annotations

from typing import Any

import typer

from calcml.bounds import BOUNDS

# "-log(σ(x))" is an expression, not an unknown option -l
EXPRESSION_FIRST: dict[str, Any] = {"ignore_unknown_options": True}

VARIABLE_NAMES = ("--wrt", "--var", "--vars")


def wrt_option(
    help: str = "Variables, comma separated (default: all, sorted by name).", bound: str = "wrt"
) -> Any:
    """The variable option: --wrt (aliases --var, --vars), at most BOUNDS[bound].high names."""
    limit = int(BOUNDS[bound].high)
    return typer.Option(None, *VARIABLE_NAMES, help=f"{help} At most {limit}.")


def json_option(help: str = "Print JSON (.to_dict()).") -> Any:
    return typer.Option(False, "--json", help=help)


def bounded(default: Any, name: str, *flags: str, help: str = "", **kwargs: Any) -> Any:
    """A size option bounded by calcml.bounds: --help states the maximum, and a value past it
    is refused before any work starts, with the reason (a CalcmlError: exit 2)."""
    bound = BOUNDS[name]
    high = f"{bound.high:,.0f}" if float(bound.high).is_integer() else f"{bound.high:g}"

    def check(value: Any) -> Any:
        if value is not None:
            bound.check(value, flags[0])
        return value

    return typer.Option(default, *flags, help=f"{help} At most {high}.", callback=check, **kwargs)


def names_within(text: str | None, name: str = "wrt", what: str = "--wrt") -> list[str] | None:
    """'x, y' -> ['x', 'y'] (None stays None), refusing more names than the bound allows."""
    from calcml.cli.output import split_names

    names = split_names(text)
    if names is not None:
        BOUNDS[name].check(len(names), f"the number of {what} names")
    return names


def variables_of(expressions: list[str], names: list[str] | None, bound: str = "wrt") -> None:
    """Without --wrt, the variables are the expressions' own: bound their number too."""
    if names is not None:
        return
    from calcml.expr import parse

    found: set[Any] = set()
    for text in expressions:
        found |= parse(text).free_symbols
    BOUNDS[bound].check(len(found), "the number of variables")
