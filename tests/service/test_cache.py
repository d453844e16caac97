"""The result cache: keys name everything an answer depends on, the LRU keeps its bounds, the
shared database layer answers a second service, and observability counts it all."""

from __future__ import annotations

import json
import logging
import random
from pathlib import Path

import pytest

import calcml.service
from aio import run as run_coroutine
from calcml.service import EngineService, ServiceConfig, models
from calcml.service.cache import LRUCache, cache_key


def test_the_key_changes_with_every_field_and_the_raw_text() -> None:
    base = models.LimitRequest(expr="sin(x)/x", at="0", side="both")
    variants = [
        models.LimitRequest(expr="sin(x)/x ", at="0", side="both"),  # raw text, not the parse
        models.LimitRequest(expr="sin(x) / x", at="0", side="both"),
        models.LimitRequest(expr="sin(x)/x", at="0.0", side="both"),
        models.LimitRequest(expr="sin(x)/x", at="0", side="left"),
        models.LimitRequest(expr="sin(x)/x", var="x", at="0", side="both"),
        models.ContinuityRequest(expr="sin(x)/x", at="0"),  # another verb
    ]
    keys = {cache_key(v) for v in variants}
    assert len(keys) == len(variants) and cache_key(base) not in keys
    assert cache_key(base) == cache_key(models.LimitRequest(expr="sin(x)/x"))  # defaults count


def test_the_key_includes_the_versions(monkeypatch: pytest.MonkeyPatch) -> None:
    from calcml.service import cache

    request = models.ParseRequest(expr="x")
    before = cache_key(request)
    monkeypatch.setattr(cache, "_VERSIONS", ["calcml 9.9; sympy 9.9"])
    assert cache_key(request) != before


def test_the_lru_keeps_its_bounds_and_evicts_the_least_recently_used() -> None:
    rng = random.Random(4)
    lru = LRUCache(max_entries=20, max_bytes=5_000)
    shadow: dict[str, str] = {}
    for i in range(500):
        key = f"{rng.randrange(60):x}"
        if rng.random() < 0.5:
            value = "v" * rng.randrange(1, 400) + str(i)
            lru.put(key, value)
            shadow[key] = value
        else:
            got = lru.get(key)
            assert got is None or got == shadow[key]
        stats = lru.stats()
        assert stats["entries"] <= 20 and stats["bytes"] <= 5_000
    lru = LRUCache(max_entries=3, max_bytes=10_000)
    for key in "abc":
        lru.put(key, key * 10)
    assert lru.get("a") == "a" * 10  # a is now the most recently used
    lru.put("d", "d" * 10)
    assert lru.get("b") is None and lru.get("a") is not None
    lru.put("huge", "x" * 20_000)  # larger than the whole cache: not stored
    assert lru.get("huge") is None and lru.stats()["entries"] == 3


def test_a_second_service_is_answered_by_the_shared_database_cache(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cache.db'}"
    request = models.GradientRequest(expr="x^2*y + sin(y)")
    first = EngineService(ServiceConfig(inline=True, database_url=url))
    computed = first.call(request).to_json()
    second = EngineService(ServiceConfig(inline=True, database_url=url))
    again = second.call(request)
    assert again.to_json() == computed  # byte-identical
    stats = second.stats()
    assert stats["cache_hits"] == 1 and stats["cache"]["shared"]["hits"] == 1
    assert stats["cache"]["shared"]["entries"] == 1
    second.call(request)
    assert second.stats()["cache"]["memory"]["hits"] == 1  # copied into the LRU
    off = EngineService(ServiceConfig(inline=True, database_url=url, database_cache=False))
    off.call(request)
    assert off.stats()["cache_hits"] == 0 and "shared" not in off.stats()["cache"]


def test_one_log_line_per_request_and_the_counters(caplog: pytest.LogCaptureFixture) -> None:
    svc = EngineService(ServiceConfig(inline=True))
    before = calcml.service.stats()
    with caplog.at_level(logging.INFO, logger="calcml.service"):
        svc.call(models.DeriveRequest(expr="x^5"))
        svc.call(models.DeriveRequest(expr="x^5"))
        with pytest.raises(calcml.service.InputError):
            svc.call(models.DeriveRequest(expr="x^"))
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "calcml.service"]
    assert [(line["verb"], line["cache"], line["outcome"]) for line in lines] == [
        ("derive", "", "ok"),
        ("derive", "memory", "ok"),
        ("derive", "", "input"),
    ]
    assert lines[0]["input"] == lines[1]["input"] != lines[2]["input"]
    assert all(line["ms"] >= 0 for line in lines)
    stats = svc.stats()
    assert (stats["requests"], stats["ok"], stats["input_errors"]) == (3, 2, 1)
    assert (stats["cache_hits"], stats["cache_misses"]) == (1, 2)
    after = calcml.service.stats()
    assert after["requests"] - before["requests"] == 3
    assert after["cache_hits"] - before["cache_hits"] == 1


def test_acall_uses_the_shared_cache_too(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cache.db'}"
    request = models.HessianRequest(expr="x^3*y - y^2")
    first = EngineService(ServiceConfig(inline=True, database_url=url))
    computed = run_coroutine(first.acall(request)).to_json()
    second = EngineService(ServiceConfig(inline=True, database_url=url))
    assert run_coroutine(second.acall(request)).to_json() == computed
    assert second.stats()["cache"]["shared"]["hits"] == 1
