"""In Debian's Chromium: a matrix question typeset with its shapes and chain figure, the preview's
did-you-mean hint, the Jacobian figure, and a 3-D surface that degrades to a contour plot (with a
note) where WebGL is missing — no console errors, no CSP violations. Serial (browser group)."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from playwright.sync_api import Browser, Page, expect

from web.browser import assert_clean, overflow, screenshot, watch

pytestmark = pytest.mark.xdist_group("serial")  # tests/conftest.py: SERIAL
NO_WEBGL = """
(function () {
  var real = HTMLCanvasElement.prototype.getContext;
  HTMLCanvasElement.prototype.getContext = function (kind) {
    return /webgl/i.test(String(kind)) ? null : real.apply(this, arguments);
  };
  window.WebGLRenderingContext = undefined;
})();
"""


def test_matrix_question_typesets_steps_with_shapes_and_draws_the_chain(
    page: Page, server: str
) -> None:
    errors: list[str] = []
    watch(page, errors)
    query = {"op": "gradient", "q": "norm(X w - y)^2", "wrt": "w", "shapes": "X: n×d, w: d, y: n"}
    page.goto(server + "/calc?" + urlencode(query))
    expect(page.locator("#result .answer .katex").first).to_be_visible(timeout=90_000)
    assert page.locator("#result .shown .katex").count() >= 4  # every intermediate typeset
    text = page.locator("#result").inner_text()
    assert "Shapes: X: n×d, w: d, y: n" in text and "verified" in text
    assert "\\top" not in text and "\\left" not in text
    chain = page.locator('[data-kind="matrix_chain"]')
    expect(chain.locator(".main-svg").first).to_be_attached(timeout=90_000)
    assert "Xw − y (n)" in chain.inner_text()
    assert_clean(page, errors)


def test_preview_hints_did_you_mean_for_a_glued_product(page: Page, server: str) -> None:
    errors: list[str] = []
    watch(page, errors)
    page.goto(server + "/calc")
    page.locator("#q").press_sequentially("3xy + x^2", delay=20)
    hint = page.locator("#preview .did-you-mean")
    expect(hint).to_contain_text("did you mean x·y?", timeout=90_000)
    assert_clean(page, errors)


def test_preview_refreshes_when_the_shapes_field_changes(page: Page, server: str) -> None:
    """The live preview follows the Shapes field too, not only the expression: new shapes are
    shown, and shapes that do not fit give the error without touching the expression."""
    errors: list[str] = []
    watch(page, errors)
    page.goto(server + "/calc?" + urlencode({"op": "gradient"}))
    page.locator("#q").press_sequentially("w^T A w", delay=20)
    shapes_line = page.locator("#preview .muted")
    expect(shapes_line).to_contain_text("shapes:", timeout=90_000)
    page.locator("#opt-shapes").press_sequentially("A: k×k, w: k", delay=20)
    expect(shapes_line).to_contain_text("A: k×k, w: k", timeout=90_000)
    page.locator("#opt-shapes").fill("A: k×m, w: k")
    expect(page.locator("#preview .error")).to_contain_text("inner dimensions", timeout=90_000)
    assert page.locator("#q").input_value() == "w^T A w"
    assert_clean(page, errors)


def test_jacobian_figure_is_drawn(page: Page, server: str) -> None:
    errors: list[str] = []
    watch(page, errors)
    page.goto(server + "/calc?" + urlencode({"op": "jacobian", "q": "x*y; x + y^2"}))
    figure = page.locator('[data-kind="jacobian_map"]')
    expect(figure.locator(".main-svg").first).to_be_attached(timeout=90_000)
    assert "det J" in page.locator("figure.plot figcaption").inner_text()
    assert_clean(page, errors)


def test_surface_degrades_to_a_contour_plot_with_a_note_without_webgl(
    browser: Browser, server: str
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.add_init_script(NO_WEBGL)
    errors: list[str] = []
    watch(page, errors)
    query = {"op": "directional", "q": "x^2 + 3*x*y", "wrt": "x, y", "direction": "1, 1"}
    page.goto(server + "/calc?" + urlencode(query))
    figure = page.locator('[data-kind="surface contour"]')
    expect(figure.locator(".main-svg").first).to_be_attached(timeout=90_000)
    assert figure.locator(".contour").count() >= 1
    expect(page.locator("figure.plot figcaption")).to_contain_text("no WebGL")
    assert_clean(page, errors)
    context.close()


def test_directional_derivative_draws_a_3d_surface_where_webgl_exists(
    page: Page, server: str
) -> None:
    """Debian's Chromium has WebGL (SwiftShader): the directional derivative's figure is the 3-D
    surface (a WebGL scene), not the contour fallback, and the figure keeps its caption."""
    assert page.evaluate("!!document.createElement('canvas').getContext('webgl')")
    errors: list[str] = []
    watch(page, errors)
    query = {"op": "directional", "q": "x^2 + 3*x*y", "wrt": "x, y", "direction": "1, 1"}
    page.goto(server + "/calc?" + urlencode(query))
    figure = page.locator('[data-kind="surface surface"]')
    expect(figure.locator(".gl-container canvas").first).to_be_attached(timeout=90_000)
    assert page.locator('[data-kind="surface contour"]').count() == 0
    caption = page.locator("figure.plot figcaption")
    expect(caption).to_contain_text("The surface")
    expect(caption.locator(".katex").first).to_be_visible()  # z = x² + 3xy typeset
    assert "no WebGL" not in page.locator("figure.plot figcaption").inner_text()
    assert_clean(page, errors)


@pytest.mark.parametrize("width", [1280, 390])
def test_matrix_page_screenshot_and_no_horizontal_overflow(
    browser: Browser, server: str, width: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    watch(page, errors)
    query = {"op": "gradient", "q": "norm(X w - y)^2", "wrt": "w", "shapes": "X: n×d, w: d, y: n"}
    page.goto(server + "/calc?" + urlencode(query))
    expect(page.locator("[data-figure] .main-svg").first).to_be_attached(timeout=90_000)
    assert screenshot(page, "matrix", width).exists()
    assert overflow(page) <= 0, overflow(page)
    assert_clean(page, errors)
    context.close()
