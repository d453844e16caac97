"""Who is asking, and their progress: a signed-in account (a server-side session, its token in
an HttpOnly cookie) or else the anonymous learner (a random id in an HttpOnly cookie). Progress
is stored under the account's key ("user:<id>") or the anonymous one ("web:<id>"); signing in
merges the anonymous progress into the account (calcml.store.learners.merge)."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import Request, Response
from starlette.concurrency import run_in_threadpool

from calcml.learn.skills import SKILLS
from calcml.store import accounts
from calcml.store.accounts import Account
from calcml.store.db import connect
from calcml.store.progress import Progress
from calcml.web.config import WebConfig
from calcml.web.security import cookie_options

COOKIE = "calcml_learner"
SESSION_COOKIE = "calcml_session"
COOKIE_AGE = 400 * 24 * 3600  # the longest a browser keeps a cookie
ORDER = [s.id for s in SKILLS]
REQUIRES: dict[str, Sequence[str]] = {s.id: list(s.requires) for s in SKILLS}


@dataclass(frozen=True)
class Mark:
    """A graded attempt as the store records it (the fields of a calcml.learn Verdict)."""

    correct: bool
    score: float
    mistake: str | None
    counted: bool


@dataclass(frozen=True)
class Who:
    """The requester: `learner` is the store key of their progress; `account` is None for an
    anonymous learner; `anonymous` is the anonymous cookie's id (`fresh`: set the cookie)."""

    learner: str
    account: Account | None
    anonymous: str
    fresh: bool


def _token_like(value: str, low: int = 16, high: int = 64) -> bool:
    return low <= len(value) <= high and value.replace("-", "").replace("_", "").isalnum()


class Learners:
    """Progress of every web learner in one database (one engine for the process)."""

    def __init__(self, config: WebConfig) -> None:
        self.config = config
        self.engine = connect(config.database_url)  # open (and migrate) once, at start

    def progress(self, learner: str) -> Progress:
        """The Progress of one learner key (the store keeps one engine per process)."""
        return Progress(self.config.database_url, learner=learner)

    def anonymous(self, request: Request) -> tuple[str, bool]:
        """The anonymous id from the cookie, or a new one (True: set the cookie)."""
        value = request.cookies.get(COOKIE, "")
        if _token_like(value):
            return value, False
        return secrets.token_urlsafe(18), True

    async def who(self, request: Request) -> Who:
        """The signed-in account (a live session) or the anonymous learner; once a request."""
        known = getattr(request.state, "who", None)
        if isinstance(known, Who):
            return known
        token = request.cookies.get(SESSION_COOKIE, "")
        account = None
        if _token_like(token, 20, 100):
            account = await run_in_threadpool(accounts.session_account, self.engine, token)
        anon, fresh = self.anonymous(request)
        if account is not None:
            who = Who(account.learner, account, anon, False)
        else:
            who = Who(f"web:{anon}", None, anon, fresh)
        request.state.who = who
        return who

    def remember(self, response: Response, who: Who) -> None:
        if who.fresh:
            response.set_cookie(
                COOKIE, who.anonymous, max_age=COOKIE_AGE, **cookie_options(self.config)
            )

    def sign_in(self, response: Response, token: str) -> None:
        """Set the session cookie (the server ends the session at the same age, or before)."""
        age = int(accounts.SESSION_AGE.total_seconds())
        response.set_cookie(SESSION_COOKIE, token, max_age=age, **cookie_options(self.config))

    def sign_out(self, response: Response) -> None:
        """Forget the session and the anonymous id (a new anonymous learner starts)."""
        for name in (SESSION_COOKIE, COOKIE):
            response.delete_cookie(name, **cookie_options(self.config))

    async def roadmap(self, learner: str) -> tuple[dict[str, str], str]:
        p = self.progress(learner)
        levels, nxt = await asyncio.gather(  # two independent reads, each its own session
            run_in_threadpool(p.overview, ORDER), run_in_threadpool(p.next_skill, ORDER, REQUIRES)
        )
        return levels, nxt

    async def mastery(self, learner: str, skill: str) -> str:
        return str(await run_in_threadpool(self.progress(learner).mastery, skill))

    async def next_problem(self, learner: str) -> tuple[str, int]:
        """The next skill from the review schedule and the difficulty to offer."""
        p = self.progress(learner)
        skill = await run_in_threadpool(p.next_skill, ORDER, REQUIRES)
        return skill, await run_in_threadpool(p.difficulty_for, skill)

    async def revealed(self, learner: str, skill: str, seed: int, difficulty: int) -> bool:
        """Was the solution of this very problem shown to this learner?"""
        p = self.progress(learner)
        return bool(await run_in_threadpool(p.revealed, skill, seed, difficulty))

    async def record(
        self,
        learner: str,
        skill: str,
        seed: int,
        difficulty: int,
        answer: str,
        mark: Mark,
        hints: int,
        client_id: str | None = None,
    ) -> str:
        """Store an attempt (once per `client_id`); returns the skill's mastery after it."""
        p = self.progress(learner)
        return str(
            await run_in_threadpool(
                p.record, skill, seed, difficulty, answer, mark, hints, None, client_id
            )
        )

    async def reveal(self, learner: str, skill: str, seed: int, difficulty: int) -> None:
        """Mark the problem as revealed (not counted: later answers to it no longer count)."""
        await run_in_threadpool(self.progress(learner).reveal, skill, seed, difficulty)


def levels_summary(levels: dict[str, str]) -> dict[str, Any]:
    """Counts per mastery level (for the roadmap's header)."""
    out: dict[str, int] = {}
    for level in levels.values():
        out[level] = out.get(level, 0) + 1
    return out
