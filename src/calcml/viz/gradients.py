"""Vanishing gradients, measured: backpropagate through a deep network and plot the size of
each layer's weight gradient ‖∂L/∂Wₖ‖. With sigmoid (σ′ ≤ 1/4) it shrinks by a factor every
layer on the way back; with tanh or ReLU and a good initialisation it stays level."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from calcml.errors import CalcmlError
from calcml.viz.figure import CalcmlFigure, add_notes, legend, new_figure, render, renderer
from calcml.viz.spec import Spec, array, jsonable
from calcml.viz.style import CYCLE, GREY


def vanishing_gradients_spec(
    activations: Sequence[str] = ("sigmoid", "tanh", "relu"),
    depth: int = 12,
    width: int = 16,
    seed: int = 0,
    samples: int = 64,
) -> Spec:
    """Data: ‖∂L/∂Wₖ‖ for every layer k of an MLP per activation (calcml.autodiff backprop)."""
    from calcml.autodiff import nn

    if not 2 <= depth <= 60:
        raise CalcmlError(f"depth must be between 2 and 60 layers, got {depth}")
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(samples, 4))
    y = rng.normal(size=(samples, 1))
    nets = []
    for name in activations:
        net = nn.MLP([4, *([width] * depth), 1], activation=name, seed=seed)
        loss = ((net(X) - y) ** 2).mean()
        loss.backward()
        norms = [float(np.linalg.norm(layer.W.grad)) for layer in net.layers]
        nets.append({"activation": name, "grad_norms": jsonable(np.array(norms))})
    first = {n["activation"]: n["grad_norms"] for n in nets}
    notes = []
    if "sigmoid" in first:
        g = first["sigmoid"]
        notes.append(
            f"With sigmoid the first layer's gradient is {g[-1] / max(g[0], 1e-300):.1e} times "
            "smaller than the last layer's: each layer back multiplies by σ′ ≤ 1/4 (times the "
            "weights), so early layers barely learn."
        )
    return {
        "kind": "vanishing_gradients",
        "title": f"Gradient size per layer in a {depth + 1}-layer network (backprop, measured)",
        "depth": depth,
        "width": width,
        "networks": nets,
        "notes": notes,
    }


@renderer("vanishing_gradients")
def _draw_vanishing(spec: Spec) -> CalcmlFigure:
    fig, axes = new_figure(spec, height=4.6)
    ax = axes[0, 0]
    for net, colour in zip(spec["networks"], CYCLE, strict=False):
        g = array(net["grad_norms"])
        layers = np.arange(1, len(g) + 1)
        ax.semilogy(layers, g, "o-", color=colour, label=net["activation"])
    n = len(spec["networks"][0]["grad_norms"])
    last = array(spec["networks"][0]["grad_norms"])[-1]
    ref = last * 0.25 ** (n - np.arange(1, n + 1))
    ax.semilogy(np.arange(1, n + 1), ref, ls=":", color=GREY, label="(1/4) per layer back")
    ax.set_xlabel("layer (1 = next to the input)")
    ax.set_ylabel("‖∂L/∂W‖ (log scale)")
    legend(ax, fontsize=9, loc="lower right")
    add_notes(fig, spec)
    return fig


def vanishing_gradients(
    activations: Sequence[str] = ("sigmoid", "tanh", "relu"), depth: int = 12, seed: int = 0
) -> CalcmlFigure:
    """Measured gradient norm per layer of a deep MLP for each activation."""
    return render(vanishing_gradients_spec(activations, depth, seed=seed))
