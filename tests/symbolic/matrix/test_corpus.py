"""The corpus of ML expressions: every one derived, verified inside the engine, and cross-checked
here against HIPS autograd on fresh random instances; step trees well formed (shapes agree)."""

from __future__ import annotations

import autograd
import autograd.numpy as anp
import numpy as np
import pytest
from corpus import CORPUS
from refeval import ag_eval

from calcml.symbolic.matrix import matrix_gradient, matrix_hessian, matrix_jacobian
from calcml.symbolic.matrix.nodes import Node, Var, walk
from calcml.symbolic.matrix.numeric import evaluate, instance

DERIVE = {"gradient": matrix_gradient, "jacobian": matrix_jacobian, "hessian": matrix_hessian}
IDS = [c[0] for c in CORPUS]


def test_corpus_has_at_least_50_ml_expressions() -> None:
    assert len(CORPUS) >= 50
    assert len({(f, w, k) for _, f, w, _, k in CORPUS}) == len(CORPUS)


def _autograd_reference(kind: str, f: Node, wrt: str, dims: dict, values: dict) -> np.ndarray:
    def fx(v: object) -> object:
        out = ag_eval(f, dims, {**values, wrt: v})
        return out[0, 0] if kind != "jacobian" else anp.ravel(out)

    if kind == "gradient":
        return np.asarray(autograd.grad(fx)(values[wrt]))
    if kind == "jacobian":
        j = autograd.jacobian(fx)(values[wrt])
        return np.asarray(j).reshape(j.shape[0], -1)
    h = autograd.hessian(fx)(values[wrt])
    n = values[wrt].size
    return np.asarray(h).reshape(n, n)


@pytest.mark.parametrize("case", CORPUS, ids=IDS)
def test_corpus_result_matches_autograd(case: tuple[str, str, str, str, str]) -> None:
    _, text, wrt, shapes, kind = case
    d = DERIVE[kind](text, wrt, shapes)
    assert d.verified.startswith(("checked", "gradient and Hessian checked"))
    rng = np.random.default_rng(12345)
    checked = 0
    for attempt in range(12):
        dims, values = instance(d.expr, d.shapes, rng, positive=attempt >= 6)
        with np.errstate(all="ignore"):
            if not np.all(np.isfinite(evaluate(d.expr, dims, values))):
                continue
            got = evaluate(d.result, dims, values)
            want = _autograd_reference(kind, d.expr, wrt, dims, values)
        assert got.shape == want.shape or got.size == want.size
        np.testing.assert_allclose(got.reshape(want.shape), want, rtol=1e-7, atol=1e-9)
        checked += 1
        if checked == 3:
            break
    assert checked >= 1


@pytest.mark.parametrize("case", CORPUS, ids=IDS)
def test_corpus_step_tree_is_well_formed(case: tuple[str, str, str, str, str]) -> None:
    _, text, wrt, shapes, kind = case
    d = DERIVE[kind](text, wrt, shapes)
    var = next(v for v in walk(d.expr) if isinstance(v, Var) and v.name == wrt)
    if kind == "gradient":
        assert d.result.shape == var.shape  # denominator layout: ∇_W f has W's shape
    else:
        rows = d.expr.shape[0] if kind == "jacobian" else var.shape[0]
        assert d.result.shape == (rows, var.shape[0])
    steps = d.all_steps()
    assert steps
    rng = np.random.default_rng(7)
    dims, values = instance(d.expr, d.shapes, rng, positive=True)
    with np.errstate(all="ignore"):  # backprop's names (z₁, a₁, δ₁) take their definitions' values
        values |= {k: evaluate(v, dims, values) for k, v in d.definitions.items()}
    for step in steps:
        assert step.rule and step.explanation
        for _label, node in step.shown:
            size = lambda s: s if isinstance(s, int) else dims[s]  # noqa: E731
            with np.errstate(all="ignore"):
                value = evaluate(node, dims, values)
            assert value.shape == (size(node.shape[0]), size(node.shape[1]))
    data = d.to_dict()
    assert data["result"]["shape"] == list(d.result.shape)
    assert data["wrt_shape"] == list(var.shape)
