"""`calcml limit | continuity | taylor | critical`: limits with steps and evidence, continuity
and differentiability, Taylor polynomials, critical points; and two stops of the tour."""

from __future__ import annotations

from pathlib import Path

import typer

from calcml.bounds import TIME_LIMIT_HELP
from calcml.cli.app import app
from calcml.cli.figures import PLOT, show
from calcml.cli.options import (
    EXPRESSION_FIRST,
    bounded,
    json_option,
    names_within,
    variables_of,
    wrt_option,
)
from calcml.cli.output import console
from calcml.cli.tour import tour_section

JSON = json_option("Print the result as JSON (.to_dict()).")
VAR = wrt_option("The variable (may be omitted when there is only one).")
TIME_LIMIT = bounded(5.0, "time_limit", "--time-limit", help=TIME_LIMIT_HELP)  # as the engines


@app.command("limit", context_settings=EXPRESSION_FIRST)
def limit_command(
    expression: str = typer.Argument(..., help='The function, e.g. "sin(x)/x".'),
    var: str | None = VAR,
    at: str = typer.Option("0", "--at", help="The point: a number, pi, oo or -oo."),
    side: str = typer.Option("both", "--side", help="both (default), left or right."),
    time_limit: float = TIME_LIMIT,
    as_json: bool = JSON,
    plot: Path | None = PLOT,
) -> None:
    """A limit with a teacher's steps and a numeric evidence table.

    Two-sided limits are computed as both one-sided limits and compared.
    The value is a number, oo, -oo, DNE (does not exist) or 'undecided'.
    Steps: substitute, name the indeterminate form (0/0, ∞/∞, 1^∞, ...), then a
    technique (factor, conjugate, standard limit, L'Hôpital, squeeze).
    The table shows f ever closer to the point, computed with mpmath.

    Examples:
      [bold]calcml limit "sin(x)/x"[/]
      [bold]calcml limit "2^(1/x)" --side left[/]
      [bold]calcml limit "(1 + 1/x)^x" --at oo[/]
    """
    from calcml.symbolic.limits import limit

    variables_of([expression], names_within(var))
    show(limit(expression, var, at, side=side, time_limit=time_limit), as_json, plot)


@app.command("continuity", context_settings=EXPRESSION_FIRST)
def continuity_command(
    expression: str = typer.Argument(..., help='The function, e.g. "abs(x)/x".'),
    var: str | None = VAR,
    at: str = typer.Option("0", "--at", help="The point (a real number)."),
    derivative: bool = typer.Option(
        False, "--differentiable", help="Also check differentiability (one-sided derivatives)."
    ),
    time_limit: float = TIME_LIMIT,
    as_json: bool = JSON,
    plot: Path | None = PLOT,
) -> None:
    """Continuity at a point: f(a) defined, the limit exists, and they are equal; the kind
    of discontinuity (removable, jump, infinite, oscillating).

    With --differentiable, also the one-sided derivatives (difference quotients):
    |x| and ReLU at 0 are continuous but not differentiable.

    Examples:
      [bold]calcml continuity "abs(x)/x"[/]
      [bold]calcml continuity "relu(x)" --differentiable[/]
    """
    from calcml.symbolic.continuity import continuity, differentiable

    check = differentiable if derivative else continuity
    variables_of([expression], names_within(var))
    show(check(expression, var, at, time_limit=time_limit), as_json, plot)


@app.command("taylor", context_settings=EXPRESSION_FIRST)
def taylor_command(
    expression: str = typer.Argument(..., help='The function, e.g. "exp(x)" or "exp(x) cos(y)".'),
    var: str | None = wrt_option("Variable(s), comma separated (default: all, by name)."),
    at: str = typer.Option("0", "--at", help="The point: 0, or 1,2 for several variables."),
    order: int = bounded(3, "order", "--order", help="The degree of the polynomial."),
    as_json: bool = JSON,
    plot: Path | None = PLOT,
) -> None:
    """The Taylor polynomial, derivative by derivative (several variables: gradient, Hessian).

    One variable: cₖ = f⁽ᵏ⁾(a)/k!, in powers of (x − a), with the remainder's order.
    Several variables: order 1 is the linearization f(a) + ∇f(a)·(x − a);
    order 2 adds ½ (x − a)ᵀ H(a) (x − a).

    Examples:
      [bold]calcml taylor "exp(x)" --order 4[/]
      [bold]calcml taylor "sqrt(x)" --at 4 --order 2[/]
      [bold]calcml taylor "exp(x)*cos(y)" --wrt x,y --at 0,0 --order 2[/]
    """
    from calcml.symbolic.taylor import taylor

    names = names_within(var)
    variables_of([expression], names)
    if names is not None and len(names) > 1:
        show(taylor(expression, names, at=at, order=order), as_json, plot)
    else:
        show(taylor(expression, names[0] if names else None, at=at, order=order), as_json, plot)


@app.command("critical", context_settings=EXPRESSION_FIRST)
def critical_command(
    expression: str = typer.Argument(..., help='A scalar function, e.g. "x^3 - 3x + y^2".'),
    wrt: str | None = wrt_option(bound="hessian_variables"),
    time_limit: float = TIME_LIMIT,
    as_json: bool = JSON,
    plot: Path | None = PLOT,
) -> None:
    """Critical points (∇f = 0), each classified by the Hessian's eigenvalues.

    Eigenvalues all > 0: a minimum; all < 0: a maximum; both signs: a saddle;
    a zero eigenvalue: inconclusive. Corners (|x|, ReLU) are flagged.
    Exact when ∇f = 0 is small enough to solve (its size decides, never the clock),
    else numeric from a grid over -5 … 5.

    Example: [bold]calcml critical "x^3 - 3*x + y^2" --wrt x,y[/]
    """
    from calcml.symbolic.critical import critical_points

    names = names_within(wrt, "hessian_variables")
    variables_of([expression], names, "hessian_variables")
    show(critical_points(expression, names, time_limit=time_limit), as_json, plot)


@tour_section(order=1, title="Functions & limits")
def _tour_limits(outdir: Path) -> None:
    from rich.text import Text

    from calcml.symbolic import continuity, limit

    console.print(
        Text("A limit, computed from both sides and checked numerically:", style="italic")
    )
    console.print(limit("(sqrt(x + 4) - 2)/x", "x", 0))
    console.print()
    console.print(Text("SymPy says 2^(1/x) → ∞ as x → 0⁻; the numbers say 0:", style="italic"))
    console.print(limit("2^(1/x)", "x", 0, side="left"))
    console.print()
    console.print(Text("Continuity: three conditions, in order.", style="italic"))
    console.print(continuity("abs(x)/x", "x", 0))


@tour_section(order=6, title="Taylor & curvature")
def _tour_taylor(outdir: Path) -> None:
    from rich.text import Text

    from calcml.symbolic import critical_points, taylor

    console.print(Text("Near a point, a function is its Taylor polynomial:", style="italic"))
    console.print(Text(taylor("sigmoid(x)", "x", 0, order=3).text().splitlines()[0]))
    console.print(
        Text(taylor("exp(x)*cos(y)", ["x", "y"], at=(0, 0), order=2).text().splitlines()[0])
    )
    console.print()
    console.print(Text("Curvature decides what a critical point is:", style="italic"))
    console.print(critical_points("x^3 - 3*x + y^2", ["x", "y"]))
