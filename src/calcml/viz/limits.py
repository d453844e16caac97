"""A limit drawn: the function near the point, the one-sided approaches with calcml's numeric
evidence (f at a ± 10⁻ᵏ), and holes, jumps and vertical asymptotes drawn as such.

The limit itself comes from `calcml.symbolic.limits.limit` (exact, with its evidence table).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import sympy as sp

from calcml.viz.curves import draw_series, hollow_points, sample, shade_gaps, window_spec
from calcml.viz.figure import CalcmlFigure, add_notes, legend, new_figure, render, renderer
from calcml.viz.sampling import value_at
from calcml.viz.spec import Spec, series
from calcml.viz.style import BLACK, BLUE, GREY, VERMILLION, math, number

SIDE_NAMES = {"-": "left", "+": "right"}


def _value(v: Any) -> dict[str, Any]:
    """A limit value as {"text", "number"}: number is a float, "inf", "-inf" or None."""
    if v is None:
        return {"text": None, "number": None}
    if v is sp.S.Infinity:
        return {"text": "∞", "number": "inf"}
    if v is sp.S.NegativeInfinity:
        return {"text": "−∞", "number": "-inf"}
    if isinstance(v, sp.Basic) and v.is_number:
        f = float(v)  # type: ignore[arg-type]
        return {"text": number(f), "number": f}
    return {"text": str(v), "number": None}  # DNE, undefined, undecided


def limit_spec_from_result(result: Any, xlim: Sequence[float] | None = None, n: int = 800) -> Spec:
    """Data for a computed `LimitResult` (from calcml.symbolic.limits.limit)."""
    from calcml.expr import expr_dict, to_latex

    expr, x, at = result.expr, result.var, result.at
    infinite = at in (sp.S.Infinity, sp.S.NegativeInfinity)
    evidence = {}
    for side, ev in result.evidence.items():
        evidence[SIDE_NAMES.get(side, side) if not infinite else "toward"] = [
            {
                "step": s.label,
                "x": float(s.point),
                "value": float(s.value) if s.status == "ok" else None,
                "status": s.status,
            }
            for s in ev.table
        ]
    if infinite:
        sign = 1 if at is sp.S.Infinity else -1
        lo, hi = (float(xlim[0]), float(xlim[1])) if xlim else sorted((sign * 0.5, sign * 30.0))
        a = None
    else:
        a = float(at)
        lo, hi = (float(xlim[0]), float(xlim[1])) if xlim else (a - 2.0, a + 2.0)
    curve = sample(expr, x, lo, hi, n, avoid=() if a is None else (a,))
    value, left, right = _value(result.value), _value(result.left), _value(result.right)
    marks: dict[str, Any] = {"holes": [], "dots": [], "asymptote": False, "jump": False}
    fa = value_at(expr, {x: a}) if a is not None else float("nan")
    if a is not None:
        finite = [s for s in (left, right) if isinstance(s["number"], float)]
        if any(s["number"] in ("inf", "-inf") for s in (left, right)):
            marks["asymptote"] = True
        if len(finite) == 2 and finite[0]["number"] != finite[1]["number"]:
            marks["jump"] = True
        for s in finite:
            y = s["number"]
            if not (np.isfinite(fa) and abs(fa - y) < 1e-12) and [a, y] not in marks["holes"]:
                marks["holes"].append([a, y])
        if np.isfinite(fa):
            marks["dots"].append([a, fa])
    to = "\\infty" if at is sp.S.Infinity else "-\\infty" if infinite else number(a or 0)
    side_mark = {"left": "^{-}", "right": "^{+}"}.get(result.side, "")
    shown = (
        value["text"]
        if value["number"] is not None
        else {"DNE": "does not exist"}.get(str(value["text"]), str(value["text"]))
    )
    notes = []
    if result.reason:
        notes.append(f"The limit {shown}: {result.reason}.")
    if a is not None and not np.isfinite(fa):
        circle = " (an open circle)" if marks["holes"] else ""
        notes.append(f"f is undefined at {x.name} = {number(a)} itself{circle}.")
    only_the_point = a is not None and all(g0 == g1 == a for g0, g1 in curve.gaps)
    if (note := curve.gap_note(x.name)) and not only_the_point:
        notes.append(note)
    title = math(f"\\lim_{{{x.name} \\to {to}{side_mark}}} {to_latex(expr)}") + f" = {shown}"
    return {
        "kind": "limit",
        "title": title,
        "variable": x.name,
        "function": expr_dict(expr),
        "at": "oo" if at is sp.S.Infinity else "-oo" if infinite else a,
        "side": result.side,
        "value": value,
        "left": left,
        "right": right,
        "f_at_point": fa if np.isfinite(fa) else None,
        "marks": marks,
        "evidence": evidence,
        "series": [series(math(f"f({x.name})"), curve.x, curve.y, "function")],
        "window": window_spec((lo, hi), [curve.y]),
        "gaps": curve.gaps,
        "notes": notes,
    }


def limit_spec(
    f: Any,
    at: Any = 0,
    var: Any = None,
    side: str = "both",
    xlim: Sequence[float] | None = None,
) -> Spec:
    """Compute lim f as var → at with calcml and return the figure's data."""
    from calcml.symbolic.limits import limit as compute

    return limit_spec_from_result(compute(f, var, at, side), xlim)


@renderer("limit")
def _draw_limit(spec: Spec) -> CalcmlFigure:
    fig, axes = new_figure(spec, 1, 2, height=4.5, width_ratios=[1.3, 1])
    ax, ev = axes[0, 0], axes[0, 1]
    shade_gaps(ax, spec["gaps"])
    window = spec["window"]
    marks = spec["marks"]
    if marks["asymptote"] and spec["at"] is not None:
        ax.axvline(spec["at"], color=GREY, ls="--", lw=1.2, label="vertical asymptote")
    draw_series(ax, spec["series"], window)
    value = spec["value"]["number"]
    if isinstance(spec["at"], str) and isinstance(value, float):
        ax.axhline(value, color=GREY, ls="--", lw=1.2, label=f"limit {number(value)}")
    colours = {"left": VERMILLION, "right": BLUE, "toward": VERMILLION}
    for side, rows in spec["evidence"].items():
        pts = [(r["x"], r["value"]) for r in rows if r["value"] is not None]
        if pts:
            xs, ys = np.array(pts).T
            ax.plot(
                xs,
                ys,
                "o" if side != "right" else "s",
                color=colours[side],
                ms=5,
                ls="none",
                zorder=5,
                label=f"approach from the {side}" if side != "toward" else "approach",
            )
    if marks["holes"]:
        hx, hy = zip(*marks["holes"], strict=True)
        hollow_points(ax, list(hx), list(hy))
    for px, py in marks["dots"]:
        ax.plot([px], [py], "o", color=BLUE, ms=7, zorder=7)
    ax.set_xlim(*window["x"])
    lo, hi = window["y"]
    hole_ys = [h[1] for h in marks["holes"]] + [d[1] for d in marks["dots"]]
    if hole_ys:
        lo, hi = min(lo, *hole_ys) - 0.1, max(hi, *hole_ys) + 0.1
    ax.set_ylim(lo, hi)
    ax.set_xlabel(spec["variable"])
    ax.set_ylabel(math(f"f({spec['variable']})"))
    legend(ax, fontsize=8, loc="best")
    _draw_evidence(ev, spec, colours)
    add_notes(fig, spec)
    return fig


def _draw_evidence(ev: Any, spec: Spec, colours: dict[str, str]) -> None:
    infinite = isinstance(spec["at"], str)
    big = False
    for side, rows in spec["evidence"].items():
        ok = [r for r in rows if r["value"] is not None]
        if not ok:
            continue
        dist = np.array([abs(r["x"] - (0 if infinite else spec["at"])) for r in ok])
        vals = np.array([r["value"] for r in ok])
        big = big or bool(np.nanmax(np.abs(vals)) > 1e3)
        ev.plot(
            dist,
            vals,
            "o-" if side != "right" else "s-",
            color=colours[side],
            ms=5,
            label="f(a − h)" if side == "left" else "f(a + h)" if side == "right" else "f(x)",
        )
    for key, colour in (("left", VERMILLION), ("right", BLUE)):
        v = spec[key]["number"]
        if isinstance(v, float):
            ev.axhline(v, color=colour, ls=":", lw=1.2)
    if isinstance(spec["value"]["number"], float):
        ev.axhline(
            spec["value"]["number"],
            color=BLACK,
            ls="--",
            lw=1.0,
            label=f"limit {spec['value']['text']}",
        )
    ev.set_xscale("log")
    if big:
        ev.set_yscale("symlog", linthresh=1.0)
    if infinite:
        ev.set_xlabel("|x| (growing →)")
    else:
        ev.invert_xaxis()
        ev.set_xlabel("h (shrinking →)")
    ev.set_title("numeric evidence (mpmath, two precisions)", fontsize=9)
    legend(ev, fontsize=8, loc="best")


def limit(
    f: Any,
    at: Any = 0,
    var: Any = None,
    side: str = "both",
    xlim: Sequence[float] | None = None,
) -> CalcmlFigure:
    """f near `at`, its one-sided approaches and calcml's evidence for the limit."""
    return render(limit_spec(f, at, var, side, xlim))
