"""calcml.store: learner progress and the engine service's shared cache (SQLite by default, any
SQLAlchemy URL), one engine per database per process, schema kept by packaged Alembic
migrations."""

from calcml.store.cache import EngineCache
from calcml.store.db import data_dir, default_url
from calcml.store.errors import StoreError
from calcml.store.opening import connect
from calcml.store.progress import LEVELS, Progress, SkillStats

__all__ = [
    "LEVELS",
    "EngineCache",
    "Progress",
    "SkillStats",
    "StoreError",
    "connect",
    "data_dir",
    "default_url",
]
