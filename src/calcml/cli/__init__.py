"""The `calcml` command: a thin face over the library (one module of verbs per topic)."""

from __future__ import annotations

import os
import sys

from calcml.cli import (  # noqa: F401  (each module registers its verbs on `app`)
    backprop,
    course,
    derivatives,
    expression,
    figures,
    limits,
    optimize,
    tour,
)
from calcml.cli.app import app
from calcml.cli.output import report_error


def main(argv: list[str] | None = None) -> int:
    """Run the CLI: exit 0 on success, 2 on bad input (message, no traceback), 1 on a bug."""
    try:
        app(args=argv, prog_name="calcml")  # Typer prints usage errors itself and exits 2
    except SystemExit as done:
        code = done.code
        return code if isinstance(code, int) else 0 if code is None else 1
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        if os.environ.get("CALCML_DEBUG"):
            raise
        return report_error(error)
    return 0


if __name__ == "__main__":
    sys.exit(main())
