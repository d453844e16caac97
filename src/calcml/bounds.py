"""The maximum of every size a user can set, in one place (CLI options, and later the engine
service and the web forms read the same table). Each maximum is chosen so that the worst
allowed request fits in about 2 GB and a minute on a laptop core (measured: see `why`).

>>> BOUNDS["steps"].check(500)
500
>>> BOUNDS["steps"].check(10**9)
Traceback (most recent call last):
...
calcml.errors.CalcmlError: --steps must be at most 100,000, got 1,000,000,000 (each step ...)
"""

from __future__ import annotations

from dataclasses import dataclass

from calcml.errors import CalcmlError

SAFETY_FACTOR = 2  # a request's safety net, in units of its `time_limit` (symbolic.budget)
TIME_LIMIT_HELP = (  # the one description of `time_limit`: CLI --time-limit, engine docstrings
    f'A safety net, not a budget: the request gives up ("gave up …") after {SAFETY_FACTOR}× '
    "this many seconds of computing (CPU time, so a busy machine gives the same result); it "
    "never changes the answer (the engines count work, not time)."
)


@dataclass(frozen=True)
class Bound:
    """The allowed range of one size: `low` ≤ value ≤ `high`; `why` the cost it keeps in check."""

    option: str
    low: float
    high: float
    why: str
    low_open: bool = False  # low itself not allowed (a time limit of 0 s)

    def check(self, value: float, what: str | None = None) -> float:
        """`value` if allowed, else a CalcmlError naming the option and the maximum."""
        name = what or self.option
        if value > self.high:
            raise CalcmlError(
                f"{name} must be at most {_number(self.high)}, got {_number(value)} ({self.why})"
            )
        if value < self.low or (self.low_open and value == self.low):
            bound = "more than" if self.low_open else "at least"
            raise CalcmlError(f"{name} must be {bound} {_number(self.low)}, got {_number(value)}")
        return value

    def range(self) -> dict[str, float]:
        """Keyword arguments for typer.Option (Click checks the range and --help shows it;
        an open low end is left to `check` and the engines)."""
        return {"min": self.low, "max": self.high}


def _number(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:g}"


BOUNDS: dict[str, Bound] = {
    bound.option.lstrip("-").replace("-", "_"): bound
    for bound in (
        Bound("--steps", 1, 100_000, "each step is recorded; 100,000 steps take about 30 s"),
        Bound("--newton-steps", 1, 10_000, "each step solves a linear system; about 15 s"),
        Bound("--epochs", 1, 5_000, "an epoch of the small MLP takes about 8 ms"),
        Bound("--hidden", 1, 256, "units per hidden layer"),
        Bound("--layers", 1, 4, "hidden layers"),
        Bound(
            "--parameter-epochs",
            1,
            10_000_000,
            "epochs × weights: about 30 s of backpropagation on a laptop core",
        ),
        Bound("--wrt", 1, 10, "one derivative per variable, each derived and checked"),
        Bound(
            "--hessian-variables",
            1,
            6,
            "a Hessian has n² entries, each derived and checked: 6 dense variables take about "
            "a minute",
        ),
        Bound("--outputs", 1, 10, "Jacobian rows, each a gradient"),
        Bound("--order", 0, 20, "Taylor order: derivatives grow quickly with the order"),
        Bound(
            "--time-limit",
            0,
            30,
            f"seconds; the request gives up after {SAFETY_FACTOR}× this, within a minute",
            True,
        ),
        Bound("--components", 1, 50, "principal components"),
        Bound("--count", 1, 1_000, "problems in one practice session"),
        Bound("--answer", 1, 4_000, "characters of one answer or input line"),
        Bound("--dpi", 20, 400, "figure resolution: 400 dpi is 3,200 px wide"),
        Bound("--backprop-hidden", 1, 8, "the trace is meant to be read"),
        Bound("--playground-steps", 1, 2_000, "every iterate is drawn on the web's contour plot"),
    )
}
