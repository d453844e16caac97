"""The playgrounds: gradient descent on a contour plot (/playground/descent) and backprop through
a small network (/playground/backprop). Each page is a GET form computed by the engine service
(`descend`/`newton` + `figure`, `backprop`); the page works without JavaScript, and
`static/playgrounds.js` draws the plots, steps through the backward pass and syncs sliders."""

from __future__ import annotations

import math
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from calcml.bounds import BOUNDS
from calcml.service.models import MAX_SEED, MAX_UNITS
from calcml.web import playground_backprop as bp
from calcml.web import playground_descent as gd
from calcml.web.errors import WebError, as_web_error
from calcml.web.render import render
from calcml.web.security import client_address

router = APIRouter()


async def _run(request: Request, verb: str, fields: dict[str, Any]) -> dict[str, Any]:
    web = request.app.state.web
    return await web.engines.run(verb, fields, client_address(request, web.config))


def _shown(exc: Exception) -> WebError:
    """A form's error shown in the page; internal errors still go to the error handler."""
    error = as_web_error(exc)
    if error.status >= 500 and error.status not in (503, 504):
        raise exc
    return error


def _status(error: WebError | None) -> int:
    return error.status if error is not None and error.status >= 500 else 200


# ---------------------------------------------------------------- gradient descent


@router.get("/playground/descent", include_in_schema=False)
async def descent(request: Request) -> Response:
    settings, run, data, error = gd.Settings(), None, None, None
    try:
        settings = gd.Settings.read(request.query_params)
        run = await _run(request, settings.verb(), settings.request())
        path = run["history"]["params"]
        xlim, ylim, left = gd.view_window(settings, path)
        contour = await _run(
            request,
            "figure",
            {
                "kind": "surface",
                "expr": settings.expr(),
                "var": ["x", "y"],
                "xlim": xlim,
                "ylim": ylim,
            },
        )
        data = {
            "path": path,
            "loss": run["history"]["loss"],
            "grid": contour["grid"],
            "xlim": xlim,
            "ylim": ylim,
            "left": left,
            "status": run["status"],
        }
    except Exception as exc:
        error = _shown(exc)
    context = {
        "title": "Gradient-descent playground",
        "s": settings,
        "classics": gd.CLASSICS,
        "optimizers": gd.OPTIMIZERS,
        "run": run,
        "data": data,
        "error": error,
        "max_steps": int(BOUNDS["playground_steps"].high),
        "max_condition": gd.MAX_CONDITION,
        "expr": _expr_or_blank(settings),
        "lr_log": f"{math.log10(min(max(settings.lr, 1e-4), 3.16)):.2f}",
    }
    return render(request, "playground_gd.html", context, _status(error))


def _expr_or_blank(settings: gd.Settings) -> str:
    try:
        return settings.expr()
    except WebError:
        return ""


# ---------------------------------------------------------------- backprop


@router.get("/playground/backprop", include_in_schema=False)
async def backprop(request: Request) -> Response:
    network, trace, error = bp.Network(), None, None
    try:
        network = bp.Network.read(request.query_params)
        trace = await _run(request, "backprop", network.request())
    except Exception as exc:
        error = _shown(exc)
    context = {
        "title": "Backprop playground",
        "n": network,
        "trace": trace,
        "error": error,
        "activations": bp.ACTIVATIONS,
        "losses": bp.LOSSES,
        "max_hidden": bp.MAX_HIDDEN,
        "max_units": MAX_UNITS,
        "max_seed": MAX_SEED,
        "graph": bp.layout(trace["nodes"]) if trace else None,
        "steps": [{**s, "tex": bp.chain_tex(s)} for s in trace["steps"]] if trace else [],
        "short": bp.short,
        "fmt": bp.fmt,
        "tex_name": bp.tex_name,
        "params": _parameters(trace) if trace else {},
        "by_name": {n["name"]: n for n in trace["nodes"]} if trace else {},
    }
    return render(request, "playground_backprop.html", context, _status(error))


def _parameters(trace: dict[str, Any]) -> dict[str, Any]:
    """The current weights and biases (to copy into the form and edit)."""
    nodes = {n["name"]: n["value"] for n in trace["nodes"] if n["kind"] == "input"}
    weights = [v for k, v in sorted(nodes.items()) if k.startswith("W")]
    biases = [v for k, v in sorted(nodes.items()) if k.startswith("b")]
    return {"weights": weights, "biases": biases}
