"""Imported by the service's forkserver: warm the engines once (lazy imports, SymPy's caches), so a
forked worker — also one that replaces a killed worker — answers its first request fast.

Soft time limits are turned off first: they start threads, and a process that forks must not
have any. Importing it anywhere else does nothing (the forkserver's environment has
`CALCML_SERVICE_FORKSERVER=1`).
"""

from __future__ import annotations

import gc
import os

from calcml.service import models, worker
from calcml.symbolic.timelimit import set_soft_limits

WARM_UP: list[models.Request] = [
    models.ParseRequest(expr="2x sin x"),
    models.DeriveRequest(expr="x^2 sin(x) + sigmoid(w x)", wrt=["x"]),
    models.GradientRequest(expr="x^2*y + log(y)"),
    models.LimitRequest(expr="sin(x)/x"),
    models.ContinuityRequest(expr="abs(x)/x"),
    models.TaylorRequest(expr="exp(x)", order=3),
    models.CriticalRequest(expr="x^3 - 3x + y^2"),
    models.CheckRequest(skill="sigmoid-derivative", answer="x"),
]


def warm_up() -> None:
    """Run a few small requests of the common verbs (their answers are thrown away)."""
    set_soft_limits(False)
    worker.preload()
    for request in WARM_UP:
        worker.execute(request, test_hooks=False)
    gc.collect()
    gc.freeze()  # forked workers never scan the preloaded heap (fast collections, shared pages)


if os.environ.get("CALCML_SERVICE_FORKSERVER") == "1":
    warm_up()
