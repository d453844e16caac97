"""`calcml roadmap | lesson | practice | check | cheatsheet | book`: the course in the terminal,
and the Practice stop of the tour."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer

from calcml.cli.app import app
from calcml.cli.options import bounded, json_option
from calcml.cli.output import console, emit
from calcml.cli.saving import SavedProgress, open_progress
from calcml.cli.tour import tour_section

JSON = json_option()


def say(obj: Any, **kwargs: Any) -> None:
    """Print a result, or a plain string without rich markup (answers contain brackets)."""
    if isinstance(obj, str):
        console.print(obj, markup=False, highlight=False, **kwargs)
    else:
        console.print(obj, **kwargs)


def _progress(save: bool = True, as_json: bool = False) -> SavedProgress | None:
    """The learner's progress store (guarded: a failure is said once, the course goes on)."""
    return open_progress(as_json) if save else None


def _exit_if_unsaved(progress: SavedProgress | None) -> None:
    """The learner asked to save and it failed: exit 2 (after the output was printed)."""
    if progress is not None and progress.unsaved:
        raise typer.Exit(2)


def read_line(stream: Any) -> str | None:
    """One line of input (None at its end), at most BOUNDS['answer'] characters: the rest of a
    longer line is read in pieces and dropped (never held in memory), and the line becomes a
    note that it was too long."""
    from calcml.bounds import BOUNDS
    from calcml.text import clean_text

    limit = int(BOUNDS["answer"].high)
    line = stream.readline(limit + 1)
    if not line:
        return None
    if len(line) > limit and not line.endswith("\n"):
        while (rest := stream.readline(64 * 1024)) and not rest.endswith("\n"):
            pass
        say(f"(that line was longer than {limit:,} characters and was skipped)")
        return ""
    return clean_text(line)


@app.command("roadmap")
def roadmap_command(as_json: bool = JSON) -> None:
    """The course as a tree of skills with prerequisites and your progress (★ mastered)."""
    from calcml.learn.roadmap import Roadmap
    from calcml.learn.skills import SKILLS

    progress = open_progress(as_json)
    ids = [s.id for s in SKILLS]
    upcoming = progress.next_skill(ids, {s.id: s.requires for s in SKILLS})
    emit(Roadmap(progress.overview(ids), upcoming), as_json)


@app.command("lesson")
def lesson_command(
    topic: str = typer.Argument(..., help="Topic number (1-7, B), id or a word of its title."),
    markdown: bool = typer.Option(False, "--markdown", help="Print the raw Markdown."),
    as_json: bool = JSON,
) -> None:
    """A lesson: the idea, the formulas, why it matters in ML, worked examples computed live,
    common mistakes."""
    from calcml.learn.lessons import lesson

    result = lesson(topic)
    if as_json or markdown:
        if markdown:
            sys.stdout.write(result.markdown() + "\n")
        else:
            emit(result, True)
        return
    emit(result, False)


@app.command("practice")
def practice_command(
    scope: str | None = typer.Argument(
        None, help="A topic (number, id or word) or a skill id; default: what is due."
    ),
    seed: int | None = typer.Option(None, "--seed", help="Seed of the first problem."),
    difficulty: int | None = typer.Option(
        None, "--difficulty", min=1, max=3, help="1 easy .. 3 hard (default: by your mastery)."
    ),
    count: int | None = bounded(None, "count", "--count", help="Stop after this many problems."),
    save: bool = typer.Option(True, "--save/--no-save", help="Record attempts in your progress."),
) -> None:
    """Practise interactively: a problem, `hint`, your answer, feedback, the solution, next.

    Reads answers from standard input (works when piped); `quit` or end of input stops."""
    from calcml.learn.session import Session
    from calcml.learn.skills import SKILLS, resolve

    skills = [s.id for s in resolve(scope)] if scope else [s.id for s in SKILLS]
    interactive = sys.stdin.isatty()

    def read(prompt: str) -> str | None:
        if interactive:
            try:
                return console.input(f"[bold]{prompt}[/]")
            except EOFError:
                return None
        say(prompt, end="")
        line = read_line(sys.stdin)
        if line is None:
            console.print()
            return None
        say(line.rstrip("\n"), style="dim")
        return line

    progress = _progress(save)
    Session(skills, read, say, progress, seed, difficulty).run(count)
    _exit_if_unsaved(progress)


@app.command("check")
def check_command(
    skill: str = typer.Argument(..., help="Skill id (see `calcml roadmap`)."),
    seed: int = typer.Option(0, "--seed", help="The problem's seed."),
    difficulty: int = typer.Option(1, "--difficulty", min=1, max=3, help="1 easy .. 3 hard."),
    answer: str | None = typer.Option(
        None, "--answer", help="Your answer; without it the problem is printed."
    ),
    reveal: bool = typer.Option(
        False,
        "--reveal",
        help="Also print the answer and solution (the problem then no longer counts).",
    ),
    save: bool = typer.Option(False, "--save", help="Record the attempt in your progress."),
    as_json: bool = JSON,
) -> None:
    """Grade one answer non-interactively (exit 0 when graded, 2 when it cannot be read)."""
    from calcml.bounds import BOUNDS
    from calcml.learn.grader import check
    from calcml.learn.problems import problem
    from calcml.learn.skills import skill as find_skill

    find_skill(skill)
    if answer is not None:
        BOUNDS["answer"].check(len(answer), "the length of --answer")
    p = problem(skill, seed, difficulty)
    if answer is None:
        if reveal:
            _note_revealed(skill, p.seed, difficulty, None, as_json)
        if as_json:
            emit(p.to_dict(reveal=reveal), True)
        else:
            console.print(p)
            if reveal:
                say(f"Answer: {p.answer_text()}")
                console.print(p.solution)
        return
    verdict = check(p, answer)
    progress = _progress(save, as_json)
    shown_before = progress is not None and progress.revealed(skill, seed, difficulty)
    if progress is not None:
        progress.record(skill, seed, difficulty, answer, verdict)
    if reveal:  # this answer was written before the solution was shown; later ones do not count
        _note_revealed(skill, p.seed, difficulty, progress, as_json)
    if as_json:
        data = {"skill": skill, "seed": seed, "difficulty": difficulty, **verdict.to_dict()}
        data["problem"] = p.to_dict(reveal=reveal)
        emit(data, True)
    else:
        emit(verdict, False)
        if shown_before and verdict.counted:
            from calcml.learn.session import NOT_COUNTED

            say(NOT_COUNTED)
        if reveal:
            say(f"Answer: {p.answer_text()}")
            console.print(p.solution)
    _exit_if_unsaved(progress)
    if not verdict.counted and verdict.mistake is None:
        raise typer.Exit(2)


def _note_revealed(
    skill: str, seed: int, difficulty: int, progress: SavedProgress | None, as_json: bool
) -> None:
    """The solution is shown: record it (saved or not, answers to this problem stop counting)."""
    (progress or open_progress(as_json)).reveal(skill, seed, difficulty)


@app.command("cheatsheet")
def cheatsheet_command(
    output: Path | None = typer.Option(
        None, "-o", "--output", help="FILE.md or FILE.html (default: Markdown on stdout)."
    ),
) -> None:
    """A cheat sheet of every rule and formula, generated from the engine and the lessons."""
    from calcml.learn.cheatsheet import cheatsheet

    if output is not None and output.suffix.lower() in (".html", ".htm"):
        from calcml.web.book import cheatsheet_html

        _write(output, cheatsheet_html())
        return
    text = cheatsheet().markdown()
    if output is None:
        sys.stdout.write(text + "\n")
        return
    _write(output, text)


@app.command("book")
def book_command(
    output: Path = typer.Option(Path("calcml-book.html"), "-o", "--output", help="FILE.html"),
) -> None:
    """The whole course as one self-contained HTML book (contents, math, figures embedded)."""
    from calcml.web.book import book

    _write(output, book())


def _write(path: Path, text: str) -> None:
    from calcml.fileio import atomic_write

    atomic_write(path, text)
    say(f"wrote {path} ({len(text) // 1024} KiB)")


@tour_section(order=9, title="Practice")
def _tour(outdir: Path) -> None:
    from calcml.learn.demo import demo_answers
    from calcml.learn.problems import problem

    p = problem("sigmoid-derivative", seed=3, difficulty=1)
    console.print(p)
    for shown in demo_answers(p, mistake="chain_factor"):
        if shown.why == "another form":
            say("Equivalent forms are accepted too:")
        say(f"answer> {shown.text}")
        console.print(shown.verdict)
    console.print(
        "Try it: [bold]calcml practice[/] — or [bold]calcml roadmap[/] to see the course."
    )
