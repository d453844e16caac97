"""The progress tables: every graded attempt, and one review card per skill."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Float, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Attempt(Base):
    """One answer the grader judged (unreadable answers are kept with counted=False)."""

    __tablename__ = "attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    learner: Mapped[str] = mapped_column(String(100), index=True, default="default")
    skill: Mapped[str] = mapped_column(String(100), index=True)
    seed: Mapped[int] = mapped_column(Integer)
    difficulty: Mapped[int] = mapped_column(Integer, default=1)
    answer: Mapped[str] = mapped_column(Text, default="")
    correct: Mapped[bool] = mapped_column(Boolean, default=False)
    score: Mapped[float] = mapped_column(Float, default=0.0)
    mistake: Mapped[str | None] = mapped_column(String(100), nullable=True)
    counted: Mapped[bool] = mapped_column(Boolean, default=True)
    hints: Mapped[int] = mapped_column(Integer, default=0)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SkillCard(Base):
    """The spaced-review state of one skill for one learner (an fsrs card as JSON)."""

    __tablename__ = "skill_cards"

    learner: Mapped[str] = mapped_column(String(100), primary_key=True, default="default")
    skill: Mapped[str] = mapped_column(String(100), primary_key=True)
    card: Mapped[str] = mapped_column(Text)
    due: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class CacheEntry(Base):
    """One answer of the engine service, by the hex digest of its request (oldest evicted)."""

    __tablename__ = "engine_cache"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(128), unique=True, index=True)
    value: Mapped[str] = mapped_column(Text)
    size: Mapped[int] = mapped_column(Integer)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True))
