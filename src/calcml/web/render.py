"""One `render(request, template, context)` for every page: the Jinja2 environment over the
templates folder (`base.html` + `_partials.html`), with the CSRF token and asset URLs in reach."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from calcml import __version__

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"


@cache
def environment() -> Environment:
    """The Jinja2 environment (autoescaped; shared by every page, the book and the gallery)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["version"] = __version__
    env.filters["tojson_attr"] = lambda value: json.dumps(value, ensure_ascii=False)
    return env


def static_url(path: str) -> str:
    """The URL of a packaged static file, versioned so a new release is fetched afresh."""
    return f"/static/{path}?v={__version__}"


def render(
    request: Request,
    template: str,
    context: dict[str, Any],
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    """A page (or an htmx fragment) rendered with the request's CSRF token and nav state."""
    page = (
        environment()
        .get_template(template)
        .render(
            request=request,
            csrf=getattr(request.state, "csrf", ""),
            static=static_url,
            path=request.url.path,
            **context,
        )
    )
    return HTMLResponse(page, status_code=status, headers=headers)
