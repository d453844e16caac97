"""Lessons: one Markdown file per topic, kept in this package, with computed examples.

`lesson(topic)` reads `<topic id>.md` and replaces every `::: directive args` line by what the
engine computes (see `examples.DIRECTIVES`). The result renders in the terminal (rich), as
Markdown, or as an HTML fragment with figures embedded as base64 PNG.
"""

from __future__ import annotations

import base64
import html
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from calcml.errors import CalcmlError
from calcml.learn.lessons.examples import DIRECTIVES, Block, figure_caption
from calcml.learn.skills import Topic, topic
from calcml.result import Result

MARK = ":::"
INTERACTIVE_NOTE = "interactive figure (move its slider in `calcml serve`, page /lessons)"


def source(topic_id: str) -> str:
    """The Markdown source of a topic's lesson (directives not yet filled in)."""
    t = topic(topic_id)
    return resources.files(__package__).joinpath(f"{t.id}.md").read_text(encoding="utf-8")


def _directive(line: str) -> tuple[str, list[str]]:
    name, _, rest = line[len(MARK) :].strip().partition(" ")
    if name not in DIRECTIVES:
        raise CalcmlError(f"unknown lesson directive {name!r}")
    return name, [a.strip() for a in rest.split(";")] if rest.strip() else []


def render_blocks(text: str, draw: bool = True) -> list[Block]:
    """Split Markdown into prose blocks and computed blocks (one per directive line).

    `draw=False` leaves the figures undrawn (a block with the caption and `data["index"]`, the
    figure's number in the lesson): the web app fetches each one with `lesson_figure`."""
    blocks: list[Block] = []
    prose: list[str] = []
    figures = 0
    for line in text.splitlines():
        if line.startswith(MARK):
            if prose:
                blocks.append(Block("markdown", "\n".join(prose)))
                prose = []
            name, args = _directive(line)
            if name == "figure" and not draw:
                caption = figure_caption(args)[2]
                blocks.append(Block("figure", caption, None, caption, {"index": figures}))
                figures += 1
                continue
            figures += name == "figure"
            try:
                blocks.extend(DIRECTIVES[name](args))
            except Exception as error:  # one failing example must not take the lesson down
                why = getattr(error, "message", None) or f"{type(error).__name__}: {error}"
                blocks.append(Block("error", f"This example could not be computed ({why}).", None))
        else:
            prose.append(line)
    if prose:
        blocks.append(Block("markdown", "\n".join(prose)))
    return blocks


@dataclass
class Lesson(Result):
    """A rendered lesson: its topic and blocks (prose, computed examples, figures)."""

    topic: Topic
    blocks: list[Block] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"{self.topic.number}. {self.topic.title}"

    def text(self) -> str:
        out: list[str] = []
        for b in self.blocks:
            if b.kind == "figure":
                out.append(f"[figure: {b.caption}]")
            elif b.kind == "interactive":
                out.append(f"[{INTERACTIVE_NOTE}: {b.caption}]")
            elif b.kind == "example":
                out.append(f"── {b.caption} ──\n{b.text}")
            elif b.kind == "error":
                out.append(f"({b.text})")
            else:
                out.append(b.text)
        return "\n\n".join(out)

    def latex(self) -> str:
        return rf"\text{{{self.title}}}"

    def markdown(self, figures: bool = True) -> str:
        """Markdown; figures as data-URI images (or a caption line when `figures` is False)."""
        out: list[str] = []
        for b in self.blocks:
            if b.kind == "figure":
                if figures and b.png:
                    data = base64.b64encode(b.png).decode("ascii")
                    out.append(f"![{b.caption}](data:image/png;base64,{data})")
                else:
                    out.append(f"*Figure: {b.caption}*")
            elif b.kind == "interactive":
                out.append(f"*{INTERACTIVE_NOTE}: {b.caption}*")
            elif b.kind == "example":
                out.append(f"**{b.caption}**\n\n```text\n{b.text}\n```")
            elif b.kind == "error":
                out.append(f"*{b.text}*")
            else:
                out.append(b.text)
        return "\n\n".join(out)

    def html(self, heading_offset: int = 0) -> str:
        """An HTML fragment (no MathJax needed: math is Unicode text; figures embedded)."""
        parts: list[str] = []
        for b in self.blocks:
            if b.kind == "figure" and b.png:
                data = base64.b64encode(b.png).decode("ascii")
                cap = html.escape(b.caption)
                parts.append(
                    f'<figure><img alt="{cap}" src="data:image/png;base64,{data}">'
                    f"<figcaption>{cap}</figcaption></figure>"
                )
            elif b.kind == "interactive":
                note = f"{INTERACTIVE_NOTE}: {b.caption}"
                parts.append(f'<p class="note"><em>{html.escape(note)}</em></p>')
            elif b.kind == "example":
                parts.append(
                    f'<div class="example"><div class="example-title">{html.escape(b.caption)}'
                    f"</div><pre>{html.escape(b.text)}</pre></div>"
                )
            elif b.kind == "error":
                parts.append(f'<p class="error"><em>{html.escape(b.text)}</em></p>')
            else:
                parts.append(markdown_to_html(b.text, heading_offset))
        return "\n".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "topic": self.topic.id,
            "number": self.topic.number,
            "title": self.topic.title,
            "markdown": self.markdown(figures=False),
            "figures": [b.caption for b in self.blocks if b.kind == "figure"],
        }

    def __rich__(self) -> Any:
        from rich.console import Group
        from rich.markdown import Markdown
        from rich.panel import Panel
        from rich.text import Text

        parts: list[Any] = []
        for b in self.blocks:
            if b.kind == "figure":
                parts.append(Text(f"[figure: {b.caption} — see `calcml book`]", style="dim"))
            elif b.kind == "interactive":
                parts.append(Text(f"[{INTERACTIVE_NOTE}: {b.caption}]", style="dim"))
            elif b.kind == "example":
                parts.append(Panel(Text(b.text), title=b.caption, title_align="left"))
            elif b.kind == "error":
                parts.append(Text(b.text, style="yellow"))
            else:
                parts.append(Markdown(b.text))
        return Group(*parts)


def markdown_to_html(text: str, heading_offset: int = 0) -> str:
    """Markdown -> HTML (markdown-it, CommonMark plus tables; raw HTML is shown as text),
    headings shifted down, `$…$` math as a KaTeX span (`<span class="math" data-tex>`, its
    LaTeX as the text until typeset)."""
    from markdown_it import MarkdownIt

    maths: list[str] = []

    def hold(match: re.Match[str]) -> str:
        maths.append(match.group(1))
        return f"CALCMLMATH{len(maths) - 1}X"

    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    out = md.render(_MATH.sub(hold, text))
    out = re.sub(r"CALCMLMATH(\d+)X", lambda m: _math_span(maths[int(m.group(1))]), out)
    if heading_offset:
        for level in range(6 - heading_offset, 0, -1):
            new = level + heading_offset
            out = out.replace(f"<h{level}>", f"<h{new}>").replace(f"</h{level}>", f"</h{new}>")
    return out


_MATH = re.compile(r"(?<![\\$])\$([^$\n]+?)\$(?!\$)")  # $…$ inline math (not $$, not \$)


def _math_span(tex: str) -> str:
    source = html.escape(tex, quote=True)
    return f'<span class="math" data-tex="{source}">{source}</span>'


@cache
def _rendered(topic_id: str) -> Lesson:
    t = topic(topic_id)
    return Lesson(t, render_blocks(source(t.id)))


@cache
def page(topic_id: str) -> dict[str, Any]:
    """A lesson for the web: its blocks as JSON (prose as Markdown, examples with their result
    for typesetting, figures undrawn — see `lesson_figure` —, interactive figures by name)."""
    t = topic(topic_id)
    blocks: list[dict[str, Any]] = []
    for b in render_blocks(source(t.id), draw=False):
        if b.kind == "markdown":
            blocks.append({"kind": "markdown", "markdown": b.text})
        elif b.kind == "example":
            example = {"caption": b.caption, "text": b.text, "result": b.data}
            blocks.append({"kind": "example", **example})
        elif b.kind in ("figure", "interactive"):
            drawn = {"png": base64.b64encode(b.png).decode("ascii")} if b.png else {}
            blocks.append({"kind": b.kind, "caption": b.caption, **(b.data or {}), **drawn})
        else:
            blocks.append({"kind": b.kind, "text": b.text})
    return {"topic": t.id, "number": t.number, "title": t.title, "blocks": blocks}


def lesson_figure(topic_id: str, index: int) -> Block:
    """The `index`-th figure of a lesson, drawn (a PNG block)."""
    t = topic(topic_id)
    lines = [line for line in source(t.id).splitlines() if line.startswith(MARK)]
    figures = [args for name, args in map(_directive, lines) if name == "figure"]
    if not 0 <= index < len(figures):
        raise CalcmlError(f"the lesson {t.id!r} has {len(figures)} figure(s); no figure {index}")
    return DIRECTIVES["figure"](figures[index])[0]


def lesson(topic_id: str | int) -> Lesson:
    """The lesson of a topic (number, id or a word of its title), examples computed.

    `lesson(4)` is `calcml lesson 4`."""
    return _rendered(topic(topic_id).id)


__all__ = [
    "Lesson",
    "lesson",
    "lesson_figure",
    "markdown_to_html",
    "page",
    "render_blocks",
    "source",
]
