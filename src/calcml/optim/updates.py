"""The update rules shared by the optimizers and by network training (`calcml.ml.mlp`).

Each works in place on its state arrays and returns the step Δ to add to the parameters.

>>> import numpy as np
>>> v = np.zeros(1)
>>> momentum_step(v, np.array([2.0]), lr=0.1, beta=0.9).tolist()
[-0.2]
"""

from __future__ import annotations

import numpy as np

from calcml.optim.objective import Array

BETA1, BETA2, EPS = 0.9, 0.999, 1e-8


def momentum_step(v: Array, g: Array, lr: float, beta: float) -> Array:
    """Heavy ball: v ← β·v − lr·g (in place); the step is v."""
    v *= beta
    v -= lr * g
    return v


def adam_step(
    m: Array,
    s: Array,
    g: Array,
    t: int,
    lr: float,
    beta1: float = BETA1,
    beta2: float = BETA2,
    eps: float = EPS,
) -> Array:
    """Adam's t-th step (t ≥ 1): m ← β₁m + (1−β₁)g, s ← β₂s + (1−β₂)g² (in place), and the step
    −lr·m̂/(√ŝ + ε) with the bias corrections m̂ = m/(1−β₁ᵗ), ŝ = s/(1−β₂ᵗ)."""
    m *= beta1
    m += (1 - beta1) * g
    s *= beta2
    s += (1 - beta2) * g * g
    step: Array = -lr * (m / (1 - beta1**t)) / (np.sqrt(s / (1 - beta2**t)) + eps)
    return step
