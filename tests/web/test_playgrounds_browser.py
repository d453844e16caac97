"""The playgrounds in Debian's Chromium (Playwright): the backprop playground's gradients, read
from the page, against finite differences and HIPS autograd (tests/web/netref.py); the descent
playground's path, read from the plot, against calcml.optim run with the same settings and a
NumPy iteration written here; stepping by keyboard; clicking the contour; no console errors or
CSP violations, no overflow at 390 px, screenshots, axe. One xdist group with the other
browser tests: they run serially."""

from __future__ import annotations

import itertools
import json
from urllib.parse import urlencode

import numpy as np
import pytest
from playwright.sync_api import Browser, Page, expect

from calcml import optim
from web.browser import accessible, assert_clean, screenshots_without_overflow, watch
from web.netref import references

pytestmark = pytest.mark.xdist_group("serial")  # tests/conftest.py: SERIAL
WAIT = 90_000


# ---------------------------------------------------------------- backprop


def _networks() -> list[dict]:
    """Architectures, activations, losses and seeds; inputs and targets drawn here."""
    rng = np.random.default_rng(17)
    cases = []
    shapes = [
        ([2], 1, ["tanh"], "mse"),
        ([3, 2], 2, ["relu", "sigmoid"], "mse"),
        ([4], 3, ["softplus"], "softmax_ce"),
        ([2, 3, 2], 4, ["sigmoid", "tanh", "relu"], "softmax_ce"),
        ([], 2, [], "mse"),
        ([5, 4], 2, ["tanh", "softplus"], "softmax_ce"),
    ]
    for k, (hidden, outputs, acts, loss) in enumerate(shapes):
        inputs = int(rng.integers(1, 5))
        x = np.round(rng.normal(size=inputs), 3).tolist()
        target = int(rng.integers(outputs)) if loss == "softmax_ce" else rng.normal(size=outputs)
        fields = {"inputs": inputs, "outputs": outputs, "loss": loss, "seed": 100 + k}
        for i in range(4):
            fields[f"h{i + 1}"] = hidden[i] if i < len(hidden) else 0
            fields[f"a{i + 1}"] = acts[i] if i < len(acts) else "tanh"
        fields["x"] = ", ".join(str(v) for v in x)
        fields["target"] = (
            str(target) if loss == "softmax_ce" else ", ".join(f"{v:.3f}" for v in target)
        )
        if k % 2:  # every other network has weights set by hand (the rest seeded)
            sizes = [inputs, *hidden, outputs]
            ws = [
                np.round(rng.normal(size=(a, b)), 2).tolist() for a, b in itertools.pairwise(sizes)
            ]
            bs = [np.round(rng.normal(size=b), 2).tolist() for b in sizes[1:]]
            fields["weights"], fields["biases"] = json.dumps(ws), json.dumps(bs)
        cases.append(
            {
                "fields": fields,
                "x": x,
                "target": target if loss == "softmax_ce" else [float(f"{v:.3f}") for v in target],
                "acts": acts,
                "loss": loss,
            }
        )
    return cases


def _rows(page: Page) -> dict[str, dict]:
    rows = page.locator("#bp-nodes tbody tr")
    out = {}
    for i in range(rows.count()):
        row = rows.nth(i)
        out[row.get_attribute("data-node") or ""] = {
            "value": json.loads(row.get_attribute("data-value") or "null"),
            "grad": json.loads(row.get_attribute("data-grad") or "null"),
        }
    return out


def test_backprop_gradients_on_the_page_match_finite_differences_and_autograd(
    page: Page, server: str
) -> None:
    errors: list[str] = []
    watch(page, errors)
    for case in _networks():
        page.goto(f"{server}/playground/backprop?{urlencode(case['fields'])}")
        expect(page.locator("#bp-nodes")).to_be_visible(timeout=WAIT)
        rows = _rows(page)
        layers = len([k for k in rows if k.startswith("W")])
        params = [
            np.array(rows[f"{kind}{i}"]["value"], dtype=float)
            for i in range(1, layers + 1)
            for kind in ("W", "b")
        ]
        shown = [
            np.array(rows[f"{kind}{i}"]["grad"], dtype=float)
            for i in range(1, layers + 1)
            for kind in ("W", "b")
        ]
        loss, fd, ag = references(params, case["x"], case["target"], case["acts"], case["loss"])
        assert float(page.locator("#bp-loss").inner_text()) == pytest.approx(loss, rel=1e-5)
        for got, numeric, auto in zip(shown, fd, ag, strict=True):
            assert got.shape == numeric.shape
            np.testing.assert_allclose(got, numeric, rtol=1e-5, atol=1e-7)
            np.testing.assert_allclose(got, auto, rtol=1e-10, atol=1e-12)
        expect(page.locator("#bp-gradcheck")).to_contain_text("passed")
    assert_clean(page, errors)


def test_backprop_steps_by_keyboard_with_typeset_chain_rule(page: Page, server: str) -> None:
    errors: list[str] = []
    watch(page, errors)
    page.goto(f"{server}/playground/backprop?h1=3&h2=2&a2=relu&outputs=2&loss=softmax_ce")
    total = page.locator("li.bp-step").count()
    assert total >= 10
    current = page.locator("li.bp-step.current")
    expect(current).to_have_count(1)
    expect(current.locator(".katex").first).to_be_visible(timeout=WAIT)
    first = current.get_attribute("id")
    page.locator("#bp-next").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    expect(page.locator("li.bp-step.current")).to_have_attribute("id", "step-3")
    assert page.locator("li.bp-step.current").get_attribute("id") != first
    edge = page.locator("li.bp-step.current").get_attribute("data-edge")
    expect(page.locator(f'#bp-graph line.edge.active[data-edge="{edge}"]')).to_have_count(1)
    page.locator("#bp-step").fill(str(total))
    expect(page.locator("li.bp-step.current")).to_have_attribute("id", f"step-{total}")
    expect(page.locator("#bp-step-range")).to_have_value(str(total))
    # every slider has a number field beside it
    for el in page.locator("input[type=range]").all():
        target = el.get_attribute("data-sync")
        assert page.locator(f"#{target}[type=number]").count() == 1, target
    assert_clean(page, errors)


# ---------------------------------------------------------------- gradient descent


def _grad_bowl(k: float):  # type: ignore[no-untyped-def]
    return lambda p: np.array([p[0], k * p[1]])


def _grad_rosenbrock(p):  # type: ignore[no-untyped-def]
    x, y = p
    return np.array([-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)])


DESCENTS = [
    ({"classic": "bowl", "condition": "10", "optimizer": "gd", "lr": "0.15"}, _grad_bowl(10.0)),
    (
        {"classic": "rosenbrock", "optimizer": "momentum", "lr": "0.0005", "momentum": "0.8"},
        _grad_rosenbrock,
    ),
    ({"classic": "himmelblau", "optimizer": "nesterov", "lr": "0.01", "momentum": "0.5"}, None),
    ({"classic": "himmelblau", "optimizer": "adam", "lr": "0.2"}, None),
    ({"classic": "custom", "f": "x^4/4 + y^2 - x*y + x", "optimizer": "newton"}, None),
]


def _formula(settings: dict[str, str]) -> str:
    from calcml.web.playground_descent import CLASSICS

    if settings["classic"] == "custom":
        return settings["f"]
    return CLASSICS[settings["classic"]].expr(float(settings.get("condition", 10)))


def _reference(settings: dict[str, str], start: list[float], steps: int):  # type: ignore[no-untyped-def]
    f, opt = _formula(settings), settings["optimizer"]
    lr, beta = float(settings.get("lr", 0.1)), float(settings.get("momentum", 0.9))
    kw = {"max_steps": steps, "variables": ["x", "y"]}
    if opt == "newton":
        return optim.newton(f, start, **kw)
    if opt == "adam":
        return optim.adam(f, start, lr=lr, **kw)
    if opt == "gd":
        return optim.gradient_descent(f, start, lr=lr, **kw)
    return optim.gradient_descent(f, start, lr=lr, momentum=beta, nesterov=opt == "nesterov", **kw)


def _direct(grad, settings: dict[str, str], start: list[float], n: int) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Plain GD or heavy-ball momentum written out: x ← x + v, v ← βv − lr∇f(x)."""
    lr, beta = float(settings["lr"]), float(settings.get("momentum", 0) or 0)
    if settings["optimizer"] == "gd":
        beta = 0.0
    x, v, path = np.array(start, dtype=float), np.zeros(2), [np.array(start, dtype=float)]
    for _ in range(n):
        v = beta * v - lr * grad(x)
        x = x + v
        path.append(x.copy())
    return np.array(path)


def _path(page: Page) -> np.ndarray:
    trace = page.evaluate(
        "(() => { const t = document.getElementById('gd-contour').data[1];"
        " return [Array.from(t.x), Array.from(t.y)]; })()"
    )
    return np.array(trace, dtype=float).T


def test_descent_path_on_the_page_matches_optim_and_a_direct_iteration(
    page: Page, server: str
) -> None:
    errors: list[str] = []
    watch(page, errors)
    steps = 150
    for settings, grad in DESCENTS:
        page.goto(f"{server}/playground/descent?{urlencode({**settings, 'steps': steps})}")
        expect(page.locator("#gd-contour[data-drawn]")).to_be_attached(timeout=WAIT)
        start = [float(page.locator("#x0").input_value()), float(page.locator("#y0").input_value())]
        path = _path(page)
        run = _reference(settings, start, steps)
        assert path.shape == run.params.shape, settings
        np.testing.assert_allclose(path, run.params, rtol=1e-12, atol=1e-12)
        expect(page.locator("#gd-status")).to_have_text(run.status)
        assert page.locator("#gd-explanation").inner_text().strip() == run.explain()
        if grad is not None:
            direct = _direct(grad, settings, start, len(path) - 1)
            np.testing.assert_allclose(path, direct, rtol=1e-9, atol=1e-12)
    assert_clean(page, errors)


def test_descent_diverges_above_two_over_l_and_click_sets_the_start(
    page: Page, server: str
) -> None:
    errors: list[str] = []
    watch(page, errors)
    # bowl with κ = 10: L = 10, so 2/L = 0.2
    page.goto(f"{server}/playground/descent?classic=bowl&condition=10&lr=0.19")
    expect(page.locator("#gd-status")).to_have_text("converged", timeout=WAIT)
    for el in page.locator("input[type=range]").all():  # every slider has a number field
        assert page.locator(f"#{el.get_attribute('data-sync')}[type=number]").count() == 1
    page.locator("#lr-range").focus()  # the slider (log scale) moves the field by keyboard
    page.keyboard.press("ArrowLeft")
    assert float(page.locator("#lr").input_value()) < 0.19
    page.locator("#lr").fill("0.21")
    page.get_by_role("button", name="Run").click()
    expect(page.locator("#gd-status")).to_have_text("diverged", timeout=WAIT)
    plot = page.locator("#gd-contour")
    expect(page.locator("#gd-contour[data-drawn]")).to_be_attached(timeout=WAIT)
    assert float(page.locator("#gd-loss").evaluate("el => el.data[0].y.length")) > 1
    plot.scroll_into_view_if_needed()
    box = plot.locator(".nsewdrag").first.bounding_box()
    assert box is not None
    (x_lo, x_hi), (y_lo, y_hi) = page.evaluate(
        "(() => { const l = document.getElementById('gd-contour')._fullLayout;"
        " return [l.xaxis.range, l.yaxis.range]; })()"
    )
    with page.expect_navigation(timeout=WAIT):
        page.mouse.click(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.6)
    expect(page.locator("#gd-contour[data-drawn]")).to_be_attached(timeout=WAIT)
    new = [float(page.locator("#x0").input_value()), float(page.locator("#y0").input_value())]
    # the click landed 30% across and 40% up the window it was drawn in
    want = [x_lo + 0.3 * (x_hi - x_lo), y_lo + 0.4 * (y_hi - y_lo)]
    np.testing.assert_allclose(new, want, atol=0.02 * max(x_hi - x_lo, y_hi - y_lo))
    np.testing.assert_allclose(_path(page)[0], new)
    assert_clean(page, errors)


# ---------------------------------------------------------------- every playground page

PAGES = {
    "playground-descent": (
        "/playground/descent?classic=rosenbrock&optimizer=momentum&lr=0.0005&momentum=0.8"
    ),
    "playground-descent-diverged": "/playground/descent?classic=bowl&condition=10&lr=0.21",
    "playground-backprop": "/playground/backprop?h1=3&h2=2&a2=relu&outputs=2&loss=softmax_ce",
}


def _settle(page: Page) -> None:
    page.wait_for_load_state("networkidle")
    if page.locator("#gd-contour").count():
        expect(page.locator("#gd-contour[data-drawn]")).to_be_attached(timeout=WAIT)
        expect(page.locator("#gd-loss[data-drawn]")).to_be_attached(timeout=WAIT)
    if page.locator("#bp-steps").count():
        expect(page.locator("li.bp-step.current .katex").first).to_be_visible(timeout=WAIT)


@pytest.mark.parametrize("width", [1280, 390])
def test_playgrounds_clean_screenshots_and_no_overflow(
    browser: Browser, server: str, width: int
) -> None:
    screenshots_without_overflow(browser, server, PAGES, width, _settle)


def test_playgrounds_axe_finds_no_serious_violation(browser: Browser, server: str) -> None:
    # the diverged page is the same page as playground-descent, other numbers
    distinct = {n: p for n, p in PAGES.items() if not n.endswith("diverged")}
    accessible(browser, server, distinct, _settle)
