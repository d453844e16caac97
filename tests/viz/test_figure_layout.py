"""Every figure's text lies inside its canvas and its headings never sit on each other; the
issue-14 item-15 defects each pinned at their cause (caption wrapped to the figure's width,
λ = 0 drawn as flat, Lagrange labels inside the axes, no Taylor order hidden under another)."""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import pytest
import sympy as sp
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.patches import FancyArrowPatch
from matplotlib.text import Annotation, Text

from calcml.viz.gallery import ENTRIES, HIDPI, SHOWN_DPI
from calcml.viz.style import house_style

SLACK = 0.5  # px


@contextmanager
def _recording() -> Iterator[list[Text]]:
    """The text artists that matplotlib actually draws (tick labels outside the view are made
    but never drawn), with something to show."""
    drawn: list[Text] = []
    original = Text.draw

    def draw(self: Text, renderer: Any) -> Any:
        if self.get_visible() and self.get_text().strip():
            drawn.append(self)
        return original(self, renderer)

    Text.draw = draw  # type: ignore[method-assign]
    try:
        yield drawn
    finally:
        Text.draw = original  # type: ignore[method-assign]


def _layout_problems(fig: Any, dpi: float) -> list[str]:
    """Texts past the canvas, overlapping headings, annotations past their axes."""
    fig.set_dpi(dpi)
    FigureCanvasAgg(fig)
    with house_style(), _recording() as drawn:
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        box = fig.bbox
        out = []
        for t in drawn:
            e = t.get_window_extent(renderer)
            if e.x0 < -SLACK or e.y0 < -SLACK or e.x1 > box.x1 + SLACK or e.y1 > box.y1 + SLACK:
                out.append(f"past the canvas: {t.get_text()[:40]!r} {e.bounds} in {box.bounds}")
        heads = [fig._suptitle, fig._supxlabel]
        for ax in fig.axes:
            heads += [ax.title, ax._left_title, ax._right_title, ax.xaxis.label]
        shown = [t for t in drawn if any(t is h for h in heads)]
        for a, b in itertools.combinations(shown, 2):
            if a.get_window_extent(renderer).overlaps(b.get_window_extent(renderer)):
                out.append(f"on each other: {a.get_text()[:30]!r} / {b.get_text()[:30]!r}")
        for t in drawn:
            if isinstance(t, Annotation) and t.axes is not None and t.axes.name != "3d":
                e, ax = t.get_window_extent(renderer), t.axes.get_window_extent(renderer)
                if e.x0 < ax.x0 - SLACK or e.x1 > ax.x1 + SLACK:
                    out.append(f"past its axes: {t.get_text()[:40]!r}")
    return out


def test_every_gallery_figure_keeps_its_text_inside_at_the_size_it_is_saved() -> None:
    found = {}
    for entry in ENTRIES:
        problems = _layout_problems(entry.build(), HIDPI * SHOWN_DPI)
        if problems:
            found[entry.name] = problems
    assert not found, found


def test_the_check_finds_text_past_the_canvas_and_headings_on_each_other() -> None:
    from calcml.viz.figure import CalcmlFigure

    fig = CalcmlFigure(figsize=(8, 4))  # no layout engine: the axes where they are put
    ax = fig.add_axes((0.1, 0.1, 0.8, 0.86))
    fig.suptitle("A title")
    ax.set_title("A title")
    fig.text(0.98, 0.5, "a label that runs far past the right edge of the canvas")
    problems = _layout_problems(fig, SHOWN_DPI)
    assert any("past the canvas" in p for p in problems)
    assert any("on each other" in p for p in problems)


def _random_quadratics(seed: int, n: int) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        a, b, c = rng.randint(1, 4), rng.randint(-4, 4), rng.randint(1, 3)
        out += [f"{a}*x^2 + {b}*x*y + {a + abs(b)}*y^2", f"{a}*x^2 - {c}*y^2", f"x^4 + {c}*y^2"]
    return out


@pytest.mark.parametrize("seed", [1, 2])
def test_hessian_plot_caption_fits_for_one_panel_and_for_several(seed: int) -> None:
    from calcml.viz.curvature import curvature

    for f in [*_random_quadratics(seed, 2), "x^3 - 3*x + y^2"]:
        problems = _layout_problems(curvature(f), SHOWN_DPI)
        assert not problems, (f, problems)


def _arrow_colours(fig: Any) -> list[str]:
    from matplotlib.colors import to_hex

    arrows = [t.arrow_patch for ax in fig.axes for t in ax.texts if isinstance(t, Annotation)]
    return [to_hex(p.get_edgecolor()) for p in arrows if isinstance(p, FancyArrowPatch)]


@pytest.mark.parametrize("seed", [3, 4])
def test_eigenvalue_colours_follow_the_sign_and_zero_is_flat(seed: int) -> None:
    from calcml.viz.curvature import CURVES, FLAT, curvature

    x, y = sp.symbols("x y", real=True)
    for f in _random_quadratics(seed, 2):
        fig = curvature(f)
        expr = sp.parse_expr(f.replace("^", "**"), {"x": x, "y": y})
        colours = _arrow_colours(fig)
        expected = []
        for p in fig.spec["panels"]:
            hessian = sp.hessian(expr, (x, y)).subs({x: p["point"][0], y: p["point"][1]})
            for lam in sorted(np.linalg.eigvalsh(np.array(hessian, dtype=float))):
                style = FLAT if abs(lam) < 1e-9 else CURVES[1 if lam > 0 else -1]
                expected += [style[0].lower()] * 2  # two arrows per eigenvector
        assert sorted(colours) == sorted(expected), (f, colours, expected)
        words = fig._supxlabel.get_text().replace("\n", " ")
        assert ("flat" in words) == (FLAT[0].lower() in expected), words


def test_pca_lagrange_labels_stay_inside_the_axes_for_random_covariances() -> None:
    from calcml.viz.lagrange import lagrange

    rng = np.random.default_rng(5)
    for _ in range(3):
        a, c = rng.uniform(0.5, 5, size=2).round(1)
        b = round(float(rng.uniform(-2, 2)), 1)
        fig = lagrange(f"{a}*x^2 + {2 * b}*x*y + {c}*y^2", "x^2 + y^2 = 1")
        assert not _layout_problems(fig, SHOWN_DPI)


@pytest.mark.parametrize(
    "f, orders", [("sin(x)", (1, 2, 3, 5)), ("cos(x)", (0, 1, 2, 4)), ("x^3 + x", (1, 2, 3, 4, 5))]
)
def test_taylor_legend_lists_one_entry_per_visible_curve(f: str, orders: tuple[int, ...]) -> None:
    from calcml.viz.taylor import taylor

    fig = taylor(f, 0.0, orders=orders, xlim=(-3, 3))
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    curves = {ln.get_label(): np.asarray(ln.get_ydata(), float) for ln in ax.get_lines()}
    approximations = [lab for lab in labels if lab.startswith("order")]
    x = sp.Symbol("x", real=True)
    expr = sp.sympify(f.replace("^", "**"), {"x": x})
    series = {k: sp.series(expr, x, 0, k + 1).removeO() for k in orders}
    distinct = len({sp.expand(p) for p in series.values()})
    assert len(approximations) == distinct  # equal polynomials share one curve and one entry
    named = sorted(int(k) for lab in approximations for k in lab.split(" ", 1)[1].split(", "))
    assert named == sorted(orders)  # every order is named once
    drawn = [curves[lab] for lab in approximations]
    for a, b in itertools.combinations(drawn, 2):
        assert np.nanmax(np.abs(a - b)) > 1e-6  # no curve hidden under another
