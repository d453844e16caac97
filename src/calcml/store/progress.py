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
from typing import Any, TypeVar

from fsrs import Card, Rating, Scheduler
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from calcml.store.db import connect, default_url, engine_for, location, sqlite_path, transaction
from calcml.store.failures import classify, store_error
from calcml.store.models import Attempt, SkillCard
from calcml.text import clean_text

T = TypeVar("T")
MAX_ANSWER = 4000  # characters of an answer kept
# the mistake recorded when a learner is shown a problem's solution: from then on, answers to
# that very problem (skill, seed, difficulty) are stored but never count toward mastery
REVEALED = "revealed the solution"


@dataclass(frozen=True)
class _Reveal:
    """The verdict-shaped record of a shown solution (see Progress.reveal)."""

    correct: bool
    score: float
    mistake: str
    counted: bool


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
    """A learner's progress in a database (default: SQLite in the user data directory).

    Every failure is a StoreError naming the file and saying what to do; a damaged SQLite file
    is moved aside and a new one started with its readable rows (`notify` is told)."""

    def __init__(
        self,
        url: str | None = None,
        learner: str = "default",
        notify: Callable[[str], Any] | None = None,
    ) -> None:
        self.url = url or default_url()
        self.notify = notify
        self.engine = connect(self.url, notify)
        self.learner = clean_text(learner)
        self.scheduler = Scheduler(enable_fuzzing=False)

    def _work(self, unit: Callable[[Session], T], write: bool = False) -> T:
        """Run one unit of work in its own session (`write`: one committed transaction, run
        again when it loses a race, see calcml.store.db.transaction); a damaged file is
        replaced once and the unit retried; any other failure becomes a StoreError."""
        from calcml.store.migrate import replace_damaged

        for attempt in (1, 2):
            try:
                if write:
                    return transaction(self.engine, unit)
                with Session(self.engine) as session:
                    return unit(session)
            except SQLAlchemyError as error:
                damaged = classify(error).kind == "corrupt" and sqlite_path(self.url)
                if attempt == 2 or not damaged:
                    raise store_error(error, location(self.url)) from None
                replace_damaged(self.url, self.notify)
                self.engine = engine_for(self.url)
        raise AssertionError("unreachable")

    def record(
        self,
        skill: str,
        seed: int,
        difficulty: int,
        answer: str,
        verdict: Any,
        hints: int = 0,
        now: datetime | None = None,
        client_id: str | None = None,
    ) -> str:
        """Store a graded attempt (a calcml.learn Verdict); returns the skill's new mastery.

        The attempt row and the review-schedule update are one transaction. `client_id` (the
        client's id for this submission) makes a retry a no-op: an id already stored is not
        recorded again, also when the retry races the first request (the loser of the unique
        key is run again and then finds the id)."""
        now = now or datetime.now(UTC)

        def unit(session: Session) -> None:
            if client_id is not None and session.scalar(
                select(Attempt.id).where(Attempt.client_id == client_id)
            ):
                return
            counted = bool(verdict.counted) and not self._revealed(session, skill, seed, difficulty)
            session.add(
                Attempt(
                    learner=self.learner,
                    skill=skill,
                    seed=seed,
                    difficulty=difficulty,
                    answer=clean_text(answer[:MAX_ANSWER]),
                    correct=bool(verdict.correct),
                    score=float(verdict.score),
                    mistake=verdict.mistake,
                    counted=counted,
                    hints=hints,
                    at=now,
                    client_id=client_id,
                )
            )
            if counted:
                self._review(session, skill, _rating(verdict.correct, hints), now)

        self._work(unit, write=True)
        return self.mastery(skill)

    def reveal(self, skill: str, seed: int, difficulty: int, now: datetime | None = None) -> str:
        """Note that the learner was shown this problem's solution: the note itself is not
        counted, and later answers to the same problem are not either (so an answer read and
        typed back cannot build mastery). Returns the skill's mastery."""
        shown = _Reveal(correct=False, score=0.0, mistake=REVEALED, counted=False)
        return self.record(skill, seed, difficulty, "", shown, now=now)

    def revealed(self, skill: str, seed: int, difficulty: int) -> bool:
        """Was this problem's solution shown to the learner?"""
        return self._work(lambda session: self._revealed(session, skill, seed, difficulty))

    def _revealed(self, session: Session, skill: str, seed: int, difficulty: int) -> bool:
        return (
            session.scalar(
                select(Attempt.id)
                .where(
                    Attempt.learner == self.learner,
                    Attempt.skill == skill,
                    Attempt.seed == seed,
                    Attempt.difficulty == difficulty,
                    Attempt.mistake == REVEALED,
                )
                .limit(1)
            )
            is not None
        )

    def _review(self, session: Session, skill: str, rating: Rating, now: datetime) -> None:
        row = session.get(SkillCard, (self.learner, skill), with_for_update=True)
        card = Card.from_dict(json.loads(row.card)) if row else Card(due=now)
        card, _ = self.scheduler.review_card(card, rating, now)
        if row is None:
            row = SkillCard(learner=self.learner, skill=skill, card="", due=card.due)
            session.add(row)
        row.card = json.dumps(card.to_dict())
        row.due = card.due

    def _stats(self, skills: Sequence[str]) -> dict[str, SkillStats]:
        """SkillStats of each skill, from one query over the counted attempts."""
        query = (
            select(Attempt.skill, Attempt.correct, Attempt.difficulty)
            .where(
                Attempt.learner == self.learner,
                Attempt.skill.in_(list(skills)),
                Attempt.counted.is_(True),
            )
            .order_by(Attempt.id)
        )
        rows = self._work(lambda session: session.execute(query).all())
        by_skill: dict[str, list[tuple[bool, int]]] = {s: [] for s in skills}
        for skill, correct, difficulty in rows:
            by_skill[skill].append((bool(correct), difficulty))
        return {s: _summarise(attempts) for s, attempts in by_skill.items()}

    def stats(self, skill: str) -> SkillStats:
        """Counted attempts of a skill, newest last."""
        return self._stats([skill])[skill]

    def mastery(self, skill: str) -> str:
        """'new', 'attempted', 'familiar', 'proficient' or 'mastered'."""
        return level_of(self.stats(skill))

    def overview(self, skills: Sequence[str]) -> dict[str, str]:
        """Mastery of each skill (one query for all of them)."""
        return {s: level_of(stats) for s, stats in self._stats(skills).items()}

    def due(self, now: datetime | None = None) -> dict[str, datetime]:
        """Skill -> when its review is due: every scheduled review, or with `now` only those
        due at or before `now`."""
        query = select(SkillCard.skill, SkillCard.due).where(SkillCard.learner == self.learner)
        rows = self._work(lambda session: session.execute(query).all())
        when = {skill: _aware(due) for skill, due in rows}
        return when if now is None else {s: t for s, t in when.items() if t <= _aware(now)}

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
        query = select(Attempt).where(Attempt.learner == self.learner)
        if skill:
            query = query.where(Attempt.skill == skill)

        def unit(session: Session) -> list[dict[str, Any]]:
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

        return self._work(unit)


def level_of(stats: SkillStats) -> str:
    """The strongest level whose rule the stats meet."""
    return next(name for name, rule in LEVELS if rule(stats))


def _summarise(attempts: list[tuple[bool, int]]) -> SkillStats:
    """(correct, difficulty) of counted attempts, oldest first -> SkillStats."""
    recent = attempts[-RECENT:]
    return SkillStats(
        attempts=len(attempts),
        correct=sum(c for c, _ in attempts),
        recent_accuracy=(sum(c for c, _ in recent) / len(recent)) if recent else 0.0,
        best_difficulty=max((d for c, d in attempts if c), default=0),
    )


def _rating(correct: bool, hints: int) -> Rating:
    if not correct:
        return Rating.Again
    return Rating.Hard if hints else Rating.Good


def _aware(when: datetime) -> datetime:
    """SQLite drops time zones: read naive times as UTC."""
    return when if when.tzinfo else when.replace(tzinfo=UTC)
