"""Backprop you can read (being written)."""

from __future__ import annotations

from typing import Any

from calcml.result import Result


class Trace(Result):
    """A recorded forward and backward pass."""


def trace(f: Any, *args: Any) -> Trace:
    """Trace the forward and backward pass of `f` at `args`."""
    raise NotImplementedError("trace is being written")
