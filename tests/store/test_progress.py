"""Progress: attempts recorded, mastery levels rise with right answers, typos do not count,
the next skill comes from what is due, and the default location honours CALCML_DATA_DIR."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from calcml.learn.grader import Verdict
from calcml.store import Progress, data_dir, default_url

RIGHT = Verdict(True, 1.0, "right.")
WRONG = Verdict(False, 0.0, "no.", mistake="chain_factor")
TYPO = Verdict(False, 0.0, "could not read", counted=False)


@pytest.fixture
def progress(db_url: str) -> Progress:
    """On SQLite and on PostgreSQL (tests/conftest.py: db_url)."""
    return Progress(db_url)


def test_a_new_skill_is_new(progress: Progress) -> None:
    assert progress.mastery("chain-rule") == "new"


def test_levels_rise_attempted_familiar_proficient_mastered(progress: Progress) -> None:
    assert progress.record("chain-rule", 1, 1, "x", WRONG) == "attempted"
    assert progress.record("chain-rule", 2, 1, "x", RIGHT) == "familiar"
    progress.record("chain-rule", 3, 2, "x", RIGHT)
    assert progress.record("chain-rule", 4, 2, "x", RIGHT) == "proficient"
    progress.record("chain-rule", 5, 3, "x", RIGHT)
    assert progress.record("chain-rule", 6, 3, "x", RIGHT) == "mastered"


def test_unreadable_attempts_are_kept_but_not_counted(progress: Progress) -> None:
    progress.record("chain-rule", 1, 1, "sin(x", TYPO)
    assert progress.mastery("chain-rule") == "new"
    assert progress.history("chain-rule")[0]["counted"] is False
    assert "chain-rule" not in progress.due()


def test_next_skill_follows_prerequisites_then_reviews(progress: Progress) -> None:
    skills = ["a", "b", "c"]
    requires = {"b": ["a"], "c": ["b"]}
    assert progress.next_skill(skills, requires) == "a"
    now = datetime.now(UTC)
    progress.record("a", 1, 1, "x", RIGHT, now=now)
    assert progress.next_skill(skills, requires, now=now) == "b"
    progress.record("b", 1, 1, "x", WRONG, now=now)
    # b was failed: its review comes due soon, before the locked c
    later = now + timedelta(days=1)
    assert progress.next_skill(skills, requires, now=later) in {"a", "b"}
    assert progress.due()["b"] <= progress.due()["a"]


def test_difficulty_grows_with_mastery(progress: Progress) -> None:
    assert progress.difficulty_for("gd-step") == 1
    progress.record("gd-step", 1, 1, "x", RIGHT)
    assert progress.difficulty_for("gd-step") == 2


def test_learners_are_separate(db_url: str) -> None:
    url = db_url
    Progress(url, learner="ada").record("power-rule", 1, 1, "x", RIGHT)
    assert Progress(url, learner="bob").mastery("power-rule") == "new"
    assert Progress(url, learner="ada").mastery("power-rule") == "familiar"


def test_default_location_honours_calcml_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CALCML_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("CALCML_DATABASE_URL", raising=False)
    assert data_dir() == tmp_path / "data"
    assert default_url().endswith("data/progress.sqlite3")
    Progress().record("power-rule", 1, 1, "3x^2", RIGHT)
    assert (tmp_path / "data" / "progress.sqlite3").exists()


@pytest.mark.parametrize("seed, difficulty", [(0, 3), (7, 3), (123456, 2)])
def test_a_revealed_problem_no_longer_counts_toward_mastery(
    progress: Progress, seed: int, difficulty: int
) -> None:
    """An answer shown and typed back five times does not master a skill; answers given
    before the reveal, other seeds, other difficulties and other learners are not affected."""
    progress.record("chain-rule", seed, difficulty, "x", WRONG)  # before the reveal: counted
    assert not progress.revealed("chain-rule", seed, difficulty)
    assert progress.reveal("chain-rule", seed, difficulty) == "attempted"
    assert progress.revealed("chain-rule", seed, difficulty)
    for _ in range(5):
        assert progress.record("chain-rule", seed, difficulty, "x", RIGHT) == "attempted"
    history = progress.history("chain-rule")
    assert [h["counted"] for h in history] == [True] + [False] * 6
    assert not progress.revealed("chain-rule", seed + 1, difficulty)
    assert not progress.revealed("chain-rule", seed, difficulty - 1)
    assert not progress.revealed("power-rule", seed, difficulty)
    other = Progress(progress.url, learner="someone else")
    assert not other.revealed("chain-rule", seed, difficulty)
    assert other.record("chain-rule", seed, difficulty, "x", RIGHT) == "familiar"
    assert progress.record("chain-rule", seed + 1, difficulty, "x", RIGHT) == "familiar"
