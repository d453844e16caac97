"""Run a computation with a time limit, so a slow SymPy call can never hang calcml.

The work runs in a daemon worker thread; if it is not done in time the caller gets a
`TimeLimitError` at once, and the worker is asked to stop (an asynchronous exception raised at
its next Python bytecode, which SymPy — pure Python — reaches quickly).

The stop is only sent while the worker is inside the work and outside Python's import
machinery: SymPy imports modules lazily, and an exception landing between `_imp.acquire_lock()`
and its `try` would leave the global import lock held by a dead thread, so that every later
import in the process (rich's, SymPy's) waits forever. While the worker is importing, the stop
waits (up to `STOP_PATIENCE` seconds, then the worker is left to finish on its own).

>>> call_with_time_limit(sum, 1.0, [1, 2, 3])
6
"""

from __future__ import annotations

import contextvars
import ctypes
import math
import sys
import threading
import time
from collections.abc import Callable
from types import FrameType
from typing import Any, TypeVar

from calcml.errors import CalcmlError, TimeLimitError

T = TypeVar("T")

DEFAULT_TIME_LIMIT = 5.0
STOP_PATIENCE = 1.0
_SOFT_LIMITS = [True]  # the engine service's workers turn these off (see set_soft_limits)
# The deadline of the watched worker this code runs in (None: not inside one). A nested limit
# that is not tighter than it runs inline: the outer watch already stops the work in time, and
# a thread per nested call costs a GIL hand-over (~5 ms) each.
_WATCHED_UNTIL: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "calcml_watched_until", default=None
)


def set_soft_limits(enabled: bool) -> None:
    """Turn every `call_with_time_limit` in this process into a plain call (enabled=False).

    The engine service's worker processes do this: an answer must not depend on how busy the
    machine is, and their hard limit (a killed process) is the safety net instead.
    """
    _SOFT_LIMITS[0] = enabled


class _Stop(BaseException):
    """Raised inside an abandoned worker thread to unwind it."""


def _set_async(ident: int, exc: Any) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident), exc)


def check_time_limit(seconds: float | None) -> float | None:
    """`seconds` when it is a usable time limit (None: no limit); else a CalcmlError."""
    if seconds is None:
        return None
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
        raise CalcmlError(f"the time limit must be a number of seconds, not {seconds!r}")
    if not math.isfinite(seconds) or seconds <= 0:
        raise CalcmlError(f"the time limit must be a positive number of seconds, not {seconds:g}")
    return float(seconds)


def _safe_to_stop(frame: FrameType | None, work_code: Any) -> bool:
    """Inside the work (not starting or finishing) and not inside an import."""
    inside = False
    while frame is not None:
        code = frame.f_code
        if code.co_filename.startswith("<frozen importlib"):
            return False
        if code is work_code:
            inside = True
        frame = frame.f_back
    return inside


def _stop(worker: threading.Thread, box: dict[str, Any], lock: threading.Lock, code: Any) -> None:
    """Send `_Stop` to the worker once it is safe to (see the module docstring)."""
    deadline = time.monotonic() + STOP_PATIENCE
    while time.monotonic() < deadline and worker.is_alive():
        old = sys.getswitchinterval()
        sys.setswitchinterval(1.0)  # hold the GIL from the check to the send
        try:
            with lock:
                if box.get("done") or worker.ident is None:
                    return
                if _safe_to_stop(sys._current_frames().get(worker.ident), code):
                    box["stopped"] = True
                    _set_async(worker.ident, ctypes.py_object(_Stop))
                    return
        finally:
            sys.setswitchinterval(old)
        time.sleep(0.005)


def call_with_time_limit(
    fn: Callable[..., T], seconds: float | None, *args: Any, **kwargs: Any
) -> T:
    """`fn(*args, **kwargs)`, or `TimeLimitError` after `seconds` (None: no limit).

    Inside a request (`calcml.symbolic.budget.request`) the limit is never longer than what is
    left of the request's safety net, and the work runs with the request's budget.
    """
    from calcml.symbolic.budget import clamp

    if not _SOFT_LIMITS[0]:
        return fn(*args, **kwargs)
    seconds = clamp(seconds)
    if seconds is None:
        return fn(*args, **kwargs)
    deadline = time.monotonic() + max(seconds, 0.0)
    watched_until = _WATCHED_UNTIL.get()
    if watched_until is not None and deadline >= watched_until - 0.1:
        return fn(*args, **kwargs)
    context = contextvars.copy_context()
    context.run(_WATCHED_UNTIL.set, deadline)
    box: dict[str, Any] = {}
    lock = threading.Lock()

    def work() -> None:
        try:
            try:
                box["value"] = context.run(fn, *args, **kwargs)
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
    worker.join(max(seconds, 0.0))
    if worker.is_alive():
        _stop(worker, box, lock, work.__code__)
        raise TimeLimitError(f"gave up after {seconds:g} s")
    if "error" in box:
        raise box["error"]
    return box["value"]  # type: ignore[no-any-return]
