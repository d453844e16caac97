"""The one error the store raises: what went wrong, which file, and what the learner can do."""

from __future__ import annotations

from calcml.errors import CalcmlError


class StoreError(CalcmlError):
    """The progress store could not be read or written; the message names the file (never SQL).

    `location` is the database file (or the URL without its password) and `advice` what to do;
    `kind` names the failure (calcml.store.failures: "busy", "unavailable", "read-only", ...).
    """

    def __init__(self, what: str, location: str, advice: str, kind: str = "unknown") -> None:
        super().__init__(f"{what}: {location}. {advice}")
        self.what = what
        self.location = location
        self.advice = advice
        self.kind = kind

    @property
    def transient(self) -> bool:
        """Will trying again later likely work (a busy file, a database server restarting)?"""
        return self.kind in TRANSIENT


TRANSIENT = frozenset({"busy", "unavailable", "cannot-open", "conflict"})
