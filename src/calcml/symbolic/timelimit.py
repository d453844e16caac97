"""Run a computation with a time limit, so a slow SymPy call can never hang calcml.

The work runs in a daemon worker thread; if it is not done in time the caller gets a
`TimeLimitError` at once, and the worker is asked to stop (an asynchronous exception raised at
its next Python bytecode, which SymPy — pure Python — reaches quickly).

>>> call_with_time_limit(sum, 1.0, [1, 2, 3])
6
"""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from calcml.errors import TimeLimitError

T = TypeVar("T")

DEFAULT_TIME_LIMIT = 5.0


class _Stop(BaseException):
    """Raised inside an abandoned worker thread to unwind it."""


def _set_async(ident: int, exc: Any) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident), exc)


def call_with_time_limit(
    fn: Callable[..., T], seconds: float | None, *args: Any, **kwargs: Any
) -> T:
    """`fn(*args, **kwargs)`, or `TimeLimitError` after `seconds` (None: no limit)."""
    if seconds is None:
        return fn(*args, **kwargs)
    box: dict[str, Any] = {}
    lock = threading.Lock()

    def work() -> None:
        try:
            try:
                box["value"] = fn(*args, **kwargs)
            except _Stop:
                pass
            except BaseException as error:  # handed back to the caller
                box["error"] = error
            finally:
                with lock:
                    box["done"] = True
                    if box.get("stopped"):  # a stop request still pending: withdraw it
                        _set_async(threading.get_ident(), None)
        except _Stop:  # the stop request landed while finishing
            pass

    worker = threading.Thread(target=work, daemon=True, name="calcml-time-limit")
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        with lock:
            if not box.get("done") and worker.ident is not None:
                box["stopped"] = True
                _set_async(worker.ident, ctypes.py_object(_Stop))
        raise TimeLimitError(f"gave up after {seconds:g} s")
    if "error" in box:
        raise box["error"]
    return box["value"]  # type: ignore[no-any-return]
