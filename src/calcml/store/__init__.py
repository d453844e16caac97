"""calcml.store: learner progress (SQLite by default, any SQLAlchemy URL)."""

from calcml.store.db import connect, data_dir, default_url
from calcml.store.progress import LEVELS, Progress, SkillStats

__all__ = ["LEVELS", "Progress", "SkillStats", "connect", "data_dir", "default_url"]
