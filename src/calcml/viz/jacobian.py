"""The Jacobian as the best linear approximation: a small grid around a point, its image
under F: R² → R², and its image under the linearization F(p) + J(p)(x − p). Near p the two
images agree; the Jacobian's columns are where the grid's unit steps go."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import sympy as sp

from calcml.errors import CalcmlError
from calcml.expr.convert import as_expr
from calcml.viz.figure import CalcmlFigure, add_notes, legend, new_figure, render, renderer
from calcml.viz.sampling import numeric, variables
from calcml.viz.spec import Spec, array, jsonable
from calcml.viz.style import BLACK, BLUE, ORANGE, VERMILLION, math, number


def jacobian_map_spec(
    fs: Sequence[Any],
    at: Sequence[float] = (1.0, 0.5),
    var: Any = None,
    radius: float = 0.4,
    lines: int = 7,
    jacobian: Any = None,
) -> Spec:
    """Data: grid lines around `at`, their images under F and under F(p) + J(p)(x − p).

    `jacobian` is J when already derived (a calcml Derivation's result); else SymPy's.
    """
    from calcml.expr import expr_dict, to_latex

    if len(fs) != 2:
        raise CalcmlError("the Jacobian picture maps the plane to the plane: give 2 functions")
    f1, f2 = (as_expr(f) for f in fs)
    syms = variables(f1 + f2, var, 2) if var is not None or (f1 + f2).free_symbols else None
    if syms is None:
        raise CalcmlError("the functions have no variables to map")
    J = sp.Matrix(jacobian) if jacobian is not None else sp.Matrix([f1, f2]).jacobian(syms)
    a, b = float(at[0]), float(at[1])
    F = [numeric(f, syms) for f in (f1, f2)]
    Fp = np.array([float(g(a, b)) for g in F])
    Jp = np.array([[float(numeric(J[i, j], syms)(a, b)) for j in range(2)] for i in range(2)])
    if not (np.all(np.isfinite(Fp)) and np.all(np.isfinite(Jp))):
        raise CalcmlError(f"F or its Jacobian is undefined at ({number(a)}, {number(b)})")
    t = np.linspace(-radius, radius, 60)
    offsets = np.linspace(-radius, radius, lines)
    grid_lines = []
    for c in offsets:
        for xs, ys in ((a + t, np.full_like(t, b + c)), (np.full_like(t, a + c), b + t)):
            image = np.array([g(xs, ys) for g in F])
            linear = Fp[:, None] + Jp @ np.vstack([xs - a, ys - b])
            grid_lines.append(
                {
                    "input": jsonable(np.vstack([xs, ys])),
                    "image": jsonable(image),
                    "linear": jsonable(linear),
                }
            )
    x, y = (s.name for s in syms)
    return {
        "kind": "jacobian_map",
        "title": f"F({x}, {y}) = ({math(to_latex(f1))}, {math(to_latex(f2))}) near "
        f"({number(a)}, {number(b)})",
        "variables": [x, y],
        "functions": [expr_dict(f1), expr_dict(f2)],
        "jacobian": [[expr_dict(J[i, j]) for j in range(2)] for i in range(2)],
        "point": [a, b],
        "value": jsonable(Fp),
        "jacobian_at": jsonable(Jp),
        "determinant": float(np.linalg.det(Jp)),
        "lines": grid_lines,
        "notes": [
            f"J(p) = [[{number(Jp[0, 0])}, {number(Jp[0, 1])}], [{number(Jp[1, 0])}, "
            f"{number(Jp[1, 1])}]], det J = {number(float(np.linalg.det(Jp)))}: near p, F "
            "stretches areas by |det J|. Solid: the image under F; dashed: under the "
            "linearization F(p) + J(p)(x − p)."
        ],
    }


@renderer("jacobian_map")
def _draw_jacobian(spec: Spec) -> CalcmlFigure:
    fig, axes = new_figure(spec, 1, 2, height=4.6)
    left, right = axes[0, 0], axes[0, 1]
    for line in spec["lines"]:
        inp, img, lin = array(line["input"]), array(line["image"]), array(line["linear"])
        left.plot(inp[0], inp[1], color=BLUE, lw=1.0)
        right.plot(lin[0], lin[1], color=ORANGE, lw=1.2, ls="--")
        right.plot(img[0], img[1], color=BLUE, lw=1.0)
    a, b = spec["point"]
    left.plot([a], [b], "o", color=BLACK, ms=6)
    u, v = spec["value"]
    right.plot([u], [v], "o", color=BLACK, ms=6)
    r = 0.5 * float(np.ptp(array(spec["lines"][0]["input"])[0]))
    Jp = np.array(spec["jacobian_at"])
    for k, colour in ((0, VERMILLION), (1, "#009E73")):
        e = np.eye(2)[k] * r
        left.annotate(
            "",
            xy=(a + e[0], b + e[1]),
            xytext=(a, b),
            arrowprops={"arrowstyle": "-|>", "color": colour, "lw": 2.2},
        )
        col = Jp[:, k] * r
        right.annotate(
            "",
            xy=(u + col[0], v + col[1]),
            xytext=(u, v),
            arrowprops={"arrowstyle": "-|>", "color": colour, "lw": 2.2},
        )
    x, y = spec["variables"]
    left.set_title("input: a small grid around p", fontsize=9)
    left.set_xlabel(x)
    left.set_ylabel(y)
    right.set_title("output: F (solid) vs. F(p) + J(p)(x − p) (dashed)", fontsize=9)
    right.set_xlabel("F₁")
    right.set_ylabel("F₂")
    right.plot([], [], color=BLUE, label="image under F")
    right.plot([], [], color=ORANGE, ls="--", label="under the linearization")
    legend(right, fontsize=8, loc="best")
    for ax in (left, right):
        ax.set_aspect("equal", adjustable="datalim")
    add_notes(fig, spec)
    return fig


def jacobian_map(
    fs: Sequence[Any],
    at: Sequence[float] = (1.0, 0.5),
    var: Any = None,
    radius: float = 0.4,
    jacobian: Any = None,
) -> CalcmlFigure:
    """How F: R² → R² bends a small grid near a point, against its Jacobian's linear map."""
    return render(jacobian_map_spec(fs, at, var, radius, jacobian=jacobian))
