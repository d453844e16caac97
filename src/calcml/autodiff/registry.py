"""The registry of primitive operations: each one's forward, VJP and JVP rules, in one record.

A rule is plain NumPy code. The engine calls it with NumPy arrays for speed, or with `Tensor`s
when gradients must themselves be differentiable (``create_graph=True``): since a `Tensor` takes
part in NumPy's ``__array_ufunc__``/``__array_function__`` protocols, the same rule then builds
a graph.

Signatures (``params`` are the keyword arguments of the forward, e.g. ``axis``):

- ``fwd(*inputs, **params) -> ans``
- ``vjp[i](g, ans, *inputs, **params)``: the gradient for input ``i`` given the upstream
  gradient ``g`` (shape of ``ans``); broadcasting is undone afterwards by `unbroadcast`.
- ``jvp[i](t, ans, *inputs, **params)``: the output tangent caused by tangent ``t`` of input ``i``.

Both ``g`` and ``t`` may carry extra *leading* axes (a batch of seeds): that is how `jacobian`
and `hessian` push many directions through the graph in one pass. Rules therefore index axes
from the right (negative axes).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

Rule = Callable[..., Any]


@dataclass(slots=True, eq=False)
class Primitive:
    """One differentiable operation.

    `elementwise` marks broadcasting ops (their gradients are unbroadcast and their batched
    tangents aligned). `vjp_text[i]` says, for the backprop trace, how the gradient of input
    ``i`` is formed from the upstream gradient ``g``, with ``{0}``, ``{1}`` standing for the
    inputs' names and ``{out}`` for the result's (e.g. ``"g · exp({0})"``); `derivative`
    is the local derivative's formula (e.g. ``"d/dx exp(x) = exp(x)"``).

    `floats` marks a primitive whose rules are exact on Python floats (+ − · and comparisons
    only: the same IEEE bits as NumPy's float64, without its per-operation cost). A scalar
    node holds its value as a Python float; every other primitive gets it as `np.float64`,
    so NumPy's semantics (division by zero, overflow, nan) are unchanged.
    """

    name: str
    fwd: Rule
    vjps: tuple[Rule, ...]
    jvps: tuple[Rule, ...]
    elementwise: bool = False
    variadic: bool = False
    vjp_text: tuple[str, ...] = ()
    derivative: str = ""
    symbol: str = field(default="")
    floats: bool = False
    # The VJP rule of input i is vjp_rules[i] (what the reverse sweep indexes per input).
    vjp_rules: Any = field(init=False, repr=False)
    jvp_rules: Any = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.vjp_rules = _PerInput(self.vjps[0]) if self.variadic else self.vjps
        self.jvp_rules = _PerInput(self.jvps[0]) if self.variadic else self.jvps

    def vjp(self, i: int) -> Rule:
        """The VJP rule of input `i`, called as ``rule(g, ans, *inputs, **params)``."""
        return self.vjp_rules[i]

    def jvp(self, i: int) -> Rule:
        """The JVP rule of input `i`, called as ``rule(t, ans, *inputs, **params)``."""
        return self.jvp_rules[i]


class _PerInput:
    """The rules of a variadic primitive by input: one rule that takes the input index first."""

    __slots__ = ("rule",)

    def __init__(self, rule: Rule) -> None:
        self.rule = rule

    def __getitem__(self, i: int) -> Rule:
        return partial(self.rule, i)


def identity(g: Any, ans: Any, *inputs: Any, **params: Any) -> Any:
    """The VJP or JVP rule of an input whose gradient passes through unchanged (both inputs
    of a + b, the first of a − b): the sweeps recognise it and skip the call."""
    return g


REGISTRY: dict[str, Primitive] = {}
# Every public function of calcml.autodiff by name: Tensor's methods and operators dispatch
# through it, so the Tensor type never imports the modules that define the operations.
FUNCTIONS: dict[str, Callable[..., Any]] = {}


def defprim(
    name: str,
    fwd: Rule,
    vjps: tuple[Rule, ...],
    jvps: tuple[Rule, ...],
    *,
    elementwise: bool = False,
    variadic: bool = False,
    vjp_text: tuple[str, ...] = (),
    derivative: str = "",
    symbol: str = "",
    floats: bool = False,
) -> Primitive:
    """Register a primitive (variadic ones take the input index as their first ``i`` param).

    A new operation is one record; `calcml.autodiff.apply` runs it on tensors:

    >>> import numpy as np
    >>> from calcml.autodiff import grad, hessian
    >>> from calcml.autodiff import apply
    >>> CUBE = defprim("cube_demo", lambda x: x**3,
    ...                vjps=(lambda g, ans, x: g * 3 * x**2,),
    ...                jvps=(lambda t, ans, x: t * 3 * x**2,),
    ...                elementwise=True, vjp_text=("g · 3{0}²",), derivative="d/dx x³ = 3x²")
    >>> grad(lambda x: apply(CUBE, x))(2.0), float(hessian(lambda x: apply(CUBE, x))(2.0))
    (12.0, 12.0)
    >>> REGISTRY.pop("cube_demo").name
    'cube_demo'
    """
    prim = Primitive(
        name, fwd, vjps, jvps, elementwise, variadic, vjp_text, derivative, symbol or name, floats
    )
    REGISTRY[name] = prim
    return prim


def unbroadcast(g: Any, shape: tuple[int, ...], nb: int = 0) -> Any:
    """Sum `g` down to `shape`, undoing NumPy broadcasting; the first `nb` axes are a batch.

    >>> import numpy as np
    >>> unbroadcast(np.ones((3, 4)), (1, 4))
    array([[3., 3., 3., 3.]])
    >>> unbroadcast(np.ones((3, 4)), ())
    np.float64(12.0)
    """
    gshape = g.shape
    if gshape[nb:] == shape:
        return g
    extra = len(gshape) - nb - len(shape)
    if extra > 0:
        g = g.sum(axis=tuple(range(nb, nb + extra)))
        gshape = g.shape
    axes = tuple(nb + i for i, d in enumerate(shape) if d == 1 and gshape[nb + i] != 1)
    if axes:
        g = g.sum(axis=axes, keepdims=True)
    return g
