"""`calcml roadmap | lesson | practice | check | cheatsheet | book` as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from calcml.cli import main
from calcml.learn.problems import problem
from calcml.learn.skills import SKILLS, TOPICS


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CALCML_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("CALCML_DATABASE_URL", raising=False)
    return tmp_path / "data"


def test_check_right_answer_json(capsys: pytest.CaptureFixture[str]) -> None:
    answer = problem("chain-rule", 4, 2).answer.input()
    code = main(["check", "chain-rule", "--seed", "4", "--difficulty", "2", "--answer", answer,
                 "--json"])  # fmt: skip
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["correct"] is True and data["score"] == 1.0 and data["mistake"] is None
    assert "answer" not in data["problem"]


def test_check_names_the_mistake(capsys: pytest.CaptureFixture[str]) -> None:
    p = problem("gd-step", 2, 1)
    from calcml.learn.answers import format_answer

    wrong = format_answer(p.mistakes["gd_ascent"], "vector")
    assert main(["check", "gd-step", "--seed", "2", "--answer", wrong, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["mistake"] == "gd_ascent" and "against the gradient" in data["feedback"]


def test_check_unreadable_answer_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "chain-rule", "--seed", "1", "--answer", "sin(x"]) == 2
    out = capsys.readouterr().out
    assert "does not count" in out and "Traceback" not in out


def test_check_without_answer_prints_the_problem(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "hessian", "--seed", "3"]) == 0
    assert "Hessian" in capsys.readouterr().out


def test_check_unknown_skill_is_a_user_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "chain-rul", "--answer", "1"]) == 2
    assert "did you mean" in capsys.readouterr().err


def test_check_save_records_progress(capsys: pytest.CaptureFixture[str]) -> None:
    answer = problem("power-rule", 0, 1).answer.input()
    assert main(["check", "power-rule", "--seed", "0", "--answer", answer, "--save"]) == 0
    capsys.readouterr()
    assert main(["roadmap", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    levels = {s["id"]: s["mastery"] for t in data["topics"] for s in t["skills"]}
    assert levels["power-rule"] == "familiar" and levels["chain-rule"] == "new"


def test_roadmap_tree_lists_every_topic_and_skill(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["roadmap"]) == 0
    out = capsys.readouterr().out
    for t in TOPICS:
        assert t.title in out
    for s in SKILLS:
        assert s.id in out


def test_lesson_renders_in_the_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lesson", "2"]) == 0
    out = capsys.readouterr().out
    assert "Chain rule" in out and "σ" in out


def test_lesson_unknown_topic(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lesson", "cooking"]) == 2


def test_cheatsheet_and_book_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    md, page, doc = tmp_path / "c.md", tmp_path / "c.html", tmp_path / "b.html"
    assert main(["cheatsheet", "-o", str(md)]) == 0
    assert main(["cheatsheet", "-o", str(page)]) == 0
    assert main(["book", "-o", str(doc)]) == 0
    assert md.read_text().startswith("# calcml cheat sheet")
    assert page.read_text().lower().startswith("<!doctype html>")
    text = doc.read_text()
    assert all(f'id="topic-{t.id}"' in text for t in TOPICS)


def test_practice_piped_session(data_dir: Path) -> None:
    answer = problem("chain-rule", 7, 1).answer.input()
    script = f"hint\nsin(x\n0\n{answer}\nquit\n"
    env = {**os.environ, "CALCML_DATA_DIR": str(data_dir), "COLUMNS": "100"}
    done = subprocess.run(
        [sys.executable, "-m", "calcml", "practice", "chain-rule", "--seed", "7",
         "--difficulty", "1"],
        input=script, capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Hint 1/" in out
    assert "does not count" in out
    assert "not yet" in out and "correct" in out
    assert "Session over: 1 of 1 solved." in out
    assert "Traceback" not in out + done.stderr


def test_practice_ends_cleanly_at_end_of_input(data_dir: Path) -> None:
    env = {**os.environ, "CALCML_DATA_DIR": str(data_dir)}
    done = subprocess.run(
        [sys.executable, "-m", "calcml", "practice", "3", "--seed", "1"],
        input="", capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0 and "Session over" in done.stdout


def test_tour_practice_stop(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["tour", "--only", "Practice", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "correct" in out and "not yet" in out


def test_check_reveal_then_replaying_the_answer_does_not_master_the_skill(
    capsys: pytest.CaptureFixture[str],
) -> None:
    for seed in range(5):
        assert main(["check", "chain-rule", "--seed", str(seed), "--difficulty", "3",
                     "--reveal", "--json"]) == 0  # fmt: skip
        answer = json.loads(capsys.readouterr().out)["answer"]["input"]
        for _ in range(2):
            assert main(["check", "chain-rule", "--seed", str(seed), "--difficulty", "3",
                         "--answer", answer, "--save"]) == 0  # fmt: skip
            out = capsys.readouterr().out
            assert "correct" in out and "not counted toward mastery" in out
    assert main(["roadmap", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    levels = {s["id"]: s["mastery"] for t in data["topics"] for s in t["skills"]}
    assert levels["chain-rule"] == "new"
    # an answer sent with --reveal was written before the solution was shown: it counts
    answer = problem("chain-rule", 9, 1).answer.input()
    assert main(["check", "chain-rule", "--seed", "9", "--answer", answer, "--save",
                 "--reveal"]) == 0  # fmt: skip
    assert "not counted" not in capsys.readouterr().out
    assert main(["roadmap", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    levels = {s["id"]: s["mastery"] for t in data["topics"] for s in t["skills"]}
    assert levels["chain-rule"] == "familiar"
