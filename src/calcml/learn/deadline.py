"""Run a computation with a time limit, so grading hostile input can never hang.

The work runs in a daemon thread; past the limit the caller gets `TimeLimitError` at once and
the worker is asked to stop (an asynchronous exception at its next Python bytecode).

>>> within(1.0, sum, [1, 2, 3])
6
"""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from calcml.errors import TimeLimitError

T = TypeVar("T")


class _Stop(BaseException):
    """Raised inside an abandoned worker to unwind it."""


def within(seconds: float, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """`fn(*args, **kwargs)`, or `TimeLimitError` after `seconds`."""
    box: dict[str, Any] = {}

    def work() -> None:
        try:
            box["value"] = fn(*args, **kwargs)
        except _Stop:
            pass
        except BaseException as error:  # handed back to the caller
            box["error"] = error

    worker = threading.Thread(target=work, daemon=True, name="calcml-grader")
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        if worker.ident is not None:
            ctypes.pythonapi.PyThreadState_SetAsyncExc(
                ctypes.c_ulong(worker.ident), ctypes.py_object(_Stop)
            )
        raise TimeLimitError(f"gave up after {seconds:g} s")
    if "error" in box:
        raise box["error"]
    return box["value"]  # type: ignore[no-any-return]
