"""`calcml gallery` and the tour's Pictures stop, as a user runs them."""

from __future__ import annotations

from pathlib import Path

import pytest

from calcml.cli import main


def test_gallery_writes_pictures_and_an_index(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["gallery", str(tmp_path), "--only", "tangent,backprop-graph", "--dpi", "30"])
    assert code == 0
    out = capsys.readouterr().out
    assert "2 figures written" in out and "index.html" in out
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert 'src="tangent.png"' in page and 'src="backprop-graph.png"' in page
    assert (tmp_path / "tangent.json").exists()


def test_gallery_unknown_figure_is_exit_2_with_the_choices(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["gallery", str(tmp_path), "--only", "nonsense"]) == 2
    err = capsys.readouterr().err
    assert "nonsense" in err and "tangent" in err and "Traceback" not in err


def test_gallery_bad_dpi_is_exit_2(tmp_path: Path) -> None:
    assert main(["gallery", str(tmp_path), "--dpi", "5"]) == 2


def test_tour_pictures_saves_figures_and_says_where(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["tour", "--only", "pictures", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "Pictures" in out
    saved = sorted(p.name for p in (tmp_path / "figures").glob("*.png"))
    assert "tangent.png" in saved and "backprop-graph.png" in saved
    assert str(tmp_path / "figures") in out.replace("\n", "")


def test_save_plot_writes_the_figure_and_keeps_stdout_clean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import calcml as cm
    from calcml.cli.figures import save_plot

    result = cm.derive("x^2 sin(x)", "x")
    assert save_plot(result, None) is result
    assert save_plot(result, tmp_path / "d.svg") is result
    assert (tmp_path / "d.svg").stat().st_size > 1000
    captured = capsys.readouterr()
    assert captured.out == "" and "figure saved to" in captured.err


def test_save_plot_bad_suffix_is_a_learner_error(tmp_path: Path) -> None:
    import calcml as cm
    from calcml.cli.figures import save_plot

    with pytest.raises(cm.CalcmlError, match="png"):
        save_plot(cm.derive("x^2", "x"), tmp_path / "d.bmp")
