"""The exceptions calcml raises for bad input: each carries a message a learner understands."""

from __future__ import annotations


class CalcmlError(Exception):
    """Base class of every error calcml reports to a user (exit code 2 in the CLI)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ParseError(CalcmlError):
    """User text that is not a valid expression; `column` is 1-based (0 when unknown).

    >>> ParseError("unexpected ')'", column=7, text="sin(x))").caret()
    'sin(x))\\n      ^'
    """

    def __init__(self, message: str, column: int | None = 0, text: str | None = None) -> None:
        column = column or 0
        where = f" at column {column}" if column and "column" not in message else ""
        super().__init__(f"{message}{where}")
        self.reason = message
        self.column = column
        self.text = text

    def caret(self) -> str:
        """The offending text with a caret under the column, or '' when unknown."""
        if not self.text or not self.column or "\n" in self.text:
            return ""
        return f"{self.text}\n{' ' * (self.column - 1)}^"


class UnsupportedError(CalcmlError):
    """A function or operation calcml cannot differentiate or evaluate; the message names it."""


class VerificationError(CalcmlError):
    """A result failed its independent check; it is never shown (this signals a bug)."""


class ShapeError(CalcmlError, ValueError):
    """Array shapes that do not fit together; the message names both shapes."""


class TimeLimitError(CalcmlError):
    """A computation did not finish within its time limit."""
