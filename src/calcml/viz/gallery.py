"""The gallery: every kind of figure calcml draws, each from a live computation, saved as PNG
with its JSON spec; the index.html that shows them all is drawn by the caller's page function
(the web's templates: `calcml.web.book.gallery_html`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from calcml.fileio import atomic_write
from calcml.viz.figure import CalcmlFigure


@dataclass(frozen=True)
class Entry:
    """One gallery picture: file stem, heading, caption, and how to build it."""

    name: str
    heading: str
    caption: str
    build: Callable[[], CalcmlFigure]


def _tangent() -> CalcmlFigure:
    from calcml.viz.calculus import tangent

    return tangent("x^2 sin(x)", 1.0)


def _secants() -> CalcmlFigure:
    from calcml.viz.calculus import secants

    return secants("exp(x)", 0.0, xlim=(-2, 2.5))


def _limit_hole() -> CalcmlFigure:
    from calcml.viz.limits import limit

    return limit("sin(x)/x", 0)


def _limit_jump() -> CalcmlFigure:
    import calcml as cm
    from calcml.viz.dispatch import figure_for

    return figure_for(cm.continuity("abs(x)/x", "x", 0))


def _limit_asymptote() -> CalcmlFigure:
    from calcml.viz.limits import limit

    return limit("1/(x - 1)", 1, xlim=(-1, 3))


def _with_derivative() -> CalcmlFigure:
    import calcml as cm
    from calcml.viz.dispatch import figure_for

    return figure_for(cm.derive("x^3 - 3x", "x"))


def _kink() -> CalcmlFigure:
    from calcml.viz.kinks import one_sided

    return one_sided("abs(x) + x^2", 0.0)


def _undefined() -> CalcmlFigure:
    from calcml.viz.calculus import with_derivative

    return with_derivative("sqrt(4 - x^2)", xlim=(-3, 3))


def _activations() -> CalcmlFigure:
    from calcml.viz.activations import activations

    return activations()


def _taylor() -> CalcmlFigure:
    from calcml.viz.taylor import taylor

    return taylor("sin(x)", 0.0, orders=(1, 3, 5, 7), xlim=(-6, 6))


def _taylor2d() -> CalcmlFigure:
    from calcml.viz.taylor import taylor2d

    return taylor2d("exp(x)*cos(y)", (0.0, 0.0))


def _surface() -> CalcmlFigure:
    from calcml.viz.surfaces import surface

    return surface("x^2 - y^2")


def _slices() -> CalcmlFigure:
    from calcml.viz.surfaces import slices

    return slices("x^2*y + sin(y)", (1.0, 0.5))


def _gradient_field() -> CalcmlFigure:
    import calcml as cm
    from calcml.viz.dispatch import figure_for

    return figure_for(cm.gradient("x^2 + x*y + 3*y^2", ["x", "y"]))


def _learning_rates() -> CalcmlFigure:
    from calcml.viz.descent import compare_learning_rates

    return compare_learning_rates("x^2 + 10*y^2", [1.5, 1.0], lrs=(0.05, 0.1, 0.105))


def _optimizers() -> CalcmlFigure:
    from calcml.viz.descent import compare_optimizers

    return compare_optimizers("(1 - x)^2 + 5*(y - x^2)^2", [-1.2, 1.0])


def _curvature() -> CalcmlFigure:
    import calcml as cm
    from calcml.viz.dispatch import figure_for

    return figure_for(cm.hessian("x^3 - 3*x + y^2", ["x", "y"]))


def example_trace() -> Any:
    """A backprop trace of a tiny network: L = (w2·tanh(w1·x + b1) + b2 − y)², x = 0.5, y = 1."""
    import numpy as np

    from calcml import autodiff as ad

    def loss(w1: Any, b1: Any, w2: Any, b2: Any) -> Any:
        h = ad.tanh(w1 * 0.5 + b1)
        h.name = "h"
        out = w2 * h + b2
        out.name = "out"
        err = out - 1.0
        err.name = "err"
        return (err * err).sum()

    return ad.trace(loss, np.array(0.8), np.array(0.1), np.array(-1.2), np.array(0.3))


def _jacobian() -> CalcmlFigure:
    import calcml as cm
    from calcml.viz.dispatch import figure_for

    return figure_for(cm.jacobian(["x^2 - y^2", "2*x*y"], ["x", "y"]), at=(1.0, 0.5))


def _lagrange() -> CalcmlFigure:
    from calcml.viz.lagrange import lagrange

    return lagrange("x*y", "x^2/4 + y^2 = 1")


def _pca_lagrange() -> CalcmlFigure:
    import numpy as np

    from calcml.viz.lagrange import lagrange

    C = np.round(np.cov(_pca_data().T), 1)  # one decimal keeps the formula readable
    variance = f"{C[0, 0]}*x^2 + {2 * C[0, 1]:.1f}*x*y + {C[1, 1]}*y^2"
    return lagrange(variance, "x^2 + y^2 = 1")


def _graph() -> CalcmlFigure:
    from calcml.viz.graph import graph

    return graph(example_trace())


def _finite_differences() -> CalcmlFigure:
    from calcml.viz.gradcheck import finite_differences

    return finite_differences("exp(x) sin(x)", 1.0)


def _vanishing() -> CalcmlFigure:
    from calcml.viz.gradients import vanishing_gradients

    return vanishing_gradients()


def _pca() -> CalcmlFigure:
    from calcml import ml
    from calcml.viz.pca import pca

    data = ml.load_iris()
    names = data.target_names
    y = [names[int(i)] for i in data.y] if names else data.y
    return pca(data.X, y, feature_names=data.feature_names or None)


def _pca_data() -> Any:
    import numpy as np

    rng = np.random.default_rng(0)
    return rng.normal(size=(120, 2)) @ np.array([[2.0, 0.8], [0.0, 0.5]]) + np.array([1.0, 2.0])


def _pca_2d() -> CalcmlFigure:
    from calcml.viz.pca import pca

    return pca(_pca_data())


def _linear() -> CalcmlFigure:
    from calcml import ml
    from calcml.viz.regression import regression

    data = ml.make_linear(40, d=1, noise=0.5, seed=1)
    model = ml.LinearRegression(method="gd", lr=0.05).fit(data.X, data.y)
    return regression(model, data.X, data.y)


def _logistic() -> CalcmlFigure:
    from calcml import ml
    from calcml.viz.regression import regression

    data = ml.make_blobs(100, centers=2, spread=1.5, seed=2)
    model = ml.LogisticRegression(method="gd", lr=0.5, max_steps=300, l2=0.01)
    return regression(model.fit(data.X, data.y), data.X, data.y)


ENTRIES: list[Entry] = [
    Entry(
        "tangent",
        "The derivative as a slope",
        "f(x) = x²·sin(x) with its tangent at x = 1; the slope is f′(1).",
        _tangent,
    ),
    Entry(
        "secants",
        "Secants become the tangent",
        "Slopes (f(a+h) − f(a))/h for shrinking h close in on f′(a).",
        _secants,
    ),
    Entry(
        "limit-hole",
        "A limit at a hole",
        "sin(x)/x is undefined at 0, yet both one-sided approaches reach 1.",
        _limit_hole,
    ),
    Entry(
        "limit-jump",
        "A jump: the one-sided limits differ",
        "|x|/x → −1 from the left, 1 from the right: no limit, not continuous.",
        _limit_jump,
    ),
    Entry(
        "limit-asymptote",
        "A vertical asymptote",
        "1/(x − 1) runs off to −∞ and +∞ on either side of x = 1.",
        _limit_asymptote,
    ),
    Entry(
        "derivative",
        "Where f rises, f′ > 0",
        "f = x³ − 3x over its derivative, derived step by step by calcml.",
        _with_derivative,
    ),
    Entry(
        "kink",
        "Not differentiable: a corner",
        "|x| + x² at 0: the left and right derivatives (−1 and 1) disagree.",
        _kink,
    ),
    Entry(
        "undefined",
        "A function undefined over part of the range",
        "√(4 − x²) exists only on [−2, 2]: the rest is left blank and said.",
        _undefined,
    ),
    Entry(
        "activations",
        "Activation functions and their derivatives",
        "σ, tanh, ReLU, leaky ReLU, softplus; derivatives by differentiation.",
        _activations,
    ),
    Entry(
        "taylor",
        "Taylor polynomials",
        "sin(x) and its Taylor polynomials of order 1, 3, 5, 7 around 0.",
        _taylor,
    ),
    Entry(
        "taylor-2d",
        "Linearization and the quadratic approximation",
        "eˣ·cos(y) against its tangent plane and its order-2 Taylor polynomial at (0, 0).",
        _taylor2d,
    ),
    Entry("surface", "A surface", "z = x² − y², a saddle.", _surface),
    Entry(
        "slices",
        "Partial derivatives as slices",
        "∂f/∂x and ∂f/∂y are slopes of the slices through a point.",
        _slices,
    ),
    Entry(
        "gradient-field",
        "The gradient field",
        "∇f from calcml.gradient: arrows point uphill, across the contours.",
        _gradient_field,
    ),
    Entry(
        "learning-rates",
        "Learning rates: converge, oscillate, diverge",
        "Gradient descent on x² + 10y², lr below, at and above 2/L = 0.1: it converges, "
        "oscillates, diverges.",
        _learning_rates,
    ),
    Entry(
        "optimizers",
        "Optimizers compared",
        "Gradient descent, momentum, Adam and Newton on a curved valley.",
        _optimizers,
    ),
    Entry(
        "curvature",
        "Curvature at critical points",
        "The Hessian's eigenvectors at a saddle and at a minimum.",
        _curvature,
    ),
    Entry(
        "jacobian",
        "The Jacobian: the best linear map near a point",
        "F(x, y) = (x² − y², 2xy) bends a small grid; J(p) from calcml.jacobian nearly matches it.",
        _jacobian,
    ),
    Entry(
        "lagrange",
        "Lagrange multipliers",
        "Extremes of xy on an ellipse: there ∇f and ∇g are parallel, ∇f = λ∇g.",
        _lagrange,
    ),
    Entry(
        "backprop-graph",
        "Backpropagation on a computational graph",
        "Each box: forward value and gradient ∂L/∂box from calcml.autodiff.trace.",
        _graph,
    ),
    Entry(
        "gradient-check",
        "Gradient checking: how small should h be?",
        "Forward and central differences against the exact derivative, h from 0.1 to 1e-15.",
        _finite_differences,
    ),
    Entry(
        "vanishing-gradients",
        "Vanishing gradients",
        "‖∂L/∂W‖ per layer of a 13-layer network, by backprop: sigmoid's shrink ~4× a layer.",
        _vanishing,
    ),
    Entry(
        "pca",
        "PCA on the iris data",
        "The data in the plane of the first two components; variance explained.",
        _pca,
    ),
    Entry(
        "pca-2d",
        "PCA in two dimensions",
        "Principal axes scaled by their variance, and the projection on PC1.",
        _pca_2d,
    ),
    Entry(
        "pca-lagrange",
        "PCA as a constrained optimization",
        "Maximise the variance vᵀCv on ‖v‖ = 1: the solutions are C's eigenvectors, λ its "
        "eigenvalues.",
        _pca_lagrange,
    ),
    Entry(
        "linear-regression",
        "Linear regression by gradient descent",
        "The fitted line at chosen steps, and the training loss.",
        _linear,
    ),
    Entry(
        "logistic-regression",
        "Logistic regression by gradient descent",
        "The decision boundary at chosen steps, and the cross-entropy.",
        _logistic,
    ),
]


# The course's topics (docs/ARCHITECTURE.md), in order, with the figures of each.
TOPICS: list[tuple[str, list[str]]] = [
    ("1. Functions & limits", ["limit-hole", "limit-jump", "limit-asymptote", "undefined"]),
    ("2. Derivatives", ["tangent", "secants", "derivative", "kink", "activations"]),
    ("3. Partial derivatives & the gradient", ["surface", "slices", "gradient-field"]),
    ("4. Gradient descent", ["learning-rates", "optimizers"]),
    ("5. The chain rule & backpropagation", ["backprop-graph", "vanishing-gradients"]),
    ("6. Jacobian & Hessian", ["jacobian", "curvature"]),
    (
        "7. Applications",
        ["linear-regression", "logistic-regression", "pca", "pca-2d", "pca-lagrange"],
    ),
    ("Beyond", ["taylor", "taylor-2d", "lagrange", "gradient-check"]),
]
_ORDER = [name for _, names in TOPICS for name in names]
ENTRIES.sort(key=lambda e: _ORDER.index(e.name) if e.name in _ORDER else len(_ORDER))


# the index page from the figures by course topic and the ones that failed (name -> why): the
# web's templates draw it (`calcml.web.book.gallery_html`); viz draws only the figures
# (sections, failed, sizes: name -> the (width, height) in CSS px each figure is shown at)
Page = Callable[[list[tuple[str, list[Entry]]], dict[str, str], dict[str, tuple[int, int]]], str]
SHOWN_DPI = 100  # CSS px per inch of a figure on the index page (an 8-inch figure: 800 px)
HIDPI = 2  # the PNGs hold HIDPI × the pixels shown, so they stay sharp on HiDPI screens


@dataclass
class GalleryResult:
    """What the gallery wrote: the index (None if no page was asked for), the figure files,
    and anything that failed."""

    index: Path | None
    written: list[Path] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)


def gallery(
    outdir: str | Path,
    dpi: int = HIDPI * SHOWN_DPI,
    only: list[str] | None = None,
    page: Page | None = None,
) -> GalleryResult:
    """Render every gallery figure into `outdir` (PNG + JSON spec each), and an index.html
    drawn by `page` when one is given, which shows each figure at its size at SHOWN_DPI
    (whatever `dpi` the PNG has: never stretched past it)."""
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    result = GalleryResult(out / "index.html" if page is not None else None)
    shown: list[Entry] = []
    sizes: dict[str, tuple[int, int]] = {}
    for entry in ENTRIES:
        if only and entry.name not in only:
            continue
        try:
            fig = entry.build()
            png = fig.save(out / f"{entry.name}.png", dpi=dpi)
            atomic_write(out / f"{entry.name}.json", fig.spec_json())
        except Exception as error:  # one broken figure must not sink the gallery
            result.failed[entry.name] = f"{type(error).__name__}: {error}"
            continue
        result.written.append(png)
        shown.append(entry)
        width, height = fig.get_size_inches() * SHOWN_DPI
        sizes[entry.name] = (round(width), round(height))
    if result.index is not None and page is not None:
        atomic_write(result.index, page(by_topic(shown), result.failed, sizes))
    return result


def by_topic(entries: list[Entry]) -> list[tuple[str, list[Entry]]]:
    """The entries grouped under their course topics, in course order ("More" for the rest)."""
    shown = {e.name: e for e in entries}
    placed: set[str] = set()
    sections = []
    for topic, names in [*TOPICS, ("More", [e.name for e in entries])]:
        cards = [shown[n] for n in names if n in shown and n not in placed]
        placed.update(n for n in names if n in shown)
        if cards:
            sections.append((topic, cards))
    return sections
