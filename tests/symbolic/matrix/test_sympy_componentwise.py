"""For n = 2 (every dimension 2) each corpus gradient equals the componentwise SymPy gradient:
f written out entry by entry with SymPy matrices of symbols, differentiated by `sympy.diff`."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from corpus import CORPUS
from refeval import as_float, plain, sympy_eval, sympy_values

from calcml.symbolic.matrix import matrix_gradient
from calcml.symbolic.matrix.numeric import evaluate, square_variables

GRADIENTS = [c for c in CORPUS if c[4] == "gradient"]


@pytest.mark.parametrize("case", GRADIENTS, ids=[c[0] for c in GRADIENTS])
def test_gradient_equals_componentwise_sympy_gradient_at_n_2(case: tuple) -> None:
    _, text, wrt, shapes, _ = case
    d = matrix_gradient(text, wrt, shapes)
    dims = {s: 2 for shape in d.shapes.values() for s in shape if isinstance(s, str)}
    symbols = sympy_values(d.shapes, dims)
    f = sp.Matrix(sympy_eval(d.expr, dims, symbols)).applyfunc(plain)[0, 0]
    rng = np.random.default_rng(2)
    special = square_variables(d.expr)
    values: dict[str, np.ndarray] = {}
    point: dict[sp.Symbol, float] = {}
    for name, m in symbols.items():
        v = rng.uniform(0.2, 0.9, size=m.shape)
        if name in special:
            v = v @ v.T + np.eye(m.shape[0])
        if any(var.simplex for var in _vars(d) if var.name == name):
            v = v / v.sum(axis=0 if m.shape[1] == 1 else 1, keepdims=True)
        values[name] = v
        point.update(
            {m[i, j]: float(v[i, j]) for i in range(m.shape[0]) for j in range(m.shape[1])}
        )
    W = symbols[wrt]
    grad = sp.Matrix(W.shape[0], W.shape[1], lambda i, j: sp.diff(f, W[i, j]))
    want = as_float(grad, point)
    got = evaluate(d.result, dims, values)
    np.testing.assert_allclose(got, want, rtol=1e-8, atol=1e-10)


def _vars(d: object) -> list:
    from calcml.symbolic.matrix.nodes import Var, walk

    return [v for v in walk(d.expr) if isinstance(v, Var)]  # type: ignore[attr-defined]
