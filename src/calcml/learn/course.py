"""The course in pieces for the web pages (the service's `course` verb): a registry from part
name to what it computes — a lesson's blocks, one lesson figure as PNG, an interactive
figure's frames, the cheat sheet — each small enough to answer within one request's limits."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

from calcml.errors import CalcmlError

Part = Callable[[str | None, int, str | None], dict[str, Any]]


def _need(value: str | None, what: str) -> str:
    if not value:
        raise CalcmlError(f"this part of the course needs {what}")
    return value


def _lesson(topic: str | None, index: int, name: str | None) -> dict[str, Any]:
    from calcml.learn.lessons import page

    return page(_need(topic, "a topic"))


def _figure(topic: str | None, index: int, name: str | None) -> dict[str, Any]:
    from calcml.learn.lessons import lesson_figure
    from calcml.learn.skills import topic as find_topic

    t = find_topic(_need(topic, "a topic"))
    block = lesson_figure(t.id, index)
    png = base64.b64encode(block.png or b"").decode("ascii")
    return {"topic": t.id, "index": index, "caption": block.caption, "png": png}


def _interactive(topic: str | None, index: int, name: str | None) -> dict[str, Any]:
    from calcml.learn.interactive import figure_data

    return figure_data(_need(name, "the name of an interactive figure"))


def _cheatsheet(topic: str | None, index: int, name: str | None) -> dict[str, Any]:
    from calcml.learn.cheatsheet import cheatsheet

    sheet = cheatsheet().markdown().replace("# calcml cheat sheet", "", 1)
    return {"title": "calcml cheat sheet", "markdown": sheet}


PARTS: dict[str, Part] = {
    "lesson": _lesson,
    "figure": _figure,
    "interactive": _interactive,
    "cheatsheet": _cheatsheet,
}


def course_part(part: str, topic: str | None, index: int = 0, name: str | None = None) -> Any:
    """The JSON-ready dict of one part of the course."""
    if part not in PARTS:
        raise CalcmlError(f"no part {part!r} of the course; one of: {', '.join(PARTS)}")
    return PARTS[part](topic, index, name)
