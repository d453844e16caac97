"""EngineCache: get/put by hex key, insert-or-ignore (first value wins, also across processes),
stats, bounded by entries and bytes with the oldest evicted (checked against a FIFO model),
the default location is the CLI's own progress file."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

import pytest

from calcml.store import EngineCache
from calcml.store.cache import EVICT_TO, MAX_VALUE_BYTES


def key(i: int) -> str:
    return hashlib.sha256(str(i).encode()).hexdigest()


@pytest.fixture
def url(db_url: str) -> str:
    """Each test runs on SQLite and on PostgreSQL (tests/conftest.py: db_url)."""
    return db_url


def test_put_then_get_and_missing_key(url: str) -> None:
    cache = EngineCache(url)
    assert cache.get(key(1)) is None
    cache.put(key(1), '{"derivative": "2·x"}')
    assert cache.get(key(1)) == '{"derivative": "2·x"}'
    assert EngineCache(url).get(key(1)) == '{"derivative": "2·x"}'  # another instance sees it


def test_put_is_insert_or_ignore(url: str) -> None:
    cache = EngineCache(url)
    cache.put(key(1), "first")
    cache.put(key(1), "second")
    assert cache.get(key(1)) == "first"
    assert cache.stats() == {"entries": 1, "bytes": len("first")}


def test_stats_count_utf8_bytes(url: str) -> None:
    cache = EngineCache(url)
    values = ["σ(z)·(1 − σ(z))", "x²", "{}"]
    for i, v in enumerate(values):
        cache.put(key(i), v)
    assert cache.stats() == {"entries": 3, "bytes": sum(len(v.encode()) for v in values)}


def test_keys_must_be_hex_digests(url: str) -> None:
    cache = EngineCache(url)
    for bad in ["", "XYZ", "x" * 10, "a" * 129, "ab'; DROP TABLE attempts; --"]:
        with pytest.raises(ValueError):
            cache.put(bad, "v")
        with pytest.raises(ValueError):
            cache.get(bad)


def fifo_model(puts: list[tuple[str, int]], max_entries: int, max_bytes: int) -> list[str]:
    """Independent model of the documented policy: first value wins; past a limit, keep the
    newest entries that fit in EVICT_TO of each limit."""
    kept: list[tuple[str, int]] = []
    for k, size in puts:
        if size > max_bytes or any(k == have for have, _ in kept):
            continue
        kept.append((k, size))
        if len(kept) > max_entries or sum(s for _, s in kept) > max_bytes:
            newest: list[tuple[str, int]] = []
            for entry in reversed(kept):
                if len(newest) + 1 > int(max_entries * EVICT_TO) or sum(
                    s for _, s in newest
                ) + entry[1] > int(max_bytes * EVICT_TO):
                    break
                newest.append(entry)
            kept = list(reversed(newest))
    return [k for k, _ in kept]


@pytest.mark.parametrize("seed", range(4))
def test_eviction_keeps_the_newest_within_both_limits(url: str, seed: int) -> None:
    rng = random.Random(seed)
    max_entries, max_bytes = rng.randint(5, 30), rng.randint(200, 2000)
    cache = EngineCache(url, max_entries=max_entries, max_bytes=max_bytes)
    puts = [(key(rng.randint(0, 80)), rng.randint(1, 150)) for _ in range(200)]
    for k, size in puts:
        cache.put(k, "v" * size)
        stats = cache.stats()
        assert stats["entries"] <= max_entries and stats["bytes"] <= max_bytes
    expected = fifo_model(puts, max_entries, max_bytes)
    assert [k for k, _ in puts if cache.get(k) is not None and k in expected] == [
        k for k, _ in puts if k in expected
    ]
    assert {k for k, _ in puts if cache.get(k) is not None} == set(expected)


def test_a_value_over_the_maximum_is_not_stored(url: str) -> None:
    cache = EngineCache(url)
    cache.put(key(1), "x" * (MAX_VALUE_BYTES + 1))
    assert cache.get(key(1)) is None and cache.stats()["entries"] == 0


WRITER = """
import hashlib, sys
from calcml.store import EngineCache
cache = EngineCache(sys.argv[1])
for i in range(40):
    cache.put(hashlib.sha256(str(i).encode()).hexdigest(), f"value {i} from {sys.argv[2]}")
"""


def test_processes_share_it_and_first_value_wins(url: str) -> None:
    import subprocess
    import sys

    EngineCache(url)  # migrate once, then two writers race on the same keys
    workers = [
        subprocess.Popen([sys.executable, "-c", WRITER, url, str(n)], stderr=subprocess.PIPE)
        for n in (1, 2)
    ]
    errors = [w.communicate(timeout=300)[1] for w in workers]
    assert [w.returncode for w in workers] == [0, 0], errors
    cache = EngineCache(url)
    assert cache.stats()["entries"] == 40
    assert all(cache.get(key(i)) in {f"value {i} from 1", f"value {i} from 2"} for i in range(40))


def test_default_is_the_cli_progress_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CALCML_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("CALCML_DATABASE_URL", raising=False)
    EngineCache().put(key(7), "seven")
    import sqlite3

    with sqlite3.connect(tmp_path / "progress.sqlite3") as db:
        assert db.execute("SELECT value FROM engine_cache").fetchall() == [("seven",)]


def test_processes_starting_on_a_new_file_migrate_it_once(url: str) -> None:
    import subprocess
    import sys

    workers = [
        subprocess.Popen([sys.executable, "-c", WRITER, url, str(n)], stderr=subprocess.PIPE)
        for n in (1, 2, 3)
    ]
    errors = [w.communicate(timeout=300)[1] for w in workers]
    assert [w.returncode for w in workers] == [0, 0, 0], errors
    assert EngineCache(url).stats()["entries"] == 40
