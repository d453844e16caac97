"""The book: the whole course as one self-contained HTML document.

A table of contents, the roadmap, every lesson with its computed examples and embedded figures,
one worked practice problem per skill, and the cheat sheet. No network is needed to read it:
math is Unicode text, with practice formulas typeset as inline SVG by matplotlib's mathtext (no
MathJax), figures are base64 PNG, the style sheet is inline.
"""

from __future__ import annotations

import html
import re

CSS = """
body{font-family:Georgia,'DejaVu Serif',serif;line-height:1.55;color:#1d2330;
background:#fbfaf7;margin:0}
main{max-width:52rem;margin:0 auto;padding:2rem 1.5rem 5rem}
h1,h2,h3,h4{font-family:'Helvetica Neue',Arial,sans-serif;color:#13315c;line-height:1.25}
h1{font-size:2.2rem;border-bottom:3px solid #13315c;padding-bottom:.3rem}
h2{margin-top:3rem;border-bottom:1px solid #cfd6e4;padding-bottom:.2rem}
code,pre{font-family:'DejaVu Sans Mono',Menlo,Consolas,monospace;font-size:.86rem}
pre{background:#f1f3f8;border:1px solid #dde3ee;border-radius:6px;padding:.8rem;overflow-x:auto;
white-space:pre-wrap}
.example{margin:1.2rem 0}.example-title{font-weight:bold;font-family:Arial,sans-serif;
font-size:.9rem;color:#3a4a6b;margin-bottom:.2rem}
figure{margin:1.5rem 0;text-align:center}figure img{max-width:100%;border:1px solid #e3e6ee}
figcaption{font-size:.9rem;color:#555;font-style:italic}
nav.toc{background:#f1f3f8;border-radius:6px;padding:1rem 1.5rem}nav.toc ul{margin:.2rem 0}
table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #d5dae5;padding:.3rem .6rem;
vertical-align:top}details{margin:.6rem 0 1.2rem}summary{cursor:pointer;color:#13315c}
.prompt{font-weight:bold}.math{margin:.4rem 0 .8rem;overflow-x:auto}.math svg{max-width:100%}
"""


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def book() -> str:
    """The course as one HTML document (a string)."""
    from calcml.learn.cheatsheet import cheatsheet
    from calcml.learn.lessons import lesson, markdown_to_html
    from calcml.learn.mathsvg import latex_svg
    from calcml.learn.problems import problem
    from calcml.learn.roadmap import Roadmap
    from calcml.learn.skills import SKILLS, TOPICS

    toc: list[str] = []
    body: list[str] = []

    body.append('<section id="roadmap"><h2>Roadmap</h2>')
    body.append(markdown_to_html(Roadmap().markdown().replace("# Roadmap", ""), 1))
    body.append("</section>")
    toc.append('<li><a href="#roadmap">Roadmap</a></li>')

    for t in TOPICS:
        sid = f"topic-{t.id}"
        fragment = lesson(t.id).html(heading_offset=1)
        subs: list[str] = []

        def anchor(match: re.Match[str], sid: str = sid, subs: list[str] = subs) -> str:
            title = re.sub(r"<[^>]+>", "", match.group(1))
            hid = f"{sid}-{_slug(title)}"
            subs.append(f'<li><a href="#{hid}">{title}</a></li>')
            return f'<h3 id="{hid}">{match.group(1)}</h3>'

        fragment = re.sub(r"<h3>(.*?)</h3>", anchor, fragment)
        fragment = re.sub(
            r"<h2>(.*?)</h2>", f'<h2 id="{sid}">{t.number}. \\1</h2>', fragment, count=1
        )
        body.append(f'<section class="lesson">{fragment}</section>')
        entry = f'<a href="#{sid}">{t.number}. {html.escape(t.title)}</a>'
        toc.append(f"<li>{entry}<ul>{''.join(subs)}</ul></li>")

    body.append('<section id="practice"><h2>Practice problems</h2>')
    body.append(
        "<p>One generated problem per skill; open the solution when you have an answer. "
        "Practise more with <code>calcml practice SKILL</code>.</p>"
    )
    for t in TOPICS:
        body.append(f"<h3>{t.number}. {html.escape(t.title)}</h3>")
        for s in (s for s in SKILLS if s.topic == t.id):
            p = problem(s.id, seed=1, difficulty=2)
            formula = latex_svg(p.prompt_latex)
            answer = latex_svg(p.answer.latex()) if p.answer.kind != "choice" else None
            body.append(
                f'<h4 id="practice-{s.id}">{html.escape(s.title)}</h4>'
                f'<p class="prompt">{html.escape(p.text())}</p>'
                + (f'<div class="math">{formula}</div>' if formula else "")
                + "<details><summary>Answer and worked solution</summary>"
                f"<p>Answer: <code>{html.escape(p.answer_text())}</code></p>"
                + (f'<div class="math">{answer}</div>' if answer else "")
                + f"<pre>{html.escape(p.solution.text())}</pre></details>"
            )
    body.append("</section>")
    toc.append('<li><a href="#practice">Practice problems</a></li>')

    sheet = cheatsheet()
    body.append('<section id="cheatsheet"><h2>Cheat sheet</h2>')
    body.append(markdown_to_html(sheet.markdown().replace("# calcml cheat sheet", ""), 1))
    body.append("</section>")
    toc.append('<li><a href="#cheatsheet">Cheat sheet</a></li>')

    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>calcml — the calculus of machine learning</title><style>{CSS}</style></head>"
        "<body><main><h1>calcml — the calculus of machine learning, executable</h1>"
        "<p>Every derivation, limit, run and figure in this book was computed by calcml when the "
        "book was built, and every practice answer is checked by its grader.</p>"
        f'<nav class="toc"><h2>Contents</h2><ul>{"".join(toc)}</ul></nav>'
        + "\n".join(body)
        + "</main></body></html>\n"
    )
