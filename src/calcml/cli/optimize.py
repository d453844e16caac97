"""CLI verbs for optimization and ML: `descend`, `newton`, `train`, `pca`; tour stops 4 and 7."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path
from typing import Any

import typer

from calcml.cli.app import app
from calcml.cli.figures import PLOT, save_plot
from calcml.cli.options import EXPRESSION_FIRST, bounded, json_option, names_within, wrt_option
from calcml.cli.output import console, emit, split_names
from calcml.cli.tour import tour_section
from calcml.text import count_of

MODELS = ("linear", "logistic", "mlp")


def parse_point(text: str) -> list[float]:
    """'1, -2.5' -> [1.0, -2.5]; a CalcmlError names the bad coordinate."""
    from calcml.errors import CalcmlError

    parts = [p.strip() for p in text.split(",") if p.strip()]
    if not parts:
        raise CalcmlError("--from needs coordinates, e.g. --from 1,1")
    from calcml.bounds import BOUNDS

    BOUNDS["wrt"].check(len(parts), "the number of --from coordinates")
    out = []
    for part in parts:
        try:
            out.append(float(part))
        except ValueError:
            raise CalcmlError(
                f"--from: {part!r} is not a number (write e.g. --from 1,-2)"
            ) from None
    return out


@app.command(context_settings=EXPRESSION_FIRST)
def descend(
    expression: str = typer.Argument(..., help='The function to minimise, e.g. "x^2 + 10y^2".'),
    start: str = typer.Option(..., "--from", help="Start point, comma separated: 1,1."),
    lr: float = typer.Option(0.1, "--lr", help="Learning rate (step size)."),
    momentum: float = typer.Option(0.0, help="Momentum β in [0, 1) (heavy ball)."),
    nesterov: bool = typer.Option(False, help="Nesterov look-ahead momentum."),
    line_search: bool = typer.Option(False, help="Backtracking (Armijo) line search from --lr."),
    adam: bool = typer.Option(False, help="Use Adam instead of gradient descent."),
    steps: int = bounded(1000, "steps", "--steps", help="Maximum number of steps."),
    tol: float = typer.Option(1e-6, help="Stop when the gradient norm falls below this."),
    variables: str | None = wrt_option("Variable order, e.g. x,y."),
    as_json: bool = json_option("Print JSON."),
    plot: Path | None = PLOT,
) -> None:
    """Gradient descent x ← x − lr·∇f(x): every step recorded, the outcome explained.

    The status is converged, diverged, oscillating or max_steps, and the summary says why.

    A fixed step is stable only below 2/L, L the largest eigenvalue of the Hessian.

    On x² + 10y² (L = 20, so 2/L = 0.1):

    [bold]calcml descend "x^2 + 10y^2" --from 1,1 --lr 0.09[/]   converges

    [bold]calcml descend "x^2 + 10y^2" --from 1,1 --lr 0.11[/]   diverges

    [bold]calcml descend "x^2 + 10y^2" --from 1,1 --lr 0.01 --momentum 0.9[/]   heavy ball
    """
    from calcml import optim
    from calcml.errors import CalcmlError

    x0 = parse_point(start)
    names = names_within(variables)
    if adam:
        if momentum or nesterov or line_search:
            raise CalcmlError(
                "--momentum, --nesterov and --line-search are for gradient descent; Adam keeps "
                "its own momentum (β₁ = 0.9) and per-coordinate step sizes"
            )
        run = optim.adam(
            expression, x0, lr=lr, max_steps=steps, tol=tol, variables=names, progress=not as_json
        )
    else:
        run = optim.gradient_descent(
            expression,
            x0,
            lr=lr,
            momentum=momentum,
            nesterov=nesterov,
            line_search=line_search,
            max_steps=steps,
            tol=tol,
            variables=names,
            progress=not as_json,
        )
    emit(run, as_json)
    save_plot(run, plot)


@app.command("newton", context_settings=EXPRESSION_FIRST)
def newton_command(
    expression: str = typer.Argument(..., help='The function to minimise, e.g. "(x-1)^2 + y^4".'),
    start: str = typer.Option(..., "--from", help="Start point, comma separated: 1,1."),
    damping: float = typer.Option(0.0, help="λ added to the Hessian: (H + λI)d = −∇f."),
    steps: int = bounded(100, "newton_steps", "--steps", help="Maximum number of steps."),
    tol: float = typer.Option(1e-8, help="Stop when the gradient norm falls below this."),
    variables: str | None = wrt_option("Variable order, e.g. x,y."),
    as_json: bool = json_option("Print JSON."),
    plot: Path | None = PLOT,
) -> None:
    """Newton's method x ← x − H⁻¹∇f(x): jump to the minimum of the local quadratic model.

    One step on a quadratic; near a well-curved minimum the error squares each step.

    A singular or indefinite Hessian is reported and damped, (H + λI)d = −∇f, never a crash.

    The end point is checked by the second-derivative test (minimum, saddle, degenerate).

    [bold]calcml newton "(1-x)^2 + 100(y-x^2)^2" --from -1.2,1[/]   Rosenbrock
    """
    from calcml import optim

    run = optim.newton(
        expression,
        parse_point(start),
        damping=damping,
        max_steps=steps,
        tol=tol,
        variables=names_within(variables),
        progress=not as_json,
    )
    emit(run, as_json)
    save_plot(run, plot)


def hidden_sizes(text: str) -> list[int]:
    """'16,16' -> [16, 16], each size and the number of layers within calcml.bounds."""
    from calcml.bounds import BOUNDS
    from calcml.errors import CalcmlError

    try:
        sizes = [int(h) for h in split_names(text) or []]
    except ValueError:
        raise CalcmlError(f"--hidden takes layer sizes like 16,16; got {text!r}") from None
    BOUNDS["layers"].check(len(sizes), "the number of --hidden layers")
    for size in sizes:
        BOUNDS["hidden"].check(size, "a --hidden layer size")
    return sizes


def check_mlp_work(inputs: int, sizes: list[int], classes: int, epochs: int) -> None:
    """Refuse a network whose training would cost more than epochs × weights allows."""
    from calcml.bounds import BOUNDS

    widths = [inputs, *sizes, max(classes, 2)]
    weights = sum((a + 1) * b for a, b in pairwise(widths))
    BOUNDS["parameter_epochs"].check(weights * epochs, f"epochs × weights ({weights:,} weights)")


@app.command()
def train(
    model: str = typer.Argument(..., help="linear, logistic or mlp."),
    data: str | None = typer.Option(
        None, help="Dataset: linear, blobs, moons, spiral, iris (default depends on the model)."
    ),
    method: str | None = typer.Option(
        None, help="linear: normal|gd; logistic: newton|gd; mlp: adam|gd."
    ),
    lr: float | None = typer.Option(
        None, help="Learning rate (default: 1/L from the curvature for gd; 0.01 for mlp)."
    ),
    l2: float | None = typer.Option(
        None, help="L2 strength λ (weight decay); default 0.01 for logistic, else 0."
    ),
    epochs: int | None = bounded(
        None, "epochs", "--epochs", help="MLP training epochs (default 500)."
    ),
    hidden: str | None = typer.Option(
        None,
        help="MLP hidden layer sizes (default 16,16); at most 4 layers of 256 units, "
        "and epochs × weights at most 10,000,000.",
    ),
    standardize: bool | None = typer.Option(
        None,
        "--standardize/--no-standardize",
        help="linear --method gd: descend on standardised features (few steps) or on the raw "
        "ones (default: raw, so the descent is visible).",
    ),
    as_json: bool = json_option("Print JSON."),
    plot: Path | None = PLOT,
) -> None:
    """Fit a model to a dataset and explain what it learned, and the calculus behind it.

    linear: least squares, by the normal equations or gradient descent (lr = 1/L; on the raw
    features unless --standardize, with the condition number each way).

    logistic: cross-entropy, by Newton's method or gradient descent (softmax for 3+ classes).

    mlp: a small neural network trained by backpropagation (Adam or gradient descent).

    [bold]calcml train logistic --data iris[/]   ·   [bold]calcml train mlp --data moons[/]
    """
    from calcml.errors import CalcmlError
    from calcml.ml import LinearRegression, LogisticRegression
    from calcml.ml.datasets import training_data
    from calcml.ml.mlp import MLPClassifier

    if model not in MODELS:
        raise CalcmlError(f"unknown model {model!r}; choose one of {', '.join(MODELS)}")
    if model != "mlp" and (epochs is not None or hidden is not None):
        raise CalcmlError("--epochs and --hidden are for the mlp model")
    if standardize is not None and (model, method) != ("linear", "gd"):
        raise CalcmlError("--standardize/--no-standardize is for train linear --method gd")
    X, y, dataset, note = training_data(model, data)
    progress = not as_json
    if l2 is None:
        l2 = 0.01 if model == "logistic" else 0.0
    estimator: Any
    if model == "linear":
        estimator = LinearRegression(
            method=method or "normal",
            lr=lr,
            l2=l2,
            progress=progress,
            standardize=bool(standardize),
        )
    elif model == "logistic":
        estimator = LogisticRegression(method=method or "newton", lr=lr, l2=l2, progress=progress)
    else:
        sizes = hidden_sizes(hidden or "16,16")
        check_mlp_work(X.shape[1], sizes, len(set(y.tolist())), 500 if epochs is None else epochs)
        estimator = MLPClassifier(
            hidden=sizes,
            optimizer=method or "adam",
            lr=0.01 if lr is None else lr,
            epochs=500 if epochs is None else epochs,
            l2=l2,
            progress=progress,
        )
    estimator.fit(X, y)
    if model == "logistic":
        report = estimator.report(X, y, feature_names=dataset.feature_names or None)
    else:
        report = estimator.report(X, y)
    report.facts = {"data": dataset.summary(), **report.facts}
    if note:
        report.explanation = f"{note} {report.explanation}"
    emit(report, as_json)
    save_plot(estimator, plot, X=X, y=y)


@app.command("pca")
def pca_command(
    data: str = typer.Option("iris", help="Dataset: iris, blobs, moons, spiral, linear."),
    components: int = bounded(2, "components", "--components", "-k", help="How many components."),
    method: str = typer.Option("eig", help="eig (eigen-decomposition) or power (iteration)."),
    as_json: bool = json_option("Print JSON."),
    plot: Path | None = PLOT,
) -> None:
    """Principal components: the directions of greatest variance, and how much each keeps.

    Each component v maximises vᵀCv subject to ‖v‖ = 1, C the covariance matrix.

    The Lagrange condition Cv = λv makes v an eigenvector, λ the variance it keeps.

    --method power finds the same components by power iteration.

    [bold]calcml pca --data iris -k 2[/]
    """
    from calcml.ml import PCA, load

    dataset = load(data)
    pca = PCA(components, method=method).fit(dataset.X)
    report = pca.report(dataset.feature_names)
    report.facts = {"data": dataset.summary(), **report.facts}
    emit(report, as_json)
    save_plot(pca, plot, X=dataset.X, y=dataset.y, feature_names=dataset.feature_names)


@tour_section(order=4, title="Gradient descent")
def _tour_descent(outdir: Path) -> None:
    from calcml import optim
    from calcml.expr import parse, to_text
    from calcml.ml.example import linear_regression_example

    f = "x^2 + 10y^2"
    pretty = to_text(parse(f))
    a = optim.analyze(f, [1, 1])
    console.print(
        f"Gradient descent steps against the gradient: x ← x − lr·∇f(x). On f = {pretty} the "
        f"Hessian's eigenvalues are {a.mu:g} and {a.L:g}, so a step is stable only below "
        f"2/L = {a.max_stable_lr:g}."
    )
    assert a.max_stable_lr is not None
    for factor in (0.9, 1.1):
        run = optim.gradient_descent(f, [1, 1], lr=factor * a.max_stable_lr, max_steps=500)
        colour = "green" if run.converged else "red"
        console.print(
            f"  lr = {factor}·(2/L) = {factor * a.max_stable_lr:.3g}: "
            f"[bold {colour}]{run.status}[/] after {count_of(run.steps, 'steps')}. "
            f"{run.analysis.verdict(run)}"
        )
    run = optim.newton("(x - 1)^2 + 10(y + 2)^2", [5, 5])
    console.print(
        f"Newton's method uses the Hessian too and lands on a quadratic's minimum in "
        f"{run.steps} step: x = {run.x.round(6).tolist()}."
    )
    console.print(
        'Try: [bold]calcml descend "x^2 + 10y^2" --from 1,1 --lr 0.11[/]   and   '
        '[bold]calcml newton "(1-x)^2 + 100(y-x^2)^2" --from -1.2,1[/]'
    )
    example = linear_regression_example(shown_steps=2)
    console.print()
    console.print(f"[bold]{example.title}[/]")
    for head, body in example.sections():
        if head.startswith("Its gradient"):
            body = "\n".join(d.text().splitlines()[0] for d in example.derivations)
        console.print(f"[cyan]{head}[/]", markup=True)
        console.print(body, markup=False)


@tour_section(order=7, title="Applications")
def _tour_applications(outdir: Path) -> None:
    import numpy as np
    from rich.table import Table

    from calcml import ml
    from calcml.expr import parse, to_text

    table = Table("loss", "per sample ℓ", "∂ℓ/∂prediction (derived, verified)", box=None)
    for loss in (ml.mse, ml.bce_with_logits, ml.softmax_cross_entropy, ml.hinge):
        table.add_row(
            loss.title.replace(" (from logits)", ", logits"),
            to_text(parse(loss.formula)),
            f"∂ℓ/∂{loss.wrt} = {_short(loss)}",
        )
    console.print("[bold]Losses[/] — each with a value, an autodiff gradient and a derivation:")
    console.print(table)
    console.print(f"[bold]L2 regularization[/] (λ/2)·‖w‖². {ml.L2(0.1).explain()}")

    iris = ml.load_iris()
    eig = ml.PCA(2).fit(iris.X)
    power = ml.PCA(2, method="power").fit(iris.X)
    gap = float(np.max(np.abs(eig.components_ - power.components_)))
    console.print(
        f"[bold]PCA[/] on iris: two components keep "
        f"{100 * eig.explained_variance_ratio_.sum():.1f}% of the variance. Maximising vᵀCv "
        "subject to ‖v‖ = 1 gives Cv = λv — the Lagrange multiplier λ is the variance explained. "
        f"Power iteration ({', '.join(map(str, power.iterations_))} iterations) reaches the same "
        f"components (largest difference {gap:.1e})."
    )

    blobs = ml.make_blobs(200, centers=2, spread=3.0, seed=2)
    newton = ml.LogisticRegression("newton").fit(blobs.X, blobs.y)
    gd = ml.LogisticRegression("gd").fit(blobs.X, blobs.y)
    dw = float(np.max(np.abs(newton.coef_ - gd.coef_)))
    console.print(
        f"[bold]Logistic regression[/] on overlapping blobs: Newton converges in "
        f"{newton.n_iter_} steps, gradient descent in {gd.n_iter_}; their weights differ by "
        f"{dw:.1e} (training accuracy {newton.score(blobs.X, blobs.y):.2f})."
    )

    moons = ml.make_moons(200, noise=0.1, seed=0)
    mlp = ml.MLPClassifier(hidden=(16, 16), epochs=300).fit(moons.X, moons.y)
    console.print(
        f"[bold]Backprop[/]: an MLP 2 → 16 → 16 → 2 ({mlp.n_parameters_} weights) trained on "
        f"two moons reaches {100 * mlp.score(moons.X, moons.y):.0f}% training accuracy "
        f"(loss {mlp.loss_history_[0]:.3f} → {mlp.loss_history_[-1]:.4f} in 300 epochs)."
    )
    console.print(
        "Try: [bold]calcml train logistic --data iris[/], [bold]calcml train mlp[/], "
        "[bold]calcml pca --method power[/]"
    )


def _short(loss: Any) -> str:
    from calcml.expr import to_text

    return to_text(loss.symbolic_gradient())
