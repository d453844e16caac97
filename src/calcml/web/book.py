"""The book and the cheat sheet as single self-contained offline HTML files, rendered with the
web app's templates (the same base, stylesheet and ONE recursive step partial): KaTeX's JS, CSS
and woff2 fonts are inlined, so the file reads with no network; without JavaScript every formula
shows its Unicode text."""

from __future__ import annotations

import base64
import re
from collections.abc import Sequence
from typing import Any

from calcml.web import present
from calcml.web.render import STATIC, environment

KATEX = STATIC / "vendor" / "katex"
TYPESET = """
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-tex]").forEach(function (el) {
    katex.render(el.getAttribute("data-tex"), el, {displayMode: el.classList.contains("display"),
      output: "htmlAndMathml", throwOnError: false, strict: "ignore"});
  });
});
"""


def _inline_css() -> str:
    """KaTeX's stylesheet with its woff2 fonts as data: URLs (the other formats dropped)."""
    css = (KATEX / "katex.min.css").read_text()

    def font(match: re.Match[str]) -> str:
        data = base64.b64encode((KATEX / "fonts" / match.group(1)).read_bytes()).decode()
        return f'src:url(data:font/woff2;base64,{data}) format("woff2")'

    return re.sub(r"src:url\(fonts/([\w-]+\.woff2)\) format\(\"woff2\"\)[^;}]*", font, css)


def offline_assets() -> dict[str, str]:
    """Everything a page needs inline: styles (app + KaTeX with fonts) and scripts."""
    return {
        "css": (STATIC / "app.css").read_text() + "\n" + _inline_css(),
        "js": (KATEX / "katex.min.js").read_text() + "\n" + TYPESET,
    }


def _practice(skill_id: str) -> dict[str, Any]:
    from calcml.learn.problems import problem

    p = problem(skill_id, seed=1, difficulty=2).to_dict(reveal=True)
    answer = p.get("answer") or {}
    return {
        "prompt": p["prompt"],
        "latex": p["latex"],
        "choices": p.get("choices"),
        "answer": present.Math(str(answer.get("latex") or ""), str(answer.get("text") or "")),
        "steps": present.steps(p["solution"]),
    }


def book(only: Sequence[str] | None = None) -> str:
    """The course as one HTML document: contents, roadmap, lessons, one worked practice problem
    per skill (typeset, with its collapsible steps) and the cheat sheet. `only` keeps some topic
    ids (a shorter book)."""
    from calcml.learn.cheatsheet import cheatsheet
    from calcml.learn.lessons import lesson, markdown_to_html
    from calcml.learn.roadmap import Roadmap
    from calcml.learn.skills import SKILLS, TOPICS

    topics = []
    for t in TOPICS:
        if only is not None and t.id not in only:
            continue
        topics.append(
            {
                "id": t.id,
                "number": t.number,
                "title": t.title,
                "lesson": _demote(lesson(t.id).html(heading_offset=1)),
                "skills": [
                    {"id": s.id, "title": s.title, **_practice(s.id)}
                    for s in SKILLS
                    if s.topic == t.id
                ],
            }
        )
    roadmap = markdown_to_html(Roadmap().markdown().replace("# Roadmap", ""), 1)
    sheet = markdown_to_html(cheatsheet().markdown().replace("# calcml cheat sheet", ""), 1)
    return (
        environment()
        .get_template("book.html")
        .render(
            title="calcml — the calculus of machine learning",
            topics=topics,
            roadmap=roadmap,
            cheatsheet=sheet,
            **offline_assets(),
        )
    )


def cheatsheet_html() -> str:
    """The cheat sheet alone, on the same template."""
    from calcml.learn.cheatsheet import cheatsheet
    from calcml.learn.lessons import markdown_to_html

    sheet = markdown_to_html(cheatsheet().markdown().replace("# calcml cheat sheet", ""), 1)
    return (
        environment()
        .get_template("cheatsheet.html")
        .render(title="calcml cheat sheet", cheatsheet=sheet, **offline_assets())
    )


def _demote(fragment: str) -> str:
    """A lesson's own <h2> title is shown by the book's heading: drop it."""
    return re.sub(r"<h2>.*?</h2>", "", fragment, count=1)


def gallery_html(
    sections: Sequence[tuple[str, Sequence[Any]]],
    failed: dict[str, str],
    sizes: dict[str, tuple[int, int]] | None = None,
) -> str:
    """The gallery's index page (`calcml gallery DIR`), on the same offline template: the
    figures by course topic (`viz.gallery.Entry`: name, heading, caption), each linking its
    PNG and JSON spec and shown at its size in `sizes` (CSS px; the PNG may hold 2× for
    HiDPI screens), and the figures that could not be drawn."""
    return (
        environment()
        .get_template("gallery.html")
        .render(
            title="calcml gallery",
            sections=sections,
            failed=failed,
            sizes=sizes or {},
            css=(STATIC / "app.css").read_text(),
            js="",
        )
    )
