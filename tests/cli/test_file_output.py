"""Files the CLI writes: the result is printed before a file is written, so an unwritable path
is reported after it (exit 2); every writer goes through a temporary file and an atomic rename,
so a symlink planted at the target is replaced, never followed, and a failed write leaves the
old file as it was."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from calcml.cli import main
from calcml.errors import CalcmlError
from calcml.fileio import atomic_path, atomic_write

PLOTTING = [
    ["derive", "x^2*sin(x)"],
    ["gradient", "x^2 + 3y^2", "--wrt", "x,y"],
    ["jacobian", "x*y", "x + y^2", "--wrt", "x,y"],
    ["hessian", "x^2*y + y^3", "--wrt", "x,y"],
    ["limit", "sin(x)/x", "--at", "0"],
    ["continuity", "abs(x)/x", "--at", "0"],
    ["taylor", "exp(x)", "--order", "3"],
    ["critical", "x^2 + y^2", "--wrt", "x,y"],
    ["descend", "x^2 + y^2", "--from", "1,1", "--steps", "5"],
    ["newton", "x^2 + y^2", "--from", "1,1"],
    ["backprop"],
]


@pytest.fixture
def blocked(tmp_path: Path) -> Path:
    """A path that cannot be written, even by root: its 'folder' is a regular file."""
    (tmp_path / "file").write_text("")
    return tmp_path / "file" / "out.png"


@pytest.mark.parametrize("args", PLOTTING, ids=[a[0] for a in PLOTTING])
@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
def test_unwritable_plot_path_prints_the_result_then_exits_2(
    args: list[str], as_json: bool, blocked: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main([*args, *(["--json"] if as_json else []), "--plot", str(blocked)])
    out, err = capsys.readouterr()
    assert code == 2
    if as_json:
        assert isinstance(json.loads(out), dict)
    else:
        assert out.strip()
    assert str(blocked) in err and "Traceback" not in err


def plant(tmp_path: Path, name: str) -> tuple[Path, Path]:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    link = tmp_path / name
    link.symlink_to(victim)
    return link, victim


@pytest.mark.parametrize(
    "args",
    [
        ["derive", "x^2", "--plot", "{}"],
        ["backprop", "--dot", "{}"],
        ["cheatsheet", "-o", "{}"],
        ["descend", "x^2", "--from", "1", "--steps", "3", "--plot", "{}"],
    ],
    ids=["plot", "dot", "cheatsheet", "descend"],
)
def test_a_planted_symlink_is_replaced_not_followed(
    args: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    suffix = {"--dot": ".dot", "-o": ".md"}.get(args[-2], ".png")
    link, victim = plant(tmp_path, f"target{suffix}")
    assert main([a.format(link) for a in args]) == 0
    assert victim.read_text() == "precious"
    assert not link.is_symlink() and link.stat().st_size > 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([victim.name, link.name])


def test_atomic_write_leaves_the_old_file_when_writing_fails(tmp_path: Path) -> None:
    target = tmp_path / "notes.md"
    atomic_write(target, "old")
    with pytest.raises(RuntimeError), atomic_path(target) as temp:
        temp.write_text("half")
        raise RuntimeError("disk went away")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["notes.md"]  # no temporary left behind


def test_atomic_write_errors_name_the_file(tmp_path: Path) -> None:
    (tmp_path / "dir.md").mkdir()
    for bad in [tmp_path / "dir.md", tmp_path / "file" / "x.md"]:
        (tmp_path / "file").write_text("")
        with pytest.raises(CalcmlError) as caught:
            atomic_write(bad, "x")
        assert str(bad) in caught.value.message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dir.md", "file"]


def test_atomic_write_gives_new_files_the_usual_permissions(tmp_path: Path) -> None:
    import os

    mask = os.umask(0o022)
    try:
        path = atomic_write(tmp_path / "a.txt", "x")
    finally:
        os.umask(mask)
    assert path.stat().st_mode & 0o777 == 0o644
