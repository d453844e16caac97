"""Several app servers on one database, and what happens when a server or the database dies
(real `calcml serve` processes on loopback, tests/appserver.py):

- two servers sharing PostgreSQL: a learner answers on one, the roadmap on the other shows it;
- kill -9 of a server in the middle of submissions: every answer acknowledged with 200 is in
  the database exactly once, every other one at most once, a server on the same database
  carries on, and the unacknowledged answers sent to it again with their submission ids are
  then stored exactly once;
- PostgreSQL restarted under load (one request while it is away in `make test`):
  while it is away requests fail with 503 + Retry-After (never a hang or a 500), the servers
  reconnect by themselves, no acknowledged answer is lost.

`make test` runs the first three as one scenario on two servers (about a minute here); `make
soak` runs each alone (kill -9 on SQLite too, a new server after the kill) and the restart under
load. Progress is counted in the database directly (sqlite3, psycopg), never through calcml."""

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


def assert_database_away_is_a_503(server: AppServer, pg_cluster: Cluster) -> None:
    """With PostgreSQL stopped, pages and the API answer 503 + Retry-After (no address, no
    SQL); started again, the server answers by itself."""
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


def two_acked(outcome: Outcome) -> bool:
    return len(outcome.acked) >= 2


async def resend(base: str, outcome: Outcome) -> dict[int, int]:
    """The unacknowledged answers of `outcome`, sent again with their submission ids."""
    async with client() as http:
        return {t: await retry_answer(http, base, 0, form) for t, form in outcome.unsent.items()}


def assert_resent_once(url: str, resent: dict[int, int]) -> None:
    assert set(resent.values()) <= {200}, resent
    counts = answer_counts(url)
    once = {t: counts[f"x + {t}"] for t in resent}
    assert set(once.values()) <= {1}, (
        f"a retried answer is stored once, whatever came first: {once}"
    )


def test_two_servers_on_postgresql_share_survive_kill_9_and_the_database_away(
    pg_cluster: Cluster,
) -> None:
    """`make test`'s one run of the scenarios above (each alone, and longer, in `make soak`),
    on two servers sharing PostgreSQL: a learner answers on the second and the roadmap on the
    first shows it; the second is killed (-9) in the middle of submissions, no acknowledged
    answer lost; the first carries on and stores the unacknowledged ones, sent again by id,
    once; with PostgreSQL stopped it answers 503 and then reconnects by itself."""
    url = pg_cluster.create_database()
    with AppServer(url) as first:
        second = AppServer(url)
        try:

            async def share() -> tuple[dict[str, str], dict[str, str]]:
                async with client() as http:
                    before = levels((await http.get(f"{first.base}/")).text)
                    assert await practice_cycle(http, second.base, 1, 1, Outcome())
                    return before, levels((await http.get(f"{first.base}/")).text)

            before, after = run_coroutine(share())
            assert set(before.values()) == {"new"}
            assert sorted(after.values()).count("attempted") == 1
            assert {v for v in after.values() if v != "attempted"} == {"new"}
            assert answer_counts(url)["x + 1"] == 1

            outcome = Outcome()

            def stop(o: Outcome) -> bool:
                if len(o.acked) >= 6 and second.proc.poll() is None:
                    second.kill()  # in the middle: the other learners' requests are in flight
                return second.proc.poll() is not None

            run_coroutine(learners_until(lambda: second.base, stop, outcome, 10))
        finally:
            second.kill()
        assert_nothing_lost(url, outcome)
        assert all("attempt" in f for f in outcome.unsent.values()), "forms carry an id"
        carried = Outcome()
        run_coroutine(
            learners_until(lambda: first.base, lambda o: len(o.acked) >= 2, carried, 10**5)
        )
        assert_nothing_lost(url, carried)
        assert_resent_once(url, run_coroutine(resend(first.base, outcome)))
        assert_database_away_is_a_503(first, pg_cluster)


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


@pytest.mark.soak
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


@pytest.mark.soak
@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
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
        run_coroutine(learners_until(lambda: again.base, two_acked, after, 10**5))
        resent = run_coroutine(resend(again.base, outcome))
    assert_nothing_lost(url, after)
    assert_resent_once(url, resent)


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


@pytest.mark.soak
def test_a_503_from_a_database_away_says_when_to_retry(pg_cluster: Cluster) -> None:
    with AppServer(pg_cluster.create_database()) as server:
        assert_database_away_is_a_503(server, pg_cluster)
