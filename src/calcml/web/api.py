"""The JSON API: `POST /api/<verb>` for every service verb, generated from the service's
request models (so the OpenAPI schema documents each verb's fields and maxima), and /health."""

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from calcml import __version__
from calcml.service import models
from calcml.web.security import check_csrf, client_address

router = APIRouter()
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "Bad math: {error, column}"},
    422: {"description": "Bad fields: {error, field, errors}"},
    429: {"description": "Too many requests from this client (Retry-After)"},
    503: {"description": "The engines are busy (Retry-After)"},
    504: {"description": "The engine's time or memory limit was hit: {error, limit}"},
}


def _endpoint(verb: str, model: type) -> Any:
    async def endpoint(request: Request, body: model) -> JSONResponse:  # type: ignore[valid-type]
        web = request.app.state.web
        payload = await web.engines.submit(body, client_address(request, web.config))
        return JSONResponse(payload)

    endpoint.__name__ = f"api_{verb}"
    endpoint.__doc__ = model.__doc__
    return endpoint


for _verb, _model in models.REQUESTS.items():
    router.add_api_route(
        f"/api/{_verb}",
        _endpoint(_verb, _model),
        methods=["POST"],
        response_model=models.RESPONSES[_verb],
        responses=ERRORS,
        dependencies=[Depends(check_csrf)],
        summary=(_model.__doc__ or _verb).strip().splitlines()[0],
        tags=["engines"],
    )


@router.get("/health", tags=["health"])
async def health(request: Request) -> dict[str, Any]:
    """For load balancers: 200 while the app and its engine service are up."""
    web = request.app.state.web
    return {"status": "ok", "version": __version__, "verbs": len(models.REQUESTS), **web.health()}
