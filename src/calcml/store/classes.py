"""Classes: an instructor (any account) creates one and shares its join code; learners join
(failed joins are rate-limited in the database); the instructor assigns problem sets and reads
a dashboard of the members' progress. Authorization is the caller's: `owned` and `member`."""

from __future__ import annotations

import hashlib
import json
import secrets
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from calcml.store import ratelimit
from calcml.store.accounts import Account, _account, learner_of
from calcml.store.db import aware, utcnow, writer
from calcml.store.models import Attempt, Classroom, Membership, ProblemSet, SkillCard, User
from calcml.store.progress import SkillStats, _summarise, level_of

MAX_CLASS_NAME = 100
MAX_SETS_SKILLS = 30  # skills in one problem set
MAX_SET_COUNT = 20  # problems per skill in one problem set
SEED_RANGE = 1_000_000  # problem seeds are below this (as the practice page's)
JOIN_FAILED = "no class has that join code"


class ClassError(ValueError):
    """A class request that cannot be done (the message is safe to show)."""


@dataclass(frozen=True)
class ClassInfo:
    id: str
    name: str
    owner_id: str
    join_code: str
    created: datetime


@dataclass(frozen=True)
class SetInfo:
    """A problem set; `problems(user_id)` lists its (skill, seed, difficulty)."""

    id: str
    class_id: str
    title: str
    skills: tuple[str, ...]
    difficulty: int
    count: int
    per_learner: bool
    seed: int
    due: datetime | None

    def problems(self, user_id: str) -> list[tuple[str, int, int]]:
        """The same seeds for every learner, or seeds drawn from the learner's id too."""
        who = user_id if self.per_learner else ""
        out = []
        for skill in self.skills:
            for i in range(self.count):
                text = f"{self.seed}|{skill}|{i}|{who}".encode()
                seed = int(hashlib.sha256(text).hexdigest(), 16) % SEED_RANGE
                out.append((skill, seed, self.difficulty))
        return out


def _info(row: Classroom) -> ClassInfo:
    return ClassInfo(row.id, row.name, row.owner_id, row.join_code, aware(row.created))


def _set(row: ProblemSet) -> SetInfo:
    return SetInfo(
        row.id,
        row.class_id,
        row.title,
        tuple(json.loads(row.skills)),
        row.difficulty,
        row.count,
        bool(row.per_learner),
        row.seed,
        aware(row.due) if row.due else None,
    )


def create(engine: Engine, owner_id: str, name: str, now: datetime | None = None) -> ClassInfo:
    """A new class with a random join code (96 bits)."""
    name = name.strip()
    if not 1 <= len(name) <= MAX_CLASS_NAME:
        raise ClassError(f"a class name is 1–{MAX_CLASS_NAME} characters")
    row = Classroom(
        id=secrets.token_hex(8),
        name=name,
        owner_id=owner_id,
        join_code=secrets.token_urlsafe(12),
        created=now or utcnow(),
    )
    with Session(writer(engine)) as session:
        session.add(row)
        session.commit()
        return _info(row)


def get(engine: Engine, class_id: str) -> ClassInfo | None:
    with Session(engine) as session:
        row = session.get(Classroom, class_id[:32])
        return _info(row) if row else None


def owned(engine: Engine, class_id: str, user_id: str) -> ClassInfo | None:
    """The class if `user_id` is its instructor, else None."""
    found = get(engine, class_id)
    return found if found and found.owner_id == user_id else None


def member(engine: Engine, class_id: str, user_id: str) -> ClassInfo | None:
    """The class if `user_id` is one of its learners, else None."""
    with Session(engine) as session:
        if session.get(Membership, (class_id[:32], user_id)) is None:
            return None
    return get(engine, class_id)


def of_user(engine: Engine, user_id: str) -> tuple[list[ClassInfo], list[ClassInfo]]:
    """(classes taught, classes joined) by `user_id`."""
    with Session(engine) as session:
        taught = session.scalars(
            select(Classroom).where(Classroom.owner_id == user_id).order_by(Classroom.created)
        ).all()
        joined = session.scalars(
            select(Classroom)
            .join(Membership, Membership.class_id == Classroom.id)
            .where(Membership.user_id == user_id)
            .order_by(Classroom.created)
        ).all()
        return [_info(c) for c in taught], [_info(c) for c in joined]


def join(
    engine: Engine, user_id: str, code: str, client: str, now: datetime | None = None
) -> ClassInfo:
    """Join the class of `code`; ClassError if none has it, RateLimited after many failures
    (counted per client and per account)."""
    now = now or utcnow()
    keys = [("join", client), ("join", f"user:{user_id}")]
    ratelimit.take_all(engine, keys, now)  # counted first: parallel guesses cannot all pass
    with Session(writer(engine)) as session:
        row = session.scalar(select(Classroom).where(Classroom.join_code == code.strip()[:32]))
        if row is None:
            raise ClassError(JOIN_FAILED)  # stays counted
        info = _info(row)
        if row.owner_id != user_id and session.get(Membership, (row.id, user_id)) is None:
            session.add(Membership(class_id=row.id, user_id=user_id, joined=now))
            try:
                session.commit()
            except IntegrityError:  # joined twice at once: once is enough
                session.rollback()
    ratelimit.give_back_all(engine, keys)  # a join that worked is not a failure
    return info


def members(engine: Engine, class_id: str) -> list[Account]:
    with Session(engine) as session:
        rows = session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.class_id == class_id)
            .order_by(User.name)
        ).all()
        return [_account(r) for r in rows]


def add_set(
    engine: Engine,
    class_id: str,
    title: str,
    skills: list[str],
    difficulty: int,
    count: int,
    per_learner: bool,
    due: datetime | None,
    now: datetime | None = None,
) -> SetInfo:
    """Assign a problem set (skills are checked by the caller against the course)."""
    title = title.strip()
    if not 1 <= len(title) <= MAX_CLASS_NAME:
        raise ClassError(f"a title is 1–{MAX_CLASS_NAME} characters")
    if not 1 <= len(skills) <= MAX_SETS_SKILLS:
        raise ClassError(f"choose 1–{MAX_SETS_SKILLS} skills")
    if not (1 <= difficulty <= 3 and 1 <= count <= MAX_SET_COUNT):
        raise ClassError(f"difficulty is 1–3 and count 1–{MAX_SET_COUNT}")
    row = ProblemSet(
        id=secrets.token_hex(8),
        class_id=class_id,
        title=title,
        skills=json.dumps(list(dict.fromkeys(skills))),
        difficulty=difficulty,
        count=count,
        per_learner=per_learner,
        seed=secrets.randbelow(2**31),
        due=due,
        created=now or utcnow(),
    )
    with Session(writer(engine)) as session:
        session.add(row)
        session.commit()
        return _set(row)


def sets(engine: Engine, class_id: str) -> list[SetInfo]:
    with Session(engine) as session:
        rows = session.scalars(
            select(ProblemSet).where(ProblemSet.class_id == class_id).order_by(ProblemSet.created)
        ).all()
        return [_set(r) for r in rows]


def solved(engine: Engine, learner: str, problems: list[tuple[str, int, int]]) -> set[tuple]:
    """Which of `problems` (skill, seed, difficulty) `learner` answered correctly."""
    skills = sorted({p[0] for p in problems})
    with Session(engine) as session:
        rows = session.execute(
            select(Attempt.skill, Attempt.seed, Attempt.difficulty).where(
                Attempt.learner == learner, Attempt.skill.in_(skills), Attempt.correct.is_(True)
            )
        ).all()
    done = {tuple(r) for r in rows}
    return {p for p in problems if p in done}


@dataclass
class LearnerRow:
    """One learner on the dashboard."""

    account: Account
    attempts: int = 0
    correct: int = 0
    last_seen: datetime | None = None
    skills: dict[str, tuple[str, SkillStats]] = field(default_factory=dict)  # level, stats
    cards: dict[str, dict] = field(default_factory=dict)  # skill -> fsrs card


@dataclass
class Dashboard:
    learners: list[LearnerRow]
    mistakes: dict[str, list[tuple[str, int]]]  # skill -> (mistake id, count), most common first


def dashboard(engine: Engine, class_id: str, top: int = 3) -> Dashboard:
    """The members' progress: per learner and skill the mastery and fsrs card, attempts,
    accuracy and last activity; per skill the most common mistake ids."""
    people = members(engine, class_id)
    rows = {learner_of(a.id): LearnerRow(a) for a in people}
    keys = list(rows)
    by_skill: dict[tuple[str, str], list[tuple[bool, int]]] = {}
    mistakes: dict[str, Counter[str]] = {}
    with Session(engine) as session:
        attempts = session.execute(
            select(
                Attempt.learner,
                Attempt.skill,
                Attempt.correct,
                Attempt.difficulty,
                Attempt.mistake,
                Attempt.counted,
                Attempt.at,
            )
            .where(Attempt.learner.in_(keys))
            .order_by(Attempt.id)
        ).all()
        cards = session.execute(
            select(SkillCard.learner, SkillCard.skill, SkillCard.card).where(
                SkillCard.learner.in_(keys)
            )
        ).all()
    for learner, skill, correct, difficulty, mistake, counted, at in attempts:
        row = rows[learner]
        row.last_seen = max(filter(None, [row.last_seen, aware(at)]))
        if not counted:
            continue
        row.attempts += 1
        row.correct += bool(correct)
        by_skill.setdefault((learner, skill), []).append((bool(correct), difficulty))
        if mistake and not correct:
            mistakes.setdefault(skill, Counter())[mistake] += 1
    for (learner, skill), done in by_skill.items():
        stats = _summarise(done)
        rows[learner].skills[skill] = (level_of(stats), stats)
    for learner, skill, card in cards:
        rows[learner].cards[skill] = json.loads(card)
    return Dashboard(
        list(rows.values()), {s: c.most_common(top) for s, c in sorted(mistakes.items())}
    )


def not_seen(board: Dashboard, days: int, now: datetime | None = None) -> list[LearnerRow]:
    """Learners with no attempt in the last `days` days (or none at all)."""
    now = now or utcnow()
    return [r for r in board.learners if r.last_seen is None or (now - r.last_seen).days >= days]


def last_activity(engine: Engine, learner: str) -> datetime | None:
    with Session(engine) as session:
        when = session.scalar(select(func.max(Attempt.at)).where(Attempt.learner == learner))
    return aware(when) if when else None
