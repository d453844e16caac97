"""Several app servers on one database, and what happens when a server or the database dies
(real `calcml serve` processes on loopback, tests/appserver.py):

- two servers sharing PostgreSQL: a learner answers on one, the roadmap on the other shows it;
- kill -9 of a server in the middle of submissions (PostgreSQL; SQLite in `make soak`): every answer
  acknowledged with 200 is in the database exactly once, every other one at most once, a new
  server on the same database carries on, and the unacknowledged answers sent to it again
  with their submission ids are then stored exactly once;
- PostgreSQL restarted under load (`make soak`; one request while it is away in `make test`):
  while it is away requests fail with 503 + Retry-After (never a hang or a 500), the servers
  reconnect by themselves, no acknowledged answer is lost.

Progress is counted in the database directly (sqlite3, psycopg), never through calcml."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable

import httpx
import pytest

from aio import run as run_coroutine
from appserver import (
    AppServer,
    Outcome,
    answer_counts,
    client,
    levels,
    practice_cycle,
    retry_answer,
)
from pg import Cluster

pytestmark = pytest.mark.xdist_group("serial")  # tests/conftest.py: SERIAL

LEARNERS = 4  # concurrent learners in the fault tests (no think time)


def assert_nothing_lost(url: str, outcome: Outcome) -> None:
    counts = answer_counts(url)
    assert outcome.acked, "no answer was acknowledged"
    lost = [t for t in outcome.acked if counts[f"x + {t}"] != 1]
    assert lost == [], f"acknowledged answers not stored exactly once: {lost}"
    doubled = [t for t in outcome.unacked if counts[f"x + {t}"] > 1]
    assert doubled == [], f"unacknowledged answers stored twice: {doubled}"


async def learners_until(
    base: Callable[[], str], stop: Callable[[Outcome], bool], outcome: Outcome, first_tag: int = 1
) -> None:
    """LEARNERS learners doing practice cycles back to back until stop(outcome); answers are
    tagged first_tag, first_tag + 1, ..."""
    tags = itertools.count(first_tag)

    async def one(learner: int) -> None:
        async with client() as http:
            while not stop(outcome):
                ok = await practice_cycle(http, base(), learner, next(tags), outcome)
                if not ok:
                    await asyncio.sleep(0.2)

    await asyncio.gather(*(one(n) for n in range(LEARNERS)))


def test_two_servers_share_one_learner_through_postgresql(pg_cluster: Cluster) -> None:
    url = pg_cluster.create_database()
    with AppServer(url) as first, AppServer(url) as second:

        async def scenario() -> tuple[dict[str, str], dict[str, str], str]:
            async with client() as http:
                outcome = Outcome()
                before = levels((await http.get(f"{first.base}/")).text)
                assert await practice_cycle(http, second.base, 1, 1, outcome), outcome
                after = levels((await http.get(f"{first.base}/")).text)
                skill = next(k for k, v in after.items() if v != before[k])
                return before, after, skill

        before, after, skill = run_coroutine(scenario())
    assert set(before.values()) == {"new"}
    assert after[skill] == "attempted"
    assert {k for k, v in after.items() if v != "new"} == {skill}
    assert answer_counts(url)["x + 1"] == 1


@pytest.mark.parametrize("backend", [pytest.param("sqlite", marks=pytest.mark.soak), "postgresql"])
def test_kill_9_of_a_server_mid_submissions_loses_no_acknowledged_answer(
    backend: str, request: pytest.FixtureRequest, tmp_path
) -> None:
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'progress.sqlite3'}"
    else:
        url = request.getfixturevalue("pg_cluster").create_database()
    outcome = Outcome()
    server = AppServer(url)
    try:

        def stop(o: Outcome) -> bool:
            if len(o.acked) >= 6 and server.proc.poll() is None:
                server.kill()  # in the middle: the other learners' requests are in flight
            return server.proc.poll() is not None

        run_coroutine(learners_until(lambda: server.base, stop, outcome))
    finally:
        server.kill()
    assert_nothing_lost(url, outcome)
    assert all("attempt" in f for f in outcome.unsent.values()), "forms carry a submission id"
    with AppServer(url) as again:  # a new server on the same database carries on
        after = Outcome()

        def two_acked(outcome: Outcome) -> bool:
            return len(outcome.acked) >= 2

        run_coroutine(learners_until(lambda: again.base, two_acked, after, 100_000))

        async def resend() -> dict[int, int]:  # the unacknowledged answers, sent again by id
            async with client() as http:
                return {
                    t: await retry_answer(http, again.base, 0, form)
                    for t, form in outcome.unsent.items()
                }

        resent = run_coroutine(resend())
    assert_nothing_lost(url, after)
    assert set(resent.values()) <= {200}, resent
    counts = answer_counts(url)
    once = {t: counts[f"x + {t}"] for t in resent}
    assert set(once.values()) <= {1}, (
        f"a retried answer is stored once, whatever came first: {once}"
    )


@pytest.mark.soak
def test_postgresql_restarted_under_load_503_then_reconnects(pg_cluster: Cluster) -> None:
    url = pg_cluster.create_database()
    outcome = Outcome()
    phase = {"name": "before"}
    during: list[str] = []
    with AppServer(url) as first, AppServer(url) as second:
        bases = itertools.cycle([first.base, second.base])

        def stop(o: Outcome) -> bool:
            if phase["name"] == "before" and len(o.acked) >= 8:
                phase["name"], phase["mark"] = "down", sum(o.statuses.values())
                pg_cluster.stop_server("fast")
            elif phase["name"] == "down" and o.count("503") >= 2 * LEARNERS:
                phase["name"], phase["acked"] = "up", len(o.acked)
                pg_cluster.start()
            return phase["name"] == "up" and len(o.acked) >= phase["acked"] + 8

        try:
            run_coroutine(learners_until(lambda: next(bases), stop, outcome))
        finally:
            if not pg_cluster.running:
                pg_cluster.start()
        during = [first.stderr(), second.stderr()]
    assert outcome.count("500") == 0, (outcome.statuses, during)
    hung = [k for k in outcome.statuses if k.startswith(("ReadTimeout", "PoolTimeout"))]
    assert hung == [], outcome.statuses
    away = [k for k in outcome.statuses if k.startswith("503")]
    assert outcome.count("503") >= 2 * LEARNERS, outcome.statuses
    assert all("progress database" in k for k in away), outcome.statuses
    assert_nothing_lost(url, outcome)


def test_a_503_from_a_database_away_says_when_to_retry(pg_cluster: Cluster) -> None:
    url = pg_cluster.create_database()
    with AppServer(url) as server:
        try:
            pg_cluster.stop_server("fast")
            reply = httpx.get(f"{server.base}/", timeout=60, headers={"accept": "text/html"})
            api = httpx.get(
                f"{server.base}/practice", timeout=60, headers={"accept": "application/json"}
            )
        finally:
            pg_cluster.start()
        back = httpx.get(f"{server.base}/", timeout=60)
    assert reply.status_code == 503 and reply.headers["retry-after"].isdigit()
    assert "progress is not saved right now" in reply.text
    assert api.status_code == 503 and api.json()["retry_after"] > 0
    assert "127.0.0.1" not in api.text and "postgres" not in api.text.lower()
    assert back.status_code == 200
