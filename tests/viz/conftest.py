"""Shared checks for figure tests: save small, read the PNG back, insist it is not blank."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

TEST_DPI = 40  # small images keep the suite fast


@pytest.fixture
def saved_png(tmp_path: Path) -> Callable[..., np.ndarray]:
    """Save a CalcmlFigure as PNG at low dpi; return its pixels after checking they vary."""
    from matplotlib.image import imread

    def save(fig: object, name: str = "fig") -> np.ndarray:
        path = fig.save(tmp_path / f"{name}.png", dpi=TEST_DPI)  # type: ignore[attr-defined]
        assert path.exists() and path.stat().st_size > 1000
        pixels = imread(path)
        assert pixels.ndim == 3 and pixels.shape[0] > 50 and pixels.shape[1] > 100
        assert float(pixels[..., :3].var()) > 1e-3, "the image is blank"
        return pixels

    return save
