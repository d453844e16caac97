"""Derivatives where they are easy to get wrong: functions that leave the graph (float, int,
math.*, .item()), points where a naive rule gives 0·∞ = nan (std of one element, x**0 at 0,
prod with zeros, sinc at 0, the norm at 0), the real cube root, grad mode in two threads, and
jvp's argument errors. References: central differences and HIPS autograd."""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from typing import Any

import autograd
import autograd.numpy as anp
import numpy as np
import pytest

from calcml import autodiff as ad
from calcml.errors import ShapeError

RNG = np.random.default_rng(2026)


def central_grad(f: Callable[[np.ndarray], Any], x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    x = np.asarray(x, dtype=float)
    out = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[i] = eps
        out[i] = (float(f(x + e)) - float(f(x - e))) / (2 * eps)
    return out


# ---- leaving the graph ---------------------------------------------------------------------

ESCAPES: dict[str, Callable[[Any], Any]] = {
    "float": lambda x: float(x) ** 2,
    "int": lambda x: int(x) * 1.0,
    "math.sin": lambda x: math.sin(x),
    "math.exp": lambda x: math.exp(x) * 2.0,
    ".item()": lambda x: x.item() ** 2,
    "astype(int)": lambda x: x.astype(int) * 1.0,
    "round": lambda x: round(x) * 1.0,
    "round(t, 2)": lambda x: round(x, 2) ** 2,
    "math.floor": lambda x: math.floor(x) * 1.0,
    "math.ceil": lambda x: math.ceil(x) * 1.0,
    "math.trunc": lambda x: math.trunc(x) * 1.0,
}
TRANSFORMS: dict[str, Callable[[Callable[..., Any]], Any]] = {
    "grad": lambda f: ad.grad(f)(3.0),
    "value_and_grad": lambda f: ad.value_and_grad(f)(3.0),
    "jacobian": lambda f: ad.jacobian(f)(np.array(3.0)),
    "hessian": lambda f: ad.hessian(f)(np.array(3.0)),
    "jvp": lambda f: ad.jvp(f, (np.array(3.0),), (np.array(1.0),)),
    "trace": lambda f: ad.trace(f, 3.0),
}


@pytest.mark.parametrize("transform", sorted(TRANSFORMS))
@pytest.mark.parametrize("escape", sorted(ESCAPES))
def test_a_function_that_leaves_the_graph_raises_instead_of_a_zero_gradient(
    escape: str, transform: str
) -> None:
    with pytest.raises(ad.GradientError, match=r"x \*\* 2 rather than float\(x\)"):
        TRANSFORMS[transform](ESCAPES[escape])


def test_values_are_still_readable_outside_transforms_and_under_no_grad() -> None:
    w = ad.Tensor([2.0], requires_grad=True)
    loss = (w * w).sum()
    assert float(loss) == 4.0 and loss.item() == 4.0 and f"{loss:.1f}" == "4.0"

    def f(x: Any) -> Any:
        with ad.no_grad():
            scale = float(x)  # a deliberate constant
        return x * scale

    assert ad.grad(f)(3.0) == 3.0  # d/dx (x · c) with c = 3 held constant


def test_python_rounding_of_a_constant_tensor_is_the_rounded_value() -> None:
    t = ad.Tensor(2.5)
    assert (round(t), round(t, 0), math.floor(t), math.ceil(t), math.trunc(-t)) == (
        round(2.5),
        round(2.5, 0),
        2,
        3,
        -2,
    )


@pytest.mark.parametrize("name", ["round", "around", "fix"])
def test_numpy_rounding_is_piecewise_constant_like_autograd(name: str) -> None:
    x = RNG.normal(size=(3, 4)) * 3

    def f(np_: Any) -> Callable[[Any], Any]:
        return lambda v: np_.sum(getattr(np_, name)(v) * v)

    expected = autograd.grad(f(anp))(x)  # d/dv Σ round(v)·v = round(v) (round is flat a.e.)
    np.testing.assert_array_equal(ad.grad(f(np))(x), expected)
    np.testing.assert_array_equal(expected, getattr(np, name)(x))


# ---- 0 · ∞ points --------------------------------------------------------------------------


@pytest.mark.parametrize("shape,axis", [((1,), None), ((3, 1), 1), ((1, 4), 0), ((1, 1), None)])
def test_std_over_one_element_has_gradient_zero(shape: tuple[int, ...], axis: Any) -> None:
    x = RNG.normal(size=shape)

    def f(v: Any) -> Any:
        return np.sum(np.std(v, axis=axis) * 1.5)

    g = ad.grad(f)(x)
    np.testing.assert_array_equal(g, central_grad(f, x))
    assert np.all(np.isfinite(ad.hessian(f)(x)))


def test_std_elsewhere_matches_autograd() -> None:
    x = RNG.normal(size=(3, 4))
    np.testing.assert_allclose(
        ad.grad(lambda v: np.std(v, axis=1).sum())(x),
        autograd.grad(lambda v: anp.std(v, axis=1).sum())(x),
        rtol=1e-12,
    )


@pytest.mark.parametrize("spell", ["np.power", "operator", "array exponent"])
def test_power_zero_is_constant_also_at_zero(spell: str) -> None:
    x = np.array([0.0, -1.5, 2.0, 0.0])
    p = {"np.power": 0.0, "operator": 0, "array exponent": np.array([0.0, 0.0, 2.0, 1.0])}[spell]

    def f(v: Any) -> Any:
        return np.sum(np.power(v, p) if spell != "operator" else v**p)

    g = ad.grad(f)(x)
    assert np.all(np.isfinite(g))
    np.testing.assert_allclose(g, central_grad(f, x), atol=1e-8)
    np.testing.assert_allclose(
        ad.hessian(f)(x), np.diag(np.where(np.broadcast_to(p, 4) == 2.0, 2.0, 0.0)), atol=1e-8
    )


def test_derivative_in_the_exponent_at_base_zero() -> None:
    p = RNG.uniform(0.5, 3.0, size=4)
    g = ad.grad(lambda q: np.sum(np.power(np.zeros(4), q)))(p)
    np.testing.assert_array_equal(g, np.zeros(4))  # 0^p = 0 for every p > 0


@pytest.mark.parametrize("zeros", [1, 2])
def test_prod_with_zeros_has_the_product_of_the_others(zeros: int) -> None:
    x = RNG.uniform(0.5, 2.0, size=(3, 5))
    x[0, :zeros] = 0.0
    x[2, 3] = 0.0
    for axis in [None, 0, 1]:
        weights = RNG.normal(size=np.shape(np.prod(x, axis=axis)))

        def f(v: Any, axis: Any = axis, weights: Any = weights) -> Any:
            return np.sum(np.prod(v, axis=axis) * weights)

        g = ad.grad(f)(x)
        np.testing.assert_allclose(g, central_grad(f, x), rtol=1e-6, atol=1e-9)
        h = ad.hessian(f)(x)
        reference = np.stack(
            [
                central_grad(lambda v, i=i: ad.grad(f)(v).ravel()[i], x).ravel()
                for i in range(x.size)
            ]
        )
        np.testing.assert_allclose(h.reshape(x.size, x.size), reference, rtol=1e-5, atol=1e-6)


def test_sinc_at_zero() -> None:
    x = np.array([0.0, 0.5, -1.0])
    assert ad.grad(lambda v: np.sinc(v)[0])(x)[0] == 0.0
    h = ad.hessian(lambda v: np.sinc(v)[0])(x)[0, 0]
    assert h == pytest.approx(-(np.pi**2) / 3, rel=1e-12)  # sinc(x) = 1 − π²x²/6 + …
    np.testing.assert_allclose(
        ad.grad(lambda v: np.sum(np.sinc(v)))(x), central_grad(lambda v: np.sum(np.sinc(v)), x)
    )


def test_norm_at_zero_has_subgradient_zero_and_elsewhere_matches_autograd() -> None:
    assert np.array_equal(ad.grad(lambda v: np.linalg.norm(v))(np.zeros(3)), np.zeros(3))
    x = RNG.normal(size=4)
    np.testing.assert_allclose(
        ad.grad(np.linalg.norm)(x), autograd.grad(anp.linalg.norm)(x), rtol=1e-12
    )


def test_cbrt_is_the_real_cube_root_and_numpy_power_keeps_its_meaning() -> None:
    x = np.array([-8.0, -0.5, 0.3, 27.0])
    assert np.allclose(np.cbrt(ad.Tensor(x)).data, [-2.0, -(0.5 ** (1 / 3)), 0.3 ** (1 / 3), 3.0])
    g = ad.grad(lambda v: np.sum(np.cbrt(v)))(x)
    np.testing.assert_allclose(g, central_grad(lambda v: np.sum(np.cbrt(v)), x), rtol=1e-6)
    np.testing.assert_allclose(g, 1.0 / (3.0 * np.cbrt(x) ** 2), rtol=1e-12)
    with np.errstate(invalid="ignore"):
        assert np.isnan((ad.Tensor(-8.0) ** (1 / 3)).data)  # NumPy's x**(1/3), as NumPy has it
    assert ad.grad(lambda v: np.cbrt(v))(0.0) == np.inf  # vertical tangent at 0


@pytest.mark.parametrize("name", ["arcsinh", "arctanh", "arccosh"])
def test_inverse_hyperbolics_against_autograd_over_their_domains(name: str) -> None:
    lo, hi = {"arcsinh": (-5.0, 5.0), "arctanh": (-0.99, 0.99), "arccosh": (1.01, 5.0)}[name]
    x = RNG.uniform(lo, hi, size=20)
    ours = ad.grad(lambda v: np.sum(getattr(np, name)(v) ** 2))(x)
    theirs = autograd.grad(lambda v: anp.sum(getattr(anp, name)(v) ** 2))(x)
    np.testing.assert_allclose(ours, theirs, rtol=1e-10)


def test_remainder_operator_and_jumps() -> None:
    x = ad.Tensor([5.5, -1.25], requires_grad=True)
    y = ad.Tensor([2.0, 0.5], requires_grad=True)
    (x % y).sum().backward()
    np.testing.assert_array_equal(x.grad, [1.0, 1.0])
    np.testing.assert_array_equal(y.grad, -np.floor(np.array([5.5, -1.25]) / [2.0, 0.5]))


def test_np_array_of_tensors_points_to_ad_array() -> None:
    with pytest.raises(ad.GradientError, match=r"autodiff\.array"):
        ad.grad(lambda x: np.sum(np.array([x, x * 2.0])))(1.0)
    assert ad.grad(lambda x: np.sum(ad.array([[x, 2.0], [x * x, 1.0]])))(3.0) == 7.0


def test_complex_inputs_stay_out_with_a_clear_error() -> None:
    with pytest.raises(ad.DTypeError, match="real"):
        ad.grad(lambda z: np.sum(z * z))(np.array([1 + 2j]))


@pytest.mark.parametrize("arg", [np.ones(3), 2.0], ids=["array", "scalar"])
@pytest.mark.parametrize("transform", ["grad", "value_and_grad", "hessian"])
def test_a_real_input_made_complex_inside_stays_out_with_a_clear_error(
    arg: object, transform: str
) -> None:
    """x * 1j inside the function (autograd differentiates it; calcml keeps complex out of
    scope) is a DTypeError that says so, not a raw TypeError from float()."""
    f = getattr(ad, transform)(lambda x: np.sum(x * 1j))
    with pytest.raises(ad.DTypeError, match="complex"):
        f(arg)


# ---- grad mode per thread ------------------------------------------------------------------


def test_no_grad_in_one_thread_does_not_switch_off_recording_in_another() -> None:
    inside = threading.Barrier(2)
    done = threading.Barrier(2)
    results: dict[str, bool] = {}

    def updater() -> None:
        w = ad.Tensor([1.0], requires_grad=True)
        with ad.no_grad():
            inside.wait()  # the other thread computes while this one is in no_grad
            done.wait()
            results["updater"] = (w * 2.0).requires_grad

    def trainer() -> None:
        inside.wait()
        w = ad.Tensor([1.0], requires_grad=True)
        results["trainer"] = (w * 2.0).requires_grad
        gradient = ad.grad(lambda v: np.sum(v * v))(np.array([3.0]))
        results["trainer grad"] = float(gradient[0]) == 6.0
        done.wait()

    threads = [threading.Thread(target=updater), threading.Thread(target=trainer)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert results == {"updater": False, "trainer": True, "trainer grad": True}
    assert ad.is_grad_enabled()


# ---- jvp arguments -------------------------------------------------------------------------


def test_jvp_argument_errors_are_explained() -> None:
    with pytest.raises(ShapeError, match="as tuples"):
        ad.jvp(lambda p: p * 2.0, np.ones(2), np.ones(2))
    with pytest.raises(ShapeError, match="one array"):
        ad.jvp(lambda p: p[0], ((np.ones(2), np.ones(3)),), ((np.ones(2), np.ones(3)),))
    with pytest.raises(ShapeError, match="one tangent per primal"):
        ad.jvp(lambda a, b: a * b, (1.0, 2.0), (1.0,))
    _out, t = ad.jvp(lambda a, b: a * b, (np.array(2.0), np.array(3.0)), (1.0, 0.0))
    assert float(t) == 3.0
