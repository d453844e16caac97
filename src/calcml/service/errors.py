"""The errors a caller of the engine service handles, each mapping to one HTTP status.

`InputError` (400): the request's math or options are wrong; `column` points into the text.
`BusyError` (503): the queue is full; try again after `retry_after` seconds.
`LimitExceeded` (504): the work hit the hard time or memory limit; the worker was replaced.
"""

from __future__ import annotations

from typing import Literal

LimitKind = Literal["time", "memory"]


class ServiceError(Exception):
    """Base of every error the service raises; `status` is the HTTP status it maps to."""

    status = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def to_dict(self) -> dict[str, object]:
        """The JSON error body: {"error": message} plus the subclass's fields."""
        return {"error": self.message}


class InputError(ServiceError):
    """Bad math or a bad option (a calcml.CalcmlError in the engine); `column` is 1-based."""

    status = 400

    def __init__(self, message: str, column: int | None = None) -> None:
        super().__init__(message)
        self.column = column or None

    def to_dict(self) -> dict[str, object]:
        return {"error": self.message, "column": self.column}


class BusyError(ServiceError):
    """Every worker is busy and the queue is full: retry after `retry_after` seconds."""

    status = 503

    def __init__(self, retry_after: float, message: str | None = None) -> None:
        super().__init__(message or f"the engine is busy; retry in {retry_after:.0f} s")
        self.retry_after = retry_after

    def to_dict(self) -> dict[str, object]:
        return {"error": self.message, "retry_after": self.retry_after}


class LimitExceeded(ServiceError):
    """The request hit the hard limit: `kind` "time" (wall clock) or "memory" (too large)."""

    status = 504

    def __init__(self, kind: LimitKind, message: str | None = None) -> None:
        default = {
            "time": "this took too long to compute; try a smaller question",
            "memory": "this is too large to compute; try a smaller question",
        }[kind]
        super().__init__(message or default)
        self.kind: LimitKind = kind

    def to_dict(self) -> dict[str, object]:
        return {"error": self.message, "limit": self.kind}


class InternalError(ServiceError):
    """A bug in calcml (an unexpected exception in the engine); the message names its type."""

    status = 500
