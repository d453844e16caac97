"""The book (`calcml book -o`) is one self-contained offline file on the web's templates:
KaTeX's JS, CSS and woff2 fonts inlined, typeset in Chromium with the network off."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from calcml.web.book import book
from calcml.web.render import STATIC
from web.browser import OUTPUT

pytestmark = pytest.mark.xdist_group("serial")  # tests/conftest.py: SERIAL


@pytest.fixture(scope="module")
def short_book(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("book") / "book.html"
    path.write_text(book(only=["derivatives"]), encoding="utf-8")
    yield path


def test_book_is_self_contained(short_book: Path) -> None:
    doc = short_book.read_text()
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", doc)
    assert not re.findall(r"url\((?!data:)", doc)  # every font inlined
    fonts = len(list((STATIC / "vendor" / "katex" / "fonts").glob("*.woff2")))
    assert doc.count("data:font/woff2;base64,") == fonts
    assert 'id="topic-derivatives"' in doc and 'class="steps' in doc
    assert doc.count("data-tex=") >= 20


def test_book_typesets_offline_and_reads_without_javascript(short_book: Path, browser: Any) -> None:
    # the session's Chromium (tests/web/conftest.py)
    context = browser.new_context(offline=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("requestfailed", lambda r: errors.append(f"request {r.url}"))
    page.goto(short_book.as_uri())
    page.wait_for_load_state("load")
    assert page.locator(".katex").count() >= 20
    visible = page.locator("main").inner_text()
    assert "\\frac" not in visible and "\\left" not in visible
    assert not errors, errors
    (OUTPUT / "screenshots").mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(OUTPUT / "screenshots" / "book-1280.png"))
    plain = browser.new_context(java_script_enabled=False).new_page()
    plain.goto(short_book.as_uri())
    assert "√" in plain.locator("main").inner_text() or "²" in plain.locator("main").inner_text()
    plain.context.close()
    context.close()


def test_the_whole_book_has_every_topic_and_skill_and_the_cheat_sheet() -> None:
    from calcml.learn.skills import SKILLS, TOPICS

    doc = book()
    assert doc.lower().startswith("<!doctype html>") and "Contents" in doc
    for t in TOPICS:
        assert f'id="topic-{t.id}"' in doc and f'href="#topic-{t.id}"' in doc
    for s in SKILLS:
        assert f'id="practice-{s.id}"' in doc
    assert doc.count("data:image/png;base64,") >= 5  # the lessons' figures, embedded
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", doc)


def test_the_cheat_sheet_page_is_offline_with_every_topic_and_its_tables() -> None:
    from calcml.learn.skills import TOPICS
    from calcml.web.book import cheatsheet_html

    page = cheatsheet_html()
    assert page.lower().startswith("<!doctype html>") and "<table>" in page
    assert all(html.escape(f"{t.number}. {t.title}") in page for t in TOPICS)
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
