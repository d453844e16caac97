"""Rate limits counted in the database, so every app server sees the same counts: failures of
a key (a log-in name, a client address) in a fixed window; at `limit` the key is refused until
the window ends. Rules are data (`RULES`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, update
from sqlalchemy.orm import Session

from calcml.store.db import aware, transaction, utcnow, writer
from calcml.store.models import LoginAttempt

MAX_KEY = 200


@dataclass(frozen=True)
class Rule:
    """At most `limit` failures per `window`."""

    limit: int
    window: timedelta


RULES: dict[str, Rule] = {
    "login-name": Rule(10, timedelta(minutes=15)),  # guessing one account's password
    # per client address: a classroom behind one NAT address shares these
    "login-client": Rule(100, timedelta(minutes=15)),  # one client trying many names
    "signup-client": Rule(300, timedelta(hours=1)),  # every sign-up counts (taken names)
    "join": Rule(20, timedelta(minutes=15)),  # guessing join codes (per client and per user)
    "reset": Rule(10, timedelta(minutes=15)),  # guessing reset codes
}


class RateLimited(Exception):
    """Too many failures: try again after `retry_after` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many attempts: try again in {max(1, retry_after // 60)} minutes")
        self.retry_after = retry_after


def _key(rule: str, who: str) -> str:
    return f"{rule}:{who}"[:MAX_KEY]


def check(engine: Engine, rule: str, who: str, now: datetime | None = None) -> None:
    """Raise RateLimited when `who` has reached the limit of `rule`."""
    now = now or utcnow()
    spec = RULES[rule]
    with Session(engine) as session:
        row = session.get(LoginAttempt, _key(rule, who))
        if row is None:
            return
        ends = aware(row.window_start) + spec.window
        if ends > now and row.count >= spec.limit:
            raise RateLimited(int((ends - now).total_seconds()) + 1)


def count(engine: Engine, rule: str, who: str, now: datetime | None = None) -> int:
    """Count one failure of `who` under `rule` (atomic: an UPDATE count + 1, or a new row);
    returns the count in the current window."""
    now = now or utcnow()
    key, spec = _key(rule, who), RULES[rule]
    start = now - spec.window

    def unit(session: Session) -> int:
        bumped = session.execute(
            update(LoginAttempt)
            .where(LoginAttempt.key == key, LoginAttempt.window_start > start)
            .values(count=LoginAttempt.count + 1)
        )
        if bumped.rowcount == 0:  # type: ignore[attr-defined]
            # only an ended window: a row another server committed since the UPDATE is kept
            # (deleting it lost its counts), and this insert then fails on the key
            session.execute(
                delete(LoginAttempt).where(
                    LoginAttempt.key == key, LoginAttempt.window_start <= start
                )
            )
            session.add(LoginAttempt(key=key, count=1, window_start=now))
            return 1
        row = session.get(LoginAttempt, key)  # locked by the UPDATE: no one else's +1 since
        return row.count if row else 1

    # another server starting the window at the same moment wins the key: run again, +1
    return transaction(engine, unit)


def take(engine: Engine, rule: str, who: str, now: datetime | None = None) -> None:
    """Count an attempt of `who` before doing it, and raise RateLimited when it is past the
    limit. Unlike check-then-count, concurrent attempts cannot all pass the check before any
    is counted (a burst of parallel password guesses once got far more than `limit` tries);
    a success gives its count back (`give_back`) or clears the key."""
    now = now or utcnow()
    spec = RULES[rule]
    if count(engine, rule, who, now) > spec.limit:
        with Session(engine) as session:
            row = session.get(LoginAttempt, _key(rule, who))
            ends = (aware(row.window_start) if row else now) + spec.window
        raise RateLimited(max(1, int((ends - now).total_seconds()) + 1))


def give_back(engine: Engine, rule: str, who: str) -> None:
    """Undo one `take` of `who` (an attempt that succeeded is not a failure)."""
    key = _key(rule, who)

    def unit(session: Session) -> None:
        session.execute(
            update(LoginAttempt)
            .where(LoginAttempt.key == key, LoginAttempt.count > 0)
            .values(count=LoginAttempt.count - 1)
        )

    transaction(engine, unit)


def take_all(engine: Engine, keys: Sequence[tuple[str, str]], now: datetime | None = None) -> None:
    """Count one attempt under every (rule, who) of `keys` before doing it (`take`), so parallel
    attempts cannot all pass a check before any is counted: refused without counting when a key
    is already at its limit; when a take goes past its limit (a concurrent attempt took the
    last try), the keys already taken are given back and RateLimited raised. The caller gives
    them back after a success (`give_back_all`) or keeps them counted as a failure."""
    now = now or utcnow()
    for rule, who in keys:
        check(engine, rule, who, now)
    taken: list[tuple[str, str]] = []
    for rule, who in keys:
        try:
            take(engine, rule, who, now)
        except RateLimited:
            give_back_all(engine, taken)
            raise
        taken.append((rule, who))


def give_back_all(engine: Engine, keys: Sequence[tuple[str, str]]) -> None:
    """Undo one `take` of every (rule, who) of `keys` (the attempt succeeded)."""
    for rule, who in keys:
        give_back(engine, rule, who)


def clear(engine: Engine, rule: str, who: str) -> None:
    """Forget the failures of `who` (after a success)."""
    with Session(writer(engine)) as session:
        session.execute(delete(LoginAttempt).where(LoginAttempt.key == _key(rule, who)))
        session.commit()


def forget_old(session: Session, now: datetime) -> int:
    """Delete counters whose window ended (by `admin cleanup`)."""
    longest = max(r.window for r in RULES.values())
    result = session.execute(delete(LoginAttempt).where(LoginAttempt.window_start < now - longest))
    return int(result.rowcount)  # type: ignore[attr-defined]
