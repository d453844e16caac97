"""Accounts: users with argon2id password hashes, server-side sessions (revocable), one-time
reset codes. Tokens and codes are stored only as their SHA-256; passwords and tokens are never
logged. Log-in failures are counted in the database (calcml.store.ratelimit), by name and by
client, and answered with one message whether or not the name exists."""

from __future__ import annotations

import functools
import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from calcml.errors import CalcmlError
from calcml.store import ratelimit
from calcml.store.db import aware, utcnow, writer
from calcml.store.models import LoginSession, ResetCode, User

HASHER = PasswordHasher()  # argon2id, RFC 9106 low-memory parameters (argon2-cffi's default)
NAME = re.compile(r"[a-z0-9][a-z0-9_.-]{2,39}")
MIN_PASSWORD, MAX_PASSWORD = 8, 200  # characters
SESSION_AGE = timedelta(days=30)
RESET_AGE = timedelta(hours=48)
LOGIN_FAILED = "wrong name or password"  # the same whether or not the name exists
OPERATOR = "operator"


class AccountError(CalcmlError):
    """A request about an account that cannot be done (the message is safe to show)."""


@dataclass(frozen=True)
class Account:
    """A user as the web and the CLI see it (never the hash)."""

    id: str
    name: str
    time_zone: str
    disabled: bool
    created: datetime

    @property
    def learner(self) -> str:
        """The key its progress is stored under."""
        return learner_of(self.id)


def learner_of(user_id: str) -> str:
    return f"user:{user_id}"


def _account(row: User) -> Account:
    return Account(row.id, row.name, row.time_zone, row.disabled, aware(row.created))


def digest(token: str) -> str:
    """What is stored of a token or code."""
    return hashlib.sha256(token.encode()).hexdigest()


def normal_name(name: str) -> str:
    """The log-in name as stored (lower case), or AccountError."""
    name = name.strip().lower()
    if not NAME.fullmatch(name):
        raise AccountError("a name is 3–40 characters: letters, digits, '.', '_' or '-'")
    return name


def check_password(password: str) -> str:
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise AccountError(f"a password is {MIN_PASSWORD}–{MAX_PASSWORD} characters")
    return password


def create_user(engine: Engine, name: str, password: str, now: datetime | None = None) -> Account:
    """A new account; AccountError when the name is malformed or taken."""
    row = User(
        id=secrets.token_hex(8),
        name=normal_name(name),
        password_hash=HASHER.hash(check_password(password)),
        time_zone="UTC",
        disabled=False,
        created=now or utcnow(),
    )
    with Session(writer(engine)) as session:
        session.add(row)
        try:
            session.commit()
        except IntegrityError:
            raise AccountError("that name is taken: choose another") from None
        return _account(row)


def find(engine: Engine, name: str) -> Account | None:
    with Session(engine) as session:
        row = session.scalar(select(User).where(User.name == name.strip().lower()))
        return _account(row) if row else None


def get(engine: Engine, user_id: str) -> Account | None:
    with Session(engine) as session:
        row = session.get(User, user_id)
        return _account(row) if row else None


@functools.lru_cache(maxsize=4)
def dummy_hash(hasher: PasswordHasher) -> str:
    """A hash by `hasher` of no one's password: an unknown name is checked against it, so a
    log-in costs the same hashing work whether or not the name exists (following `HASHER`
    when it is replaced, e.g. by a test's cheap one)."""
    return hasher.hash("not a password of anyone")


dummy_hash(HASHER)  # computed once at import: the first unknown name costs no extra hash


def _verify(stored: str, password: str) -> bool:
    try:
        return HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def authenticate(
    engine: Engine, name: str, password: str, client: str, now: datetime | None = None
) -> Account:
    """The account for name and password; AccountError(LOGIN_FAILED) otherwise (the same
    message and the same hashing work whether or not the name exists), RateLimited after too
    many failures of this name or this client."""
    now = now or utcnow()
    key = name.strip().lower()[:64]
    # counted before the password is checked: parallel guesses cannot all pass the check
    ratelimit.take_all(engine, [("login-name", key), ("login-client", client)], now)
    with Session(engine) as session:
        row = session.scalar(select(User).where(User.name == key))
        stored = row.password_hash if row else dummy_hash(HASHER)
    good = _verify(stored, password[: MAX_PASSWORD * 4])
    if row is None or not good or row.disabled:
        raise AccountError(LOGIN_FAILED)
    ratelimit.clear(engine, "login-name", key)
    ratelimit.give_back(engine, "login-client", client)
    if HASHER.check_needs_rehash(stored):
        _store_hash(engine, row.id, password)
    return _account(row)


def _store_hash(engine: Engine, user_id: str, password: str) -> None:
    with Session(writer(engine)) as session:
        row = session.get(User, user_id)
        if row is not None:
            row.password_hash = HASHER.hash(password)
            session.commit()


def open_session(engine: Engine, user_id: str, now: datetime | None = None) -> str:
    """A new session token for the user's cookie (only its digest is stored)."""
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    with Session(writer(engine)) as session:
        session.add(
            LoginSession(
                token_hash=digest(token), user_id=user_id, created=now, expires=now + SESSION_AGE
            )
        )
        session.commit()
    return token


def session_account(engine: Engine, token: str, now: datetime | None = None) -> Account | None:
    """The account of a live session (None: unknown, expired, revoked or disabled)."""
    now = now or utcnow()
    query = (
        select(User, LoginSession.expires)
        .join(LoginSession, LoginSession.user_id == User.id)
        .where(LoginSession.token_hash == digest(token))
    )
    with Session(engine) as session:
        found = session.execute(query).first()
    if found is None or aware(found[1]) <= now or found[0].disabled:
        return None
    return _account(found[0])


def close_session(engine: Engine, token: str) -> None:
    with Session(writer(engine)) as session:
        session.execute(delete(LoginSession).where(LoginSession.token_hash == digest(token)))
        session.commit()


def _end_sessions(session: Session, user_id: str, keep: str | None = None) -> None:
    query = delete(LoginSession).where(LoginSession.user_id == user_id)
    if keep is not None:
        query = query.where(LoginSession.token_hash != digest(keep))
    session.execute(query)


def set_password(engine: Engine, user_id: str, password: str, keep: str | None = None) -> None:
    """A new password; every session ends except `keep` (the token of the one changing it)."""
    hashed = HASHER.hash(check_password(password))
    with Session(writer(engine)) as session:
        row = session.get(User, user_id)
        if row is None:
            raise AccountError("no such account")
        row.password_hash = hashed
        _end_sessions(session, user_id, keep)
        session.commit()


def change_password(engine: Engine, user_id: str, old: str, new: str, keep: str) -> None:
    """Change a password knowing the old one; the other sessions end."""
    with Session(engine) as session:
        row = session.get(User, user_id)
        stored = row.password_hash if row else dummy_hash(HASHER)
    if not _verify(stored, old[: MAX_PASSWORD * 4]):
        raise AccountError("the current password is wrong")
    set_password(engine, user_id, new, keep)


def set_disabled(engine: Engine, user_id: str, disabled: bool) -> None:
    """Disable (its sessions end) or enable an account."""
    with Session(writer(engine)) as session:
        row = session.get(User, user_id)
        if row is None:
            raise AccountError("no such account")
        row.disabled = disabled
        if disabled:
            _end_sessions(session, user_id)
        session.commit()


def set_time_zone(engine: Engine, user_id: str, zone: str) -> None:
    with Session(writer(engine)) as session:
        row = session.get(User, user_id)
        if row is not None:
            row.time_zone = zone
            session.commit()


def issue_reset_code(
    engine: Engine, user_id: str, issued_by: str, now: datetime | None = None
) -> str:
    """A one-time code (80 random bits) that sets a new password within RESET_AGE."""
    now = now or utcnow()
    code = secrets.token_hex(10)
    with Session(writer(engine)) as session:
        session.add(
            ResetCode(
                code_hash=digest(code),
                user_id=user_id,
                issued_by=issued_by[:64],
                expires=now + RESET_AGE,
                used=None,
            )
        )
        session.commit()
    return code


RESET_FAILED = "that name and code do not match a valid reset code"


def redeem_reset_code(
    engine: Engine, name: str, code: str, password: str, client: str, now: datetime | None = None
) -> Account:
    """Set a new password with a reset code (used once; every session of the account ends)."""
    now = now or utcnow()
    check_password(password)
    keys = [("reset", client)]
    ratelimit.take_all(engine, keys, now)  # counted first: parallel guesses cannot all pass
    with Session(writer(engine)) as session:
        row = session.get(ResetCode, digest(code.strip().lower()[:64]))
        user = session.get(User, row.user_id) if row else None
        valid = (
            row is not None
            and user is not None
            and user.name == name.strip().lower()
            and row.used is None
            and aware(row.expires) > now
        )
        if not valid or row is None or user is None:
            raise AccountError(RESET_FAILED)  # stays counted
        row.used = now
        user.password_hash = HASHER.hash(password)
        _end_sessions(session, user.id)
        session.commit()
        account = _account(user)
    ratelimit.give_back_all(engine, keys)  # a code that worked is not a failure
    return account


def forget_old(session: Session, now: datetime) -> int:
    """Delete expired sessions and expired or used reset codes (by `admin cleanup`)."""
    gone = session.execute(delete(LoginSession).where(LoginSession.expires <= now))
    codes = session.execute(
        delete(ResetCode).where((ResetCode.expires <= now) | ResetCode.used.is_not(None))
    )
    return int(gone.rowcount) + int(codes.rowcount)  # type: ignore[attr-defined]
