"""`calcml practice` run in-process through `calcml.cli.main` (so coverage sees it), with the
answers piped on standard input; what is right is decided by the problem, not by the session."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from calcml.cli import main
from calcml.learn.answers import format_answer
from calcml.learn.mistakes import MISTAKES
from calcml.learn.problems import problem


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CALCML_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.delenv("CALCML_DATABASE_URL", raising=False)
    return tmp_path / "data"


def practise(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], args: list[str], typed: str
) -> tuple[int, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(typed))
    code = main(["practice", *args])
    # rich wraps long lines at the terminal's width: compare the words, not the line breaks
    return code, " ".join(capsys.readouterr().out.split())


def test_hint_unreadable_wrong_then_right(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    p = problem("chain-rule", 7, 1)
    typed = f"hint\nsin(x\n0\n{p.answer.input()}\n"
    code, out = practise(
        monkeypatch,
        capsys,
        ["chain-rule", "--seed", "7", "--difficulty", "1", "--count", "1"],
        typed,
    )
    assert code == 0
    assert p.prompt in out
    assert f"Hint 1/{len(p.hints)}: {p.hints[0]}" in out
    assert "does not count" in out  # the unreadable answer
    assert out.count("not yet") == 1 and "correct" in out
    assert out.rstrip().endswith("Session over: 1 of 1 solved.")
    assert "Traceback" not in out


def test_a_known_mistake_gets_its_feedback_and_three_tries_show_the_solution(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    p = problem("power-rule", 3, 2)
    kind, wrong = next(iter(p.mistakes.items()))
    text = format_answer(wrong, p.answer.kind)
    code, out = practise(
        monkeypatch,
        capsys,
        ["power-rule", "--seed", "3", "--difficulty", "2", "--count", "1", "--no-save"],
        f"{text}\n{text}\n{text}\n",
    )
    assert code == 0
    assert MISTAKES[kind].feedback[:30] in out
    assert "That was 3 tries — here is the worked solution." in out
    assert f"Answer: {p.answer_text()}" in out
    assert out.rstrip().endswith("Session over: 0 of 1 solved.")


def test_skip_and_solution_move_on_and_count_as_unsolved(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = problem("gd-step", 0, 1), problem("gd-step", 1, 1)
    code, out = practise(
        monkeypatch,
        capsys,
        ["gd-step", "--seed", "0", "--difficulty", "1", "--count", "2"],
        "skip\nsolution\n",
    )
    assert code == 0
    assert f"Skipped. The answer was {first.answer_text()}." in out
    assert second.prompt in out and f"Answer: {second.answer_text()}" in out
    assert out.rstrip().endswith("Session over: 0 of 2 solved.")


def test_quit_and_end_of_input_stop_cleanly(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = practise(monkeypatch, capsys, ["3", "--seed", "1"], "quit\n")
    assert code == 0 and out.rstrip().endswith("Session over: 0 of 0 solved.")
    code, out = practise(monkeypatch, capsys, ["gradient-vector", "--seed", "2"], "")
    assert code == 0 and problem("gradient-vector", 2, 1).prompt in out
    assert out.rstrip().endswith("Session over: 0 of 0 solved.")


def test_solved_attempts_are_saved_to_progress(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    p = problem("power-rule", 5, 1)
    args = ["power-rule", "--seed", "5", "--difficulty", "1", "--count", "1"]
    code, out = practise(monkeypatch, capsys, args, f"{p.answer.input()}\n")
    assert code == 0 and "Session over: 1 of 1 solved." in out
    from calcml.store import Progress

    history = Progress().history("power-rule")
    assert len(history) == 1
    assert any(data_dir.iterdir())  # the store was written where CALCML_DATA_DIR points


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["not-a-skill"], "not-a-skill"),
        (["power-rule", "--difficulty", "4"], "difficulty"),
    ],
)
def test_bad_scope_or_difficulty_is_a_user_error(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    code = main(["practice", *args])
    captured = capsys.readouterr()
    assert code == 2
    assert message in captured.out + captured.err
    assert "Traceback" not in captured.out + captured.err
