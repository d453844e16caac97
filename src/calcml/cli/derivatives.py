"""`calcml derive | gradient | jacobian | hessian`: step-by-step derivatives, checked, and the
Derivatives stop of the tour."""

from __future__ import annotations

from pathlib import Path

import typer

from calcml.cli.app import app
from calcml.cli.figures import PLOT, show
from calcml.cli.options import EXPRESSION_FIRST, json_option, names_within, variables_of, wrt_option
from calcml.cli.output import console
from calcml.cli.tour import tour_section

JSON = json_option("Print the derivation as JSON (.to_dict()).")
WRT = wrt_option()
SCALAR = typer.Argument(..., help='A scalar function, e.g. "x^2 y + y^3".')
SHAPES = typer.Option(
    None,
    "--shapes",
    help='Vector/matrix shapes, e.g. "X: n×d, w: d, y: n" (also n x d, (n, d)); see '
    "calcml lesson matrix-calculus.",
)


def _matrix(kind: str, expression: str, wrt: str | None, shapes: str | None) -> object:
    """The matrix-calculus answer when --shapes or a matrix operator is present, else None."""
    from calcml.symbolic.matrix.question import matrix_question

    return matrix_question(kind, expression, wrt, shapes)


@app.command("derive", context_settings=EXPRESSION_FIRST)
def derive_command(
    expression: str = typer.Argument(
        ..., help='The function, e.g. "x^2 sin x" or "sigmoid(w x + b)".'
    ),
    wrt: str | None = wrt_option("The variable (may be omitted when there is only one)."),
    as_json: bool = JSON,
    plot: Path | None = PLOT,
    shapes: str | None = SHAPES,
) -> None:
    """Differentiate step by step: every rule named, the result simplified and checked.

    Each step names its rule (product, chain, sigmoid, ...) and the formula used.
    The chain rule states its inner function u; the result is checked against SymPy.

    Examples:
      [bold]calcml derive "x^2 sin x"[/]
      [bold]calcml derive "sigmoid(w*x + b)" --wrt w[/]
      [bold]calcml derive "x^x" --json[/]
    """
    from calcml.symbolic import derive

    matrix = _matrix("derive", expression, wrt, shapes)
    if matrix is not None:
        show(matrix, as_json, plot)
        return
    variables_of([expression], names_within(wrt))
    show(derive(expression, wrt), as_json, plot)


@app.command("gradient", context_settings=EXPRESSION_FIRST)
def gradient_command(
    expression: str = SCALAR,
    wrt: str | None = WRT,
    as_json: bool = JSON,
    plot: Path | None = PLOT,
    shapes: str | None = SHAPES,
) -> None:
    """The gradient ∇f: one partial derivative per variable (shape stated).

    Each partial derivative holds the other variables constant.
    ∇f has shape (n,) for n variables, in the order given by --wrt.

    Example: [bold]calcml gradient "x^2*y + y^3" --wrt x,y[/]
    """
    from calcml.symbolic import gradient

    matrix = _matrix("gradient", expression, wrt, shapes)
    if matrix is not None:
        show(matrix, as_json, plot)
        return
    names = names_within(wrt)
    variables_of([expression], names)
    show(gradient(expression, names), as_json, plot)


@app.command("jacobian", context_settings=EXPRESSION_FIRST)
def jacobian_command(
    expressions: list[str] = typer.Argument(..., help='The outputs, e.g. "x*y" "x + y^2".'),
    wrt: str | None = WRT,
    as_json: bool = JSON,
    plot: Path | None = PLOT,
    shapes: str | None = SHAPES,
) -> None:
    """The Jacobian J[i, j] = ∂fᵢ/∂xⱼ: rows are outputs, columns are variables.

    m outputs and n variables give an m×n matrix; row i is the gradient of output i.

    Example: [bold]calcml jacobian "x*y" "x + y^2" --wrt x,y[/]
    """
    from calcml.bounds import BOUNDS
    from calcml.symbolic import jacobian

    matrix = _matrix("jacobian", expressions[0], wrt, shapes) if len(expressions) == 1 else None
    if matrix is not None:
        show(matrix, as_json, plot)
        return
    BOUNDS["outputs"].check(len(expressions), "the number of outputs")
    names = names_within(wrt)
    variables_of(expressions, names)
    show(jacobian(expressions, names), as_json, plot)


@app.command("hessian", context_settings=EXPRESSION_FIRST)
def hessian_command(
    expression: str = SCALAR,
    wrt: str | None = wrt_option(bound="hessian_variables"),
    as_json: bool = JSON,
    plot: Path | None = PLOT,
    shapes: str | None = SHAPES,
) -> None:
    """The Hessian of second derivatives, with the symmetry of mixed partials checked.

    H[i, j] = ∂²f/∂xᵢ∂xⱼ, shape n×n; for smooth f the mixed partials agree (Schwarz).
    Its eigenvalues tell minimum, maximum or saddle (see calcml critical).

    Example: [bold]calcml hessian "x^2*y + y^3" --wrt x,y[/]
    """
    from calcml.symbolic import hessian

    matrix = _matrix("hessian", expression, wrt, shapes)
    if matrix is not None:
        show(matrix, as_json, plot)
        return
    names = names_within(wrt, "hessian_variables")
    variables_of([expression], names, "hessian_variables")
    show(hessian(expression, names), as_json, plot)


@tour_section(order=2, title="Derivatives")
def _tour(outdir: Path) -> None:
    from rich.text import Text

    from calcml.symbolic import derive, gradient
    from calcml.symbolic.losses import binary_cross_entropy

    console.print(
        "Every derivative is derived rule by rule and checked against SymPy before it is shown. "
        'Try: [bold]calcml derive "sigmoid(w*x + b)" --wrt w[/]'
    )
    console.print(derive("sigmoid(w*x + b)", "w"))
    console.print()
    console.print("A gradient is one partial derivative per variable, with its shape:")
    grad = gradient("x^2*y + y^3", ["x", "y"])
    console.print(Text.assemble("  ", grad.text().splitlines()[0], style="bold"))
    console.print()
    bce = binary_cross_entropy("z")
    console.print("Binary cross-entropy of a sigmoid collapses to the famous error signal:")
    console.print(Text.assemble("  ", bce.text().splitlines()[0], style="bold"))
