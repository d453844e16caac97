"""calcml.service: one request/response API over the engines, for servers.

Each verb has a pydantic request and response model (`models`, `models.REQUESTS`); an
`EngineService` answers requests from a cache or in isolated worker processes with a hard time
limit, a memory cap and a bounded queue, and raises `errors.ServiceError` subclasses
(`InputError` 400, `BusyError` 503, `LimitExceeded` 504). `stats()` gives process-wide counters.

>>> from calcml.service import EngineService, ServiceConfig, models
>>> svc = EngineService(ServiceConfig(inline=True))
>>> svc.call(models.LimitRequest(expr="sin(x)/x", at="0")).value
'1'
"""

from __future__ import annotations

from calcml.service import errors, models
from calcml.service.config import ServiceConfig
from calcml.service.errors import BusyError, InputError, LimitExceeded, ServiceError
from calcml.service.service import EngineService, stats

__all__ = [
    "BusyError",
    "EngineService",
    "InputError",
    "LimitExceeded",
    "ServiceConfig",
    "ServiceError",
    "errors",
    "models",
    "stats",
]
