"""The HTML pages: roadmap (home), calculator (with live preview, figure data, JSON twin) and
practice. Each view gathers a context and renders through the one `render`."""

from __future__ import annotations

import asyncio
import secrets
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from calcml.learn.skills import SKILLS, TOPICS
from calcml.store.progress import LEVEL_ORDER, level_at_least
from calcml.web import present
from calcml.web.calculator import INPUT_LABELS, OPS, SIDES, Query
from calcml.web.errors import WebError, as_web_error
from calcml.web.learner import Mark, Who
from calcml.web.render import render
from calcml.web.security import check_csrf, client_address

router = APIRouter()
SKILL_TITLES = {s.id: s.title for s in SKILLS}
MAX_SEED = 1_000_000  # seeds of new problems are drawn below this


def _web(request: Request) -> Any:
    return request.app.state.web


async def _run(request: Request, verb: str, fields: dict[str, Any]) -> dict[str, Any]:
    web = _web(request)
    return await web.engines.run(verb, fields, client_address(request, web.config))


def _with_learner(request: Request, response: Response, who: Who) -> Response:
    _web(request).learners.remember(response, who)
    return response


# ---------------------------------------------------------------- roadmap


@router.get("/favicon.ico", include_in_schema=False)
async def favicon() -> Response:
    return RedirectResponse("/static/favicon.svg", 301)


@router.get("/", include_in_schema=False)
async def home(request: Request) -> Response:
    web = _web(request)
    who = await web.learners.who(request)
    levels, next_id = await web.learners.roadmap(who.learner)
    topics = [
        {
            "id": t.id,
            "number": t.number,
            "title": t.title,
            "skills": [
                {
                    "id": s.id,
                    "title": s.title,
                    "requires": [SKILL_TITLES.get(r, r) for r in s.requires],
                    "mastery": levels[s.id],
                }
                for s in SKILLS
                if s.topic == t.id
            ],
        }
        for t in TOPICS
    ]
    context = {
        "title": "Roadmap",
        "topics": topics,
        "next_skill": {"id": next_id, "title": SKILL_TITLES.get(next_id, next_id)},
        "levels_order": LEVEL_ORDER,
        "proficient": sum(level_at_least(v, "proficient") for v in levels.values()),
        "total": len(levels),
    }
    return _with_learner(request, render(request, "home.html", context), who)


# ---------------------------------------------------------------- calculator


def _op(query: Query) -> Any:
    op = OPS.get(query.op)
    if op is None:
        raise WebError(404, f"no operation {query.op!r}; one of: {', '.join(OPS)}")
    return op


@router.get("/calc", include_in_schema=False)
async def calculator(request: Request) -> Response:
    query = Query.read(request.query_params)
    op = _op(query)
    payload, error = None, None
    if query.q:
        try:
            payload = await _run(request, op.verb, op.request(query))
        except Exception as exc:
            error = as_web_error(exc)
            if error.status >= 500 and error.status not in (503, 504):
                raise
    link = "/calc?" + urlencode(query.permalink(op.inputs))
    context = {
        "title": f"{op.label} of {query.q}" if query.q else "Calculator",
        "ops": OPS,
        "op": op,
        "query": query,
        "labels": INPUT_LABELS,
        "sides": SIDES,
        "payload": payload,
        "error": error,
        "question": present.question(payload) if payload else None,
        "headline": present.headline(payload) if payload else None,
        "steps": present.steps(payload) if payload else [],
        "facts": present.facts(payload) if payload else [],
        "shapes": present.shapes(payload) if payload else "",
        "permalink": link,
        "json_link": link.replace("/calc?", "/calc.json?", 1),
        "figure_url": _figure_url(op, link, payload),
    }
    # bad math is shown in the page (200, as a form's answer); busy/limit keep their status
    status = error.status if error is not None and error.status >= 500 else 200
    return render(request, "calculator.html", context, status, error.headers if error else None)


def _figure_url(op: Any, link: str, payload: dict[str, Any] | None) -> str | None:
    """Where the result's figure spec is read (a vector/matrix result: its chain of shapes)."""
    if not payload or (op.figure is None and "shapes" not in payload):
        return None
    chain = "&figure=chain" if "shapes" in payload else ""
    return link.replace("/calc?", "/calc/figure?", 1) + chain


@router.get("/calc.json", include_in_schema=False)
async def calculator_json(request: Request) -> Response:
    query = Query.read(request.query_params)
    op = _op(query)
    return JSONResponse(await _run(request, op.verb, op.request(query)))


@router.get("/calc/figure", include_in_schema=False)
async def calculator_figure(request: Request) -> Response:
    """The figure spec of a calculator result (JSON for Plotly; 4xx JSON when none fits);
    `figure=chain`: the chain of shapes of a vector/matrix result."""
    query = Query.read(request.query_params)
    op = _op(query)
    if request.query_params.get("figure") == "chain":  # a vector/matrix result
        fields = {"kind": "matrix_chain", "expr": query.q, "var": query.names(), **query.matrix()}
        return JSONResponse(await _run(request, "figure", fields))
    if op.figure is None:
        raise WebError(404, "no figure for this operation")
    return JSONResponse(await _run(request, "figure", op.figure(query)))


@router.get("/calc/preview", include_in_schema=False)
async def preview(request: Request) -> Response:
    """The live preview: the expression(s) typeset with did-you-mean hints for glued names (2xy
    is 2·(one variable xy)), or the error with a caret under it."""
    params = request.query_params
    source = str(params.get("q", params.get("answer", "")))[:2000].strip()
    several = params.get("op") == "jacobian"
    shapes = str(params.get("shapes", ""))[:2000].strip()
    parts, variables, error = [], set(), None
    try:
        for piece in [p for p in source.split(";") if p.strip()] if several else [source]:
            if not piece:
                continue
            fields = {"expr": piece, **({"shapes": shapes} if shapes else {})}
            parsed = await _run(request, "parse", fields)
            parts.append(parsed)
            variables.update(parsed.get("variables", []))
    except Exception as exc:
        error = as_web_error(exc)
        if error.status >= 500 and error.status not in (503, 504):
            raise
    from calcml.expr.variables import glued_hints

    context = {
        "parts": parts,
        "variables": sorted(variables),
        "hints": [] if shapes else glued_hints(sorted(variables)),
        "shapes": " ".join(present.shapes(p) for p in parts if p.get("shapes")),
        "error": error,
        "source": source,
    }
    return render(request, "_preview.html", context)


# ---------------------------------------------------------------- practice


def _skill(skill: str) -> str:
    if skill not in SKILL_TITLES:
        raise WebError(404, f"no skill {skill!r}")
    return skill


def _int(value: Any, default: int, low: int, high: int) -> int:
    try:
        n = int(str(value))
    except ValueError:
        return default
    return min(max(n, low), high)


@router.get("/practice", include_in_schema=False)
async def practice(request: Request) -> Response:
    web = _web(request)
    who = await web.learners.who(request)
    learner = who.learner
    params = request.query_params
    if "skill" not in params or "seed" not in params:
        skill, difficulty = await web.learners.next_problem(learner)
        skill = _skill(str(params.get("skill", skill)))
        if "skill" in params:
            difficulty = await _difficulty(web, learner, skill)
        seed = secrets.randbelow(MAX_SEED)
        url = "/practice?" + urlencode({"skill": skill, "seed": seed, "difficulty": difficulty})
        return _with_learner(request, RedirectResponse(url, 303), who)
    skill = _skill(str(params["skill"]))
    seed = _int(params["seed"], 0, 0, MAX_SEED)
    difficulty = _int(params.get("difficulty", 1), 1, 1, 3)
    shown = _int(params.get("hints", 0), 0, 0, 20)
    page = await _practice_page(request, learner, skill, seed, difficulty, shown)
    return _with_learner(request, page, who)


async def _difficulty(web: Any, learner: str, skill: str) -> int:
    from starlette.concurrency import run_in_threadpool

    return int(await run_in_threadpool(web.learners.progress(learner).difficulty_for, skill))


async def _practice_page(
    request: Request,
    learner: str,
    skill: str,
    seed: int,
    difficulty: int,
    shown: int,
    verdict: dict[str, Any] | None = None,
    counted: bool = True,
    given: str = "",
    reveal: bool = False,
    status: int = 200,
) -> Response:
    web = _web(request)
    fields = {"skill": skill, "seed": seed, "difficulty": difficulty, "reveal": reveal}
    # the engine's problem and the store's mastery are independent: wait for both at once
    problem, mastery = await asyncio.gather(
        _run(request, "practice", fields), web.learners.mastery(learner, skill)
    )
    hints = list(problem.get("hints") or [])
    shown = min(shown, len(hints))
    solution = problem.get("solution") if reveal else None
    answer = problem.get("answer") if reveal else None
    next_hint = {"skill": skill, "seed": seed, "difficulty": difficulty, "hints": shown + 1}
    context = {
        "title": f"Practice: {SKILL_TITLES[skill]}",
        "skill_title": SKILL_TITLES[skill],
        "problem": problem,
        "hints": hints[:shown],
        "total_hints": len(hints),
        "hint_url": "/practice?" + urlencode(next_hint),
        "verdict": verdict,
        "counted": counted,
        "given": given,
        "done": reveal,
        "solution": present.steps(solution) if solution else None,
        "answer": _answer_math(answer) if answer else None,
        "mastery": mastery,
        "attempt": secrets.token_urlsafe(16),  # this submission's id: a retry is stored once
    }
    return render(request, "practice.html", context, status)


def _answer_math(answer: dict[str, Any]) -> present.Math | None:
    value = answer.get("value", answer)
    if isinstance(value, dict) and "latex" in value:
        return present.Math(value["latex"], value.get("text", ""))
    shown = answer.get("text") or present.text(value)
    return present.Math(answer.get("latex") or present.tex(str(shown)), str(shown))


@router.post("/practice/answer", include_in_schema=False, dependencies=[Depends(check_csrf)])
async def practice_answer(
    request: Request,
    skill: str = Form(..., max_length=64),
    seed: int = Form(..., ge=0, le=MAX_SEED),
    difficulty: int = Form(1, ge=1, le=3),
    hints: int = Form(0, ge=0, le=20),
    answer: str = Form("", max_length=2000),
    attempt: str = Form("", max_length=64, pattern=r"^[A-Za-z0-9_-]*$"),
) -> Response:
    web = _web(request)
    who = await web.learners.who(request)
    learner = who.learner
    skill = _skill(skill)
    fields = {"skill": skill, "seed": seed, "difficulty": difficulty, "answer": answer}
    verdict, revealed = await asyncio.gather(
        _run(request, "check", fields), web.learners.revealed(learner, skill, seed, difficulty)
    )
    counted = bool(verdict.get("counted")) and not revealed
    mark = Mark(bool(verdict["correct"]), float(verdict["score"]), verdict.get("mistake"), counted)
    await web.learners.record(
        learner, skill, seed, difficulty, answer, mark, hints, attempt or None
    )
    page = await _practice_page(
        request,
        learner,
        skill,
        seed,
        difficulty,
        hints,
        verdict=verdict,
        counted=counted,
        given=answer,
        reveal=bool(verdict["correct"]),
    )
    return _with_learner(request, page, who)


@router.post("/practice/solution", include_in_schema=False, dependencies=[Depends(check_csrf)])
async def practice_solution(
    request: Request,
    skill: str = Form(..., max_length=64),
    seed: int = Form(..., ge=0, le=MAX_SEED),
    difficulty: int = Form(1, ge=1, le=3),
) -> Response:
    web = _web(request)
    who = await web.learners.who(request)
    skill = _skill(skill)
    await web.learners.reveal(who.learner, skill, seed, difficulty)
    page = await _practice_page(request, who.learner, skill, seed, difficulty, 0, reveal=True)
    return _with_learner(request, page, who)
