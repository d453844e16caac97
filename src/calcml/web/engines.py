"""The web's one door to the engines: `calcml.service` (worker processes with hard limits; the
engines never run in the web's own process unless the config says `inline`, for tests)."""

from __future__ import annotations

from typing import Any

from calcml.service import EngineService, ServiceConfig, models
from calcml.web.config import WebConfig
from calcml.web.errors import WebError
from calcml.web.security import RateLimiter

VERBS: tuple[str, ...] = tuple(models.REQUESTS)


class Engines:
    """The engine service of one app process, with the per-client rate limit."""

    def __init__(self, config: WebConfig, service: Any = None) -> None:
        self.service = service or EngineService(
            ServiceConfig(
                workers=config.engine_workers,
                time_limit=config.time_limit,
                memory_mb=config.memory_mb,
                queue_size=config.queue_size,
                inline=config.inline,
                database_url=config.database_url,
            )
        )
        self.limiter = RateLimiter(config.rate_per_minute)

    async def run(self, verb: str, fields: dict[str, Any], client: str) -> dict[str, Any]:
        """Validate `fields` as the request of `verb` (422 names the field), spend the client's
        rate token (429), and answer the service's JSON dict (= the CLI's --json)."""
        if verb not in models.REQUESTS:
            raise WebError(404, f"no verb {verb!r}; one of: {', '.join(VERBS)}")
        request = models.request(verb, fields)
        return await self.submit(request, client)

    async def submit(self, request: Any, client: str) -> dict[str, Any]:
        """Run a validated request model."""
        wait = self.limiter.take(client)
        if wait > 0:
            raise WebError(
                429,
                "too many requests from this address; slow down",
                {"Retry-After": str(max(1, round(wait)))},
                retry_after=round(wait, 1),
            )
        response = await self.service.acall(request)
        return _payload(response)

    def close(self) -> None:
        self.service.close()


def _payload(response: Any) -> dict[str, Any]:
    if hasattr(response, "payload"):
        return dict(response.payload())
    return dict(response.model_dump(mode="json", exclude_unset=True))
