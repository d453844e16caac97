"""`calcml tour`: the stops a learner walks through."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from calcml.cli import main, tour


def test_tour_numbers_its_stops_consecutively_whatever_their_sort_keys(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    fake = [
        tour.TourSection(order, f"stop with key {order}", lambda _out, o=order: shown.append(o))
        for order in (9, 0, 4, 2)
    ]
    monkeypatch.setattr(tour, "SECTIONS", fake)
    assert main(["tour", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    numbers = [int(n) for n in re.findall(r"(\d+)\. stop with key", out)]
    assert numbers == [0, 1, 2, 3]
    assert shown == [0, 2, 4, 9]
