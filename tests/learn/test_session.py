"""A practice session driven by scripted input, as a learner would type it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from calcml.learn.grader import Verdict
from calcml.learn.problems import problem
from calcml.learn.session import MAX_TRIES, NOT_COUNTED, Session
from calcml.store import Progress


def scripted(lines: list[str]) -> tuple[Any, list[Any]]:
    feed: Iterator[str] = iter(lines)
    shown: list[Any] = []

    def read(prompt: str) -> str | None:
        return next(feed, None)

    return read, shown


def run(lines: list[str], **kwargs: Any) -> tuple[list[Any], list[Any]]:
    read, shown = scripted(lines)
    outcomes = Session(["chain-rule"], read, shown.append, seed=5, difficulty=1, **kwargs).run()
    return outcomes, shown


def right_answer() -> str:
    return problem("chain-rule", 5, 1).answer.input()


def test_hint_then_typo_then_wrong_then_right() -> None:
    outcomes, shown = run(["hint", "sin(x", "0", right_answer(), "quit"])
    texts = [str(s) for s in shown]
    assert any(t.startswith("Hint 1/") for t in texts)
    verdicts = [s for s in shown if isinstance(s, Verdict)]
    assert [v.counted for v in verdicts] == [False, True, True]
    assert verdicts[-1].correct
    assert outcomes[0].correct and outcomes[0].tries == 2 and outcomes[0].hints == 1
    question = problem("chain-rule", 5, 1).solution.question
    assert any(t.startswith(question) for t in texts)  # a brief solution follows a right answer


def test_solution_after_max_tries() -> None:
    outcomes, shown = run(["0"] * MAX_TRIES + ["quit"])
    assert outcomes[0].tries == MAX_TRIES and not outcomes[0].correct
    assert any(f"{MAX_TRIES} tries" in str(s) for s in shown)


def test_skip_and_end_of_input() -> None:
    outcomes, shown = run(["skip"])
    assert len(outcomes) == 1 and not outcomes[0].correct
    assert "Session over: 0 of 1 solved." in str(shown[-1])


def test_seeds_advance_from_the_given_one() -> None:
    outcomes, _ = run(["skip", "skip", "quit"])
    assert [o.seed for o in outcomes] == [5, 6]


def test_attempts_are_recorded_in_progress(tmp_path: Path) -> None:
    progress = Progress(f"sqlite:///{tmp_path / 'p.db'}")
    run(["sin(x", right_answer(), "quit"], progress=progress)
    history = progress.history("chain-rule")
    assert [h["counted"] for h in history] == [False, True]
    assert progress.mastery("chain-rule") == "familiar"


def test_progress_picks_the_skill_when_several(tmp_path: Path) -> None:
    progress = Progress(f"sqlite:///{tmp_path / 'p.db'}")
    read, shown = scripted(["quit"])
    Session(["power-rule", "chain-rule"], read, shown.append, progress=progress).run()
    assert "power-rule" in str(shown[0])


def test_giving_up_counts_as_a_failed_review(tmp_path: Path) -> None:
    progress = Progress(f"sqlite:///{tmp_path / 'p.db'}")
    run(["solution", "quit"], progress=progress)
    history = progress.history("chain-rule")
    counted = [h for h in history if h["counted"]]
    assert len(counted) == 1 and not counted[0]["correct"]
    assert progress.mastery("chain-rule") == "attempted"


def test_a_problem_whose_solution_was_shown_no_longer_counts(tmp_path: Path) -> None:
    """Reading the solution (or skipping, which shows the answer) and replaying the same
    problems cannot build mastery: the answers are kept but not counted, and the learner is
    told so."""
    progress = Progress(f"sqlite:///{tmp_path / 'p.db'}")
    read, shown = scripted(["solution", "skip", "solution", "quit"])
    Session(["chain-rule"], read, shown.append, progress=progress, seed=40, difficulty=3).run()
    answers = [problem("chain-rule", 40 + i, 3).answer.input() for i in range(3)]
    for _ in range(2):  # replay the same three problems, answering each right
        read, shown = scripted([*answers, "quit"])
        Session(["chain-rule"], read, shown.append, progress=progress, seed=40, difficulty=3).run()
        assert sum(NOT_COUNTED in str(s) for s in shown) == 3
    rights = [h for h in progress.history("chain-rule") if h["correct"]]
    assert len(rights) == 6 and not any(h["counted"] for h in rights)
    assert progress.mastery("chain-rule") == "attempted"  # only the counted give-up
    # a problem never revealed still counts
    read, shown = scripted([problem("chain-rule", 43, 3).answer.input(), "quit"])
    Session(["chain-rule"], read, shown.append, progress=progress, seed=43, difficulty=3).run()
    assert not any(NOT_COUNTED in str(s) for s in shown)
    assert progress.mastery("chain-rule") == "familiar"
