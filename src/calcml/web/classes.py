"""Class pages: create a class and share its join link, join with a code, assign problem sets,
the instructor's dashboard (and its CSV, escaped against formula injection), one-time reset
codes for the class's learners. An instructor sees only the classes they teach, a learner only
their own problem sets; anything else is 404 (a class's existence is not disclosed)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from calcml.learn.mistakes import MISTAKES
from calcml.learn.skills import SKILLS
from calcml.store import accounts, classes
from calcml.store.accounts import Account
from calcml.store.classes import ClassError, ClassInfo
from calcml.store.ratelimit import RateLimited
from calcml.web.accounts import CSRF, page, signed_in, store, web
from calcml.web.errors import WebError
from calcml.web.security import client_address

router = APIRouter(include_in_schema=False)
SKILL_TITLES = {s.id: s.title for s in SKILLS}
FORMULA_STARTS = ("=", "+", "-", "@", "\u2212", "\t", "\r")  # a spreadsheet would evaluate
MAX_NOT_SEEN_DAYS = 365


def safe_cell(value: Any) -> str:
    """A CSV cell a spreadsheet shows as text: one that begins like a formula gets a quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def local_time(when: datetime | None, zone: str) -> str:
    """A UTC time shown in the reader's time zone."""
    if when is None:
        return ""
    return when.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M %Z")


def _not_found() -> WebError:
    return WebError(404, "no such class")


async def _taught(request: Request, class_id: str) -> tuple[Account, ClassInfo]:
    _, account = await signed_in(request)
    room = await store(request, classes.owned, class_id, account.id)
    if room is None:
        raise _not_found()
    return account, room


@router.get("/classes")
async def class_list(request: Request, error: str | None = None, status: int = 200) -> Response:
    _, account = await signed_in(request)
    taught, joined = await store(request, classes.of_user, account.id)
    context = {"title": "Classes", "taught": taught, "joined": joined, "error": error}
    return page(request, "classes.html", context, status)


@router.post("/classes", dependencies=CSRF)
async def create_class(request: Request, name: str = Form(..., max_length=200)) -> Response:
    _, account = await signed_in(request)
    try:
        room = await store(request, classes.create, account.id, name)
    except ClassError as error:
        return await class_list(request, str(error), 400)
    return RedirectResponse(f"/classes/{room.id}", 303)


@router.get("/join/{code}")
async def join_page(request: Request, code: str) -> Response:
    who = await web(request).learners.who(request)
    context = {"title": "Join a class", "code": code[:32], "signed_in": who.account is not None}
    return page(request, "join.html", context)


@router.post("/classes/join", dependencies=CSRF)
async def join(request: Request, code: str = Form(..., max_length=64)) -> Response:
    _, account = await signed_in(request)
    client = client_address(request, web(request).config)
    try:
        room = await store(request, classes.join, account.id, code, client)
    except (ClassError, RateLimited) as error:
        status = 429 if isinstance(error, RateLimited) else 400
        context = {"title": "Join a class", "code": "", "signed_in": True, "error": str(error)}
        return page(request, "join.html", context, status)
    return RedirectResponse(f"/classes/{room.id}", 303)


@router.get("/classes/{class_id}")
async def class_page(request: Request, class_id: str) -> Response:
    _, account = await signed_in(request)
    room = await store(request, classes.owned, class_id, account.id)
    if room is not None:
        return await _teacher_page(request, account, room)
    room = await store(request, classes.member, class_id, account.id)
    if room is None:
        raise _not_found()
    sets = []
    for s in await store(request, classes.sets, room.id):
        problems = s.problems(account.id)
        done = await store(request, classes.solved, account.learner, problems)
        sets.append(
            {
                "title": s.title,
                "due": local_time(s.due, account.time_zone),
                "problems": [
                    {
                        "title": SKILL_TITLES.get(skill, skill),
                        "url": f"/practice?skill={skill}&seed={seed}&difficulty={difficulty}",
                        "done": (skill, seed, difficulty) in done,
                    }
                    for skill, seed, difficulty in problems
                ],
            }
        )
    context = {"title": room.name, "room": room, "sets": sets, "zone": account.time_zone}
    return page(request, "class_learner.html", context)


def _days(request: Request) -> int:
    try:
        days = int(request.query_params.get("days", "7"))
    except ValueError:
        days = 7
    return min(max(days, 1), MAX_NOT_SEEN_DAYS)


async def _teacher_page(
    request: Request, account: Account, room: ClassInfo, **extra: Any
) -> Response:
    board = await store(request, classes.dashboard, room.id)
    days = _days(request)
    used = {skill for row in board.learners for skill in row.skills}
    skills = [s for s in SKILL_TITLES if s in used]
    context = {
        "title": room.name,
        "room": room,
        "join_link": f"{str(request.base_url).rstrip('/')}/join/{room.join_code}",
        "board": board,
        "skills": [(s, SKILL_TITLES[s]) for s in skills],
        "mistakes": _mistakes(board.mistakes),
        "days": days,
        "not_seen": classes.not_seen(board, days),
        "sets": [
            {"set": s, "due": local_time(s.due, account.time_zone)}
            for s in await store(request, classes.sets, room.id)
        ],
        "all_skills": list(SKILL_TITLES.items()),
        "zone": account.time_zone,
        "local_time": lambda when: local_time(when, account.time_zone),
        **extra,
    }
    status = 400 if extra.get("error") else 200
    return page(request, "class_teacher.html", context, status)


def _mistakes(by_skill: dict[str, list[tuple[str, int]]]) -> list[dict[str, Any]]:
    """The most common mistakes per skill, with the grader's title and feedback."""
    out = []
    for skill, top in by_skill.items():
        for kind, count in top:
            known = MISTAKES.get(kind)
            out.append(
                {
                    "skill": SKILL_TITLES.get(skill, skill),
                    "kind": kind,
                    "count": count,
                    "title": known.title if known else kind,
                    "feedback": known.feedback if known else "",
                }
            )
    return out


@router.post("/classes/{class_id}/sets", dependencies=CSRF)
async def add_set(request: Request, class_id: str) -> Response:
    """Assign a problem set (skills are checkboxes; the due time is in the instructor's zone)."""
    account, room = await _taught(request, class_id)
    form = await request.form()
    try:
        skills = [str(s) for s in form.getlist("skills")]
        unknown = [s for s in skills if s not in SKILL_TITLES]
        if unknown:
            raise ClassError(f"no skill {unknown[0][:64]!r}")
        due_text = str(form.get("due", "")).strip()[:32]
        due = None
        if due_text:
            local = datetime.fromisoformat(due_text)
            if local.tzinfo is None:
                local = local.replace(tzinfo=ZoneInfo(account.time_zone))
            due = local.astimezone(UTC)
        await store(
            request,
            classes.add_set,
            room.id,
            str(form.get("title", ""))[:200],
            skills,
            int(str(form.get("difficulty", "1"))),
            int(str(form.get("count", "1"))),
            form.get("per_learner") == "on",
            due,
        )
    except (ClassError, ValueError) as error:
        return await _teacher_page(request, account, room, error=str(error))
    return RedirectResponse(f"/classes/{room.id}", 303)


@router.post("/classes/{class_id}/reset", dependencies=CSRF)
async def reset_code(
    request: Request, class_id: str, user_id: str = Form(..., max_length=32)
) -> Response:
    """A one-time reset code for a learner of this class (shown once)."""
    account, room = await _taught(request, class_id)
    learners_ = {a.id: a for a in await store(request, classes.members, room.id)}
    learner = learners_.get(user_id)
    if learner is None:
        raise _not_found()
    code = await store(request, accounts.issue_reset_code, learner.id, account.id)
    context = {"title": "Reset code", "room": room, "learner": learner, "code": code}
    return page(request, "reset_code.html", context)


@router.get("/classes/{class_id}/dashboard.csv")
async def dashboard_csv(request: Request, class_id: str) -> Response:
    """One row per learner and skill: mastery, fsrs state, attempts, accuracy, last seen."""
    _, room = await _taught(request, class_id)
    board = await store(request, classes.dashboard, room.id)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "learner",
            "skill",
            "mastery",
            "fsrs_state",
            "stability",
            "due",
            "attempts",
            "correct",
            "accuracy",
            "last_seen",
        ]
    )
    for row in board.learners:
        seen = row.last_seen.isoformat() if row.last_seen else ""
        for skill, (level, stats) in row.skills.items() or {"": ("new", None)}.items():
            card = row.cards.get(skill, {})
            accuracy = f"{stats.correct / stats.attempts:.2f}" if stats and stats.attempts else ""
            writer.writerow(
                [
                    safe_cell(v)
                    for v in (
                        row.account.name,
                        skill,
                        level,
                        card.get("state", ""),
                        card.get("stability", ""),
                        card.get("due", ""),
                        stats.attempts if stats else 0,
                        stats.correct if stats else 0,
                        accuracy,
                        seen,
                    )
                ]
            )
    headers = {"Content-Disposition": f'attachment; filename="class-{room.id}.csv"'}
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)
