"""The tables: every graded attempt and one review card per skill (progress), the engine cache,
and accounts (users, sessions, login counters, reset codes) and classes (memberships, problem
sets). Ids and tokens are strings, times are UTC; only portable types (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Float, ForeignKey, Integer, String, Text
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
    # the client's id for this submission: a retried request is recorded once
    client_id: Mapped[str | None] = mapped_column(
        String(64), unique=True, index=True, nullable=True
    )


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


def _user_fk() -> ForeignKey:
    return ForeignKey("users.id", ondelete="CASCADE")


class User(Base):
    """An account: its progress is stored under `learner` ("user:<id>")."""

    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True, index=True)  # lower-case log-in name
    password_hash: Mapped[str] = mapped_column(String(255))  # argon2id, PHC string
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class LoginSession(Base):
    """A signed-in browser: the SHA-256 of its cookie token (the token itself is never kept)."""

    __tablename__ = "sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(32), _user_fk(), index=True)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class LoginAttempt(Base):
    """A rate-limit counter shared by every app server: failures of `key` (a log-in name, a
    client address, a join or reset) since `window_start`."""

    __tablename__ = "login_attempts"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
    window_start: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ResetCode(Base):
    """A one-time password reset code (its SHA-256), issued by an instructor or the operator."""

    __tablename__ = "reset_codes"

    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(32), _user_fk(), index=True)
    issued_by: Mapped[str] = mapped_column(String(64))  # a user id, or "operator"
    expires: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class Classroom(Base):
    """A class: its instructor (`owner_id`) and the random code learners join with."""

    __tablename__ = "classes"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    owner_id: Mapped[str] = mapped_column(String(32), _user_fk(), index=True)
    join_code: Mapped[str] = mapped_column(String(32), unique=True, index=True)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Membership(Base):
    """A learner in a class."""

    __tablename__ = "memberships"

    class_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("classes.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[str] = mapped_column(String(32), _user_fk(), primary_key=True, index=True)
    joined: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ProblemSet(Base):
    """An assignment: `count` problems of each skill in `skills` (JSON list) at `difficulty`;
    the same seeds for everyone, or seeded per learner; an optional due time (UTC)."""

    __tablename__ = "problem_sets"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    class_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("classes.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(100))
    skills: Mapped[str] = mapped_column(Text)
    difficulty: Mapped[int] = mapped_column(Integer)
    count: Mapped[int] = mapped_column(Integer)
    per_learner: Mapped[bool] = mapped_column(Boolean, default=False)
    seed: Mapped[int] = mapped_column(Integer)
    due: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True))
