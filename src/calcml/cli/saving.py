"""The learner's progress as the CLI uses it: a store failure is said once on stderr (which file,
what to do, never SQL), saving stops, and the course goes on; `unsaved` tells the verb to exit
non-zero when the learner asked to save."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from calcml.cli.output import err_console

# what a method answers once the store has failed (the course goes on without progress)
FALLBACKS: dict[str, Callable[..., Any]] = {
    "record": lambda *args, **kwargs: "new",
    "next_skill": lambda skills, *args, **kwargs: skills[0],
    "difficulty_for": lambda *args, **kwargs: 1,
    "mastery": lambda *args, **kwargs: "new",
    "overview": lambda skills, *args, **kwargs: dict.fromkeys(skills, "new"),
    "due": lambda *args, **kwargs: {},
    "history": lambda *args, **kwargs: [],
    "reveal": lambda *args, **kwargs: "new",
    "revealed": lambda *args, **kwargs: False,
}


def note(message: str) -> None:
    """Something the store repaired (a damaged file moved aside): say it, keep going."""
    err_console.print(f"[yellow]note:[/] {message}", markup=True, highlight=False, soft_wrap=True)


def warn(error: Exception, as_json: bool = False) -> None:
    from rich.markup import escape

    if as_json:
        from calcml.cli.output import print_json_error

        print_json_error(error)
        return
    message = getattr(error, "message", str(error))
    err_console.print(
        f"[yellow]progress not saved:[/] {escape(message)}",
        markup=True,
        highlight=False,
        soft_wrap=True,
    )


class SavedProgress:
    """calcml.store.Progress behind a guard (same methods); `unsaved` is True once it failed."""

    def __init__(
        self, progress: Any = None, failure: Exception | None = None, as_json: bool = False
    ) -> None:
        self._progress = progress
        self.unsaved = progress is None
        self.as_json = as_json
        if failure is not None:
            warn(failure, as_json)

    def __getattr__(self, name: str) -> Callable[..., Any]:
        from calcml.store import StoreError

        fallback = FALLBACKS[name]
        method = getattr(self._progress, name) if self._progress is not None else None

        def call(*args: Any, **kwargs: Any) -> Any:
            if method is not None and not self.unsaved:
                try:
                    return method(*args, **kwargs)
                except StoreError as error:
                    self.unsaved = True
                    warn(error, self.as_json)
            return fallback(*args, **kwargs)

        return call


def open_progress(as_json: bool = False) -> SavedProgress:
    """The default progress store, guarded; a failure to open it is said once (as a JSON
    error object under --json)."""
    from calcml.store import Progress, StoreError

    try:
        return SavedProgress(Progress(notify=note), as_json=as_json)
    except StoreError as error:
        return SavedProgress(None, error, as_json)
