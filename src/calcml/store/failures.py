"""What a database failure means to a learner: rules as data, from the driver's message to a
StoreError that names the file and says what to do (the SQL and the row are never shown)."""

from __future__ import annotations

from dataclasses import dataclass

from calcml.store.errors import StoreError


@dataclass(frozen=True)
class Failure:
    kind: str
    signs: tuple[str, ...]  # lower-case fragments of the driver's message
    what: str
    advice: str


FAILURES: tuple[Failure, ...] = (
    Failure(
        "corrupt",
        ("file is not a database", "malformed", "disk image", "file is encrypted"),
        "the progress file is damaged",
        "It was moved aside; a new file was started with every row that could be read.",
    ),
    Failure(
        "read-only",
        ("readonly", "read-only", "read only"),
        "cannot save progress, the file or its folder is read-only",
        "Make the folder writable, or set CALCML_DATA_DIR to a folder you can write.",
    ),
    Failure(
        "cannot-open",
        ("unable to open database file", "could not connect", "connection refused"),
        "cannot open the progress database",
        "Check that the folder exists and is writable (or set CALCML_DATA_DIR), "
        "or that CALCML_DATABASE_URL points to a running database.",
    ),
    Failure(
        "unavailable",  # a database server restarting, or the connection to it lost
        (
            "shutting down",
            "starting up",
            "server closed the connection",
            "terminating connection",
            "connection failed",
            "timeout expired",
            "consuming input failed",
            "connection is closed",
            "connection is lost",
            "queuepool limit",
        ),
        "the progress database is not answering",
        "Try again in a moment; check that the database server is running.",
    ),
    Failure(
        "conflict",  # a concurrent transaction won a unique key or a lock: run the unit again
        ("unique constraint", "deadlock detected", "could not serialize access"),
        "the progress database was changed by another request at the same moment",
        "Try again in a moment.",
    ),
    Failure(
        "busy",
        ("database is locked", "database table is locked"),
        "the progress file is busy (another calcml is writing it)",
        "Try again in a moment.",
    ),
    Failure(
        "full",
        ("disk is full", "database or disk is full", "no space"),
        "cannot save progress, the disk is full",
        "Free some space and try again.",
    ),
    Failure(
        "schema",
        ("no such table", "no such column", "has no column", "can't locate revision"),
        "the progress database has a layout this calcml does not know",
        "It may come from a newer calcml: upgrade calcml, or set CALCML_DATA_DIR to a new folder.",
    ),
)
UNKNOWN = Failure(
    "unknown",
    (),
    "cannot use the progress database",
    "Set CALCML_DATA_DIR to a new folder to start afresh (the old file is left as it is).",
)


def classify(error: BaseException) -> Failure:
    """The Failure whose signs appear in the error's message (UNKNOWN when none do)."""
    message = str(getattr(error, "orig", None) or error).lower()
    return next((f for f in FAILURES if any(s in message for s in f.signs)), UNKNOWN)


def store_error(error: BaseException, where: str) -> StoreError:
    """A StoreError for `error` at `where` (a file or a URL without password)."""
    failure = classify(error)
    return StoreError(failure.what, where, failure.advice, failure.kind)
