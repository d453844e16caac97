"""The course online: /lessons (index), /lessons/<topic> (a lesson: prose, examples typeset from
the engines' results, figures, interactive figures), /book and /cheatsheet. Every piece comes
from the engine service's `course` verb; the interactive figures' frames are fetched as JSON
(/figures/<name>.json) and drawn by static/lessons.js with the vendored Plotly."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from calcml.learn.lessons import markdown_to_html
from calcml.learn.skills import SKILLS, TOPICS
from calcml.web import present
from calcml.web.errors import WebError
from calcml.web.render import render
from calcml.web.security import client_address

router = APIRouter()
TOPIC_IDS = {t.id: t for t in TOPICS}
CACHE = {"Cache-Control": "public, max-age=3600"}


async def _course(request: Request, **fields: Any) -> dict[str, Any]:
    web = request.app.state.web
    return await web.engines.run("course", fields, client_address(request, web.config))


def _topic(topic: str) -> str:
    if topic not in TOPIC_IDS:
        raise WebError(404, f"no lesson {topic!r}; one of: {', '.join(TOPIC_IDS)}")
    return topic


def _example(block: dict[str, Any]) -> dict[str, Any]:
    result = block.get("result")
    view = {"caption": block["caption"], "text": block["text"], "headline": None, "steps": []}
    if result:
        view["headline"] = present.headline(result)
        view["steps"] = present.steps(result)
    return view


def blocks_view(topic: str, page: dict[str, Any], heading_offset: int) -> list[dict[str, Any]]:
    """A lesson's blocks for the templates: Markdown as HTML (its own title dropped), examples
    as a typeset answer with steps, figures as image URLs, interactive figures as data URLs."""
    out: list[dict[str, Any]] = []
    for i, block in enumerate(page["blocks"]):
        kind = block["kind"]
        if kind == "markdown":
            text = block["markdown"]
            if i == 0 and text.lstrip().startswith("# "):
                text = text.lstrip().split("\n", 1)[1] if "\n" in text.lstrip() else ""
            out.append({"kind": "html", "html": markdown_to_html(text, heading_offset)})
        elif kind == "example":
            out.append({"kind": "example", **_example(block)})
        elif kind == "figure":
            src = (
                f"data:image/png;base64,{block['png']}"
                if block.get("png")
                else f"/lessons/{topic}/figure/{block['index']}.png"
            )
            out.append({"kind": "figure", "caption": block["caption"], "src": src})
        elif kind == "interactive":
            out.append(
                {
                    "kind": "interactive",
                    "caption": block["caption"],
                    "name": block["name"],
                    "url": f"/figures/{block['name']}.json",
                }
            )
        else:
            out.append({"kind": "error", "text": block.get("text", "")})
    return out


@router.get("/lessons", include_in_schema=False)
async def lessons(request: Request) -> Response:
    topics = [
        {
            "id": t.id,
            "number": t.number,
            "title": t.title,
            "skills": [s.title for s in SKILLS if s.topic == t.id],
        }
        for t in TOPICS
    ]
    return render(request, "lessons.html", {"title": "Lessons", "topics": topics})


@router.get("/lessons/{topic}", include_in_schema=False)
async def lesson(request: Request, topic: str) -> Response:
    page = await _course(request, part="lesson", topic=_topic(topic))
    order = [t.id for t in TOPICS]
    at = order.index(topic)
    context = {
        "title": f"{page['number']}. {page['title']}",
        "lesson": page,
        "blocks": blocks_view(topic, page, 0),
        "previous": TOPIC_IDS[order[at - 1]] if at > 0 else None,
        "next": TOPIC_IDS[order[at + 1]] if at + 1 < len(order) else None,
        "skills": [s for s in SKILLS if s.topic == topic],
    }
    return render(request, "lesson.html", context)


@router.get("/lessons/{topic}/figure/{index}.png", include_in_schema=False)
async def lesson_figure(request: Request, topic: str, index: int) -> Response:
    data = await _course(request, part="figure", topic=_topic(topic), index=index)
    try:
        png = base64.b64decode(data["png"], validate=True)
    except (binascii.Error, KeyError):
        raise WebError(500, "the figure could not be drawn") from None
    return Response(png, media_type="image/png", headers=CACHE)


@router.get("/figures/{name}.json", include_in_schema=False)
async def figure_json(request: Request, name: str) -> Response:
    """The frames of an interactive figure (the data lessons.js draws)."""
    return JSONResponse(await _course(request, part="interactive", name=name), headers=CACHE)


@router.get("/book", include_in_schema=False)
async def book(request: Request) -> Response:
    """The whole course on one page: every lesson (with its interactive figures), a practice
    link per skill and the cheat sheet — the content of `calcml book`, typeset online."""
    topics = []
    for t in TOPICS:
        page = await _course(request, part="lesson", topic=t.id)
        topics.append(
            {
                "id": t.id,
                "number": t.number,
                "title": t.title,
                "blocks": blocks_view(t.id, page, 1),
                "skills": [s for s in SKILLS if s.topic == t.id],
            }
        )
    sheet = await _course(request, part="cheatsheet")
    context = {
        "title": "The book",
        "topics": topics,
        "cheatsheet": markdown_to_html(sheet["markdown"], 1),
    }
    return render(request, "book_online.html", context)


@router.get("/cheatsheet", include_in_schema=False)
async def cheatsheet(request: Request) -> Response:
    sheet = await _course(request, part="cheatsheet")
    context = {"title": "Cheat sheet", "cheatsheet": markdown_to_html(sheet["markdown"], 0)}
    return render(request, "cheatsheet_online.html", context)
