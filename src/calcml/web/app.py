"""The app object: one `WebApp` holding the state (config, engine service, learners), and the
FastAPI application built around it by `create_app` (pages, JSON API, static files, the one
error handler and the safety middleware)."""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import asdict
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.staticfiles import StaticFiles

from calcml import __version__
from calcml.web import accounts, api, classes, errors, lessons, pages, playgrounds
from calcml.web.config import WebConfig
from calcml.web.engines import Engines
from calcml.web.learner import Learners
from calcml.web.render import STATIC
from calcml.web.security import Guard

CONFIG_ENV = "CALCML_WEB_CONFIG"  # how `calcml serve` hands its options to uvicorn's workers


class WebApp:
    """The state every view reads: settings, the engine service, the learners' progress."""

    def __init__(self, config: WebConfig, service: Any = None) -> None:
        self.config = config
        self.service = service
        self._engines: Engines | None = None
        self.learners = Learners(config)

    @property
    def engines(self) -> Engines:
        """The engine service, started on first use (and again after a stop)."""
        if self._engines is None:
            self._engines = Engines(self.config, self.service)
        return self._engines

    def health(self) -> dict[str, Any]:
        stats = self.engines.service.stats()
        return {"engines": {k: v for k, v in stats.items() if isinstance(v, int | float | str)}}

    def close(self) -> None:
        """Stop the engine service (the app may start again: a new one is made on use)."""
        if self._engines is not None:
            engines, self._engines = self._engines, None
            engines.close()


def create_app(config: WebConfig | None = None, service: Any = None) -> FastAPI:
    """The web app. `service` replaces the engine service (an inline one in tests)."""
    web = WebApp(config or WebConfig(), service)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        web.engines  # noqa: B018  (start the workers before the first request)
        yield
        web.close()

    app = FastAPI(
        title="calcml",
        version=__version__,
        summary="The calculus of machine learning: every step derived and checked.",
        lifespan=lifespan,
        docs_url=None,  # the interactive docs load scripts from a CDN: off
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.web = web
    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(accounts.router)
    app.include_router(classes.router)
    app.include_router(lessons.router)
    app.include_router(playgrounds.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    errors.install(app)
    app.add_middleware(GZipMiddleware, minimum_size=1000)  # Plotly: 4.6 MB → 1.4 MB
    app.add_middleware(Guard, config=web.config)
    return app


def app_from_env() -> FastAPI:
    """The factory uvicorn's worker processes call: settings from CALCML_WEB_CONFIG (JSON)."""
    raw = os.environ.get(CONFIG_ENV)
    return create_app(WebConfig(**json.loads(raw)) if raw else WebConfig())


def config_env(config: WebConfig) -> str:
    return json.dumps(asdict(config))
