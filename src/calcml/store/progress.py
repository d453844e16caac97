"""Learner progress: record graded attempts, per-skill mastery, and what to practise next.

Mastery levels are rules on the counted attempts of a skill (`LEVELS`, checked in order); the
next skill is the most overdue review (an fsrs card per skill), else the first new skill on the
roadmap whose prerequisites are at least familiar.

>>> import tempfile
>>> p = Progress(f"sqlite:///{tempfile.mkdtemp()}/p.db")
>>> p.mastery("power-rule")
'new'
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from fsrs import Card, Rating, Scheduler
from sqlalchemy import select
from sqlalchemy.orm import Session

from calcml.store.db import connect
from calcml.store.models import Attempt, SkillCard


@dataclass(frozen=True)
class SkillStats:
    """Counted attempts of one skill: totals, recent accuracy, hardest difficulty solved."""

    attempts: int
    correct: int
    recent_accuracy: float
    best_difficulty: int


# level -> rule, strongest first
LEVELS: list[tuple[str, Callable[[SkillStats], bool]]] = [
    ("mastered", lambda s: s.correct >= 5 and s.best_difficulty >= 3 and s.recent_accuracy >= 0.8),
    (
        "proficient",
        lambda s: s.correct >= 3 and s.best_difficulty >= 2 and s.recent_accuracy >= 0.6,
    ),
    ("familiar", lambda s: s.correct >= 1),
    ("attempted", lambda s: s.attempts >= 1),
    ("new", lambda s: True),
]
LEVEL_ORDER = [name for name, _ in reversed(LEVELS)]  # new < attempted < ... < mastered
RECENT = 5
NEXT_DIFFICULTY = {"new": 1, "attempted": 1, "familiar": 2, "proficient": 3, "mastered": 3}


def level_at_least(level: str, floor: str) -> bool:
    return LEVEL_ORDER.index(level) >= LEVEL_ORDER.index(floor)


class Progress:
    """A learner's progress in a database (default: SQLite in the user data directory)."""

    def __init__(self, url: str | None = None, learner: str = "default") -> None:
        self.engine = connect(url)
        self.learner = learner
        self.scheduler = Scheduler(enable_fuzzing=False)

    def record(
        self,
        skill: str,
        seed: int,
        difficulty: int,
        answer: str,
        verdict: Any,
        hints: int = 0,
        now: datetime | None = None,
    ) -> str:
        """Store a graded attempt (a calcml.learn Verdict); returns the skill's new mastery."""
        now = now or datetime.now(UTC)
        with Session(self.engine) as session:
            session.add(
                Attempt(
                    learner=self.learner,
                    skill=skill,
                    seed=seed,
                    difficulty=difficulty,
                    answer=answer[:4000],
                    correct=bool(verdict.correct),
                    score=float(verdict.score),
                    mistake=verdict.mistake,
                    counted=bool(verdict.counted),
                    hints=hints,
                    at=now,
                )
            )
            if verdict.counted:
                self._review(session, skill, _rating(verdict.correct, hints), now)
            session.commit()
        return self.mastery(skill)

    def _review(self, session: Session, skill: str, rating: Rating, now: datetime) -> None:
        row = session.get(SkillCard, (self.learner, skill))
        card = Card.from_dict(json.loads(row.card)) if row else Card(due=now)
        card, _ = self.scheduler.review_card(card, rating, now)
        if row is None:
            row = SkillCard(learner=self.learner, skill=skill, card="", due=card.due)
            session.add(row)
        row.card = json.dumps(card.to_dict())
        row.due = card.due

    def stats(self, skill: str) -> SkillStats:
        """Counted attempts of a skill, newest last."""
        with Session(self.engine) as session:
            rows = session.scalars(
                select(Attempt)
                .where(
                    Attempt.learner == self.learner,
                    Attempt.skill == skill,
                    Attempt.counted.is_(True),
                )
                .order_by(Attempt.id)
            ).all()
        recent = rows[-RECENT:]
        return SkillStats(
            attempts=len(rows),
            correct=sum(r.correct for r in rows),
            recent_accuracy=(sum(r.correct for r in recent) / len(recent)) if recent else 0.0,
            best_difficulty=max((r.difficulty for r in rows if r.correct), default=0),
        )

    def mastery(self, skill: str) -> str:
        """'new', 'attempted', 'familiar', 'proficient' or 'mastered'."""
        stats = self.stats(skill)
        return next(name for name, rule in LEVELS if rule(stats))

    def overview(self, skills: Sequence[str]) -> dict[str, str]:
        """Mastery of each skill."""
        return {s: self.mastery(s) for s in skills}

    def due(self, now: datetime | None = None) -> dict[str, datetime]:
        """Skill -> when its review is due."""
        with Session(self.engine) as session:
            rows = session.scalars(select(SkillCard).where(SkillCard.learner == self.learner))
            return {r.skill: _aware(r.due) for r in rows}

    def next_skill(
        self,
        skills: Sequence[str],
        requires: dict[str, Sequence[str]] | None = None,
        now: datetime | None = None,
    ) -> str:
        """What to practise: the most overdue review, else the first new skill whose
        prerequisites are familiar, else the review due soonest (`skills` in roadmap order)."""
        if not skills:
            raise ValueError("no skills to choose from")
        now = now or datetime.now(UTC)
        due = self.due()
        overdue = sorted((when, s) for s, when in due.items() if s in skills and when <= now)
        if overdue:
            return overdue[0][1]
        requires = requires or {}
        levels = self.overview(skills)
        for s in skills:
            if s in due:
                continue
            ready = all(
                level_at_least(levels.get(r) or self.mastery(r), "familiar")
                for r in requires.get(s, ())
            )
            if ready:
                return s
        fresh = [s for s in skills if s not in due]
        if fresh:
            return fresh[0]
        return min((when, s) for s, when in due.items() if s in skills)[1]

    def difficulty_for(self, skill: str) -> int:
        """The difficulty to offer next: harder as mastery grows."""
        return NEXT_DIFFICULTY[self.mastery(skill)]

    def history(self, skill: str | None = None) -> list[dict[str, Any]]:
        """Past attempts as dictionaries (newest last)."""
        with Session(self.engine) as session:
            query = select(Attempt).where(Attempt.learner == self.learner)
            if skill:
                query = query.where(Attempt.skill == skill)
            rows = session.scalars(query.order_by(Attempt.id)).all()
            return [
                {
                    "skill": r.skill,
                    "seed": r.seed,
                    "difficulty": r.difficulty,
                    "answer": r.answer,
                    "correct": r.correct,
                    "mistake": r.mistake,
                    "counted": r.counted,
                    "at": _aware(r.at).isoformat(),
                }
                for r in rows
            ]


def _rating(correct: bool, hints: int) -> Rating:
    if not correct:
        return Rating.Again
    return Rating.Hard if hints else Rating.Good


def _aware(when: datetime) -> datetime:
    """SQLite drops time zones: read naive times as UTC."""
    return when if when.tzinfo else when.replace(tzinfo=UTC)
