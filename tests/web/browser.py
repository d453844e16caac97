"""Helpers for the browser tests: a live `calcml serve`, Debian's Chromium under Playwright,
and a page that records console errors and CSP violations."""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
OUTPUT = Path(os.environ.get("CALCML_TEST_OUTPUT", Path(__file__).parents[2] / "test-output"))
WATCH = """
window.__problems = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__problems.push("CSP: " + e.violatedDirective + " " + e.blockedURI);
});
"""


@contextmanager
def live_server(data_dir: Path, *options: str, python: str = sys.executable) -> Iterator[str]:
    """`calcml serve --port 0` in a fresh data dir (more `options` for serve); yields its base
    URL, stops it with SIGINT. `python` is the interpreter that runs it (another venv's, for
    the installed wheel)."""
    env = {**os.environ, "CALCML_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1"}
    args = ["serve", "--port", "0", "--engine-workers", "2", "--rate", "10000", *options]
    proc = subprocess.Popen(
        [python, "-m", "calcml", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=data_dir,  # never the repo: `-m calcml` must find the interpreter's own calcml
    )
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        assert "serving on" in line, line + (proc.stderr.read() if proc.stderr else "")
        url = line.split("serving on ", 1)[1].split()[0].rstrip("/")
        _wait_until_up(url)
        yield url
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _wait_until_up(url: str, seconds: float = 300.0) -> None:
    """Wait for /health and a first engine answer (the workers start cold on a busy machine)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url + "/calc/preview?q=x", timeout=60) as r:
                if r.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def launch(playwright):  # type: ignore[no-untyped-def]
    """Debian's Chromium (never a downloaded browser), background networking off."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)


def watch(page, errors: list[str]) -> None:  # type: ignore[no-untyped-def]
    """Record console errors, page errors and CSP violations of `page` into `errors`."""
    page.add_init_script(WATCH)
    page.on("console", lambda m: errors.append(f"console: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))


def problems(page) -> list[str]:  # type: ignore[no-untyped-def]
    return list(page.evaluate("window.__problems || []"))


SHOTS = OUTPUT / "screenshots"
AXE = Path(__file__).parent / "vendor" / "axe" / "axe.min.js"
SERIOUS = ("serious", "critical")


def assert_clean(page, errors: list[str]) -> None:  # type: ignore[no-untyped-def]
    """No console error, page error or CSP violation recorded on `page` (see `watch`)."""
    found = errors + problems(page)
    assert not found, found


def overflow(page) -> int:  # type: ignore[no-untyped-def]
    """How many pixels the page is wider than its viewport (> 0: a horizontal scroll bar)."""
    return int(
        page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    )


def screenshot(page, name: str, width: int, **options) -> Path:  # type: ignore[no-untyped-def]
    """Save `page` as test-output/screenshots/<name>-<width>.png (full page unless told)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}-{width}.png"
    page.screenshot(path=str(path), **{"full_page": True, **options})
    return path


def axe_violations(page, rules: list[str] | None = None) -> list[str]:  # type: ignore[no-untyped-def]
    """axe-core's serious and critical violations on `page` (only `rules`, when given). axe is
    evaluated by the driver (DevTools protocol), which the page's Content-Security-Policy does
    not govern: the CSP stays on and no script tag is added to the page."""
    page.evaluate(AXE.read_text())
    options: dict = {"resultTypes": ["violations"]}
    if rules is not None:
        options["runOnly"] = {"type": "rule", "values": rules}
    result = page.evaluate("options => axe.run(document, options)", options)
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}× e.g. {v['nodes'][0]['html'][:160]})"
        for v in result["violations"]
        if v["impact"] in SERIOUS
    ]


def headings_out_of_order(page, scope: str = "") -> str | None:  # type: ignore[no-untyped-def]
    """None when the page's headings (inside `scope`, e.g. "main") start at h1 and never skip
    a level going down; else a message listing them."""
    selector = ",".join(f"{scope} h{n}".strip() for n in range(1, 5))
    levels = page.evaluate(f"[...document.querySelectorAll('{selector}')].map(h => +h.tagName[1])")
    if levels and levels[0] == 1 and all(b - a <= 1 for a, b in itertools.pairwise(levels)):
        return None
    return f"headings out of order: {levels}"


def screenshots_without_overflow(  # type: ignore[no-untyped-def]
    browser, server: str, pages: dict[str, str], width: int, settle
) -> None:
    """Visit every page at `width` px (`settle(page)` waits for it to draw): a screenshot each,
    no console error or CSP violation, and at phone width (390) no horizontal overflow."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    watch(page, errors)
    for name, path in pages.items():
        page.goto(server + path)
        settle(page)
        assert screenshot(page, name, width).exists()
        if width == 390:
            assert overflow(page) <= 0, (name, overflow(page))
        assert_clean(page, errors)
    context.close()


def accessible(browser, server: str, pages: dict[str, str], settle) -> None:  # type: ignore[no-untyped-def]
    """axe-core finds no serious or critical violation on any page, and its headings are in
    order (the CSP is bypassed in this context only, to inject axe)."""
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    found = {}
    for name, path in pages.items():
        page.goto(server + path)
        settle(page)
        bad = axe_violations(page)
        if bad:
            found[name] = bad
        order = headings_out_of_order(page)
        assert order is None, (name, order)
    context.close()
    assert not found, found
