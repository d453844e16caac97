"""Real `calcml serve` processes and simulated learners, for the deployment and fault tests and
the soak benchmark (benchmarks/bench_soak.py).

`AppServer` runs `calcml serve --port 0` in its own process group (so `kill()` is a kill -9 of
the app and its engine workers, and nothing is left behind). A `practice_cycle` is what a
learner's browser does: GET /practice (redirected to a new problem), the problem page, then the
answer form (CSRF token from the cookie). Every answer is a unique tag ("x + 123"), so a test
counts each submission's rows in the database without calcml."""

from __future__ import annotations

import contextlib
import os
import re
import select
import signal
import sqlite3
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

CALCML = str(Path(sys.executable).with_name("calcml"))
START_TIMEOUT_S = 120
REQUEST_TIMEOUT_S = 60.0  # a request that takes longer counts as hung
LEVEL = re.compile(r'href="/practice\?skill=([\w-]+)">[^<]*</a>\s*<span class="level-name">(\w+)<')


class AppServer:
    """One `calcml serve` process on a free loopback port (`base` is its URL)."""

    def __init__(self, database_url: str, engine_workers: int = 1, workers: int = 1) -> None:
        handle, name = tempfile.mkstemp(prefix="calcml-serve-", suffix=".log")
        self.log = Path(name)
        command = [
            CALCML, "serve", "--port", "0", "--database-url", database_url,
            "--engine-workers", str(engine_workers), "--workers", str(workers),
            "--rate", "10000", "--trusted-proxy-header", "X-Forwarded-For",
        ]  # fmt: skip
        self.proc = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=handle, text=True, start_new_session=True
        )
        os.close(handle)
        assert self.proc.stdout is not None
        ready, _, _ = select.select([self.proc.stdout], [], [], START_TIMEOUT_S)
        line = self.proc.stdout.readline() if ready else ""
        found = re.search(r"http://[\d.]+:\d+", line)
        if not found:
            self.kill()
            raise RuntimeError(f"calcml serve did not start: {line!r} {self.stderr()}")
        self.base = found.group(0)

    def stderr(self) -> str:
        return self.log.read_text(errors="replace")

    def kill(self) -> None:
        """kill -9 of the server and its engine workers (its whole process group)."""
        self._signal(signal.SIGKILL)

    def stop(self) -> None:
        """SIGTERM (a graceful stop), then SIGKILL if it lingers; removes the log."""
        self._signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=30)
        self._signal(signal.SIGKILL)
        self.log.unlink(missing_ok=True)

    def _signal(self, sig: int) -> None:
        try:
            os.killpg(self.proc.pid, sig)
        except ProcessLookupError:
            return
        if sig == signal.SIGKILL:
            self.proc.wait(timeout=30)

    def __enter__(self) -> AppServer:
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()


@dataclass
class Outcome:
    """What the learners saw: acknowledged tags, tags whose answer got no 200, statuses."""

    acked: list[int] = field(default_factory=list)
    unacked: list[int] = field(default_factory=list)
    unsent: dict[int, dict[str, str]] = field(default_factory=dict)  # tag -> form, to retry
    statuses: dict[str, int] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)

    def saw(self, status: int | str) -> None:
        self.statuses[str(status)] = self.statuses.get(str(status), 0) + 1

    def count(self, prefix: str) -> int:
        """How many outcomes begin with `prefix` ("503", "ReadTimeout", ...)."""
        return sum(n for k, n in self.statuses.items() if k.startswith(prefix))


def address(learner: int) -> str:
    """A distinct client address per simulated learner (the proxy header the server trusts)."""
    return f"10.{learner // 65536 % 256}.{learner // 256 % 256}.{learner % 256}"


async def practice_cycle(
    client: httpx.AsyncClient, base: str, learner: int, tag: int, outcome: Outcome
) -> bool:
    """One practice cycle; True when the answer (`tag`) was acknowledged with 200. Any other
    status, a refused connection or a dropped one: the tag is unacknowledged. A GET whose
    reused keep-alive connection the server had just closed is sent again once (as browsers
    do); the answer (a POST) never is. Errors are counted by status and first words."""
    import time

    headers = {"X-Forwarded-For": address(learner), "accept": "application/json"}
    answered = False
    try:
        start = time.perf_counter()
        first = await _get(client, f"{base}/practice", headers, outcome)
        if first.status_code != 303:
            return False
        location = first.headers["location"]
        page = await _get(client, f"{base}{location}", headers, outcome)
        if page.status_code != 200:
            return False
        query = {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
        form = {**query, "hints": "0", "answer": f"x + {tag}", **_attempt_id(page.text)}
        form["csrf"] = client.cookies.get("calcml_csrf") or ""
        answered = True
        reply = await client.post(f"{base}/practice/answer", data=form, headers=headers)
        _saw(reply, outcome)
        outcome.latencies.append(time.perf_counter() - start)
        if reply.status_code == 200:
            outcome.acked.append(tag)
            return True
    except httpx.HTTPError as error:
        outcome.saw(f"{type(error).__name__} on {'POST' if answered else 'GET'}")
    if answered:
        outcome.unacked.append(tag)
        outcome.unsent[tag] = form
    return False


ATTEMPT = re.compile(r'name="attempt" value="([A-Za-z0-9_-]+)"')


def _attempt_id(page: str) -> dict[str, str]:
    """The submission id the practice form carries (a retry with it is stored once)."""
    found = ATTEMPT.search(page)
    return {"attempt": found.group(1)} if found else {}


async def retry_answer(
    client: httpx.AsyncClient, base: str, learner: int, form: dict[str, str]
) -> int:
    """Send an unacknowledged answer again, with the same submission id (any server may take
    it); returns the status."""
    headers = {"X-Forwarded-For": address(learner), "accept": "application/json"}
    await client.get(f"{base}/calc", headers=headers)  # this client's CSRF cookie
    again = {**form, "csrf": client.cookies.get("calcml_csrf") or ""}
    reply = await client.post(f"{base}/practice/answer", data=again, headers=headers)
    return reply.status_code


async def _get(
    client: httpx.AsyncClient, url: str, headers: dict[str, str], outcome: Outcome
) -> httpx.Response:
    try:
        reply = await client.get(url, headers=headers)
    except (httpx.RemoteProtocolError, httpx.ReadError):  # a keep-alive closed under us
        outcome.saw("GET sent again (connection closed by the server)")
        reply = await client.get(url, headers=headers)
    _saw(reply, outcome)
    return reply


def _saw(reply: httpx.Response, outcome: Outcome) -> None:
    if reply.status_code < 400:
        outcome.saw(reply.status_code)
        return
    try:
        why = str(reply.json().get("error", ""))
    except ValueError:
        why = ""
    outcome.saw(f"{reply.status_code} {' '.join(why.split()[:5])}".strip())


def answer_counts(url: str) -> Counter[str]:
    """How many rows each answer text has (read without calcml)."""
    if url.startswith("sqlite"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
            rows = db.execute("SELECT answer FROM attempts").fetchall()
    else:
        import psycopg

        with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as db:
            rows = db.execute("SELECT answer FROM attempts").fetchall()
    return Counter(r[0] for r in rows)


def levels(page: str) -> dict[str, str]:
    """Skill -> mastery shown on the roadmap page."""
    return dict(LEVEL.findall(page))


def client(**options: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(timeout=REQUEST_TIMEOUT_S, **options)
