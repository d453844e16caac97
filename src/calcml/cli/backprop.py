"""`calcml backprop`: a 2-layer network on one example, its backward pass shown step by step."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from calcml.cli.app import app
from calcml.cli.figures import PLOT, save_plot
from calcml.cli.output import console, emit, err_console
from calcml.cli.tour import tour_section

ACTIVATIONS = ("tanh", "sigmoid", "relu", "softplus")


def example_trace(seed: int = 0, hidden: int = 3, activation: str = "tanh") -> Any:
    """Trace L = (W2ᵀ·act(W1ᵀx + b1) + b2 − y)² for one example x ∈ R², target y."""
    import numpy as np

    from calcml import autodiff as ad
    from calcml.errors import CalcmlError

    if activation not in ACTIVATIONS:
        raise CalcmlError(
            f"unknown activation {activation!r}; choose one of {', '.join(ACTIVATIONS)}"
        )
    if not 1 <= hidden <= 8:
        raise CalcmlError("--hidden must be between 1 and 8 (the trace is meant to be read)")
    act = getattr(ad, activation)
    rng = np.random.default_rng(seed)
    x = ad.Tensor([0.5, -1.0], name="x")
    y = ad.Tensor([1.0], name="y")

    def loss(W1: Any, b1: Any, W2: Any, b2: Any) -> Any:
        z1 = x @ W1 + b1
        h = act(z1)
        out = h @ W2 + b2
        err = out - y
        z1.name, h.name, out.name, err.name = "z1", "h", "out", "err"
        return (err**2).sum()

    params = (
        np.round(rng.normal(0.0, 0.8, size=(2, hidden)), 2),
        np.zeros(hidden),
        np.round(rng.normal(0.0, 0.8, size=(hidden, 1)), 2),
        np.zeros(1),
    )
    return ad.trace(loss, *params)


@app.command("backprop")
def backprop_command(
    as_json: bool = typer.Option(False, "--json", help="Print the trace as JSON."),
    dot: Path | None = typer.Option(None, "--dot", help="Write the graph as Graphviz DOT here."),
    seed: int = typer.Option(0, help="Seed of the random weights."),
    hidden: int = typer.Option(3, help="Hidden units (1-8)."),
    activation: str = typer.Option("tanh", help="tanh, sigmoid, relu or softplus."),
    plot: Path | None = PLOT,
) -> None:
    """Backpropagation on a 2-layer network and one example, every chain-rule step shown."""
    from calcml.fileio import atomic_write

    result = example_trace(seed, hidden, activation)
    if as_json:
        emit(result, True)
    else:
        console.print(
            f"Network: x ∈ R² → z1 = x @ W1 + b1 → h = {activation}(z1) → out = h @ W2 + b2; "
            "loss L = (out − y)², x = [0.5, −1], y = 1.",
            style="bold",
        )
        console.print(result.text(), markup=False, highlight=False)
    if dot is not None:  # files after the result: a file error cannot hide it
        atomic_write(dot, result.dot() + "\n")
        said = f"graph written to {dot} (render: dot -Tsvg {dot} -o graph.svg)"
        (err_console if as_json else console).print(
            said, markup=False, highlight=False, soft_wrap=True
        )
    save_plot(result, plot)


@tour_section(order=5, title="Backpropagation")
def _tour(outdir: Path) -> None:
    import numpy as np

    from calcml import autodiff as ad

    console.print(
        "Backpropagation is the chain rule applied node by node, from the loss back to every "
        "weight. calcml records your NumPy code as a graph and shows each step: upstream "
        "gradient × local derivative = what flows to the input."
    )
    result = example_trace()
    console.print(result.text(), markup=False, highlight=False)
    from calcml.fileio import atomic_write

    atomic_write(outdir / "backprop.dot", result.dot() + "\n")
    w = np.array([0.3, -0.2])
    check = ad.gradcheck(lambda w: np.sum(np.tanh(w) ** 2), w)
    console.print(f"Checked against finite differences: {check.text().splitlines()[0]}")
    console.print(
        f"Graph saved to {outdir / 'backprop.dot'}. Try: [bold]calcml backprop --dot graph.dot[/]"
    )
