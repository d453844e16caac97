"""One exception type for the web (a status and a message) and one handler that answers it as
JSON (API clients) or as an HTML page (browsers) — with the same fields either way.

Service errors map by their own status (400 bad math with its column, 503 busy with
Retry-After, 504 limit); a request the models refuse is 422 naming the field.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from calcml.service.errors import BusyError, ServiceError
from calcml.store.errors import StoreError

log = logging.getLogger("calcml.web")
STORE_RETRY_AFTER_S = 5  # what a 503 tells clients while the progress database is away


class WebError(Exception):
    """An error answered to the client: HTTP `status`, a `message` a learner understands, and
    extra JSON fields (`column` for bad math, `retry_after` when busy)."""

    def __init__(
        self,
        status: int,
        message: str,
        headers: dict[str, str] | None = None,
        **fields: Any,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}
        self.fields = {k: v for k, v in fields.items() if v is not None}

    def body(self) -> dict[str, Any]:
        """The JSON error shape: {"error": message, ...fields}."""
        return {"error": self.message, **self.fields}


def from_service(error: ServiceError) -> WebError:
    """A service error as a WebError with the same status and fields."""
    fields = {k: v for k, v in error.to_dict().items() if k != "error"}
    headers = {}
    if isinstance(error, BusyError):
        headers["Retry-After"] = str(max(1, round(error.retry_after)))
    return WebError(error.status, error.message, headers, **fields)


def from_store(error: StoreError) -> WebError:
    """A store failure: 503 with Retry-After while the database is busy or away (the client
    may send again), else 500; the learner sees what happened, never the file, URL or SQL."""
    if error.transient:
        return WebError(
            503,
            f"{error.what}: progress is not saved right now; try again in a moment",
            {"Retry-After": str(STORE_RETRY_AFTER_S)},
            retry_after=STORE_RETRY_AFTER_S,
        )
    return WebError(500, f"{error.what}: the server's operator has been told")


def from_validation(error: ValidationError | RequestValidationError) -> WebError:
    """422 naming the first refused field: {"error": "...", "field": "wrt", "errors": [...]}."""
    problems = [
        {"field": ".".join(str(p) for p in e.get("loc", ()) if p != "body"), "msg": e.get("msg")}
        for e in error.errors()
    ]
    first = problems[0] if problems else {"field": "", "msg": "invalid request"}
    where = f"{first['field']}: " if first["field"] else ""
    return WebError(422, f"{where}{first['msg']}", field=first["field"] or None, errors=problems)


def wants_json(request: Request) -> bool:
    """API paths and clients that ask for JSON get JSON; browsers get a page."""
    if request.url.path.startswith("/api/") or request.url.path == "/health":
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


async def handle(request: Request, exc: Exception) -> Response:
    """The one handler: every error leaves as JSON or as the error page."""
    error = as_web_error(exc)
    if wants_json(request):
        return JSONResponse(error.body(), status_code=error.status, headers=error.headers)
    from calcml.web.render import render

    return render(
        request, "error.html", {"error": error, "title": "Error"}, error.status, error.headers
    )


def as_web_error(exc: Exception) -> WebError:
    if isinstance(exc, WebError):
        return exc
    if isinstance(exc, ServiceError):
        return from_service(exc)
    if isinstance(exc, StoreError):
        log.error("%s", exc)  # the operator's copy names the file or URL (no password)
        return from_store(exc)
    if isinstance(exc, (ValidationError, RequestValidationError)):
        return from_validation(exc)
    if isinstance(exc, StarletteHTTPException):
        return WebError(exc.status_code, str(exc.detail), dict(exc.headers or {}))
    return WebError(500, "internal error: calcml could not answer this request")


def install(app: Any) -> None:
    """Route every error type through `handle`."""
    for kind in (
        WebError,
        ServiceError,
        StoreError,
        ValidationError,
        RequestValidationError,
        StarletteHTTPException,
        Exception,
    ):
        app.add_exception_handler(kind, handle)
