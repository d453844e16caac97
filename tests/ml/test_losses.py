"""Losses: values against direct NumPy formulas, autodiff gradients against HIPS autograd and
the symbolic derivative, derivations verified; L1/L2 and weight decay."""

from __future__ import annotations

import autograd
import autograd.numpy as anp
import numpy as np
import pytest
import sympy as sp

from calcml.errors import CalcmlError, ShapeError
from calcml.expr import parse, symbol
from calcml.ml import (
    L1,
    L2,
    LOSSES,
    bce_with_logits,
    binary_cross_entropy,
    hinge,
    mse,
    softmax_cross_entropy,
)

RNG = np.random.default_rng(0)
P = RNG.uniform(0.05, 0.95, 6)
Z = RNG.normal(0, 3, 6)
Y01 = (RNG.uniform(size=6) > 0.5).astype(float)
YPM = 2 * Y01 - 1
LOGITS = RNG.normal(0, 2, (5, 3))
LABELS = np.array([0, 2, 1, 1, 0])


def _ref_softmax_ce(z, y):  # type: ignore[no-untyped-def]
    m = anp.max(z, axis=1, keepdims=True)
    lse = m[:, 0] + anp.log(anp.sum(anp.exp(z - m), axis=1))
    return anp.mean(lse - anp.sum(z * np.eye(3)[y], axis=1))


CASES = [
    (mse, P, Y01, lambda p, y: anp.mean((p - y) ** 2)),
    (
        binary_cross_entropy,
        P,
        Y01,
        lambda p, y: -anp.mean(y * anp.log(p) + (1 - y) * anp.log(1 - p)),
    ),
    (bce_with_logits, Z, Y01, lambda z, y: anp.mean(anp.logaddexp(0, z) - y * z)),
    (hinge, Z, YPM, lambda s, y: anp.mean(anp.maximum(0, 1 - y * s))),
    (softmax_cross_entropy, LOGITS, LABELS, _ref_softmax_ce),
]


@pytest.mark.parametrize(
    ("loss", "pred", "target", "ref"), CASES, ids=lambda c: getattr(c, "name", "")
)
def test_value_and_gradient_match_hips_autograd(loss, pred, target, ref) -> None:  # type: ignore[no-untyped-def]
    assert loss(pred, target) == pytest.approx(float(ref(pred, target)), rel=1e-12)
    want = autograd.grad(ref)(pred, target)
    assert np.allclose(loss.gradient(pred, target), want, atol=1e-12)


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_derivation_is_verified_and_equals_sympy_diff(name: str) -> None:
    loss = LOSSES[name]
    d = loss.derivation()
    want = sp.diff(parse(loss.formula), symbol(loss.wrt))
    point = {s: sp.Rational(3, 7) for s in want.free_symbols}
    assert float((d.result - want).subs(point).rewrite(sp.exp).evalf()) == pytest.approx(
        0, abs=1e-12
    )
    assert d.steps
    assert loss.to_dict()["gradient"]["text"]


def test_bce_from_logits_is_stable_where_probabilities_overflow() -> None:
    z = np.array([-800.0, 800.0])
    y = np.array([1.0, 0.0])
    assert bce_with_logits(z, y) == pytest.approx(800.0)
    assert np.allclose(bce_with_logits.gradient(z, y), [-0.5, 0.5])


def test_softmax_cross_entropy_is_stable_for_huge_logits() -> None:
    z = np.array([[1000.0, 0.0, -1000.0]])
    assert softmax_cross_entropy(z, np.array([1])) == pytest.approx(1000.0)
    assert np.all(np.isfinite(softmax_cross_entropy.gradient(z, np.array([1]))))


def test_per_sample_gradient_of_logit_bce_is_sigma_minus_y() -> None:
    assert sp.simplify(bce_with_logits.symbolic_gradient() - parse("sigmoid(z) - y")) == 0


def test_bad_loss_inputs_are_refused() -> None:
    with pytest.raises(ShapeError):
        mse(np.ones(3), np.ones(4))
    with pytest.raises(CalcmlError, match="finite"):
        mse(np.array([np.nan]), np.array([1.0]))
    with pytest.raises(ShapeError):
        softmax_cross_entropy(np.ones(3), np.array([0]))


def test_l2_is_weight_decay() -> None:
    w, g, lr = np.array([1.0, -2.0]), np.array([0.3, 0.1]), 0.1
    reg = L2(0.5)
    step = w - lr * (g + reg.gradient(w))
    assert np.allclose(step, reg.decay_factor(lr) * w - lr * g)
    assert reg.value(w) == pytest.approx(0.25 * 5)
    assert "weight decay" in reg.explain()


def test_l1_subgradient_and_validation() -> None:
    assert L1(0.2).gradient(np.array([3.0, 0.0, -1.0])).tolist() == [0.2, 0.0, -0.2]
    assert L1(0.2).value(np.array([3.0, -1.0])) == pytest.approx(0.8)
    with pytest.raises(CalcmlError):
        L2(-1.0)


@pytest.mark.parametrize(
    ("loss", "pred", "target"),
    [
        (softmax_cross_entropy, np.ones((2, 3)), np.array([0, 5])),
        (softmax_cross_entropy, np.ones((2, 3)), np.array([0, 0.5])),
        (hinge, np.array([0.5, -2.0]), np.array([0.0, 1.0])),
        (binary_cross_entropy, np.array([1.5]), np.array([1.0])),
        (bce_with_logits, np.array([1.5]), np.array([2.0])),
        (mse, np.array([]), np.array([])),
    ],
    ids=["label-out-of-range", "fractional-label", "hinge-0-1", "p-above-1", "y-2", "empty"],
)
def test_targets_outside_the_loss_domain_are_refused(loss, pred, target) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CalcmlError):
        loss(pred, target)
