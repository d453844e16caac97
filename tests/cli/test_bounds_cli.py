"""Every size a user can set has a maximum from calcml.bounds, shown in --help and enforced
with a clear error (exit 2) before any work starts."""

from __future__ import annotations

import io
import re

import pytest

from calcml.bounds import BOUNDS
from calcml.cli import main
from calcml.cli.course import read_line

TOO_BIG = [
    (["descend", "x^2", "--from", "1", "--steps", "1000000000"], "--steps"),
    (["newton", "x^2", "--from", "1", "--steps", "100000000"], "--steps"),
    (["train", "mlp", "--epochs", "100000000"], "--epochs"),
    (["train", "mlp", "--hidden", "20000,20000"], "--hidden"),
    (["train", "mlp", "--hidden", "16,16,16,16,16"], "--hidden"),
    (["train", "mlp", "--hidden", "256,256", "--epochs", "5000"], "epochs × weights"),
    (["gradient", "x", "--wrt", ",".join(f"v{i}" for i in range(11))], "--wrt"),
    (["hessian", "+".join(f"v{i}" for i in range(7))], "variables"),
    (["critical", "x^2", "--wrt", ",".join(f"v{i}" for i in range(7))], "--wrt"),
    (["jacobian", *[f"x + {i}" for i in range(11)], "--wrt", "x"], "outputs"),
    (["descend", "x^2", "--from", ",".join(["1"] * 11)], "--from"),
    (["limit", "sin(x)/x", "--time-limit", "1e9"], "--time-limit"),
    (["critical", "x^2", "--time-limit", "1e9"], "--time-limit"),
    (["taylor", "exp(x)", "--order", "1000"], "--order"),
    (["pca", "-k", "1000"], "--components"),
    (["practice", "--count", "1000000000"], "--count"),
    (["gallery", "--dpi", "100000"], "--dpi"),
    (["backprop", "--hidden", "1000"], "--hidden"),
    (["check", "power-rule", "--answer", "x" * 5000], "--answer"),
]


NO_JSON = {"practice", "gallery"}  # they print no result to turn into JSON
CASES = [(a, n, j) for a, n in TOO_BIG for j in (False, True) if not (j and a[0] in NO_JSON)]


@pytest.mark.parametrize(
    "args,named,as_json", CASES, ids=[f"{' '.join(a[:2])[:30]}-{j}" for a, _, j in CASES]
)
def test_a_size_past_its_maximum_is_refused_clearly(
    args: list[str], named: str, as_json: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main([*args, *(["--json"] if as_json else [])])
    out, err = capsys.readouterr()
    assert code == 2
    assert named in err and "Traceback" not in err
    if not as_json and "--hidden" not in named and "epochs" not in named:
        assert "at most" in err and "error:" in err
    assert out == ""  # no work was done, nothing printed


HELP = {
    "descend": ["steps"],
    "newton": ["newton_steps"],
    "train": ["epochs"],
    "limit": ["time_limit"],
    "critical": ["time_limit"],
    "taylor": ["order"],
    "pca": ["components"],
    "practice": ["count"],
    "gallery": ["dpi"],
    "backprop": ["backprop_hidden"],
}


@pytest.mark.parametrize("verb", sorted(HELP))
def test_help_shows_each_maximum(verb: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([verb, "--help"]) == 0
    text = re.sub(r"[\s│]+", " ", capsys.readouterr().out)
    for name in HELP[verb]:
        high = BOUNDS[name].high
        shown = f"{high:,.0f}" if float(high).is_integer() else f"{high:g}"
        assert f"At most {shown}." in text


def test_variable_option_help_states_its_maximum(capsys: pytest.CaptureFixture[str]) -> None:
    for verb in ["derive", "gradient", "hessian", "limit", "taylor", "critical", "descend"]:
        assert main([verb, "--help"]) == 0
        bound = "hessian_variables" if verb in ("hessian", "critical") else "wrt"
        text = re.sub(r"[\s│]+", " ", capsys.readouterr().out)
        assert f"At most {int(BOUNDS[bound].high)}." in text


def test_a_huge_stdin_line_is_skipped_without_holding_it() -> None:
    limit = int(BOUNDS["answer"].high)
    stream = io.StringIO("x" * (300 * limit) + "\n3x^2\n")
    assert read_line(stream) == ""  # the long line, dropped
    assert read_line(stream) == "3x^2\n"  # the next line is read normally
    assert read_line(stream) is None


def test_the_maxima_fit_what_the_engines_accept() -> None:
    from calcml.symbolic.taylor import MAX_ORDER

    assert BOUNDS["order"].high <= MAX_ORDER
    assert all(b.low <= b.high for b in BOUNDS.values())


def test_sizes_at_the_maximum_are_accepted(capsys: pytest.CaptureFixture[str]) -> None:
    names = ",".join(f"v{i}" for i in range(10))
    assert main(["gradient", "+".join(f"v{i}" for i in range(10)), "--wrt", names]) == 0
    assert main(["backprop", "--hidden", "8", "--json"]) == 0
