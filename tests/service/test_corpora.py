"""The service answers as the in-process engines do (derivative, limit and grading corpora), and
its answers do not depend on how busy the machine is (byte-identical JSON, idle and loaded).

The in-process reference runs with the engines' wall-clock soft limits off, as the workers do,
so neither side's answer depends on the clock.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from limit_corpus import CORPUS

from calcml.service import EngineService, LimitExceeded, ServiceConfig, models
from calcml.service.errors import ServiceError
from calcml.symbolic.timelimit import set_soft_limits
from randexpr import random_exprs

pytestmark = pytest.mark.xdist_group("service")


@pytest.fixture
def no_soft_limits() -> Iterator[None]:
    set_soft_limits(False)
    try:
        yield
    finally:
        set_soft_limits(True)


def plain(result: Any) -> Any:
    return json.loads(json.dumps(result.to_dict() if hasattr(result, "to_dict") else result,
                                 ensure_ascii=False, default=str))  # fmt: skip


def through(pool: EngineService, requests: list[models.Request]) -> list[Any]:
    """Answers (dicts) or the ServiceError, in order, two requests at a time."""

    def one(request: models.Request) -> Any:
        try:
            return json.loads(pool.call(request).to_json())
        except ServiceError as error:
            return error

    with ThreadPoolExecutor(max_workers=2) as callers:
        return list(callers.map(one, requests))


def test_derivative_corpus(pool: EngineService, no_soft_limits: None) -> None:
    import calcml as cm
    from calcml.expr import expr_dict

    exprs = [expr_dict(e)["expr"] for e in random_exprs(seed=151, n=24, nvars=2, depth=2)]
    requests: list[models.Request] = []
    expected = []
    for i, text in enumerate(exprs):
        if i % 2:
            requests.append(models.GradientRequest(expr=text, wrt=["x", "y"]))
            expected.append(plain(cm.gradient(text, ["x", "y"])))
        else:
            requests.append(models.DeriveRequest(expr=text, wrt=["x"]))
            expected.append(plain(cm.derive(text, "x")))
    assert through(pool, requests) == expected


def test_limit_corpus(pool: EngineService, no_soft_limits: None) -> None:
    import calcml as cm

    cases = CORPUS[::6]
    requests: list[models.Request] = [
        models.LimitRequest(expr=c.expr, var="x", at=c.at, side=c.side)  # type: ignore[arg-type]
        for c in cases
    ]
    answers = through(pool, requests)
    # Without the engines' soft time limits some limits take longer than the 3 s safety net;
    # those come back as a clear LimitExceeded (and are not recomputed here).
    answered = [(c, a) for c, a in zip(cases, answers, strict=True) if isinstance(a, dict)]
    assert all(isinstance(a, LimitExceeded) for a in answers if not isinstance(a, dict))
    assert len(answered) >= 0.75 * len(cases) and len(answered) >= 15
    for case, answer in answered:
        assert answer == plain(cm.limit(case.expr, "x", case.at, side=case.side, time_limit=None))


def test_grading_corpus(pool: EngineService, no_soft_limits: None) -> None:
    from calcml.learn.answers import format_answer
    from calcml.learn.grader import check
    from calcml.learn.problems import problem
    from calcml.learn.skills import SKILLS

    requests: list[models.Request] = []
    expected = []
    skills = SKILLS[::2]
    for n, skill in enumerate(skills):
        p = problem(skill.id, n % 3, 1)
        answers = [p.answer.input()]
        answers += [format_answer(v, p.answer.kind) for v in list(p.mistakes.values())[:1]]
        for answer in answers:
            requests.append(models.CheckRequest(skill=skill.id, seed=n % 3, answer=answer))
            verdict = check(p, answer)
            data = {"skill": skill.id, "seed": n % 3, "difficulty": 1, **verdict.to_dict()}
            data["problem"] = p.to_dict(reveal=False)
            expected.append(plain(data))
    answers = through(pool, requests)
    assert answers == expected
    assert sum(a["correct"] for a in answers) >= len(skills)  # every right answer is right


# Light cases and heavy ones (1-2 s each on an idle machine, half the 4 s safety net below).
DETERMINISM: list[models.Request] = [
    models.DeriveRequest(expr="x^2*(tan(x) + atan(x))/sin(x)"),
    models.LimitRequest(expr="sin(1/x)*exp(1/x)"),
    models.LimitRequest(expr="(tan(x) - sin(x))/x^3"),
    models.ContinuityRequest(expr="x^2*sin(1/x)"),
    models.CriticalRequest(expr="x^4 - 3x^2 y + y^3 - x y"),
    models.CheckRequest(skill="chain-rule", seed=4, answer="2x cos(x^2)"),
]
BURN = "import os; os.nice(19)\nwhile True: pass"


def test_answers_are_byte_identical_idle_and_with_both_cores_busy() -> None:
    config = ServiceConfig(workers=2, time_limit=4.0, cache_entries=0)

    def run(svc: EngineService) -> list[str]:
        out = []
        for request in DETERMINISM:
            try:
                out.append(svc.call(request).to_json())
            except LimitExceeded as error:
                out.append(f"limit: {error.kind}")
        return out

    with EngineService(config) as svc:
        idle = run(svc)
        burners = [subprocess.Popen([sys.executable, "-c", BURN]) for _ in range(2)]
        try:
            busy = run(svc)
        finally:
            for proc in burners:
                proc.kill()
                proc.wait()
    answered = [i for i, text in enumerate(idle) if not text.startswith("limit")]
    assert len(answered) >= len(DETERMINISM) - 1
    for i in answered:
        # byte-identical; or, past the safety net on a loaded machine, a clear limit — never
        # another answer
        assert busy[i] == idle[i] or busy[i] == "limit: time", DETERMINISM[i]
    assert sum(busy[i] == idle[i] for i in answered) >= len(answered) - 1
