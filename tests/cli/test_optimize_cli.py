"""`calcml descend / newton / train / pca` as a user runs them: summaries, JSON, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from calcml.cli import main
from calcml.cli.tour import SECTIONS


def _json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> dict:  # type: ignore[type-arg]
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


def test_descend_diverges_over_two_over_L_and_says_why(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["descend", "x^2 + 10y^2", "--from", "1,1", "--lr", "0.11"]) == 0
    out = capsys.readouterr().out
    assert "diverged" in out and "2/L" in out


def test_descend_json_has_history_and_status(capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(capsys, ["descend", "x^2 + 10y^2", "--from", "1,1", "--lr", "0.09", "--json"])
    assert data["status"] == "converged"
    assert data["variables"] == ["x", "y"]
    assert len(data["history"]["loss"]) == data["steps"] + 1
    assert data["analysis"]["max_stable_lr"] == pytest.approx(0.1)


def test_descend_with_momentum_and_steps(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["descend", "x^2 + 10y^2", "--from", "1,1", "--lr", "0.01", "--momentum", "0.9"]
    data = _json(capsys, [*argv, "--steps", "5", "--json"])
    assert data["steps"] == 5 and data["status"] == "max_steps"
    assert data["settings"]["momentum"] == 0.9


def test_newton_on_rosenbrock(capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(capsys, ["newton", "(1-x)^2 + 100(y-x^2)^2", "--from", "-1.2,1", "--json"])
    assert data["status"] == "converged"
    assert data["x"] == pytest.approx([1, 1])


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["descend", "x^2 + y^2", "--from", "1,1,1"], "coordinate"),
        (["descend", "x^2 + y^2", "--from", "1,a"], "not a number"),
        (["descend", "x^2 + y^2", "--from", "1,1", "--lr", "0"], "learning rate"),
        (["descend", "x^2 +", "--from", "1"], ""),
        (["train", "forest"], "unknown model"),
        (["train", "mlp", "--hidden", "a,b"], "layer sizes"),
        (["train", "linear", "--method", "sgd"], "method"),
        (["newton", "x^2", "--from", "1", "--damping", "-1"], "damping"),
        (["train", "logistic", "--data", "linear"], "numeric target"),
        (["pca", "--data", "mnist"], "unknown dataset"),
        (["descend", "log(x)", "--from", "-1"], "start point"),
        (["newton", "sqrt(x^2 + y^2)", "--from", "0,0"], "start point"),
        (["train", "logistic", "--l2", "-1"], "l2"),
        (["train", "linear", "--epochs", "10"], "mlp"),
        (["train", "mlp", "--lr", "0"], "learning rate"),
        (["descend", "x^2", "--from", "1", "--nesterov"], "momentum"),
        (["pca", "-k", "9"], "n_components"),
        (["train", "logistic", "--standardize"], "linear --method gd"),
        (["train", "linear", "--no-standardize"], "linear --method gd"),
    ],
)
def test_bad_input_exits_2_without_traceback(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


@pytest.mark.parametrize("model", ["linear", "logistic", "mlp"])
def test_train_each_model_json(capsys: pytest.CaptureFixture[str], model: str) -> None:
    argv = ["train", model, "--json"] + (["--epochs", "150"] if model == "mlp" else [])
    data = _json(capsys, argv)
    assert data["explanation"]
    assert data["loss_history"]
    assert "data" in data["facts"]
    if model == "logistic":  # fitted by Newton: the run's status is machine-readable
        assert data["run"]["status"] == "converged"


def test_train_logistic_on_iris_prints_a_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["train", "logistic", "--data", "iris"]) == 0
    out = capsys.readouterr().out
    assert "setosa" in out and "training accuracy" in out


def test_pca_power_matches_eig(capsys: pytest.CaptureFixture[str]) -> None:
    eig = _json(capsys, ["pca", "--json"])
    power = _json(capsys, ["pca", "--method", "power", "--json"])
    assert np.allclose(power["components"], eig["components"], atol=1e-8)
    assert eig["metrics"]["variance kept"] == pytest.approx(0.9777, abs=1e-4)


def test_tour_sections_run(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    ours = [s for s in SECTIONS if s.title in {"Gradient descent", "Applications"}]
    assert sorted(s.order for s in ours) == [4, 7]
    for section in ours:
        section.show(tmp_path)
    out = capsys.readouterr().out
    assert "diverged" in out and "step by step" in out and "two moons" in out


def test_plot_saves_a_figure_and_keeps_json_clean(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "descent.png"
    args = [
        "descend",
        "x^2 + 10y^2",
        "--from",
        "1,1",
        "--lr",
        "0.09",
        "--json",
        "--plot",
        str(path),
    ]
    assert main(args) == 0
    assert path.stat().st_size > 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["status"] == "converged"
    assert "figure saved" in captured.err


def test_expression_may_start_with_a_minus_sign(capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(capsys, ["descend", "-(x - 1)^2 * -1", "--from", "0", "--lr", "0.25", "--json"])
    assert data["status"] == "converged"


def test_adam_refuses_gradient_descent_only_flags(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["descend", "x^2", "--from", "1", "--adam", "--momentum", "0.9"]) == 2
    assert "Adam" in capsys.readouterr().err


def _cond_AtA(X: np.ndarray, standardize: bool) -> float:
    """κ(AᵀA), A = [X, 1] (X standardised first when asked), by numpy.linalg.cond."""
    if standardize:
        X = (X - X.mean(axis=0)) / X.std(axis=0)
    A = np.column_stack([X, np.ones(len(X))])
    return float(np.linalg.cond(A.T @ A))


@pytest.mark.parametrize("data", ["linear", "blobs", "iris"])
def test_train_linear_gd_shows_a_real_descent_and_the_condition_numbers(
    capsys: pytest.CaptureFixture[str], data: str
) -> None:
    import re

    from calcml.ml.datasets import training_data

    X, y, _, _ = training_data("linear", data)
    assert main(["train", "linear", "--method", "gd", "--data", data]) == 0
    out = " ".join(capsys.readouterr().out.split())
    steps = int(re.search(r"gradient descent on raw features \((\d+) steps\)", out)[1])  # type: ignore[index]
    assert steps >= 5 and "curve" in out
    quoted = re.search(r"κ\(AᵀA\) .*? from ([\d.e+-]*\d) to ([\d.e+-]*\d)", out)
    assert quoted is not None
    assert float(quoted[1]) == pytest.approx(_cond_AtA(X, False), rel=1e-5)
    assert float(quoted[2]) == pytest.approx(_cond_AtA(X, True), rel=1e-5)
    report = _json(capsys, ["train", "linear", "--method", "gd", "--data", data, "--json"])
    assert report["run"]["steps"] == steps == len(report["loss_history"]) - 1
    assert np.all(np.diff(report["loss_history"]) <= 1e-12)
    std = _json(
        capsys, ["train", "linear", "--method", "gd", "--data", data, "--standardize", "--json"]
    )
    assert std["run"]["steps"] == report["conditioning"]["standardized"]["steps"]
    assert std["run"]["steps"] < steps
    if report["run"]["status"] == "converged":  # the raw descent reached the least-squares fit
        A = np.column_stack([X, np.ones(len(X))])
        exact = np.linalg.lstsq(A, y, rcond=None)[0]
        assert report["facts"]["coefficients w"] == pytest.approx(exact[:-1], abs=1e-6)


def test_train_linear_gd_keeps_a_given_learning_rate(capsys: pytest.CaptureFixture[str]) -> None:
    from calcml.ml.datasets import training_data

    report = _json(capsys, ["train", "linear", "--method", "gd", "--lr", "0.05", "--json"])
    assert "given lr = 0.05" in report["explanation"]
    X, y, _, _ = training_data("linear", None)
    A = np.column_stack([X, np.ones(len(X))])
    L = np.linalg.eigvalsh(2 / len(X) * A.T @ A)[-1]
    assert 1 / L > 0.05  # a smaller step than 1/L: more steps than the default took
    assert report["run"]["steps"] > report["conditioning"]["raw"]["steps"]
    exact = np.linalg.lstsq(A, y, rcond=None)[0]
    assert report["facts"]["coefficients w"] == pytest.approx(exact[:-1], abs=1e-6)


def test_train_logistic_iris_labels_its_coefficients_and_matches_scipy(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import autograd.numpy as anp
    from autograd import grad
    from scipy.optimize import minimize

    from calcml.ml import load

    iris = load("iris")
    assert main(["train", "logistic", "--data", "iris"]) == 0
    out = capsys.readouterr().out
    report = _json(capsys, ["train", "logistic", "--data", "iris", "--json"])
    table = report["facts"]["coefficients w, intercept b"]
    ref = iris.target_names[-1]
    assert report["facts"]["reference class"].startswith(f"{ref} ")
    assert table["rows"] == iris.target_names[:-1] and table["corner"] == f"vs {ref}"
    assert table["columns"] == [*iris.feature_names, "intercept b"]
    header = next(line for line in out.splitlines() if iris.feature_names[0] in line)
    assert header.split() == ["vs", ref, *table["columns"][:-1], "intercept", "b"]
    for row in table["rows"]:
        assert any(line.strip().startswith(row) for line in out.splitlines())
    # the stated objective — mean cross-entropy against the reference class + (λ/2)·‖w‖²,
    # λ = 0.01, the intercepts free — minimised by SciPy's BFGS with autograd's gradient
    n, d = iris.X.shape
    A = np.column_stack([iris.X, np.ones(n)])
    Y = np.eye(3)[iris.y]

    def loss(theta):  # type: ignore[no-untyped-def]
        W = anp.reshape(theta, (2, d + 1))  # one row per non-reference class
        Z = anp.concatenate([anp.dot(A, W.T), anp.zeros((n, 1))], axis=1)
        m = anp.max(Z, axis=1, keepdims=True)
        lse = m[:, 0] + anp.log(anp.sum(anp.exp(Z - m), axis=1))
        return anp.mean(lse - anp.sum(Z * Y, axis=1)) + 0.005 * anp.sum(W[:, :d] ** 2)

    best = minimize(loss, np.zeros(2 * (d + 1)), jac=grad(loss), method="BFGS", tol=1e-12)
    assert np.allclose(table["values"], best.x.reshape(2, d + 1), atol=1e-4)
    assert "diag(pᵢ) − pᵢpᵢᵀ" in report["explanation"]
    assert "diag(p(1 − p))" not in report["explanation"]
