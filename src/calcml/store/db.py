"""Where progress lives: SQLite in the user's data directory by default, any SQLAlchemy URL.

`CALCML_DATA_DIR` overrides the directory (tests point it at a temporary one);
`CALCML_DATABASE_URL` overrides the whole URL (e.g. PostgreSQL later).
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import Engine, create_engine

from calcml.store.models import Base

DB_FILE = "progress.sqlite3"


def data_dir() -> Path:
    """The directory for calcml's data (created on first use)."""
    override = os.environ.get("CALCML_DATA_DIR")
    if override:
        path = Path(override)
    else:
        import platformdirs

        path = Path(platformdirs.user_data_dir("calcml", appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_url() -> str:
    """CALCML_DATABASE_URL, else SQLite in data_dir()."""
    return os.environ.get("CALCML_DATABASE_URL") or f"sqlite:///{data_dir() / DB_FILE}"


def connect(url: str | None = None) -> Engine:
    """An engine for `url` (default: default_url()) with the tables created."""
    engine = create_engine(url or default_url())
    Base.metadata.create_all(engine)
    return engine
