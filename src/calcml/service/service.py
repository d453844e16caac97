"""`EngineService`: every engine call isolated, bounded, deterministic and cached.

A request (a `models.Request`) is answered from the cache, or run in a pool of worker processes
(pebble; forkserver, engines preloaded, one BLAS thread, a fixed hash seed, an address-space cap)
with a hard wall-clock limit: a worker past it is killed and replaced, and the caller gets
`LimitExceeded("time")`. At most `workers + queue_size` requests are in flight; one more gets
`BusyError` at once. `ServiceConfig(inline=True)` runs requests in the calling process instead,
with the same models and errors (no isolation: for tests and the CLI).

Workers run without the engines' own soft limits (`soft_time_limits=False`): the hard limit (a
killed worker) is the one net there, so a slow SymPy path gives up in one place. As with any
forkserver/spawn pool, the program's main module must be importable without side effects
(`if __name__ == "__main__":`): the forkserver imports it once.

>>> from calcml.service import EngineService, ServiceConfig, models
>>> with EngineService(ServiceConfig(inline=True)) as svc:
...     svc.call(models.DeriveRequest(expr="x^3", wrt=["x"])).result.text
'3·x²'
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import math
import multiprocessing
import os
import threading
import time
import weakref
from typing import Any

from calcml.service import models, worker
from calcml.service.cache import LRUCache, SharedCache, TieredCache, cache_key
from calcml.service.config import ServiceConfig
from calcml.service.errors import (
    BusyError,
    InputError,
    InternalError,
    LimitExceeded,
    ServiceError,
)
from calcml.service.observe import PROCESS, Counters, record

_SERVICES: weakref.WeakSet[EngineService] = weakref.WeakSet()
_START_LOCK = threading.Lock()


def _context(hash_seed: int) -> Any:
    """A multiprocessing context whose workers start preloaded, with the fixed environment.

    forkserver where available: the server process imports the engines once, with
    PYTHONHASHSEED and one BLAS thread in its environment, and every worker (also a
    replacement for a killed one) is forked from it warm. Elsewhere spawn, with the environment
    set in this process.
    """
    env = {**worker.ENVIRONMENT, "PYTHONHASHSEED": str(hash_seed)}
    if "forkserver" not in multiprocessing.get_all_start_methods():
        os.environ.update(env)
        return multiprocessing.get_context("spawn")
    from multiprocessing import forkserver

    ctx = multiprocessing.get_context("forkserver")
    env["CALCML_SERVICE_FORKSERVER"] = "1"
    with _START_LOCK:
        saved = {k: os.environ.get(k) for k in env}
        os.environ.update(env)
        try:
            ctx.set_forkserver_preload(["__main__", *worker.PRELOAD, "calcml.service.warm"])
            forkserver.ensure_running()
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
    return ctx


def _shared_cache(config: ServiceConfig) -> SharedCache | None:
    """The database cache layer when configured and available (calcml.store.cache)."""
    if not config.database_url or not config.database_cache:
        return None
    try:
        from calcml.store.cache import EngineCache
    except ImportError:  # a store without the cache table
        return None
    shared: SharedCache = EngineCache(config.database_url)
    return shared


class EngineService:
    """The engines behind one request/response API; see the module docstring."""

    def __init__(self, config: ServiceConfig | None = None) -> None:
        self.config = config or ServiceConfig()
        self.counters = Counters(PROCESS)
        self.cache = TieredCache(
            LRUCache(self.config.cache_entries, self.config.cache_bytes),
            _shared_cache(self.config),
        )
        self._capacity = self.config.workers + self.config.queue_size
        self._in_flight = 0
        self._lock = threading.Lock()
        self._mean_seconds = 0.5  # running mean of a computed request, for retry_after
        self._closed = False
        self._pool: Any = None
        if not self.config.inline:
            from pebble import ProcessPool

            self._pool = ProcessPool(
                max_workers=self.config.workers,
                initializer=worker.initialize,
                initargs=(
                    self.config.memory_mb,
                    self.config.test_hooks,
                    self.config.soft_time_limits,
                ),
                context=_context(self.config.hash_seed),
            )
        _SERVICES.add(self)

    # ------------------------------------------------------------------ public API

    def call(self, request: models.Request) -> models.Response:
        """Answer `request` (blocking): its response model, or a ServiceError."""
        start = time.perf_counter()
        key, verb = self._check(request)
        cached, where = self.cache.get(key)
        if cached is not None:
            return self._finish(verb, key, start, where, ("ok", cached), store=False)
        if self.config.inline:
            return self._finish(verb, key, start, "", self._inline(request))
        future = self._submit(verb, key, start, request)
        return self._finish(verb, key, start, "", self._outcome(future))

    async def acall(self, request: models.Request) -> models.Response:
        """Answer `request` without blocking the event loop (the database cache layer, when
        configured, is read and written in a thread)."""
        start = time.perf_counter()
        key, verb = self._check(request)
        loop = asyncio.get_running_loop()
        shared = self.cache.shared is not None

        async def finish(
            cache: str, outcome: worker.Outcome, store: bool = True
        ) -> models.Response:
            if shared and store and outcome[0] == "ok":
                return await loop.run_in_executor(
                    None, self._finish, verb, key, start, cache, outcome, store
                )
            return self._finish(verb, key, start, cache, outcome, store)

        if shared:
            cached, where = await loop.run_in_executor(None, self.cache.get, key)
        else:
            cached, where = self.cache.get(key)
        if cached is not None:
            return await finish(where, ("ok", cached), store=False)
        if self.config.inline:
            outcome = await loop.run_in_executor(None, self._inline, request)
            return await finish("", outcome)
        future = self._submit(verb, key, start, request)
        try:
            # shielded: a caller that goes away (a closed connection) does not kill the worker
            await asyncio.shield(asyncio.wrap_future(future))
        except asyncio.CancelledError:
            raise
        except BaseException:  # the outcome (or the error) is read from the future below
            if not future.done():
                raise
        return await finish("", self._outcome(future))

    def stats(self) -> dict[str, Any]:
        """Counters, cache sizes and hit counts, and the pool's load."""
        with self._lock:
            in_flight = self._in_flight
        return {
            **self.counters.snapshot(),
            "cache": self.cache.stats(),
            "in_flight": in_flight,
            "capacity": self._capacity,
            "workers": self.config.workers,
            "inline": self.config.inline,
        }

    def close(self) -> None:
        """Stop the workers (running requests are killed); idempotent."""
        if self._closed:
            return
        self._closed = True
        if self._pool is not None:
            self._pool.stop()
            self._pool.join(timeout=10)

    def __enter__(self) -> EngineService:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ steps of a call

    def _check(self, request: models.Request) -> tuple[str, str]:
        if self._closed:
            raise ServiceError("the engine service is closed")
        verb = getattr(request, "verb", "")
        known = models.REQUESTS.get(verb)
        if known is None and self.config.test_hooks:
            known = models.TEST_REQUESTS.get(verb)
        if known is None or type(request) is not known:
            raise InputError(f"not a request the engine service answers: {type(request).__name__}")
        return cache_key(request), verb

    def _inline(self, request: models.Request) -> worker.Outcome:
        return worker.execute(request, self.config.test_hooks)

    def _retry_after(self) -> float:
        with self._lock:
            waiting = self._in_flight
            mean = self._mean_seconds
        guess = mean * max(1, waiting) / self.config.workers
        return float(min(max(1, math.ceil(guess)), math.ceil(self.config.time_limit)))

    def _submit(
        self, verb: str, key: str, start: float, request: models.Request
    ) -> concurrent.futures.Future[Any]:
        """Take a slot (or raise BusyError at once) and hand the request to the pool."""
        with self._lock:
            full = self._in_flight >= self._capacity
            if not full:
                self._in_flight += 1
        if full:
            error = BusyError(self._retry_after())
            record(self.counters, verb, key, time.perf_counter() - start, "", "busy")
            raise error
        try:
            future: concurrent.futures.Future[Any] = self._pool.submit(
                worker.pool_task, self.config.time_limit, request
            )
        except BaseException:
            self._release()
            raise
        future.add_done_callback(lambda _: self._release())
        return future

    def _release(self) -> None:
        with self._lock:
            self._in_flight -= 1

    def _outcome(self, future: concurrent.futures.Future[Any]) -> worker.Outcome:
        """The worker's outcome, or ("time",) / ("memory", ...) when the worker was killed."""
        from pebble import ProcessExpired

        try:
            outcome: worker.Outcome = future.result()
        except TimeoutError:
            return ("time",)
        except ProcessExpired as error:
            if error.exitcode == worker.MEMORY_EXIT_CODE:
                return ("memory", "")
            return (
                "memory",
                f"the computation crashed its worker (exit {error.exitcode}); "
                "it is probably too large",
            )
        except concurrent.futures.CancelledError:
            return ("internal", "the request was cancelled (the service is closing)")
        except Exception as error:  # e.g. a request or result that cannot be pickled
            return ("internal", f"{type(error).__name__}: {error}")
        return outcome

    def _finish(
        self,
        verb: str,
        key: str,
        start: float,
        cache: str,
        outcome: worker.Outcome,
        store: bool = True,
    ) -> models.Response:
        """Log, count, cache a success; return the response or raise the ServiceError."""
        response: models.Response | None = None
        if outcome[0] == "ok":
            try:
                response = response_from(verb, outcome[1])
            except ValueError as error:  # the engine's dict does not fit the model: a bug
                outcome = ("internal", f"{verb}: the answer does not fit its model: {error}")
        seconds = time.perf_counter() - start
        kind = outcome[0]
        record(self.counters, verb, key, seconds, cache, kind)
        if response is not None:
            if store:
                self.cache.put(key, outcome[1])
                with self._lock:
                    self._mean_seconds = 0.9 * self._mean_seconds + 0.1 * seconds
            return response
        if kind == "input":
            raise InputError(outcome[1], outcome[2])
        if kind == "time":
            raise LimitExceeded("time")
        if kind == "memory":
            raise LimitExceeded("memory", outcome[1] or None)
        raise InternalError(outcome[1])


def response_from(verb: str, text: str) -> models.Response:
    """The verb's response model from the JSON text the engine produced."""
    model = models.RESPONSES.get(verb) or models.TEST_RESPONSES[verb]
    return model.from_json(text)


def stats() -> dict[str, Any]:
    """Process-wide counters and every live service's stats (`calcml.service.stats()`)."""
    return {
        **PROCESS.snapshot(),
        "services": [svc.stats() for svc in list(_SERVICES)],
    }
