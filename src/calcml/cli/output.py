"""Shared CLI plumbing: consoles, printing a result or its JSON, turning errors into exit codes."""

from __future__ import annotations

import json
import sys
from typing import Any

from rich.console import Console

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)


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


# error class name -> "kind" in the JSON error object (the nearest class in the MRO wins)
ERROR_KINDS = {
    "ParseError": "parse",
    "StoreError": "store",
    "FileWriteError": "file",
    "TimeLimitError": "time-limit",
    "UnsupportedError": "unsupported",
    "ShapeError": "shape",
    "VerificationError": "verification",
    "UsageError": "usage",
    "ClickException": "usage",
    "TyperException": "usage",
    "CalcmlError": "input",
}


def error_object(error: BaseException) -> dict[str, Any]:
    """{"error": message, "column": n (parse errors), "kind": ...} — what --json prints on
    stderr; kind "internal" for a bug."""
    kind = next(
        (ERROR_KINDS[c.__name__] for c in type(error).__mro__ if c.__name__ in ERROR_KINDS),
        "internal",
    )
    message = _click_message(error) or getattr(error, "message", None) or str(error)
    if kind == "internal":
        message = f"{type(error).__name__}: {error} (a bug in calcml)"
    payload: dict[str, Any] = {"error": message}
    if getattr(error, "column", 0):
        payload["column"] = error.column  # type: ignore[attr-defined]
    payload["kind"] = kind
    return payload


def _click_message(error: BaseException) -> str | None:
    format_message = getattr(error, "format_message", None)
    return format_message() if callable(format_message) else None


def print_json_error(error: BaseException) -> None:
    sys.stderr.write(json.dumps(error_object(error), ensure_ascii=False) + "\n")


def report_error(error: BaseException, as_json: bool = False) -> int:
    """Print a user-facing error on stderr (no traceback) and return the exit code; under
    --json the error is one JSON object (see error_object)."""
    from rich.markup import escape

    from calcml.errors import CalcmlError, ParseError

    if as_json:
        print_json_error(error)
        return 2 if isinstance(error, CalcmlError) else 1
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
