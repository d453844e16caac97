"""The `calcml` command: a thin face over the library (one module of verbs per topic)."""

from __future__ import annotations

import os
import sys

import typer

from calcml.cli import (  # noqa: F401  (each module registers its verbs on `app`)
    admin,
    backprop,
    course,
    derivatives,
    expression,
    figures,
    limits,
    optimize,
    serve,
    tour,
)
from calcml.cli.app import app
from calcml.cli.output import print_json_error, report_error

# --help lists the verbs in the order of the course (DESIGN.md), not the order of import
COURSE_ORDER = (
    "parse derive gradient jacobian hessian limit continuity taylor critical descend newton "
    "train pca backprop roadmap lesson practice check cheatsheet book gallery tour serve"
).split()


def _verb(info: typer.models.CommandInfo) -> str:
    return info.name or (info.callback.__name__ if info.callback else "")


app.registered_commands.sort(
    key=lambda info: COURSE_ORDER.index(_verb(info)) if _verb(info) in COURSE_ORDER else 99
)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI: exit 0 on success, 2 on bad input (message, no traceback), 1 on a bug."""
    from calcml.text import clean_text

    args = [clean_text(a) for a in (sys.argv[1:] if argv is None else argv)]
    as_json = "--json" in args
    try:
        if as_json:  # usage errors too come back here, to be printed as JSON
            done = app(args=args, prog_name="calcml", standalone_mode=False)
            return done if isinstance(done, int) else 0
        app(args=args, prog_name="calcml")  # Typer prints usage errors itself and exits 2
    except SystemExit as done:
        code = done.code
        return code if isinstance(code, int) else 0 if code is None else 1
    except KeyboardInterrupt:
        return 130
    except typer.Abort:
        return 130
    except Exception as error:
        if as_json and _is_usage_error(error):  # standalone mode is off under --json
            print_json_error(error)
            return int(error.exit_code)  # type: ignore[attr-defined]
        if os.environ.get("CALCML_DEBUG"):
            raise
        return report_error(error, as_json)
    return 0


def _is_usage_error(error: Exception) -> bool:
    """Click's (Typer's) usage errors: a bad option, a value out of range, a missing argument."""
    return callable(getattr(error, "format_message", None)) and isinstance(
        getattr(error, "exit_code", None), int
    )


if __name__ == "__main__":
    sys.exit(main())
