"""In Debian's Chromium: a page of `_repr_html_` outputs typesets every formula with the vendored
KaTeX and numbers nested steps within their parent; the gallery shows each PNG at its own size
(never stretched) with no overflow at 420 and 1280 px; the calculator's heading is typeset.
Screenshots go to test-output/screenshots/. Serial (browser group)."""

from __future__ import annotations

import random
from pathlib import Path
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Browser, Page, expect

import calcml
from calcml.web.notebook import results_page
from web.browser import assert_clean, overflow, screenshot, watch

pytestmark = pytest.mark.xdist_group("serial")  # tests/conftest.py: SERIAL


def _results() -> list[object]:
    from calcml.autodiff.trace import trace
    from calcml.optim import gradient_descent

    rng = random.Random(11)
    a, b = rng.randint(2, 5), rng.randint(2, 5)
    import numpy as np

    return [
        calcml.derive(f"sin({a}x^2) * exp({b}x)", "x"),
        calcml.gradient(f"x^{a} y + sin(y)", "x, y"),
        calcml.hessian(f"x^2 y + {b} y^3", "x, y"),
        calcml.limit(f"(1 - cos({a}x))/x^2", "x", 0),
        calcml.taylor(f"exp({b}x)", "x", 0, 3),
        calcml.critical_points(f"x^3 - {3 * a * a}x + {b}y^2"),
        calcml.matrix_gradient("norm(X w - y)^2", "w", shapes="X: n×d, w: d, y: n"),
        gradient_descent(f"x^2 + {a}y^2", [1, 1], lr=0.1),
        trace(lambda v: (v * v).sum(), np.array([1.0, 2.0])),
    ]


def test_a_page_of_repr_html_outputs_is_typeset_and_numbered(
    browser: Browser, tmp_path: Path
) -> None:
    path = tmp_path / "notebook.html"
    path.write_text(results_page(_results(), "calcml in a notebook"), encoding="utf-8")
    for width in (1280, 420):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        errors: list[str] = []
        watch(page, errors)
        page.goto(path.as_uri())
        expect(page.locator(".math .katex").first).to_be_visible(timeout=60_000)
        spans = page.locator("span.math").count()
        assert spans > 20 and page.locator("span.math .katex").count() == spans
        assert page.locator(".katex-error").count() == 0
        numbers = page.locator("summary .number").all_inner_texts()
        assert any(n.count(".") > 1 for n in numbers)  # 2.1. … inside its parent
        assert page.locator("pre.result-text").count() == 2  # the run and the trace
        assert screenshot(page, "notebook", width).exists()
        assert overflow(page) <= 0, overflow(page)
        assert_clean(page, errors)
        context.close()


def test_the_gallery_shows_each_png_at_its_size_without_overflow(
    browser: Browser, tmp_path: Path
) -> None:
    from calcml.viz.gallery import HIDPI, gallery
    from calcml.web.book import gallery_html

    only = ["tangent", "curvature", "pca-lagrange", "gradient-field", "taylor"]
    result = gallery(tmp_path, only=only, page=gallery_html)
    assert result.index is not None and not result.failed
    for width in (1280, 420):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.goto(result.index.as_uri())
        page.evaluate("document.querySelectorAll('img').forEach(i => { i.loading = 'eager'; })")
        page.wait_for_function(
            "[...document.images].every(i => i.complete && i.naturalWidth > 0)", timeout=60_000
        )
        for img in page.evaluate(
            "[...document.querySelectorAll('.gallery img')].map(i => [i.naturalWidth, "
            "+i.getAttribute('width'), i.getBoundingClientRect().width])"
        ):
            natural, declared, shown = img
            assert natural == HIDPI * declared  # the PNG holds 2× the pixels shown
            assert shown <= declared + 0.5  # never stretched past its own size
        cards = page.evaluate(
            "[...document.querySelectorAll('.gallery figure')]"
            ".filter(f => f.scrollWidth > f.clientWidth + 1).map(f => f.id)"
        )
        assert cards == [] and overflow(page) <= 0
        assert screenshot(page, "gallery", width).exists()
        context.close()


def test_the_matrix_calculator_heading_is_typeset(page: Page, server: str) -> None:
    errors: list[str] = []
    watch(page, errors)
    query = {"op": "gradient", "q": "norm(X w - y)^2", "wrt": "w", "shapes": "X: n×d, w: d, y: n"}
    page.goto(server + "/calc?" + urlencode(query))
    heading = page.locator("#result h2.question")
    expect(heading.locator(".katex").first).to_be_visible(timeout=90_000)
    assert "∇" in heading.inner_text() and "[" not in heading.locator(".katex-html").inner_text()
    assert screenshot(page, "matrix-heading", 1280, full_page=False).exists()
    assert_clean(page, errors)
