"""Gradient checking: compare the engine's derivatives with central differences, entry by entry.

>>> import numpy as np
>>> result = gradcheck(lambda x: np.sum(np.sin(x) * x), np.array([0.5, 1.0, 2.0]))
>>> result.ok
True

The error of an entry is the relative error of CS231n, |a − n| / max(|a|, |n|); an entry passes
when |a − n| ≤ atol + rtol · max(|a|, |n|) (the atol keeps near-zero entries from failing on
round-off). Inputs are checked in float64.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from calcml.autodiff import primitives as P
from calcml.autodiff.functional import grad, jacfwd, jacobian
from calcml.autodiff.graph import numpy_value
from calcml.autodiff.tensor import as_array
from calcml.errors import VerificationError
from calcml.result import Result


@dataclass(frozen=True)
class Entry:
    """One compared derivative ∂out[out_index]/∂args[arg][in_index]."""

    arg: int
    out_index: tuple[int, ...]
    in_index: tuple[int, ...]
    analytic: float
    numeric: float
    rel_error: float
    mode: str  # "reverse" or "forward"

    def to_dict(self) -> dict[str, Any]:
        return {
            "arg": self.arg,
            "out_index": list(self.out_index),
            "in_index": list(self.in_index),
            "analytic": self.analytic,
            "numeric": self.numeric,
            "rel_error": self.rel_error,
            "mode": self.mode,
        }


@dataclass(frozen=True)
class GradcheckResult(Result):
    """The outcome of a gradient check: `ok`, the worst relative error and the worst entries."""

    ok: bool
    what: str
    checked: int
    max_rel_error: float
    max_abs_error: float
    rtol: float
    atol: float
    eps: float
    worst: list[Entry] = field(default_factory=list)
    failures: int = 0
    modes: tuple[str, ...] = ("reverse",)

    def __bool__(self) -> bool:
        return self.ok

    def text(self) -> str:
        verdict = "passed" if self.ok else f"FAILED ({self.failures} entries out of tolerance)"
        lines = [
            f"{self.what} {verdict}: {self.checked} derivative entries ({' and '.join(self.modes)} "
            f"{'mode ' if 'hand-written' not in self.modes else ''}vs central differences), "
            "max relative error "
            f"{self.max_rel_error:.2e}, max absolute error {self.max_abs_error:.2e} "
            f"(rtol {self.rtol:g}, atol {self.atol:g}, eps {self.eps:g})"
        ]
        if self.worst:
            lines.append(
                "worst entries (arg, ∂out[i]/∂in[j], analytic, numeric, rel. error, mode):"
            )
            for e in self.worst:
                lines.append(
                    f"  arg {e.arg}  ∂out{list(e.out_index)}/∂in{list(e.in_index)}  "
                    f"{e.analytic: .8e}  {e.numeric: .8e}  {e.rel_error:.2e}  {e.mode}"
                )
        return "\n".join(lines)

    def latex(self) -> str:
        return rf"\text{{{self.what}: max relative error }} {self.max_rel_error:.2e}"

    def markdown(self) -> str:
        head = self.text().splitlines()[0]
        rows = [
            "| arg | entry | analytic | numeric | rel. error | mode |",
            "|---|---|---|---|---|---|",
        ]
        for e in self.worst:
            rows.append(
                f"| {e.arg} | ∂out{list(e.out_index)}/∂in{list(e.in_index)} | {e.analytic:.8e} "
                f"| {e.numeric:.8e} | {e.rel_error:.2e} | {e.mode} |"
            )
        return head + ("\n\n" + "\n".join(rows) if self.worst else "")

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "what": self.what,
            "checked": self.checked,
            "failures": self.failures,
            "max_rel_error": self.max_rel_error,
            "max_abs_error": self.max_abs_error,
            "rtol": self.rtol,
            "atol": self.atol,
            "eps": self.eps,
            "modes": list(self.modes),
            "worst": [e.to_dict() for e in self.worst],
        }


def _value(out: Any) -> np.ndarray:
    """A copy of `out`'s value as a float64 array (the function may reuse its buffers)."""
    return np.array(numpy_value(out), dtype=np.float64, copy=True)


def numeric_jacobian(
    f: Callable[..., Any], args: list[np.ndarray], i: int, eps: float
) -> np.ndarray:
    """Central differences (f(x + εeⱼ) − f(x − εeⱼ)) / 2ε: shape out + args[i].shape."""
    x = args[i]
    out_shape = _value(f(*args)).shape
    jac = np.zeros((*out_shape, x.size))
    flat = x.reshape(-1)
    for j in range(x.size):
        old = flat[j]
        flat[j] = old + eps
        plus = _value(f(*args))
        flat[j] = old - eps
        minus = _value(f(*args))
        flat[j] = old
        jac[..., j] = (plus - minus) / (2 * eps)
    return jac.reshape(out_shape + x.shape)


def _nth_gradient(grad_fn: Callable[..., Any], i: int, n: int) -> Callable[..., Any]:
    def nth(*xs: Any) -> Any:
        g = grad_fn(*xs)
        return g[i] if n > 1 else g

    return nth


def _mode_names(grad_fn: Any, check_forward: bool) -> tuple[str, ...]:
    if grad_fn is not None:
        return ("hand-written",)
    return ("reverse", "forward") if check_forward else ("reverse",)


def _jacobians(
    f: Callable[..., Any], grad_fn: Any, i: int, n: int, check_forward: bool
) -> list[tuple[str, Callable[..., Any]]]:
    """(mode, Jacobian function) for argument `i` of `n`: the hand-written gradient, or the
    engine's reverse mode (and forward mode)."""
    if grad_fn is not None:
        return [("hand-written", _nth_gradient(grad_fn, i, n))]
    modes = [("reverse", jacobian(f, argnums=i))]
    if check_forward:
        modes.append(("forward", jacfwd(f, argnums=i)))
    return modes


def _errors(
    analytic: np.ndarray, numeric: np.ndarray, rtol: float, atol: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(absolute error, relative error, failed) of every entry."""
    diff = np.abs(analytic - numeric)
    scale = np.maximum(np.abs(analytic), np.abs(numeric))
    with np.errstate(invalid="ignore", divide="ignore"):
        rel = np.where(scale > 0, diff / np.where(scale > 0, scale, 1.0), 0.0)
    bad = ~(diff <= atol + rtol * scale)
    return diff, rel, bad


def _worst(
    i: int,
    mode: str,
    analytic: np.ndarray,
    numeric: np.ndarray,
    rel: np.ndarray,
    bad: np.ndarray,
    out_ndim: int,
    top: int,
) -> list[Entry]:
    """The `top` entries of one Jacobian, failures first, then by relative error."""
    entries = []
    order = np.argsort(-np.where(bad, np.inf, rel), axis=None)[:top]
    for flat in order:
        idx = np.unravel_index(flat, numeric.shape)
        entries.append(
            Entry(
                i,
                tuple(int(k) for k in idx[:out_ndim]),
                tuple(int(k) for k in idx[out_ndim:]),
                float(analytic[idx]),
                float(numeric[idx]),
                float(rel[idx]),
                mode,
            )
        )
    return entries


def _largest(errors: list[np.ndarray]) -> float:
    """The largest error of any entry (0 when nothing was compared)."""
    every = np.concatenate(errors) if errors else np.zeros(0)
    return float(every.max()) if every.size else 0.0


def gradcheck(
    f: Callable[..., Any],
    *args: Any,
    eps: float = 1e-6,
    rtol: float = 1e-5,
    atol: float = 1e-7,
    check_forward: bool = True,
    raise_on_failure: bool = False,
    top: int = 5,
    what: str = "gradcheck",
    grad_fn: Callable[..., Any] | None = None,
) -> GradcheckResult:
    """Check reverse mode (and forward mode) derivatives of `f` against central differences.

    `f` may return any shape; every entry of its Jacobian with respect to every argument is
    compared. Returns a `GradcheckResult` (truthy when it passed); with `raise_on_failure` a
    failure raises `VerificationError` carrying the report.

    To check a hand-written gradient instead of the engine's, pass it as `grad_fn` (same
    arguments as `f`; for several arguments it returns one gradient per argument). `f` is then
    only evaluated, so it may be any NumPy code:

    >>> f = lambda w: np.sum(np.tanh(w) ** 2)
    >>> wrong = lambda w: 2 * np.tanh(w)  # forgot the chain rule's (1 − tanh²)
    >>> gradcheck(f, np.array([0.5, 1.0]), grad_fn=wrong).ok
    False
    >>> right = lambda w: 2 * np.tanh(w) * (1 - np.tanh(w) ** 2)
    >>> gradcheck(f, np.array([0.5, 1.0]), grad_fn=right).ok
    True
    """
    xs = [np.array(as_array(a), dtype=np.float64) for a in args]
    entries: list[Entry] = []
    abs_err: list[np.ndarray] = []
    rel_err: list[np.ndarray] = []
    failures = 0
    for i in range(len(xs)):
        numeric = numeric_jacobian(f, [x.copy() for x in xs], i, eps)
        for mode, jac in _jacobians(f, grad_fn, i, len(xs), check_forward):
            analytic = np.asarray(jac(*[x.copy() for x in xs]), dtype=np.float64).reshape(
                numeric.shape
            )
            diff, rel, bad = _errors(analytic, numeric, rtol, atol)
            failures += int(bad.sum())
            abs_err.append(diff.reshape(-1))
            rel_err.append(rel.reshape(-1))
            out_ndim = numeric.ndim - xs[i].ndim
            entries += _worst(i, mode, analytic, numeric, rel, bad, out_ndim, top)
    entries.sort(key=lambda e: -e.rel_error)
    result = GradcheckResult(
        ok=failures == 0,
        what=what,
        checked=int(sum(a.size for a in abs_err)),
        max_rel_error=_largest(rel_err),
        max_abs_error=_largest(abs_err),
        rtol=rtol,
        atol=atol,
        eps=eps,
        worst=entries[:top],
        failures=failures,
        modes=_mode_names(grad_fn, check_forward),
    )
    if raise_on_failure and not result.ok:
        raise VerificationError(result.text())
    return result


def gradgradcheck(
    f: Callable[..., Any],
    *args: Any,
    seed: int = 0,
    eps: float = 1e-6,
    rtol: float = 1e-4,
    atol: float = 1e-6,
    check_forward: bool = True,
    raise_on_failure: bool = False,
    top: int = 5,
) -> GradcheckResult:
    """Check second derivatives: gradcheck the gradient of ⟨u, f(args)⟩ for a random fixed u.

    The gradient is computed with a recorded backward pass (``create_graph``), so this checks
    that every VJP rule is itself differentiable and right.
    """
    xs = [np.array(as_array(a), dtype=np.float64) for a in args]
    out_shape = _value(f(*xs)).shape
    u = np.random.default_rng(seed).normal(size=out_shape)
    nums = tuple(range(len(xs)))

    def gradient(*ys: Any) -> Any:
        gs = grad(lambda *zs: P.sum(f(*zs) * u), argnums=nums)(*ys)
        return P.concatenate([P.reshape(g, (-1,)) for g in gs])

    return gradcheck(
        gradient,
        *xs,
        eps=eps,
        rtol=rtol,
        atol=atol,
        check_forward=check_forward,
        raise_on_failure=raise_on_failure,
        top=top,
        what="gradgradcheck",
    )
