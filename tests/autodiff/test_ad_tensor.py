"""Tensor semantics: operators, NumPy protocols, accumulation, no_grad/detach, dtypes, bad input."""

from __future__ import annotations

import numpy as np
import pytest

from calcml import autodiff as ad
from calcml.errors import CalcmlError, ShapeError, UnsupportedError


def test_numpy_functions_on_tensors_are_recorded() -> None:
    W = ad.Tensor(np.arange(6.0).reshape(2, 3) / 10, requires_grad=True)
    x = np.array([1.0, -1.0, 0.5])
    b = ad.Tensor(np.zeros(2), requires_grad=True)
    y = np.tanh(W @ x + b)
    assert isinstance(y, ad.Tensor)
    s = np.sum(np.exp(y) * 2.0, axis=0)
    s.backward()
    expected = ad.grad(lambda W: np.sum(np.exp(np.tanh(W @ x)) * 2.0))(W.data)
    np.testing.assert_allclose(W.grad, expected)
    assert b.grad.shape == (2,)


def test_ndarray_on_the_left_still_records() -> None:
    x = ad.Tensor([1.0, 2.0], requires_grad=True)
    y = np.array([3.0, 4.0]) * x + np.array([1.0, 1.0])
    assert isinstance(y, ad.Tensor)
    (np.array([[1.0, 0.0], [0.0, 1.0]]) @ y).sum().backward()
    np.testing.assert_allclose(x.grad, [3.0, 4.0])


def test_backward_accumulates_until_zero_grad() -> None:
    x = ad.Tensor([1.0, 2.0], requires_grad=True)
    (x * x).sum().backward()
    (x * x).sum().backward()
    np.testing.assert_allclose(x.grad, [4.0, 8.0])
    x.zero_grad()
    assert x.grad is None


def test_reused_node_gets_the_sum_of_its_paths() -> None:
    x = ad.Tensor(3.0, requires_grad=True)
    y = x * x
    (y + y * x).backward()  # x² + x³ → 2x + 3x²
    assert float(x.grad) == pytest.approx(6.0 + 27.0)


def test_no_grad_and_detach_cut_the_graph() -> None:
    x = ad.Tensor([1.0], requires_grad=True)
    with ad.no_grad():
        y = x * 2
    assert not y.requires_grad
    z = x.detach() * 3
    assert not z.requires_grad
    assert ad.is_grad_enabled()


def test_comparisons_return_plain_boolean_arrays() -> None:
    x = ad.Tensor([-1.0, 2.0], requires_grad=True)
    assert isinstance(x > 0, np.ndarray)
    np.testing.assert_array_equal(x > 0, [False, True])


def test_integer_input_is_promoted_to_float64() -> None:
    x = ad.Tensor(np.array([1, 2, 3]), requires_grad=True)
    assert x.dtype == np.float64
    np.testing.assert_allclose(ad.grad(lambda v: (v * v).sum())(np.array([1, 2])), [2.0, 4.0])
    assert ad.grad(lambda v: v**2)(3) == 6.0


def test_float32_stays_float32() -> None:
    x = ad.Tensor(np.ones(3, dtype=np.float32), requires_grad=True)
    (np.tanh(x) * 2.0).sum().backward()
    assert x.grad.dtype == np.float32


def test_complex_and_string_inputs_are_rejected() -> None:
    with pytest.raises(ad.DTypeError, match="complex"):
        ad.Tensor(np.array([1j]))
    with pytest.raises(CalcmlError):
        ad.Tensor(np.array(["a"]))


def test_shape_mismatch_names_both_shapes() -> None:
    a = ad.Tensor(np.ones(3), requires_grad=True)
    with pytest.raises(ShapeError, match=r"\(3,\) and \(4,\)"):
        a + np.ones(4)
    with pytest.raises(ShapeError, match=r"\(2, 3\) and \(2,\)"):
        ad.Tensor(np.ones((2, 3))) @ np.ones(2)


def test_backward_on_a_non_scalar_needs_a_seed() -> None:
    x = ad.Tensor(np.ones(3), requires_grad=True)
    y = x * 2
    with pytest.raises(ShapeError, match=r"non-scalar tensor of shape \(3,\)"):
        y.backward()
    y.backward(np.array([1.0, 2.0, 3.0]))
    np.testing.assert_allclose(x.grad, [2.0, 4.0, 6.0])


def test_backward_without_any_variable_is_explained() -> None:
    with pytest.raises(ad.GradientError, match="requires_grad"):
        ad.Tensor(1.0).backward()


def test_unsupported_numpy_function_is_named() -> None:
    x = ad.Tensor(np.ones(3), requires_grad=True)
    with pytest.raises(UnsupportedError, match=r"numpy\.cumprod"):
        np.cumprod(x)
    with pytest.raises(UnsupportedError, match=r"numpy\.spacing"):
        np.spacing(x)
    with pytest.raises(UnsupportedError, match=r"numpy\.add\.reduce"):
        np.add.reduce(x)
    with pytest.raises(UnsupportedError, match="dtype="):
        np.exp(x, dtype=np.float32)
    with pytest.raises(UnsupportedError, match="out="):
        np.exp(x, out=np.empty(3))


def test_grad_of_an_unsupported_op_is_a_clear_error() -> None:
    with pytest.raises(UnsupportedError, match=r"numpy\.linalg\.eigh"):
        ad.grad(lambda v: np.linalg.eigh(v)[0].sum())(np.eye(2))


def test_deep_chain_of_100k_ops_differentiates_without_recursion_error() -> None:
    x = ad.Tensor(1.0, requires_grad=True)
    y = x
    for _ in range(100_000):
        y = y * 1.0 + 0.0
    y.backward()
    assert float(x.grad) == 1.0
    assert ad.grad(lambda v: v)(1.0) == 1.0


def test_indexing_with_repeated_indices_accumulates() -> None:
    x = ad.Tensor([1.0, 2.0, 3.0], requires_grad=True)
    x[[0, 0, 2]].sum().backward()
    np.testing.assert_allclose(x.grad, [2.0, 0.0, 1.0])


def test_stable_functions_do_not_overflow() -> None:
    big = np.array([1000.0, -1000.0, 0.0])
    np.testing.assert_allclose(ad.sigmoid(big), [1.0, 0.0, 0.5])
    np.testing.assert_allclose(ad.softplus(big), [1000.0, 0.0, np.log(2.0)])
    assert float(ad.logsumexp(np.array([1000.0, 1000.0]))) == pytest.approx(1000.0 + np.log(2.0))
    np.testing.assert_allclose(ad.softmax(np.array([1000.0, 1000.0])), [0.5, 0.5])
    g = ad.grad(lambda v: ad.log_softmax(v)[0])(np.array([1000.0, 0.0]))
    assert np.all(np.isfinite(g))


def test_repr_and_item() -> None:
    x = ad.Tensor(2.5, requires_grad=True)
    assert "requires_grad=True" in repr(x)
    assert (x * 2).item() == 5.0


def test_silently_dropping_a_gradient_is_an_error() -> None:
    X = np.eye(2)
    with pytest.raises(ad.GradientError, match="X @ t"):
        ad.grad(lambda w: X.dot(w).sum())(np.ones(2))
    t = ad.Tensor([1.0], requires_grad=True)
    with ad.no_grad():
        np.testing.assert_array_equal(np.asarray(t), [1.0])


def test_each_leaf_owns_its_grad_array() -> None:
    a = ad.Tensor(np.ones(3), requires_grad=True)
    b = ad.Tensor(np.ones(3), requires_grad=True)
    (a + b).backward(np.ones(3))
    assert a.grad is not b.grad
    a.grad *= 0.0
    np.testing.assert_array_equal(b.grad, np.ones(3))
