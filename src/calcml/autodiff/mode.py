"""Grad mode, per thread and per async task: whether operations are recorded, and whether a
transform (grad, jacobian, trace, ...) is running the user's function.

Kept in `contextvars`, so two requests served by two threads (or two tasks) never switch
each other's mode; a new thread starts with recording on and no transform running.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar

RECORDING: ContextVar[bool] = ContextVar("calcml_autodiff_recording", default=True)
TRANSFORMING: ContextVar[bool] = ContextVar("calcml_autodiff_transforming", default=False)
# `RECORDING.get`, bound once: CPython 3.11 does not specialise the method lookup in
# ``RECORDING.get()``, so every operation that records a node would pay for it.
recording = RECORDING.get


def is_grad_enabled() -> bool:
    """Whether operations on tensors are being recorded."""
    return RECORDING.get()


@contextmanager
def grad_mode(on: bool) -> Iterator[None]:
    """Record (or not) inside the block, then restore the previous mode."""
    token = RECORDING.set(on)
    try:
        yield
    finally:
        RECORDING.reset(token)


def no_grad() -> AbstractContextManager[None]:
    """Compute without recording a graph (e.g. for an optimizer's update step).

    >>> from calcml.autodiff import Tensor
    >>> w = Tensor([1.0], requires_grad=True)
    >>> with no_grad():
    ...     v = w * 2
    >>> v.requires_grad
    False
    """
    return grad_mode(False)


def enable_grad() -> AbstractContextManager[None]:
    """Record a graph even inside `no_grad()` (the transforms use it for higher order)."""
    return grad_mode(True)


@contextmanager
def transforming() -> Iterator[None]:
    """A transform runs the user's function: record, and refuse conversions that would drop
    a gradient (float(x), int(x), x.item(), math.sin(x)) with `GradientError`."""
    token = TRANSFORMING.set(True)
    try:
        with grad_mode(True):
            yield
    finally:
        TRANSFORMING.reset(token)
