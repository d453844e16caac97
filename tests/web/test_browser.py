"""End to end in Debian's Chromium (Playwright): typeset steps, the caret, the practice loop
with and without JavaScript, no console errors or CSP violations, screenshots at 1280 and 390
px with no horizontal overflow at 390 px. One xdist group: the browser tests run serially."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from calcml.learn.problems import problem
from web.browser import SHOTS, accessible, assert_clean, screenshots_without_overflow, watch

pytestmark = pytest.mark.xdist_group("serial")  # tests/conftest.py: SERIAL
PAGES = {
    "home": "/",
    "calculator": "/calc?op=derive&q=x%2Asin%28x%5E2%29",
    "gradient": "/calc?op=gradient&q=x%5E2%2Ay+%2B+y%5E3",
    "limit": "/calc?op=limit&q=abs%28x%29%2Fx",
    "taylor": "/calc?op=taylor&q=exp%28x%29&order=3",
    "bad-input": "/calc?op=derive&q=sin%28x",
    "practice": "/practice?skill=chain-rule&seed=5&difficulty=1",
}


def test_typed_expression_shows_typeset_steps(page: Page, server: str) -> None:
    errors: list[str] = []
    watch(page, errors)
    page.goto(server + "/calc")
    page.locator("#q").press_sequentially("x*sin(x^2)", delay=20)
    expect(page.locator("#preview .katex").first).to_be_visible(timeout=90_000)
    page.get_by_role("button", name="Compute").click()
    expect(page.locator("#result .answer .katex").first).to_be_visible(timeout=90_000)
    assert page.locator("#result ol.steps .katex").count() >= 3
    text = page.locator("main").inner_text()
    assert "\\frac" not in text and "\\left" not in text
    assert "verified" in text
    assert_clean(page, errors)


def test_bad_expression_shows_the_caret(page: Page, server: str) -> None:
    errors: list[str] = []
    watch(page, errors)
    page.goto(server + "/calc")
    page.locator("#q").press_sequentially("sin(x", delay=20)
    caret = page.locator("#preview pre.caret")
    expect(caret).to_be_visible(timeout=90_000)
    assert caret.inner_text().splitlines()[-1].strip() == "^"
    expect(page.locator("#preview .error")).to_contain_text("column")
    assert_clean(page, errors)


def _level(page: Page, server: str, skill: str) -> str:
    page.goto(server + "/")
    classes = page.locator(f'li.skill:has(a[href="/practice?skill={skill}"])').get_attribute(
        "class"
    )
    return (re.search(r"level-(\w+)", classes or "") or re.search("(.*)", "")).group(1)


def test_practice_wrong_feedback_hint_right_then_roadmap(page: Page, server: str) -> None:
    errors: list[str] = []
    watch(page, errors)
    skill, seed = "power-rule", 3
    p = problem(skill, seed, 1)
    assert _level(page, server, skill) == "new"
    page.goto(f"{server}/practice?skill={skill}&seed={seed}&difficulty=1")
    expect(page.locator(".problem .katex").first).to_be_visible(timeout=90_000)
    page.locator("#answer").fill("18*x^3 + 5*x")
    page.get_by_role("button", name="Check").click()
    expect(page.locator(".verdict.wrong")).to_be_visible(timeout=90_000)
    page.get_by_role("link", name=re.compile("Show hint 1")).click()
    expect(page.locator(".hints li")).to_have_count(1)
    expect(page.locator(".hints")).to_contain_text(p.hints[0])
    page.locator("#answer").fill(p.answer.to_dict()["input"])
    page.get_by_role("button", name="Check").click()
    expect(page.locator(".verdict.right")).to_be_visible(timeout=90_000)
    expect(page.locator(".solution .katex").first).to_be_visible()
    assert _level(page, server, skill) == "familiar"
    assert_clean(page, errors)


def _tab_to(page: Page, found: str, presses: int = 40) -> None:
    """Press Tab until the focused element matches the JavaScript test `found` (on `el`), and
    check that focus is visible there (an outline or a ring)."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return {found}; }})()"):
            ring = page.evaluate(
                "(() => { const s = getComputedStyle(document.activeElement);"
                " return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0"
                " || s.boxShadow !== 'none'; })()"
            )
            assert ring, f"focus is not visible on {found}"
            return
    raise AssertionError(f"Tab never reached {found}")


def test_practice_by_keyboard_only(page: Page, server: str) -> None:
    """Tab to the answer, type, Enter to check; Tab to the hint link, Enter; the right answer
    by keyboard: every step reachable without a pointer, focus visible on each."""
    errors: list[str] = []
    watch(page, errors)
    skill, seed = "power-rule", 11
    p = problem(skill, seed, 1)
    page.goto(f"{server}/practice?skill={skill}&seed={seed}&difficulty=1")
    expect(page.locator(".problem .katex").first).to_be_visible(timeout=90_000)
    _tab_to(page, "el.id === 'answer'")
    page.keyboard.type("0")
    page.keyboard.press("Enter")
    expect(page.locator(".verdict.wrong")).to_be_visible(timeout=90_000)
    _tab_to(page, "/Show hint 1/.test(el.textContent || '')")
    page.keyboard.press("Enter")
    expect(page.locator(".hints li")).to_have_count(1, timeout=90_000)
    _tab_to(page, "el.id === 'answer'")
    page.keyboard.press("Control+A")
    page.keyboard.type(p.answer.to_dict()["input"])
    page.keyboard.press("Enter")
    expect(page.locator(".verdict.right")).to_be_visible(timeout=90_000)
    assert_clean(page, errors)


def test_practice_works_without_javascript(browser: Browser, server: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    skill, seed = "chain-rule", 9
    page.goto(f"{server}/practice?skill={skill}&seed={seed}&difficulty=1")
    assert page.locator(".problem").inner_text()  # readable without KaTeX
    page.locator("#answer").fill("0")
    page.get_by_role("button", name="Check").click()
    expect(page.locator(".verdict")).to_be_visible(timeout=90_000)
    page.get_by_role("link", name=re.compile("Show hint 1")).click()
    expect(page.locator(".hints li")).to_have_count(1)
    page.get_by_role("button", name="Show the solution").click()
    expect(page.locator(".solution")).to_be_visible(timeout=90_000)
    context.close()


def _settle(page: Page) -> None:
    page.wait_for_load_state("networkidle")
    if page.locator("[data-figure]").count():
        expect(page.locator("[data-figure] .main-svg").first).to_be_attached(timeout=90_000)


@pytest.mark.parametrize("width", [1280, 390])
def test_every_page_clean_screenshots_and_no_overflow(
    browser: Browser, server: str, width: int
) -> None:
    screenshots_without_overflow(browser, server, PAGES, width, _settle)
    assert all(Path(SHOTS / f"{n}-{width}.png").exists() for n in PAGES)


def test_accessibility_axe_finds_no_serious_violation(browser: Browser, server: str) -> None:
    accessible(browser, server, PAGES, lambda page: page.wait_for_load_state("networkidle"))
