"""A learner's rows as a whole: merge an anonymous learner into an account (attempts kept, the
newer review state of each skill wins), export and import them (JSON-ready dicts; an import is
idempotent), delete them, and remove anonymous learners not seen for a while."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, delete, func, select, update
from sqlalchemy.orm import Session

from calcml.store import accounts, ratelimit
from calcml.store.db import aware, transaction, utcnow, writer
from calcml.store.models import (
    Attempt,
    Classroom,
    LoginSession,
    Membership,
    ProblemSet,
    ResetCode,
    SkillCard,
    User,
)
from calcml.text import clean_text

ANONYMOUS = "web:"  # the prefix of anonymous web learners' keys
KEEP_ANONYMOUS_DAYS = 180
MAX_IMPORT_ATTEMPTS = 20_000  # attempts in one uploaded export
MAX_ANSWER = 4000
FORMAT = "calcml-progress-1"


def _reviewed(card_json: str) -> str:
    """When a card was last reviewed (ISO text, '' if never): the newer state wins a merge."""
    try:
        value = json.loads(card_json).get("last_review")
    except (ValueError, AttributeError):
        return ""
    return str(value or "")


def _newer(a: str, b: str) -> bool:
    """Is ISO time `a` later than `b` ('' is the oldest)?"""
    if not a or not b:
        return bool(a) and not b
    return datetime.fromisoformat(a) > datetime.fromisoformat(b)


def _put_card(session: Session, learner: str, skill: str, card: str, due: datetime) -> None:
    """Keep (learner, skill)'s card unless `card` was reviewed later."""
    mine = session.get(SkillCard, (learner, skill), with_for_update=True)
    if mine is None:
        session.add(SkillCard(learner=learner, skill=skill, card=card, due=due))
    elif _newer(_reviewed(card), _reviewed(mine.card)):
        mine.card, mine.due = card, due


def merge(engine: Engine, source: str, target: str) -> int:
    """Move `source`'s progress to `target` in one transaction; returns the attempts moved."""
    if source == target:
        return 0

    def unit(session: Session) -> int:
        moved = session.execute(
            update(Attempt).where(Attempt.learner == source).values(learner=target)
        ).rowcount  # type: ignore[attr-defined]
        cards = session.scalars(
            select(SkillCard).where(SkillCard.learner == source).with_for_update()
        ).all()
        taken = [(c.skill, c.card, c.due) for c in cards]
        session.execute(delete(SkillCard).where(SkillCard.learner == source))
        for skill, card, due in taken:
            _put_card(session, target, skill, card, due)
        return int(moved)

    return transaction(engine, unit)


def export(engine: Engine, learner: str) -> dict[str, Any]:
    """Every attempt and review card of `learner` (JSON-ready)."""
    with Session(engine) as session:
        attempts = session.scalars(
            select(Attempt).where(Attempt.learner == learner).order_by(Attempt.id)
        ).all()
        cards = session.scalars(select(SkillCard).where(SkillCard.learner == learner)).all()
        return {
            "format": FORMAT,
            "attempts": [
                {
                    "skill": a.skill,
                    "seed": a.seed,
                    "difficulty": a.difficulty,
                    "answer": a.answer,
                    "correct": bool(a.correct),
                    "score": a.score,
                    "mistake": a.mistake,
                    "counted": bool(a.counted),
                    "hints": a.hints,
                    "at": aware(a.at).isoformat(),
                }
                for a in attempts
            ],
            "cards": [
                {"skill": c.skill, "card": json.loads(c.card), "due": aware(c.due).isoformat()}
                for c in cards
            ],
        }


class BadExport(ValueError):
    """An uploaded export that is not one (the message says what is wrong)."""


def _attempt(raw: Any, learner: str) -> Attempt:
    if not isinstance(raw, dict):
        raise BadExport("an attempt is not an object")
    try:
        row = Attempt(
            learner=learner,
            skill=clean_text(str(raw["skill"]))[:100],
            seed=int(raw["seed"]),
            difficulty=int(raw.get("difficulty", 1)),
            answer=clean_text(str(raw.get("answer", "")))[:MAX_ANSWER],
            correct=bool(raw.get("correct", False)),
            score=float(raw.get("score", 1.0 if raw.get("correct") else 0.0)),
            mistake=clean_text(str(raw["mistake"]))[:100] if raw.get("mistake") else None,
            counted=bool(raw.get("counted", True)),
            hints=int(raw.get("hints", 0)),
            at=aware(datetime.fromisoformat(str(raw["at"]))),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise BadExport(f"an attempt is malformed ({type(error).__name__}: {error})") from None
    if not (0 <= row.seed < 2**31 and 1 <= row.difficulty <= 3 and 0 <= row.hints <= 100):
        raise BadExport("an attempt has a seed, difficulty or hint count out of range")
    fields = [row.skill, row.seed, row.difficulty, row.answer, row.correct, row.at.isoformat()]
    row.client_id = "import:" + hashlib.sha256(f"{learner}|{fields}".encode()).hexdigest()[:48]
    return row


def import_progress(engine: Engine, learner: str, data: Any) -> int:
    """Add an export's attempts and cards to `learner` (one transaction); attempts already
    imported are skipped (the same upload twice changes nothing). Returns attempts added."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BadExport(f"not a calcml progress export (format {FORMAT!r} expected)")
    raw_attempts, raw_cards = data.get("attempts", []), data.get("cards", [])
    if not isinstance(raw_attempts, list) or not isinstance(raw_cards, list):
        raise BadExport("attempts and cards must be lists")
    if len(raw_attempts) > MAX_IMPORT_ATTEMPTS or len(raw_cards) > 1000:
        raise BadExport(f"at most {MAX_IMPORT_ATTEMPTS:,} attempts and 1,000 cards")
    rows = {r.client_id: r for r in (_attempt(a, learner) for a in raw_attempts)}
    try:
        cards = [
            (
                clean_text(str(c["skill"]))[:100],
                json.dumps(dict(c["card"])),
                aware(datetime.fromisoformat(str(c["due"]))),
            )
            for c in raw_cards
        ]
    except (KeyError, TypeError, ValueError):
        raise BadExport("a review card is malformed") from None

    def unit(session: Session) -> int:
        have = set(
            session.scalars(select(Attempt.client_id).where(Attempt.client_id.in_(list(rows))))
        )
        new = [_copy(r) for key, r in rows.items() if key not in have]
        session.add_all(new)
        for skill, card, due in cards:
            _put_card(session, learner, skill, card, due)
        return len(new)

    return transaction(engine, unit)


def _copy(row: Attempt) -> Attempt:
    """A fresh, unsaved copy of an attempt (a unit run again must not re-add a used one)."""
    columns = Attempt.__table__.columns.keys()
    return Attempt(**{c: getattr(row, c) for c in columns if c != "id"})


def delete_learner(session: Session, learner: str) -> None:
    """Delete a learner's attempts and cards (inside the caller's transaction)."""
    session.execute(delete(Attempt).where(Attempt.learner == learner))
    session.execute(delete(SkillCard).where(SkillCard.learner == learner))


def cleanup_anonymous(
    session: Session, days: int = KEEP_ANONYMOUS_DAYS, now: datetime | None = None
) -> int:
    """Delete anonymous learners whose last attempt is older than `days`; returns how many."""
    cutoff = (now or utcnow()) - timedelta(days=days)
    last = (
        select(Attempt.learner)
        .where(Attempt.learner.startswith(ANONYMOUS, autoescape=True))
        .group_by(Attempt.learner)
        .having(func.max(Attempt.at) < cutoff)
    )
    stale = list(session.scalars(last))
    orphans = select(SkillCard.learner).where(
        SkillCard.learner.startswith(ANONYMOUS, autoescape=True),
        SkillCard.learner.not_in(select(Attempt.learner).distinct()),
    )
    stale += [learner for learner in set(session.scalars(orphans)) if learner not in stale]
    for learner in stale:
        delete_learner(session, learner)
    return len(stale)


def delete_account(engine: Engine, user_id: str) -> None:
    """Delete an account and everything of it in one transaction: its progress, sessions,
    reset codes, memberships, and the classes it teaches (with their sets and memberships)."""
    with Session(writer(engine)) as session:
        taught = select(Classroom.id).where(Classroom.owner_id == user_id)
        session.execute(delete(ProblemSet).where(ProblemSet.class_id.in_(taught)))
        session.execute(delete(Membership).where(Membership.class_id.in_(taught)))
        session.execute(delete(Classroom).where(Classroom.owner_id == user_id))
        session.execute(delete(Membership).where(Membership.user_id == user_id))
        session.execute(delete(LoginSession).where(LoginSession.user_id == user_id))
        session.execute(delete(ResetCode).where(ResetCode.user_id == user_id))
        delete_learner(session, accounts.learner_of(user_id))
        session.execute(delete(User).where(User.id == user_id))
        session.commit()


def cleanup(
    engine: Engine, days: int = KEEP_ANONYMOUS_DAYS, now: datetime | None = None
) -> dict[str, int]:
    """Remove anonymous learners not seen for `days`, expired sessions and reset codes, and
    old rate-limit counters (one transaction); returns what was removed."""
    now = now or utcnow()
    with Session(writer(engine)) as session:
        done = {
            "anonymous learners": cleanup_anonymous(session, days, now),
            "sessions and reset codes": accounts.forget_old(session, now),
            "rate-limit counters": ratelimit.forget_old(session, now),
        }
        session.commit()
    return done
