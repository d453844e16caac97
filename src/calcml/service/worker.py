"""Inside a worker: preload the engines, cap memory, run one request, report its outcome.

`execute(request, test_hooks)` never raises: it returns an `Outcome` tuple the parent turns into
a response or a ServiceError — ("ok", json_text), ("input", message, column),
("memory", message) or ("internal", message). A MemoryError anywhere, even one an engine's
broad `except` swallowed, makes the outcome "memory": on Python 3.12+ a `sys.monitoring` RAISE
hook sees every MemoryError raised; on 3.11 the worker's peak address space reaching its cap
says the same.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import os
import sys
from typing import Any

from calcml.service.models import Request, dumps

Outcome = tuple[Any, ...]

# Imported once per worker (by the forkserver, so a replaced worker starts warm).
PRELOAD = [
    "numpy",
    "sympy",
    "calcml",
    "calcml.expr",
    "calcml.symbolic",
    "calcml.symbolic.limits",
    "calcml.symbolic.continuity",
    "calcml.symbolic.taylor",
    "calcml.symbolic.critical",
    "calcml.autodiff",
    "calcml.optim",
    "calcml.ml",
    "calcml.ml.mlp",
    "calcml.learn.problems",
    "calcml.learn.grader",
    "calcml.learn.lessons",
    "calcml.viz",
    "calcml.service.verbs",
    "calcml.service.figures",
    "calcml.service.backprop",
    "calcml.ml.training",
]
ENVIRONMENT = {
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "MPLBACKEND": "Agg",
}
MEMORY_MARGIN = 64 << 20  # peak address space this close to the cap counts as hitting it

_state: dict[str, Any] = {"cap": None, "memory_seen": False, "test_hooks": False}


def preload() -> None:
    """Import the engines (no-op for modules the forkserver already imported)."""
    for name in PRELOAD:
        importlib.import_module(name)


def address_space() -> tuple[int, int]:
    """(current, peak) virtual memory of this process in bytes (0, 0 where /proc is missing)."""
    sizes = {}
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(("VmSize:", "VmPeak:")):
                    key, value = line.split(":", 1)
                    sizes[key] = int(value.split()[0]) * 1024
    except OSError:
        return 0, 0
    return sizes.get("VmSize", 0), sizes.get("VmPeak", 0)


def _watch_memory_errors() -> None:
    """Python 3.12+: note every MemoryError raised, even one an engine catches."""
    monitoring = getattr(sys, "monitoring", None)
    if monitoring is None:
        return
    tool = 5  # a free tool id (0-5); 0-2 are debugger, coverage and profiler
    try:
        monitoring.use_tool_id(tool, "calcml-memory")
    except ValueError:
        return

    def on_raise(code: Any, offset: int, exception: BaseException) -> Any:
        if isinstance(exception, MemoryError):
            _state["memory_seen"] = True
        return None

    monitoring.register_callback(tool, monitoring.events.RAISE, on_raise)
    monitoring.set_events(tool, monitoring.events.RAISE)


def initialize(memory_mb: int | None, test_hooks: bool, soft_time_limits: bool = False) -> None:
    """Worker start: preload, no soft time limits (by default), memory cap above the loaded size."""
    from calcml.symbolic.timelimit import set_soft_limits

    preload()
    set_soft_limits(soft_time_limits)
    _state["test_hooks"] = test_hooks
    if memory_mb is not None:
        import resource

        current, _ = address_space()
        cap = current + (memory_mb << 20)
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
        _state["cap"] = cap
        _watch_memory_errors()


def _hit_memory_cap() -> bool:
    if _state["memory_seen"]:
        return True
    cap = _state["cap"]
    if cap is None:
        return False
    _, peak = address_space()
    return peak >= cap - MEMORY_MARGIN


def _recover() -> None:
    """After a MemoryError: drop SymPy's caches and garbage so the next request has room."""
    from sympy.core.cache import clear_cache

    clear_cache()
    gc.collect()


def _budget() -> contextlib.AbstractContextManager[Any]:
    """The request's work budget (calcml.symbolic.budget, where present) with no clock of its
    own: the service's hard limit is the safety net, so the answer depends on work only."""
    try:
        from calcml.symbolic.budget import request  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return contextlib.nullcontext()
    budget: contextlib.AbstractContextManager[Any] = request(seconds=None)
    return budget


def run(request: Request, test_hooks: bool) -> dict[str, Any]:
    """The verb's result dict (exceptions propagate)."""
    from calcml.service.verbs import TEST_VERBS, VERBS

    registry = {**VERBS, **TEST_VERBS} if test_hooks else VERBS
    try:
        fn = registry[request.verb]
    except KeyError:
        raise LookupError(f"no verb {request.verb!r}") from None
    with _budget():
        return fn(request)


def execute(request: Request, test_hooks: bool | None = None) -> Outcome:
    """Run `request` and return its outcome (never raises, except BaseExceptions like exit)."""
    from calcml.errors import CalcmlError, ParseError

    hooks = _state["test_hooks"] if test_hooks is None else test_hooks
    _state["memory_seen"] = False
    try:
        text = dumps(run(request, hooks))
        outcome: Outcome = ("ok", text)
    except MemoryError:
        outcome = ("memory", "")
    except RecursionError:
        outcome = ("memory", "the expression is nested too deeply to compute")
    except ParseError as error:
        outcome = ("input", error.message, error.column or None)
    except CalcmlError as error:
        outcome = ("input", error.message, None)
    except Exception as error:
        outcome = ("internal", f"{type(error).__name__}: {error}")
    if outcome[0] != "memory" and _hit_memory_cap():
        outcome = ("memory", "")
    if outcome[0] == "memory":
        _recover()
    return outcome


MEMORY_EXIT_CODE = 86


def pool_task(request: Request) -> Outcome:
    """What a pool worker runs: `execute`, and after a memory failure the worker exits, so
    the pool replaces it with a fresh one (its peak size and caches start over) and the
    parent maps the exit code to "too large"."""
    outcome = execute(request)
    if outcome[0] == "memory":
        sys.stdout.flush()
        os._exit(MEMORY_EXIT_CODE)
    return outcome
