"""Shared CLI plumbing: consoles, printing a result or its JSON, turning errors into exit codes."""

from __future__ import annotations

import json
import sys
from typing import Any

from rich.console import Console

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)


def emit(result: Any, as_json: bool) -> None:
    """Print a Result: its `.to_dict()` as JSON under --json, else its rich rendering."""
    if as_json:
        payload = result.to_dict() if hasattr(result, "to_dict") else result
        sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False, default=str) + "\n")
    else:
        console.print(result)


def split_names(text: str | None) -> list[str] | None:
    """'x, y' -> ['x', 'y']; None stays None."""
    if text is None:
        return None
    return [part.strip() for part in text.split(",") if part.strip()]


def report_error(error: BaseException) -> int:
    """Print a user-facing error on stderr (no traceback) and return the exit code."""
    from rich.markup import escape

    from calcml.errors import CalcmlError, ParseError

    if isinstance(error, ParseError):
        err_console.print(f"[bold red]error:[/] {escape(error.message)}", markup=True)
        caret = error.caret()
        if caret:
            err_console.print(caret, markup=False)
        return 2
    if isinstance(error, CalcmlError):
        err_console.print(f"[bold red]error:[/] {escape(error.message)}", markup=True)
        return 2
    err_console.print(
        f"[bold red]internal error:[/] {type(error).__name__}: {escape(str(error))}\n"
        "This is a bug in calcml; set CALCML_DEBUG=1 to see the traceback.",
        markup=True,
    )
    return 1
