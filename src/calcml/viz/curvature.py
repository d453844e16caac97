"""Curvature at critical points: contours around each point with the Hessian's eigenvectors.

At a critical point (∇f = 0) the Hessian decides: both eigenvalues > 0 — a minimum (the bowl
curves up along both eigenvectors); both < 0 — a maximum; mixed signs — a saddle.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import sympy as sp

from calcml.errors import CalcmlError
from calcml.expr.convert import as_expr
from calcml.viz.figure import CalcmlFigure, add_notes, caption, new_figure, render, renderer
from calcml.viz.sampling import numeric, variables
from calcml.viz.spec import Spec, jsonable
from calcml.viz.style import BLACK, BLUE, GREEN, GREY, ORANGE, VERMILLION, math, number
from calcml.viz.surfaces import draw_contours, grid2d

MAX_POINTS = 3


def classify(eigenvalues: Any, tol: float = 1e-9) -> str:
    """'minimum', 'maximum', 'saddle' or 'degenerate' from the Hessian's eigenvalues."""
    lam = np.asarray(eigenvalues, dtype=float)
    if np.any(np.abs(lam) <= tol * max(1.0, float(np.max(np.abs(lam))))) and not (
        np.any(lam > tol) and np.any(lam < -tol)
    ):
        return "inconclusive"
    if np.all(lam > 0):
        return "minimum"
    if np.all(lam < 0):
        return "maximum"
    return "saddle"


def find_critical_points(expr: sp.Expr, syms: list[sp.Symbol]) -> list[tuple[float, float]]:
    """Real solutions of ∇f = 0, as float pairs: from calcml.symbolic.critical_points (exact,
    or numeric with checked roots), else SymPy's solve."""
    try:
        from calcml.symbolic import critical_points
    except ImportError:  # pragma: no cover - the symbolic package ships it
        return _solve(expr, syms)
    found = critical_points(expr, [s.name for s in syms])
    return sorted((float(p.coords[0]), float(p.coords[1])) for p in found.points)


def _solve(expr: sp.Expr, syms: list[sp.Symbol]) -> list[tuple[float, float]]:
    grad = [sp.diff(expr, s) for s in syms]
    try:
        sols = sp.solve(grad, syms, dict=True)
    except (NotImplementedError, ValueError) as error:
        raise CalcmlError(
            "could not solve ∇f = 0 exactly; give the critical points to draw"
        ) from error
    out = []
    for sol in sols:
        try:
            pt = tuple(complex(sp.N(sol.get(s, sp.S.Zero))) for s in syms)
        except TypeError:  # a free parameter left: a line of critical points
            continue
        if all(abs(c.imag) < 1e-12 for c in pt):
            out.append((pt[0].real, pt[1].real))
    return sorted(out)


def curvature_spec(
    f: Any,
    points: Sequence[Sequence[float]] | None = None,
    var: Any = None,
    radius: float = 1.5,
    n: int = 60,
) -> Spec:
    """Data for each critical point: Hessian, eigenvalues/eigenvectors, class, local contours."""
    from calcml.expr import expr_dict, to_latex

    expr = as_expr(f)
    syms = variables(expr, var, 2)
    pts = [tuple(map(float, p)) for p in points] if points else find_critical_points(expr, syms)
    if not pts:
        from calcml.expr import to_text

        raise CalcmlError(f"{to_text(expr)} has no real critical points (∇f is never 0)")
    H = sp.hessian(expr, syms)
    grad = [sp.diff(expr, s) for s in syms]
    panels = []
    overview = len(pts) > MAX_POINTS
    for a, b in pts:
        Hn = np.array([[numeric(H[i, j], syms)(a, b) for j in range(2)] for i in range(2)])
        g = np.array([numeric(gi, syms)(a, b) for gi in grad])
        if not np.all(np.isfinite(Hn)):
            raise CalcmlError(f"the Hessian is undefined at ({number(a)}, {number(b)})")
        lam, vec = np.linalg.eigh(Hn)
        panels.append(
            {
                "point": [a, b],
                "gradient": jsonable(g),
                "hessian": jsonable(Hn),
                "eigenvalues": jsonable(lam),
                "eigenvectors": jsonable(vec.T),  # rows
                "class": classify(lam),
                "grid": None
                if overview
                else grid2d(expr, syms, (a - radius, a + radius), (b - radius, b + radius), n),
            }
        )
    grid = None
    if overview:  # many points: one map of them all
        P = np.array(pts)
        span = max(float(np.ptp(P[:, 0])), float(np.ptp(P[:, 1])), 1.0)
        pad = 0.15 * span
        xlim = (float(P[:, 0].min()) - pad, float(P[:, 0].max()) + pad)
        ylim = (float(P[:, 1].min()) - pad, float(P[:, 1].max()) + pad)
        grid = grid2d(expr, syms, xlim, ylim, 2 * n)
    return {
        "kind": "curvature",
        "title": f"Curvature of {math(to_latex(expr))} at its critical points",
        "variables": [s.name for s in syms],
        "function": expr_dict(expr),
        "hessian": [[expr_dict(H[i, j]) for j in range(2)] for i in range(2)],
        "panels": panels,
        "overview": grid,
        "notes": [],
    }


# kind -> (colour, marker, plural): shape and colour both differ, for colour-blind readers
KIND_STYLE = {
    "minimum": (BLUE, "o", "minima"),
    "maximum": (VERMILLION, "^", "maxima"),
    "saddle": (ORANGE, "X", "saddles"),
}


# the sign of an eigenvalue -> (colour, what f does along its eigenvector); λ = 0 is neither
# up nor down: the quadratic model is flat there (a higher-order term decides)
CURVES = {
    1: (GREEN, "curves up (λ\u00a0>\u00a00)"),
    -1: (VERMILLION, "curves down (λ\u00a0<\u00a00)"),
}
FLAT = (GREY, "is flat (λ\u00a0=\u00a00)")
COLOUR_NAMES = {GREEN: "green", VERMILLION: "red", GREY: "grey"}


def curve_style(lam: float, scale: float = 1.0) -> tuple[str, str]:
    """The colour and words for an eigenvalue; |λ| within rounding of the largest is 0."""
    if abs(lam) <= 1e-9 * max(1.0, scale):
        return FLAT
    return CURVES[1 if lam > 0 else -1]


def _legend_caption(fig: Any, what: str, eigenvalues: list[float]) -> None:
    """'Arrows: … green where f curves up (λ > 0), red …': only the signs that are drawn."""
    scale = max((abs(v) for v in eigenvalues), default=1.0)
    shown = []
    for style in (CURVES[1], CURVES[-1], FLAT):
        if any(curve_style(v, scale) == style for v in eigenvalues):
            shown.append(f"{COLOUR_NAMES[style[0]]} where f {style[1]}")
    caption(fig, [f"{what}: the Hessian's eigenvectors — {', '.join(shown)}."])


def _draw_overview(spec: Spec) -> CalcmlFigure:
    fig, axes = new_figure(spec, height=6.4, width=7.6)
    ax = axes[0, 0]
    draw_contours(ax, spec["overview"])
    g = spec["overview"]
    r = 0.05 * max(g["x"][-1] - g["x"][0], g["y"][-1] - g["y"][0])
    for p in spec["panels"]:
        a, b = p["point"]
        scale = max(abs(v) for v in p["eigenvalues"])
        for lam, v in zip(p["eigenvalues"], p["eigenvectors"], strict=True):
            colour = curve_style(lam, scale)[0]
            ax.plot(
                [a - r * v[0], a + r * v[0]], [b - r * v[1], b + r * v[1]], color=colour, lw=2.4
            )
        colour, marker, _ = KIND_STYLE.get(p["class"], (BLACK, "s", ""))
        ax.plot([a], [b], marker, color=colour, mec="black", ms=9, zorder=6)
    for kind, (colour, marker, plural) in KIND_STYLE.items():
        count = sum(1 for p in spec["panels"] if p["class"] == kind)
        if count:
            label = f"{count} {kind if count == 1 else plural}"
            ax.plot([], [], marker, color=colour, mec="black", ms=8, ls="none", label=label)
    x, y = spec["variables"]
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    ax.set_aspect("equal", adjustable="box")
    ax.legend(fontsize=8, loc="upper right")
    _legend_caption(fig, "Crosses", [v for p in spec["panels"] for v in p["eigenvalues"]])
    return fig


@renderer("curvature")
def _draw_curvature(spec: Spec) -> CalcmlFigure:
    if spec.get("overview"):
        return _draw_overview(spec)
    panels = spec["panels"]
    # square panels (equal aspect) side by side: the height follows from a panel's width plus
    # room for the title, the panel titles, the axis labels and the caption, so the layout
    # never has to squeeze them onto each other
    width = 8.0 if len(panels) > 1 else 6.0
    fig, axes = new_figure(spec, 1, len(panels), height=width / len(panels) + 1.3, width=width)
    x, y = spec["variables"]
    for ax, p in zip(axes[0], panels, strict=True):
        draw_contours(ax, p["grid"])
        a, b = p["point"]
        r = 0.45 * (p["grid"]["x"][-1] - p["grid"]["x"][0]) / 2
        scale = max(abs(v) for v in p["eigenvalues"])
        for lam, v in zip(p["eigenvalues"], p["eigenvectors"], strict=True):
            colour = curve_style(lam, scale)[0]
            for sign in (1, -1):
                ax.annotate(
                    "",
                    xy=(a + sign * r * v[0], b + sign * r * v[1]),
                    xytext=(a, b),
                    arrowprops={"arrowstyle": "-|>", "color": colour, "lw": 2.2},
                )
            ax.text(
                a + r * v[0] * 1.32,
                b + r * v[1] * 1.32,
                f"λ = {number(lam)}",
                color=colour,
                fontsize=9,
                fontweight="bold",
                ha="center",
                va="center",
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8},
            )
        ax.plot([a], [b], "o", color=BLACK, ms=6, zorder=6)
        ax.set_title(f"({number(a)}, {number(b)}): {p['class']}", fontsize=10)
        ax.set_xlabel(x)
        ax.set_ylabel(y)
        ax.set_aspect("equal", adjustable="box")
    _legend_caption(fig, "Arrows", [v for p in panels for v in p["eigenvalues"]])
    if spec["notes"]:
        add_notes(fig, spec)
    return fig


def curvature(
    f: Any, points: Sequence[Sequence[float]] | None = None, var: Any = None, radius: float = 1.5
) -> CalcmlFigure:
    """Contours around each critical point with the Hessian's eigenvectors: min vs. saddle."""
    return render(curvature_spec(f, points, var, radius))
