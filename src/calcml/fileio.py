"""The one way calcml writes a file: to a new temporary file beside the target, then an atomic
rename over it. A reader never sees half a file, a failed write leaves the old file as it was,
and a symlink planted at the target is replaced, never followed. Failures are a CalcmlError
naming the file (the CLI reports it after the result and exits 2).

>>> import tempfile, pathlib
>>> target = pathlib.Path(tempfile.mkdtemp()) / "notes.txt"
>>> atomic_write(target, "one")
PosixPath('...notes.txt')
>>> target.read_text()
'one'
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from calcml.errors import CalcmlError


class FileWriteError(CalcmlError):
    """A file could not be written; the message names it and the reason."""


def _error(path: Path, error: OSError) -> FileWriteError:
    return FileWriteError(f"cannot write {path}: {error.strerror or error}")


@contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a fresh temporary path beside `path` (same suffix) to write to; on success it is
    renamed over `path`, on failure removed. The folder is created if needed."""
    target = Path(path)
    temp = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp{target.suffix}")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))  # umask applies
    except OSError as error:
        raise _error(target, error) from None
    try:
        yield temp
        if target.is_dir() and not target.is_symlink():
            raise IsADirectoryError(21, "Is a directory")
        os.replace(temp, target)  # replaces a symlink itself; never writes through it
    except OSError as error:
        temp.unlink(missing_ok=True)
        raise _error(target, error) from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def atomic_write(path: str | Path, data: str | bytes) -> Path:
    """Write text (UTF-8) or bytes to `path` atomically; returns the path."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with atomic_path(path) as temp, open(temp, "wb") as out:
        out.write(payload)
        out.flush()
        os.fsync(out.fileno())
    return Path(path)
