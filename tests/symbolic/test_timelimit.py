"""Time limits count the working thread's computing time, so a busy machine (other processes or
other threads holding the CPU) never turns an answer into 'gave up'."""

from __future__ import annotations

import threading
import time

import pytest

from calcml.errors import TimeLimitError
from calcml.symbolic.budget import request
from calcml.symbolic.timelimit import call_with_time_limit, cpu_now


def test_waiting_without_computing_does_not_use_up_the_limit() -> None:
    # 0.3 s of wall time, almost no CPU: a wall-clock limit of 0.1 s would have stopped it
    assert call_with_time_limit(lambda: time.sleep(0.3) or "done", 0.1) == "done"


def test_computing_past_the_limit_is_stopped() -> None:
    def spin() -> None:
        while True:
            sum(range(100))

    started = cpu_now()
    with pytest.raises(TimeLimitError):
        call_with_time_limit(spin, 0.1)
    assert cpu_now() - started >= 0.1  # it computed its whole allowance before being stopped


def test_other_threads_holding_the_gil_do_not_shorten_the_limit() -> None:
    stop = threading.Event()

    def hog() -> None:
        while not stop.is_set():
            sum(range(1000))

    hogs = [threading.Thread(target=hog) for _ in range(3)]
    for h in hogs:
        h.start()
    try:
        # ~0.15 s of CPU, which takes ~4x as long in wall time with three threads competing
        def work() -> float:
            start = cpu_now()
            while cpu_now() - start < 0.15:
                sum(range(100))
            return cpu_now() - start

        assert call_with_time_limit(work, 0.5) >= 0.15
    finally:
        stop.set()
        for h in hogs:
            h.join()


def test_a_request_budget_counts_computing_time_only() -> None:
    with request(seconds=0.2) as budget:
        time.sleep(0.3)
        left = budget.remaining()
    assert left is not None and left > 0.1
