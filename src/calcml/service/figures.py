"""The `figure` verb: the JSON data (spec) of a figure, for the web's interactive plots.

A registry from figure kind to a function of the request; every spec comes from calcml.viz's
own `*_spec` functions, so the web draws exactly the data the matplotlib figures are drawn from.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from calcml.errors import CalcmlError
from calcml.service.models import FigureRequest

Spec = dict[str, Any]
SpecFn = Callable[[FigureRequest], Spec]
FIGURES: dict[str, SpecFn] = {}


def figure(kind: str) -> Callable[[SpecFn], SpecFn]:
    """Register the spec function of `kind`."""

    def add(fn: SpecFn) -> SpecFn:
        FIGURES[kind] = fn
        return fn

    return add


def numbers(text: str, count: int | None = None) -> list[float]:
    """'1, 0.5' -> [1.0, 0.5]: each coordinate read by calcml's parser (pi, 1/2 are fine)."""
    from calcml.expr import parse

    parts = [p.strip() for p in text.split(",") if p.strip()]
    if count is not None and len(parts) != count:
        raise CalcmlError(f"at needs {count} coordinate(s), e.g. at={','.join(['1'] * count)}")
    out = []
    for part in parts:
        try:
            value = float(parse(part).evalf())
        except (TypeError, ValueError):
            raise CalcmlError(f"at: {part!r} is not a number") from None
        if not math.isfinite(value):
            raise CalcmlError(f"at: {part!r} is not a finite number")
        out.append(value)
    return out


def _expr(r: FigureRequest) -> str:
    if r.expr is None:
        raise CalcmlError(f"the {r.kind} figure needs expr")
    return r.expr


def _var1(r: FigureRequest) -> Any:
    return r.var[0] if r.var else None


def _box(v: list[float] | None, default: tuple[float, float]) -> tuple[float, float]:
    if v is None:
        return default
    lo, hi = v
    if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
        raise CalcmlError("a window is [low, high] with low < high, both finite")
    return (lo, hi)


@figure("tangent")
def _tangent(r: FigureRequest) -> Spec:
    from calcml.viz.calculus import tangent_spec

    (at,) = numbers(r.at, 1)
    return tangent_spec(_expr(r), at, _var1(r), r.xlim)


@figure("secants")
def _secants(r: FigureRequest) -> Spec:
    from calcml.viz.calculus import secants_spec

    (at,) = numbers(r.at, 1)
    return secants_spec(_expr(r), at, var=_var1(r), xlim=r.xlim)


@figure("with_derivative")
def _with_derivative(r: FigureRequest) -> Spec:
    from calcml.viz.calculus import with_derivative_spec

    return with_derivative_spec(_expr(r), _var1(r), _box(r.xlim, (-4.0, 4.0)))


@figure("limit")
def _limit(r: FigureRequest) -> Spec:
    from calcml.symbolic.limits import limit
    from calcml.viz.limits import limit_spec_from_result

    result = limit(_expr(r), _var1(r), r.at, side=r.side, time_limit=None)
    return limit_spec_from_result(result, r.xlim)


@figure("taylor")
def _taylor(r: FigureRequest) -> Spec:
    from calcml.viz.taylor import taylor_spec

    (at,) = numbers(r.at, 1)
    return taylor_spec(_expr(r), at, sorted(set(r.orders)) or [1], _var1(r), r.xlim)


@figure("surface")
def _surface(r: FigureRequest) -> Spec:
    from calcml.viz.surfaces import surface_spec

    return surface_spec(_expr(r), r.var, _box(r.xlim, (-2, 2)), _box(r.ylim, (-2, 2)))


@figure("slices")
def _slices(r: FigureRequest) -> Spec:
    from calcml.viz.surfaces import slices_spec

    return slices_spec(_expr(r), numbers(r.at, 2), r.var, r.xlim and _box(r.xlim, (-2, 2)))


@figure("gradient_field")
def _gradient_field(r: FigureRequest) -> Spec:
    from calcml.viz.surfaces import gradient_field_spec

    return gradient_field_spec(_expr(r), r.var, _box(r.xlim, (-2, 2)), _box(r.ylim, (-2, 2)))


@figure("curvature")
def _curvature(r: FigureRequest) -> Spec:
    from calcml.viz.curvature import curvature_spec

    return curvature_spec(_expr(r), None, r.var)


@figure("jacobian_map")
def _jacobian_map(r: FigureRequest) -> Spec:
    from calcml.viz.jacobian import jacobian_map_spec

    if r.exprs is None:
        raise CalcmlError("the jacobian_map figure needs exprs: two functions of two variables")
    return jacobian_map_spec(list(r.exprs), numbers(r.at, 2), r.var)


@figure("matrix_chain")
def _matrix_chain(r: FigureRequest) -> Spec:
    from calcml.viz.matrix_chain import matrix_chain_spec

    if not r.var or len(r.var) != 1:
        raise CalcmlError("the chain of a vector/matrix derivative needs one variable: var=[w]")
    return matrix_chain_spec(_expr(r), r.var[0], r.shapes)


@figure("activations")
def _activations(r: FigureRequest) -> Spec:
    from calcml.viz.activations import activations_spec

    return activations_spec()


def figure_spec(r: FigureRequest) -> Spec:
    """The spec of the requested figure, JSON-ready (NaN and inf as None)."""
    from calcml.viz.spec import jsonable

    spec: Spec = jsonable(FIGURES[r.kind](r))
    return spec
