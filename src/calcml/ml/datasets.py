"""Datasets: seeded synthetic generators and the iris data, all offline.

>>> data = make_moons(100, noise=0.1, seed=0)
>>> data.X.shape, data.y.shape
((100, 2), (100,))
>>> load_iris().X.shape
(150, 4)
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import numpy as np
from numpy.typing import NDArray

from calcml.errors import CalcmlError, ShapeError

Array = NDArray[np.float64]


@dataclass
class Dataset:
    """Features X (n × d), targets y (n,), and what they mean."""

    name: str
    X: Array
    y: NDArray[Any]
    description: str
    feature_names: list[str] = field(default_factory=list)
    target_names: list[str] = field(default_factory=list)
    task: str = "classification"  # or "regression"
    coef: Array | None = None  # the true coefficients, for synthetic regression data

    def __len__(self) -> int:
        return int(self.X.shape[0])

    def summary(self) -> str:
        """`moons: 200 samples × 2 features, 2 classes — two interleaved half circles`."""
        n, d = self.X.shape
        kind = f"{len(self.target_names)} classes" if self.task == "classification" else "a target"
        size = f"{_count(n, 'sample')} × {_count(d, 'feature')}"
        return f"{self.name}: {size}, {kind} — {self.description}"


def make_linear(
    n: int = 100, d: int = 1, noise: float = 0.5, seed: int = 0, bias: float = 1.0
) -> Dataset:
    """y = X·w + b + noise with w drawn from N(0, 2²) (w and b are kept in `.coef`)."""
    rng = _rng(seed, n, d)
    X = rng.uniform(-3, 3, size=(n, d))
    w = rng.normal(0, 2, size=d)
    y = X @ w + bias + noise * rng.normal(size=n)
    return Dataset(
        "linear",
        X,
        y,
        f"y = X·w + {bias:g} + N(0, {noise:g}²) noise",
        [f"x{i + 1}" for i in range(d)],
        [],
        task="regression",
        coef=np.append(w, bias),
    )


def make_blobs(
    n: int = 150, centers: int = 3, d: int = 2, spread: float = 1.0, seed: int = 0
) -> Dataset:
    """Gaussian clusters around random centres in [−6, 6]^d; label = cluster."""
    rng = _rng(seed, n, d)
    if centers < 1:
        raise CalcmlError(f"centers must be at least 1, got {centers}")
    middle = rng.uniform(-6, 6, size=(centers, d))
    y = np.arange(n) % centers
    X = middle[y] + spread * rng.normal(size=(n, d))
    return Dataset(
        "blobs",
        X,
        y,
        f"{centers} Gaussian clusters (spread {spread:g})",
        [f"x{i + 1}" for i in range(d)],
        [f"blob {i}" for i in range(centers)],
    )


def make_moons(n: int = 200, noise: float = 0.1, seed: int = 0) -> Dataset:
    """Two interleaved half circles: not separable by a line, easy for a small MLP."""
    rng = _rng(seed, n)
    n_out = n // 2
    n_in = n - n_out
    t_out = np.linspace(0, np.pi, n_out)
    t_in = np.linspace(0, np.pi, n_in)
    X = np.vstack(
        [
            np.column_stack([np.cos(t_out), np.sin(t_out)]),
            np.column_stack([1 - np.cos(t_in), 0.5 - np.sin(t_in)]),
        ]
    )
    y = np.concatenate([np.zeros(n_out, dtype=int), np.ones(n_in, dtype=int)])
    X = X + noise * rng.normal(size=X.shape)
    order = rng.permutation(n)
    return Dataset(
        "moons",
        X[order],
        y[order],
        "two interleaved half circles",
        ["x1", "x2"],
        ["upper moon", "lower moon"],
    )


def make_spiral(n: int = 300, classes: int = 3, noise: float = 0.2, seed: int = 0) -> Dataset:
    """Interleaved spiral arms (cs231n's classic): each arm one class."""
    rng = _rng(seed, n)
    if classes < 2:
        raise CalcmlError(f"a spiral needs at least 2 arms, got {classes}")
    y = np.arange(n) % classes
    r = np.linspace(0.05, 1.0, n)[rng.permutation(n)]
    t = y * (2 * np.pi / classes) + 4 * r + noise * rng.normal(size=n)
    X = np.column_stack([r * np.sin(t), r * np.cos(t)])
    return Dataset(
        "spiral",
        X,
        y,
        f"{classes} interleaved spiral arms",
        ["x1", "x2"],
        [f"arm {i}" for i in range(classes)],
    )


def load_iris() -> Dataset:
    """Fisher's iris flowers (1936, public domain): 150 × 4 measurements in cm, 3 species."""
    text = resources.files("calcml.ml").joinpath("data/iris.csv").read_text(encoding="utf-8")
    rows = [r for r in csv.reader(line for line in text.splitlines() if not line.startswith("#"))]
    header, body = rows[0], rows[1:]
    species = sorted({r[-1] for r in body}, key=[r[-1] for r in body].index)
    X = np.array([[float(v) for v in r[:-1]] for r in body], dtype=np.float64)
    y = np.array([species.index(r[-1]) for r in body], dtype=int)
    return Dataset(
        "iris",
        X,
        y,
        "Fisher's iris flowers (sepal/petal length and width, cm)",
        header[:-1],
        species,
    )


DATASETS: dict[str, Callable[..., Dataset]] = {
    "linear": make_linear,
    "blobs": make_blobs,
    "moons": make_moons,
    "spiral": make_spiral,
    "iris": load_iris,
}


def load(name: str, **kwargs: Any) -> Dataset:
    """A dataset by name: linear, blobs, moons, spiral, iris (keyword arguments pass through)."""
    try:
        maker = DATASETS[name.lower()]
    except KeyError:
        raise CalcmlError(
            f"unknown dataset {name!r}; choose one of {', '.join(DATASETS)}"
        ) from None
    try:
        dataset: Dataset = maker(**kwargs)
    except TypeError as error:  # an option this dataset does not take
        raise CalcmlError(f"dataset {name!r}: {error}") from None
    return dataset


DEFAULT_DATA = {"linear": "linear", "logistic": "blobs", "mlp": "moons"}


def training_data(model: str, name: str | None) -> tuple[Any, Any, Dataset, str]:
    """(X, y, dataset, note) for `model` ("linear", "logistic", "mlp"); regression on a
    classification set predicts its last feature from the others."""
    data = load(name or DEFAULT_DATA[model])
    if model == "linear":
        if data.task == "regression":
            return data.X, data.y, data, ""
        target = data.feature_names[-1]
        note = f"Regression on {data.name}: predicting {target} from the other features."
        return data.X[:, :-1], data.X[:, -1], data, note
    if data.task != "classification":
        raise CalcmlError(
            f"dataset {data.name!r} has a numeric target; a classifier needs classes — "
            "try blobs, moons, spiral or iris"
        )
    y = np.asarray(data.target_names)[data.y] if data.target_names else data.y
    return data.X, y, data, ""


def check_Xy(X: Any, y: Any = None, name: str = "X") -> tuple[Array, NDArray[Any] | None]:
    """X as a finite 2-D float array and y (if given) as a 1-D array of the same length."""
    try:
        Xa = np.asarray(X, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise CalcmlError(f"{name} must be numbers: {error}") from error
    if Xa.ndim == 1:
        Xa = Xa.reshape(-1, 1)
    if Xa.ndim != 2 or Xa.shape[0] == 0:
        raise ShapeError(
            f"{name} must be a non-empty 2-D array (samples × features), got shape {Xa.shape}"
        )
    if not np.all(np.isfinite(Xa)):
        bad = int(np.sum(~np.isfinite(Xa)))
        raise CalcmlError(f"{name} has {bad} non-finite value(s) (nan or inf); clean them first")
    if y is None:
        return Xa, None
    ya = np.asarray(y)
    if ya.ndim != 1:
        ya = ya.reshape(-1) if ya.ndim == 2 and 1 in ya.shape else ya
    if ya.ndim != 1:
        raise ShapeError(f"y must be 1-D, got shape {ya.shape}")
    if ya.shape[0] != Xa.shape[0]:
        raise ShapeError(
            f"X has {Xa.shape[0]} samples but y has {ya.shape[0]}; they must match row for row"
        )
    if ya.dtype.kind in "fc" and not np.all(np.isfinite(ya)):
        raise CalcmlError("y has non-finite value(s) (nan or inf); clean them first")
    return Xa, ya


def _rng(seed: int, n: int, d: int = 1) -> np.random.Generator:
    if n < 2:
        raise CalcmlError(f"a dataset needs at least 2 samples, got {n}")
    if d < 1:
        raise CalcmlError(f"a dataset needs at least 1 feature, got d = {d}")
    return np.random.default_rng(seed)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
