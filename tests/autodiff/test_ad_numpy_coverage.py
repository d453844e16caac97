"""Every NumPy function HIPS autograd's tests differentiate (the data in `autograd_cases`),
through calcml.autodiff: gradients against autograd, JVPs against central differences, and
second derivatives (forward-over-reverse Hessians and reverse-over-reverse Jacobians of the
gradient) against autograd's Hessians — on the shapes, axes and broadcasts of each case."""

from __future__ import annotations

from typing import Any

import autograd
import autograd.numpy as anp
import numpy as np
import pytest
from autograd_cases import CASES, Case, functions

from calcml import autodiff as ad

RNG = np.random.default_rng(7)
pytestmark = pytest.mark.filterwarnings("ignore:Output seems independent of input")


def _weights(case: Case) -> np.ndarray:
    """Fixed random weights of the output's shape, so a scalar loss sees every output entry."""
    out = np.asarray(case.f(np, *case.args), dtype=float)
    return np.random.default_rng(abs(hash(case.id)) % 2**32).normal(size=out.shape)


def _loss(case: Case, m: Any, w: np.ndarray, i: int) -> Any:
    def loss(x: Any) -> Any:
        args = list(case.args)
        args[i] = x
        return m.sum(w * case.f(m, *args))

    return loss


def _central(f: Any, x: np.ndarray, t: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    return (np.asarray(f(x + eps * t)) - np.asarray(f(x - eps * t))) / (2 * eps)


def _arg(case: Case, i: int) -> Any:
    a = case.args[i]
    return float(a) if isinstance(a, float) else np.asarray(a, dtype=float)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_gradient_and_jvp_against_autograd_and_central_differences(case: Case) -> None:
    w = _weights(case)
    for i in case.argnums:
        x = _arg(case, i)
        ours = ad.grad(_loss(case, np, w, i))(x)
        loss = _loss(case, np, w, i)
        t = RNG.normal(size=np.shape(x))
        fd = _central(loss, np.asarray(x, dtype=float), t)
        np.testing.assert_allclose(np.sum(np.asarray(ours) * t), fd, rtol=1e-5, atol=1e-6)
        if case.ref:
            theirs = autograd.grad(_loss(case, anp, w, i))(x)
            np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-11)

        def f_i(v: Any, i: int = i) -> Any:
            args = list(case.args)
            args[i] = v
            return case.f(np, *args)

        _, tangent = ad.jvp(f_i, (np.asarray(x, dtype=float),), (t,))
        np.testing.assert_allclose(
            tangent, _central(f_i, np.asarray(x, dtype=float), t), rtol=1e-5, atol=1e-6
        )


SECOND = [c for c in CASES if c.second]


@pytest.mark.parametrize("case", SECOND, ids=[c.id for c in SECOND])
def test_second_derivatives_against_autograd(case: Case) -> None:
    w = _weights(case)
    i = case.argnums[0]
    x = np.asarray(_arg(case, i), dtype=float)
    loss = _loss(case, np, w, i)
    if case.ref:
        reference = autograd.hessian(_loss(case, anp, w, i))(x)
    else:
        g = ad.grad(loss)
        eye = np.eye(x.size).reshape((x.size, *x.shape))
        reference = np.stack([_central(g, x, e) for e in eye], axis=-1).reshape(x.shape * 2)
    forward_over_reverse = ad.hessian(loss)(x)
    reverse_over_reverse = ad.jacobian(ad.grad(loss))(x)
    tol = {"rtol": 1e-7, "atol": 1e-9} if case.ref else {"rtol": 1e-4, "atol": 1e-5}
    np.testing.assert_allclose(forward_over_reverse, reference, **tol)
    np.testing.assert_allclose(reverse_over_reverse, reference, **tol)


def test_the_case_list_covers_autograds_functions() -> None:
    covered = set(functions())
    assert len(covered) >= 100, len(covered)
    for name in ["einsum", "tensordot", "prod", "cumsum", "trace", "linalg.inv", "linalg.det",
                 "linalg.slogdet", "linalg.solve", "linalg.norm", "sort", "partition", "pad",
                 "kron", "cross", "remainder", "sinc", "nan_to_num", "array"]:  # fmt: skip
        assert name in covered
