"""Classes in the store: join codes (random, rate-limited), problem sets (the same seeds for
everyone or per learner), the dashboard's counts checked against the attempts written."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import Engine

from calcml.store import accounts, classes, ratelimit
from calcml.store.classes import ClassError
from calcml.store.progress import Progress
from calcml.store.ratelimit import RateLimited

T0 = datetime(2026, 11, 1, 9, tzinfo=UTC)


def test_join_codes_are_long_random_and_distinct(engine: Engine) -> None:
    owner = accounts.create_user(engine, "teach", "password1")
    codes = [classes.create(engine, owner.id, f"c{i}").join_code for i in range(20)]
    assert len(set(codes)) == 20
    assert all(len(c) * 6 >= 40 for c in codes)  # url-safe base64: 6 bits a character


def test_join_and_membership(engine: Engine) -> None:
    owner = accounts.create_user(engine, "teach", "password1")
    ada = accounts.create_user(engine, "ada", "password1")
    room = classes.create(engine, owner.id, "Calc")
    assert classes.join(engine, ada.id, room.join_code, "c") == room
    classes.join(engine, ada.id, room.join_code, "c")  # twice: still one membership
    assert [a.id for a in classes.members(engine, room.id)] == [ada.id]
    assert classes.member(engine, room.id, ada.id) == room
    assert classes.owned(engine, room.id, ada.id) is None
    assert classes.owned(engine, room.id, owner.id) == room
    assert classes.of_user(engine, ada.id) == ([], [room])


def test_join_attempts_are_rate_limited(engine: Engine) -> None:
    owner = accounts.create_user(engine, "teach", "password1")
    ada = accounts.create_user(engine, "ada", "password1")
    room = classes.create(engine, owner.id, "Calc")
    for i in range(ratelimit.RULES["join"].limit):
        with pytest.raises(ClassError):
            classes.join(engine, ada.id, f"guess{i}", "c", T0)
    with pytest.raises(RateLimited):  # even the right code, until the window ends
        classes.join(engine, ada.id, room.join_code, "other-client", T0)
    assert classes.member(engine, room.id, ada.id) is None


def test_problem_sets_fixed_or_per_learner(engine: Engine) -> None:
    owner = accounts.create_user(engine, "teach", "password1")
    room = classes.create(engine, owner.id, "Calc")
    skills = ["power-rule", "chain-rule"]
    fixed = classes.add_set(engine, room.id, "HW1", skills, 2, 3, False, None)
    mine = classes.add_set(engine, room.id, "HW2", skills, 2, 3, True, T0)
    assert classes.sets(engine, room.id) == [fixed, mine]
    assert fixed.problems("u1") == fixed.problems("u2")
    assert len(fixed.problems("u1")) == 6
    assert mine.problems("u1") != mine.problems("u2")
    assert mine.problems("u1") == mine.problems("u1")  # stable for one learner
    assert all(0 <= seed < classes.SEED_RANGE for _, seed, _ in mine.problems("u1"))
    assert classes.sets(engine, room.id)[1].due == T0
    for bad in ([], ["x"] * 31):
        with pytest.raises(ClassError):
            classes.add_set(engine, room.id, "HW", bad, 1, 1, False, None)
    with pytest.raises(ClassError):
        classes.add_set(engine, room.id, "HW", skills, 1, classes.MAX_SET_COUNT + 1, False, None)


def test_dashboard_counts_match_what_was_written(engine: Engine, url: str) -> None:
    """Random attempts of three learners; the dashboard's totals, accuracy, mistakes and
    last-seen are recomputed here from the list written (not from the store)."""
    owner = accounts.create_user(engine, "teach", "password1")
    room = classes.create(engine, owner.id, "Calc")
    people = [accounts.create_user(engine, f"learner{i}", "password1") for i in range(3)]
    for p in people[:2]:
        classes.join(engine, p.id, room.join_code, "c")
    outsider = people[2]  # not in the class: never on its dashboard
    rng = random.Random(7)
    written = []
    for n in range(60):
        who = rng.choice(people)
        skill = rng.choice(["power-rule", "chain-rule"])
        correct = rng.random() < 0.5
        mistake = None if correct else rng.choice(["chain_factor", "sign", None])
        verdict = SimpleNamespace(
            correct=correct, score=float(correct), mistake=mistake, counted=True
        )
        when = T0 + timedelta(hours=n)
        Progress(url, learner=who.learner).record(skill, n, 1, "a", verdict, now=when)
        written.append((who.id, skill, correct, mistake, when))
    board = classes.dashboard(engine, room.id)
    assert {r.account.id for r in board.learners} == {p.id for p in people[:2]}
    for row in board.learners:
        mine = [w for w in written if w[0] == row.account.id]
        assert row.attempts == len(mine)
        assert row.correct == sum(w[2] for w in mine)
        assert row.last_seen == max(w[4] for w in mine)
        assert set(row.skills) == {w[1] for w in mine} == set(row.cards)
    inside = [w for w in written if w[0] != outsider.id]
    for skill, top in board.mistakes.items():
        expected = Counter(w[3] for w in inside if w[1] == skill and w[3])
        assert dict(top) == dict(expected.most_common(3))
    last = max(w[4] for w in inside)
    assert classes.not_seen(board, 3, last + timedelta(days=2)) == []
    assert len(classes.not_seen(board, 3, last + timedelta(days=30))) == 2
