"""The anonymous learner (a random id in an HttpOnly cookie) and their progress: the web's one
use of `calcml.store` (kept thin: record an attempt, read mastery, pick what comes next)."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import Request, Response
from starlette.concurrency import run_in_threadpool

from calcml.learn.skills import SKILLS
from calcml.store.progress import Progress
from calcml.web.config import WebConfig
from calcml.web.security import cookie_options

COOKIE = "calcml_learner"
COOKIE_AGE = 400 * 24 * 3600  # the longest a browser keeps a cookie
REVEALED = "revealed the solution"  # the mistake recorded when a learner asks for the solution
ORDER = [s.id for s in SKILLS]
REQUIRES: dict[str, Sequence[str]] = {s.id: list(s.requires) for s in SKILLS}


@dataclass(frozen=True)
class Mark:
    """A graded attempt as the store records it (the fields of a calcml.learn Verdict)."""

    correct: bool
    score: float
    mistake: str | None
    counted: bool


class Learners:
    """Progress of every web learner in one database (one engine for the process)."""

    def __init__(self, config: WebConfig) -> None:
        self.config = config
        Progress(config.database_url)  # open (and migrate) the database once, at start

    def progress(self, learner: str) -> Progress:
        """The Progress of one learner (the store keeps one database engine per process)."""
        return Progress(self.config.database_url, learner=f"web:{learner}")

    def identify(self, request: Request) -> tuple[str, bool]:
        """The learner id from the cookie, or a new one (True: set the cookie)."""
        value = request.cookies.get(COOKIE, "")
        if 16 <= len(value) <= 64 and value.replace("-", "").replace("_", "").isalnum():
            return value, False
        return secrets.token_urlsafe(18), True

    def remember(self, response: Response, learner: str) -> None:
        response.set_cookie(COOKIE, learner, max_age=COOKIE_AGE, **cookie_options(self.config))

    async def roadmap(self, learner: str) -> tuple[dict[str, str], str]:
        p = self.progress(learner)
        levels = await run_in_threadpool(p.overview, ORDER)
        nxt = await run_in_threadpool(p.next_skill, ORDER, REQUIRES)
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
        rows = await run_in_threadpool(self.progress(learner).history, skill)
        return any(
            r["seed"] == seed and r["difficulty"] == difficulty and r["mistake"] == REVEALED
            for r in rows
        )

    async def record(
        self,
        learner: str,
        skill: str,
        seed: int,
        difficulty: int,
        answer: str,
        mark: Mark,
        hints: int,
    ) -> str:
        """Store an attempt; returns the skill's mastery after it."""
        p = self.progress(learner)
        return await run_in_threadpool(p.record, skill, seed, difficulty, answer, mark, hints)

    async def reveal(self, learner: str, skill: str, seed: int, difficulty: int) -> None:
        """Mark the problem as revealed (not counted: later answers to it no longer count)."""
        mark = Mark(False, 0.0, REVEALED, counted=False)
        await self.record(learner, skill, seed, difficulty, "", mark, 0)


def levels_summary(levels: dict[str, str]) -> dict[str, Any]:
    """Counts per mastery level (for the roadmap's header)."""
    out: dict[str, int] = {}
    for level in levels.values():
        out[level] = out.get(level, 0) + 1
    return out
