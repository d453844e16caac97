"""A result as an HTML fragment for Jupyter (`Result._repr_html_`): the calculator's own result
block (`_result.html`: the typeset question and answer, badges, notes and the ONE recursive step
partial), so a notebook, the web app and the book show a derivation the same way.

Each formula keeps its LaTeX in `data-tex` (typeset by KaTeX where the page has it, as in the book)
and shows it as `\\(…\\)` text, which Jupyter's own MathJax typesets in an HTML output. Results
without rule steps (runs, traces, reports) show their Unicode text under the heading.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from calcml.result import Result
from calcml.web import present
from calcml.web.render import STATIC, environment

CSS = STATIC / "notebook.css"


def result_html(result: Result) -> str:
    """`result` as one self-contained HTML fragment (no script; a scoped stylesheet)."""
    payload = result.to_dict()
    found = payload.get("steps")
    steps: list[Any] = found if isinstance(found, list) else []
    derivation = bool(steps) and all(isinstance(s, dict) and "rule" in s for s in steps)
    question = present.question(payload) if payload.get("question") else None
    headline = present.headline(payload) if derivation else None
    return (
        environment()
        .get_template("notebook.html")
        .render(
            payload=payload if derivation or question else {"question": result.repr_summary()},
            summary=result.repr_summary(),
            question=_delimited(question),
            headline=_delimited(headline, display=True),
            steps=[_view(v) for v in present.steps(payload)] if derivation else [],
            facts=present.facts(payload),
            shapes=present.shapes(payload),
            text=None if derivation else result.text(),
            css=CSS.read_text(),
        )
    )


def _delimited(m: present.Math | None, display: bool = False) -> present.Math | None:
    """The formula's shown text as TeX in MathJax's delimiters (Jupyter typesets those)."""
    if m is None:
        return None
    return present.Math(m.tex, rf"\[{m.tex}\]" if display else rf"\({m.tex}\)")


def _view(view: present.StepView) -> present.StepView:
    return replace(
        view,
        math=_delimited(view.math),
        shown=[m for m in (_delimited(s) for s in view.shown) if m is not None],
        children=[_view(c) for c in view.children],
    )


def results_page(results: list[Any], title: str = "calcml results") -> str:
    """Several results' fragments on one offline page with KaTeX inlined (what a notebook
    shows, for a browser to look at and for tests)."""
    from calcml.web.book import offline_assets

    return (
        environment()
        .get_template("notebook_page.html")
        .render(title=title, fragments=[r._repr_html_() for r in results], **offline_assets())
    )
