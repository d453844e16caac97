"""A rich progress bar for long runs: shown only when asked for and stderr is a terminal."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol


class Ticker(Protocol):
    def __call__(self, done: int, info: str = "") -> None: ...


@contextmanager
def progress_bar(total: int, description: str, enabled: bool = False) -> Iterator[Ticker]:
    """Yield `tick(done, info)`; a no-op unless `enabled` and stderr is a TTY.

    >>> with progress_bar(10, "training") as tick:
    ...     tick(5)
    """
    if not enabled or not sys.stderr.isatty():
        yield _quiet
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TextColumn("{task.fields[info]}"),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    with progress:
        task = progress.add_task(description, total=total, info="")

        def tick(done: int, info: str = "") -> None:
            progress.update(task, completed=done, info=info)

        yield tick


def _quiet(done: int, info: str = "", *_: Any) -> None:
    return None
