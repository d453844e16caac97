"""Run a computation with a time limit, so a slow SymPy call can never hang calcml.

Limits count the *computing* time of the thread doing the work (its CPU clock), not the wall
clock: on a busy machine the work gets fewer seconds of CPU per second of wall time, and a wall
deadline would make a learner's answer depend on how busy the machine is.

The work runs inline, in the caller's own thread; one watcher thread per process (started on
first use, asleep until a deadline) asks it to stop when its time is up: an asynchronous
`_Stop` raised at its next Python bytecode (SymPy is pure Python and reaches one quickly),
which the call turns into a `TimeLimitError`. No thread per call: starting one and handing
the GIL over to it and back cost more than many a small request itself.

The stop is only sent while the caller is inside the work and outside Python's import
machinery: SymPy imports modules lazily, and an exception landing between
`_imp.acquire_lock()` and its `try` would leave the global import lock held, so that every
later import in the process waits forever. While the caller is importing, the stop waits.
Work stuck in C code (a huge exact power) is refused before it starts by
`calcml.symbolic.budget`; the engine service's hard limit (a killed process) is the last net.

>>> call_with_time_limit(sum, 1.0, [1, 2, 3])
6
"""

from __future__ import annotations

import contextvars
import ctypes
import math
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType
from typing import Any, TypeVar

from calcml.errors import CalcmlError, TimeLimitError

T = TypeVar("T")

DEFAULT_TIME_LIMIT = 5.0
IDLE_WAKE = 1.0  # the watcher wakes at least this often (seconds), so most calls need not wake it
_SOFT_LIMITS = [True]  # the engine service's workers turn these off (see set_soft_limits)
# The deadline of the watched worker this code runs in (None: not inside one). A nested limit
# that is not tighter than it runs inline: the outer watch already stops the work in time, and
# a thread per nested call costs a GIL hand-over (~5 ms) each.
_WATCHED_UNTIL: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "calcml_watched_until", default=None
)


# When the safety net of the request being served runs out (on `cpu_now()`'s clock; None: outside a
# request, or a request without a deadline). Set by `calcml.symbolic.budget.request`, read here:
# this module never imports the budget, which uses it as its safety net.
_NET_ENDS: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "calcml_net_ends", default=None
)


@contextmanager
def safety_net(seconds: float | None) -> Iterator[None]:
    """Inside the block, time limits are clamped to `seconds` from now (None: no deadline)."""
    token = _NET_ENDS.set(None if seconds is None else cpu_now() + seconds)
    try:
        yield
    finally:
        _NET_ENDS.reset(token)


def clamp(seconds: float | None) -> float | None:
    """A time limit inside the current request: never longer than what is left of its net."""
    ends = _NET_ENDS.get()
    if ends is None:
        return seconds
    left = max(0.0, ends - cpu_now())
    return left if seconds is None else min(seconds, left)


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


@dataclass(eq=False)
class _Watch:
    """One running call: the thread it runs in, its deadline, and whether it was stopped."""

    ident: int
    deadline: float  # on the thread's CPU clock
    clock: int = 0  # the thread's CPU clock id (time.pthread_getcpuclockid)
    done: bool = False
    stopped: bool = False
    expired: bool = False  # the deadline passed while a stop could not be sent (an import)


class _Watcher:
    """The process's one watcher thread: stops each watched call when its deadline passes."""

    def __init__(self) -> None:
        self.cond = threading.Condition(threading.Lock())
        self.watches: list[_Watch] = []
        self.thread: threading.Thread | None = None
        self.pid = 0
        self.wake_at = -math.inf  # when the watcher wakes next (monotonic seconds)

    def add(self, watch: _Watch) -> None:
        with self.cond:
            if self.thread is None or self.pid != os.getpid() or not self.thread.is_alive():
                self.pid = os.getpid()  # a forked child has no watcher thread: start one
                self.thread = threading.Thread(
                    target=self._run, daemon=True, name="calcml-time-limit"
                )
                self.thread.start()
            self.watches.append(watch)
            earliest = time.monotonic() + watch.deadline - time.clock_gettime(watch.clock)
            if earliest < self.wake_at:  # else it wakes in time anyway: waking it now
                self.cond.notify()  # would cost a GIL hand-over (up to 5 ms) per call

    def finish(self, watch: _Watch) -> None:
        """Mark `watch` done (no stop is sent after this); withdraw a stop still pending."""
        with self.cond:
            watch.done = True
            if watch in self.watches:
                self.watches.remove(watch)
            if watch.stopped:
                _set_async(watch.ident, None)

    def _run(self) -> None:
        while True:
            with self.cond:
                # A thread's CPU clock runs no faster than the wall clock, so sleeping for the
                # CPU time a watch has left never sleeps past its deadline.
                left = {id(w): w.deadline - time.clock_gettime(w.clock) for w in self.watches}
                due = [w for w in self.watches if left[id(w)] <= 0]
                for w in due:
                    if self._try_stop(w):
                        self.watches.remove(w)
                if due and any(w in self.watches for w in due):
                    wait = 0.005  # the caller is importing: try again shortly
                else:  # the next deadline, and at least once per IDLE_WAKE
                    rest = [left[id(w)] for w in self.watches]
                    wait = max(0.001, min([*rest, IDLE_WAKE]))
                self.wake_at = time.monotonic() + wait
                self.cond.wait(wait)

    @staticmethod
    def _try_stop(watch: _Watch) -> bool:
        """Send `_Stop` to the watched call when it is safe (see the module docstring)."""
        old = sys.getswitchinterval()
        sys.setswitchinterval(1.0)  # hold the GIL from the check to the send
        try:
            if watch.done:
                return True
            watch.expired = True
            if _safe_to_stop(sys._current_frames().get(watch.ident), _work.__code__):
                watch.stopped = True
                _set_async(watch.ident, ctypes.py_object(_Stop))
                return True
            return False
        finally:
            sys.setswitchinterval(old)


_WATCHER = _Watcher()


def cpu_now() -> float:
    """Seconds of CPU time the calling thread has used: the clock every time limit counts."""
    return time.thread_time()


def _work(watch: _Watch, fn: Callable[..., T], args: Any, kwargs: Any) -> T:
    """fn(*args, **kwargs) as the watched work (the frame the watcher looks for)."""
    try:
        return fn(*args, **kwargs)
    finally:
        _WATCHER.finish(watch)


def call_with_time_limit(
    fn: Callable[..., T], seconds: float | None, *args: Any, **kwargs: Any
) -> T:
    """`fn(*args, **kwargs)`, or `TimeLimitError` after `seconds` of computing (None: no limit).

    Inside a request (`calcml.symbolic.budget.request`) the limit is never longer than what is
    left of the request's safety net, and the work runs with the request's budget.
    """
    if not _SOFT_LIMITS[0]:
        return fn(*args, **kwargs)
    seconds = clamp(seconds)
    if seconds is None:
        return fn(*args, **kwargs)
    deadline = cpu_now() + max(seconds, 0.0)
    watched_until = _WATCHED_UNTIL.get()
    if watched_until is not None and deadline >= watched_until - 0.1:
        return fn(*args, **kwargs)
    ident = threading.get_ident()
    watch = _Watch(ident, deadline, time.pthread_getcpuclockid(ident))
    token = _WATCHED_UNTIL.set(deadline)
    try:
        try:
            _WATCHER.add(watch)
            value = _work(watch, fn, args, kwargs)
            if not watch.expired:
                return value
        except _Stop:
            if not watch.stopped:
                raise  # an outer call's stop: it unwinds to that call
        finally:
            _WATCHER.finish(watch)
            _WATCHED_UNTIL.reset(token)
    except _Stop:
        if not watch.stopped:
            raise
    raise TimeLimitError(f"gave up after {seconds:g} s")
