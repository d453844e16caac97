"""Lesson examples computed at render time: a registry of directives.

A lesson line `::: NAME arg ; arg ; ...` is replaced by what the directive computes — a
derivation, a limit, an optimizer run, a figure, a generated problem with its solution — so
nothing a learner reads is typed in by hand where the engine can compute it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from calcml.errors import CalcmlError


@dataclass
class Block:
    """A rendered piece of a lesson: Markdown prose, a computed example, or a figure (PNG)."""

    kind: str  # "markdown" | "example" | "figure" | "interactive" | "error" (failed example)
    text: str
    png: bytes | None = None
    caption: str = ""
    data: dict[str, Any] | None = None  # an example's result (.to_dict()) when it has steps


Directive = Callable[[list[str]], list[Block]]
DIRECTIVES: dict[str, Directive] = {}


def directive(name: str) -> Callable[[Directive], Directive]:
    """Register a lesson directive."""

    def register(fn: Directive) -> Directive:
        DIRECTIVES[name] = fn
        return fn

    return register


def example(title: str, result: Any) -> Block:
    text = result.text() if hasattr(result, "text") else str(result)
    data = result.to_dict() if hasattr(result, "to_dict") else None
    steps = isinstance(data, dict) and isinstance(data.get("steps"), list) and data["steps"]
    return Block("example", text, None, title, data if steps else None)


def figure(fig: Any, caption: str) -> Block:
    import matplotlib.pyplot as plt

    try:
        png = fig._repr_png_()
    finally:
        plt.close(fig)
    return Block("figure", caption, png, caption)


def _names(text: str) -> list[str]:
    return [n.strip() for n in text.split(",") if n.strip()]


def _floats(text: str) -> list[float]:
    return [float(v) for v in _names(text)]


@directive("derive")
def _derive(args: list[str]) -> list[Block]:
    from calcml.symbolic import derive

    f, var = args[0], args[1] if len(args) > 1 else None
    return [example(f"d/d{var} {f}" if var else f"derivative of {f}", derive(f, var))]


@directive("gradient")
def _gradient(args: list[str]) -> list[Block]:
    from calcml.symbolic import gradient

    return [example(f"∇({args[0]})", gradient(args[0], _names(args[1])))]


@directive("jacobian")
def _jacobian(args: list[str]) -> list[Block]:
    from calcml.symbolic import jacobian

    outputs = [o.strip() for o in args[0].split("|")]
    return [example("Jacobian", jacobian(outputs, _names(args[1])))]


@directive("matrix")
def _matrix(args: list[str]) -> list[Block]:
    """`::: matrix kind ; f ; wrt ; shapes` — vector/matrix calculus (calcml.symbolic.matrix)."""
    import calcml.learn.matrix_grade  # noqa: F401 - registers the matrix mistakes
    from calcml.symbolic.matrix.question import KINDS

    kind, f, wrt, shapes = args[0], args[1], args[2], args[3]
    return [example(f"{kind} of {f} w.r.t. {wrt}", KINDS[kind](f, wrt, shapes))]


@directive("hessian")
def _hessian(args: list[str]) -> list[Block]:
    from calcml.symbolic import hessian

    return [example(f"Hessian of {args[0]}", hessian(args[0], _names(args[1])))]


@directive("limit")
def _limit(args: list[str]) -> list[Block]:
    from calcml.symbolic import limit

    side = args[3] if len(args) > 3 else "both"
    return [example(f"limit of {args[0]}", limit(args[0], args[1], args[2], side=side))]


@directive("continuity")
def _continuity(args: list[str]) -> list[Block]:
    from calcml.symbolic import continuity

    return [example(f"continuity of {args[0]}", continuity(args[0], args[1], args[2]))]


@directive("taylor")
def _taylor(args: list[str]) -> list[Block]:
    from calcml.symbolic import taylor

    result = taylor(args[0], args[1], args[2], order=int(args[3]))
    return [example(f"Taylor polynomial of {args[0]}", result)]


@directive("critical")
def _critical(args: list[str]) -> list[Block]:
    from calcml.symbolic import critical_points

    return [example(f"critical points of {args[0]}", critical_points(args[0], _names(args[1])))]


@directive("descend")
def _descend(args: list[str]) -> list[Block]:
    from calcml import optim

    f, x0, lrs = args[0], _floats(args[1]), _floats(args[2])
    runs = [optim.gradient_descent(f, x0, lr=lr, max_steps=200) for lr in lrs]
    return [example(f"gradient descent, lr {lr:g}", run) for lr, run in zip(lrs, runs, strict=True)]


def _descent_runs(args: list[str]) -> Any:
    """`::: figure descent ; f ; x0 ; lr, lr` — the paths of the runs of `::: descend`."""
    from calcml import optim, viz

    f, x0, lrs = args[0], _floats(args[1]), _floats(args[2])
    runs = [optim.gradient_descent(f, x0, lr=lr, max_steps=200) for lr in lrs]
    return viz.descent(runs, labels=[f"lr {lr:g}" for lr in lrs])


@directive("newton")
def _newton(args: list[str]) -> list[Block]:
    from calcml import optim

    return [example(f"Newton's method on {args[0]}", optim.newton(args[0], _floats(args[1])))]


@directive("analyze")
def _analyze(args: list[str]) -> list[Block]:
    from calcml import optim

    return [example(f"curvature of {args[0]}", optim.analyze(args[0], _floats(args[1])))]


@directive("backprop")
def _backprop(args: list[str]) -> list[Block]:
    return [example("backprop through one neuron", _neuron_trace(_floats(args[0])))]


@directive("problem")
def _problem(args: list[str]) -> list[Block]:
    from calcml.learn.problems import problem

    skill_id = args[0]
    seed = int(args[1]) if len(args) > 1 else 0
    difficulty = int(args[2]) if len(args) > 2 else 1
    p = problem(skill_id, seed, difficulty)
    text = f"{p.text()}\n\nAnswer: {p.answer_text()}\n\n{p.solution.text()}"
    return [Block("example", text, None, f"Worked example ({skill_id})")]


@directive("mistakes")
def _mistakes(args: list[str]) -> list[Block]:
    from calcml.learn.mistakes import MISTAKES

    lines = [
        f"- **{_sentence(MISTAKES[k].title)}.** {MISTAKES[k].feedback}" for k in _names(args[0])
    ]
    return [Block("markdown", "\n".join(lines))]


@directive("skills")
def _skills(args: list[str]) -> list[Block]:
    from calcml.learn.skills import skills_of

    lines = [f"- {s.title} — `calcml practice {s.id}`" for s in skills_of(args[0])]
    return [Block("markdown", "\n".join(lines))]


FIGURES: dict[str, Callable[[list[str]], Any]] = {}


def _figures() -> dict[str, Callable[[list[str]], Any]]:
    if FIGURES:
        return FIGURES
    from calcml import viz

    FIGURES.update(
        {
            "tangent": lambda a: viz.tangent(a[0], float(a[1])),
            "descent": _descent_runs,
            "limit": lambda a: viz.limit(a[0], float(a[1])),
            "with-derivative": lambda a: viz.with_derivative(a[0]),
            "activations": lambda a: viz.activations(),
            "gradient-field": lambda a: viz.gradient_field(a[0]),
            "curvature": lambda a: viz.curvature(a[0]),
            "learning-rates": lambda a: viz.compare_learning_rates(
                a[0], _floats(a[1]), _floats(a[2])
            ),
            "taylor": lambda a: viz.taylor(a[0], float(a[1])),
            "lagrange": lambda a: viz.lagrange(a[0], a[1]),
            "vanishing": lambda a: viz.vanishing_gradients(),
            "gradient-check": lambda a: viz.finite_differences(a[0], float(a[1])),
            "backprop-graph": lambda a: viz.graph(_neuron_trace(_floats(a[0]))),
            "pca-iris": lambda a: _pca_iris(),
            "regression": lambda a: _regression(),
        }
    )
    return FIGURES


def _neuron_trace(values: list[float]) -> Any:
    import numpy as np

    from calcml import autodiff as ad

    w, b, x, y = values

    def loss(w: Any, b: Any) -> Any:
        return (1 / (1 + np.exp(-(w * x + b))) - y) ** 2

    return ad.trace(loss, w, b)


def _pca_iris() -> Any:
    from calcml import ml, viz

    data = ml.load_iris()
    model = ml.PCA(2).fit(data.X)
    return viz.pca(data.X, data.y, model=model, feature_names=data.feature_names)


def _regression() -> Any:
    from calcml import ml, viz

    data = ml.make_linear(n=60, seed=0)
    model = ml.LinearRegression(method="gd").fit(data.X, data.y)
    return viz.regression(model, data.X, data.y)


def figure_caption(args: list[str]) -> tuple[str, list[str], str]:
    """A figure directive's kind, arguments and caption (the last argument when quoted)."""
    kind, rest = args[0], args[1:]
    caption = rest[-1] if rest and rest[-1].startswith('"') else ""
    if caption:
        rest = rest[:-1]
        caption = caption.strip('"')
    return kind, rest, caption or f"{kind.replace('-', ' ')}: {', '.join(rest)}"


@directive("figure")
def _figure(args: list[str]) -> list[Block]:
    kind, rest, caption = figure_caption(args)
    return [figure(_figures()[kind](rest), caption)]


@directive("interactive")
def _interactive(args: list[str]) -> list[Block]:
    """`::: interactive NAME ; "caption"` — a figure with sliders (calcml.learn.interactive),
    drawn by the web app; the terminal and the offline book show its caption."""
    from calcml.learn.interactive import INTERACTIVE

    name = args[0]
    if name not in INTERACTIVE:
        raise CalcmlError(f"no interactive figure {name!r}")
    caption = args[1].strip('"') if len(args) > 1 else name
    return [Block("interactive", caption, None, caption, {"name": name})]


def _sentence(title: str) -> str:
    return title[:1].upper() + title[1:]
