"""The lessons online (inline engines): the index links every topic, each lesson page shows its
prose, typeset examples, figures and interactive figures; the figure routes answer PNG and
JSON; the book holds every lesson and the cheat sheet; unknown names are 404/400."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from calcml.learn.interactive import INTERACTIVE
from calcml.learn.lessons import source
from calcml.learn.skills import TOPICS


def test_index_links_every_lesson(client: TestClient) -> None:
    page = client.get("/lessons")
    assert page.status_code == 200
    for t in TOPICS:
        assert f'href="/lessons/{t.id}"' in page.text
    assert 'href="/lessons"' in page.text and 'aria-current="page"' in page.text


@pytest.mark.parametrize("topic", [t.id for t in TOPICS])
def test_every_lesson_page_renders_its_blocks(client: TestClient, topic: str) -> None:
    page = client.get(f"/lessons/{topic}")
    assert page.status_code == 200, page.text[:500]
    html = page.text
    assert "could not be computed" not in html
    assert html.count("<h1>") == 1 and "Key formulas</h2>" in html
    src = source(topic)
    figures = len(re.findall(r"^::: figure ", src, re.M))
    assert html.count(f'src="/lessons/{topic}/figure/') == figures
    for name in re.findall(r"^::: interactive (\S+)", src, re.M):
        assert f'data-interactive="/figures/{name}.json"' in html
    if "::: derive" in src or "::: taylor" in src:
        assert 'class="steps' in html and "data-tex=" in html  # typeset from the engine's result
    assert "<script>" not in html  # no inline script (CSP)


def test_figure_routes_answer_png_and_json(client: TestClient) -> None:
    png = client.get("/lessons/derivatives/figure/0.png")
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    assert png.headers["content-type"] == "image/png"
    for name in INTERACTIVE:
        data = client.get(f"/figures/{name}.json")
        assert data.status_code == 200 and data.json()["name"] == name
    assert client.get("/lessons/derivatives/figure/63.png").status_code == 400
    assert client.get("/lessons/derivatives/figure/99.png").status_code == 422
    assert client.get("/figures/nope.json").status_code == 400
    assert client.get("/lessons/nope").status_code == 404


def test_book_and_cheatsheet_pages(client: TestClient) -> None:
    book = client.get("/book")
    assert book.status_code == 200
    for t in TOPICS:
        assert f'id="topic-{t.id}"' in book.text
    assert 'id="cheatsheet"' in book.text and "data-interactive=" in book.text
    assert "could not be computed" not in book.text
    sheet = client.get("/cheatsheet")
    assert sheet.status_code == 200 and "Chain rule" in sheet.text


def test_lessons_in_the_terminal_name_their_interactive_figures() -> None:
    from calcml.learn.lessons import lesson

    text = lesson("descent").text()
    assert "interactive figure" in text and "2/L" in text
