"""`Tensor`: a NumPy array that remembers how it was computed, so gradients can flow back.

>>> x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
>>> y = (x * x).sum()
>>> y.backward()
>>> x.grad
array([2., 4., 6.])

Semantics (the same as PyTorch's):

- Only tensors created with ``requires_grad=True`` (leaves) and tensors computed from them record
  their inputs. ``backward()`` *adds* into each leaf's ``.grad``; call ``zero_grad()`` (or set
  ``.grad = None``) between steps.
- ``with no_grad():`` computes values without recording anything (use it for parameter updates).
- ``t.detach()`` is the same data cut off from the graph.
- Integer and boolean inputs are converted to float64; float32 stays float32; complex, string
  or object arrays raise `DTypeError`.
- ``.data`` is a NumPy array (a 0-d result may be a NumPy scalar). Treat ``.grad`` as
  read-only: replace it rather than changing it in place. Changing ``.data`` between a
  forward pass and its ``backward()`` changes the values backward uses (update parameters
  after backward, inside ``no_grad()``).
- Converting a tensor that requires grad to a NumPy array (``np.asarray(t)``, ndarray methods
  such as ``X.dot(t)``) raises `GradientError` instead of silently dropping the gradient; use
  ``t.data`` for the value.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from itertools import count
from typing import TYPE_CHECKING, Any

import numpy as np

from calcml.errors import CalcmlError, ShapeError

if TYPE_CHECKING:
    from calcml.autodiff.registry import Primitive


class DTypeError(CalcmlError, TypeError):
    """An array whose dtype cannot be differentiated (complex, strings, objects)."""


class GradientError(CalcmlError):
    """A gradient was asked of something that cannot have one, or would be silently lost."""


_grad_enabled = True


@contextmanager
def no_grad() -> Iterator[None]:
    """Compute without recording a graph (e.g. for an optimizer's update step).

    >>> w = Tensor([1.0], requires_grad=True)
    >>> with no_grad():
    ...     v = w * 2
    >>> v.requires_grad
    False
    """
    global _grad_enabled
    previous = _grad_enabled
    _grad_enabled = False
    try:
        yield
    finally:
        _grad_enabled = previous


@contextmanager
def enable_grad() -> Iterator[None]:
    """Record a graph even inside `no_grad()` (used by the engine for higher-order gradients)."""
    global _grad_enabled
    previous = _grad_enabled
    _grad_enabled = True
    try:
        yield
    finally:
        _grad_enabled = previous


def is_grad_enabled() -> bool:
    """Whether operations on tensors are being recorded."""
    return _grad_enabled


def as_array(data: Any, dtype: Any = None) -> np.ndarray:
    """`data` as a float NumPy array: ints/bools become float64, float32 stays float32."""
    if isinstance(data, Tensor):
        data = data.data
    array = np.asarray(data, dtype=dtype)
    kind = array.dtype.kind
    if kind == "f":
        return array
    if kind in "iub":
        return array.astype(np.float64)
    raise DTypeError(
        f"cannot use an array of dtype {array.dtype} as a tensor; "
        "tensors hold real floating-point numbers (float64 or float32)"
    )


_new = object.__new__
# Creation stamps: a recorded node is always newer than its inputs, so visiting nodes from the
# highest stamp down is a valid order for the backward pass (no separate topological sort).
_stamp = count(1)


def new_stamp() -> int:
    """A creation stamp newer than every tensor made so far (older than any made later)."""
    return next(_stamp)


def make(
    value: Any, prim: Primitive, inputs: tuple[Any, ...], params: dict[str, Any] | None
) -> Tensor:
    """The result of applying `prim` to `inputs`: recorded if any input requires grad."""
    t = _new(Tensor)
    t.data = value
    t.grad = None
    t.name = None
    if _grad_enabled:
        for x in inputs:
            if isinstance(x, Tensor) and x.requires_grad:
                t.requires_grad = True
                t._seq = next(_stamp)
                t._prim = prim
                t._inputs = inputs
                t._params = params
                return t
    t.requires_grad = False
    t._seq = 0
    t._prim = None
    t._inputs = ()
    t._params = None
    return t


def value_of(x: Any) -> Any:
    """The NumPy value of a tensor, or `x` itself (as an array unless it is a number)."""
    if isinstance(x, Tensor):
        return x.data
    if isinstance(x, (float, int, np.ndarray, np.generic)):
        return x
    return as_array(x)


def apply(prim: Primitive, *inputs: Any, **params: Any) -> Any:
    """Run primitive `prim` on `inputs`: a Tensor if any input is one, else a plain NumPy value."""
    values = [value_of(x) for x in inputs]
    try:
        out = prim.fwd(*values, **params)
    except ValueError as error:
        shapes = " and ".join(str(np.shape(v)) for v in values)
        raise ShapeError(f"{prim.name}: shapes {shapes} do not fit together ({error})") from None
    for x in inputs:
        if isinstance(x, Tensor):
            return make(out, prim, inputs, params or None)
    return out


def _binary(prim: Primitive, a: Any, b: Any) -> Tensor:
    av = a.data if isinstance(a, Tensor) else a if type(a) is float else value_of(a)
    bv = b.data if isinstance(b, Tensor) else b if type(b) is float else value_of(b)
    try:
        out = prim.fwd(av, bv)
    except ValueError as error:
        raise ShapeError(
            f"{prim.name}: shapes {np.shape(av)} and {np.shape(bv)} do not fit together ({error})"
        ) from None
    return make(out, prim, (a, b), None)


class Tensor:
    """An array in a computation graph. Operators and NumPy functions on it are recorded.

    >>> import numpy as np
    >>> W = Tensor(np.eye(2), requires_grad=True)
    >>> loss = np.tanh(W @ np.array([1.0, 2.0])).sum()
    >>> loss.backward()
    >>> W.grad.shape
    (2, 2)
    """

    __slots__ = (
        "__weakref__",
        "_inputs",
        "_params",
        "_prim",
        "_seq",
        "data",
        "grad",
        "name",
        "requires_grad",
    )
    __array_priority__ = 1000.0

    data: Any
    grad: Any
    name: str | None
    requires_grad: bool
    _prim: Primitive | None
    _seq: int
    _inputs: tuple[Any, ...]
    _params: dict[str, Any] | None

    def __init__(
        self,
        data: Any,
        requires_grad: bool = False,
        dtype: Any = None,
        name: str | None = None,
    ) -> None:
        self.data = as_array(data, dtype)
        self.grad = None
        self.requires_grad = bool(requires_grad)
        self.name = name
        self._seq = next(_stamp)
        self._prim = None
        self._inputs = ()
        self._params = None

    # ---- array-like attributes -------------------------------------------------------------
    @property
    def shape(self) -> tuple[int, ...]:
        return np.shape(self.data)

    @property
    def ndim(self) -> int:
        return np.ndim(self.data)

    @property
    def size(self) -> int:
        return int(np.size(self.data))

    @property
    def dtype(self) -> np.dtype:
        return np.asarray(self.data).dtype

    @property
    def T(self) -> Tensor:
        return P.transpose(self)

    @property
    def mT(self) -> Tensor:
        return P.swapaxes(self, -1, -2)

    @property
    def is_leaf(self) -> bool:
        return self._prim is None

    def __len__(self) -> int:
        return len(self.data)

    def __iter__(self) -> Iterator[Tensor]:
        for i in range(len(self)):
            yield self[i]

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        if self.requires_grad and _grad_enabled:
            raise GradientError(
                "a tensor that requires grad was converted to a plain NumPy array, which would "
                "silently drop its gradient (ndarray methods such as X.dot(t) and np.asarray(t) "
                "do this, and so does np.array([t1, t2])). Write X @ t or np.dot(X, t), build "
                "arrays with np.stack([t1, t2]), or use t.data for the value."
            )
        return np.asarray(self.data, dtype=dtype)

    def numpy(self) -> np.ndarray:
        """The value as a NumPy array (no graph)."""
        return np.asarray(self.data)

    def item(self) -> float:
        """The value of a one-element tensor as a Python float."""
        return float(np.asarray(self.data).item())

    def __float__(self) -> float:
        return self.item()

    def __int__(self) -> int:
        return int(self.item())

    def __bool__(self) -> bool:
        return bool(self.data)

    def __format__(self, spec: str) -> str:
        if spec and np.size(self.data) == 1:
            return format(self.item(), spec)
        return format(repr(self), spec)

    def __setitem__(self, key: Any, value: Any) -> None:
        from calcml.errors import UnsupportedError

        raise UnsupportedError(
            "assigning into a tensor (t[i] = v) cannot be recorded for differentiation; "
            "build a new tensor instead, e.g. with where() or concatenate()"
        )

    def __repr__(self) -> str:
        body = np.array2string(np.asarray(self.data), precision=4, separator=", ")
        extra = ", requires_grad=True" if self.requires_grad else ""
        if self._prim is not None:
            extra += f", op={self._prim.name}"
        return f"Tensor({body}{extra})"

    # ---- graph --------------------------------------------------------------------------
    def backward(self, gradient: Any = None, create_graph: bool = False) -> None:
        """Add d(self)/d(leaf) into every leaf's ``.grad`` (reverse mode, iterative).

        A non-scalar tensor needs `gradient`, the seed (same shape as `self`): backward then
        computes the vector-Jacobian product. With `create_graph=True` the gradients are
        themselves recorded tensors, so they can be differentiated again.
        """
        from calcml.autodiff.engine import backward

        backward(self, gradient, create_graph=create_graph)

    def zero_grad(self) -> None:
        """Forget the accumulated gradient (``.grad = None``)."""
        self.grad = None

    def detach(self) -> Tensor:
        """The same data as a new tensor that is not part of any graph."""
        return Tensor(self.data)

    def requires_grad_(self, flag: bool = True) -> Tensor:
        """Mark this leaf as a variable to differentiate with respect to; returns self."""
        self.requires_grad = flag
        return self

    # ---- operators ------------------------------------------------------------------------
    def __add__(self, other: Any) -> Tensor:
        return _binary(P.ADD, self, other)

    def __radd__(self, other: Any) -> Tensor:
        return _binary(P.ADD, other, self)

    def __sub__(self, other: Any) -> Tensor:
        return _binary(P.SUB, self, other)

    def __rsub__(self, other: Any) -> Tensor:
        return _binary(P.SUB, other, self)

    def __mul__(self, other: Any) -> Tensor:
        return _binary(P.MUL, self, other)

    def __rmul__(self, other: Any) -> Tensor:
        return _binary(P.MUL, other, self)

    def __truediv__(self, other: Any) -> Tensor:
        return _binary(P.DIV, self, other)

    def __rtruediv__(self, other: Any) -> Tensor:
        return _binary(P.DIV, other, self)

    def __pow__(self, other: Any) -> Tensor:
        return P.power(self, other)

    def __rpow__(self, other: Any) -> Tensor:
        return P.power(other, self)

    def __matmul__(self, other: Any) -> Tensor:
        return _binary(P.MATMUL, self, other)

    def __rmatmul__(self, other: Any) -> Tensor:
        return _binary(P.MATMUL, other, self)

    def __neg__(self) -> Tensor:
        return make(-self.data, P.NEG, (self,), None)

    def __pos__(self) -> Tensor:
        return self

    def __abs__(self) -> Tensor:
        return P.abs(self)

    def __getitem__(self, key: Any) -> Tensor:
        return P.getitem(self, key)

    # Comparisons have no gradient: they return plain boolean arrays.
    def __lt__(self, other: Any) -> Any:
        return self.data < value_of(other)

    def __le__(self, other: Any) -> Any:
        return self.data <= value_of(other)

    def __gt__(self, other: Any) -> Any:
        return self.data > value_of(other)

    def __ge__(self, other: Any) -> Any:
        return self.data >= value_of(other)

    def __eq__(self, other: Any) -> Any:  # type: ignore[override]
        return self.data == value_of(other)

    def __ne__(self, other: Any) -> Any:  # type: ignore[override]
        return self.data != value_of(other)

    __hash__ = object.__hash__

    # ---- methods (each is the function of the same name in calcml.autodiff) ----------------
    def sum(self, axis: Any = None, keepdims: bool = False) -> Tensor:
        return P.sum(self, axis=axis, keepdims=keepdims)

    def mean(self, axis: Any = None, keepdims: bool = False) -> Tensor:
        return P.mean(self, axis=axis, keepdims=keepdims)

    def max(self, axis: Any = None, keepdims: bool = False) -> Tensor:
        return P.max(self, axis=axis, keepdims=keepdims)

    def min(self, axis: Any = None, keepdims: bool = False) -> Tensor:
        return P.min(self, axis=axis, keepdims=keepdims)

    def reshape(self, *shape: Any) -> Tensor:
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        return P.reshape(self, shape)

    def transpose(self, *axes: Any) -> Tensor:
        if len(axes) == 1 and isinstance(axes[0], (tuple, list)):
            axes = tuple(axes[0])
        return P.transpose(self, axes or None)

    def swapaxes(self, a: int, b: int) -> Tensor:
        return P.swapaxes(self, a, b)

    def flatten(self) -> Tensor:
        return P.reshape(self, (-1,))

    def squeeze(self, axis: Any = None) -> Tensor:
        return P.squeeze(self, axis)

    def expand_dims(self, axis: Any) -> Tensor:
        return P.expand_dims(self, axis)

    def broadcast_to(self, shape: Any) -> Tensor:
        return P.broadcast_to(self, shape)

    def exp(self) -> Tensor:
        return P.exp(self)

    def log(self) -> Tensor:
        return P.log(self)

    def log1p(self) -> Tensor:
        return P.log1p(self)

    def sqrt(self) -> Tensor:
        return P.sqrt(self)

    def abs(self) -> Tensor:
        return P.abs(self)

    def sin(self) -> Tensor:
        return P.sin(self)

    def cos(self) -> Tensor:
        return P.cos(self)

    def tan(self) -> Tensor:
        return P.tan(self)

    def tanh(self) -> Tensor:
        return P.tanh(self)

    def sigmoid(self) -> Tensor:
        return P.sigmoid(self)

    def relu(self) -> Tensor:
        return P.relu(self)

    def leaky_relu(self, slope: float = 0.01) -> Tensor:
        return P.leaky_relu(self, slope)

    def softplus(self) -> Tensor:
        return P.softplus(self)

    def clip(self, lo: Any = None, hi: Any = None) -> Tensor:
        return P.clip(self, lo, hi)

    def logsumexp(self, axis: Any = None, keepdims: bool = False) -> Tensor:
        return P.logsumexp(self, axis=axis, keepdims=keepdims)

    def softmax(self, axis: int = -1) -> Tensor:
        return P.softmax(self, axis=axis)

    def log_softmax(self, axis: int = -1) -> Tensor:
        return P.log_softmax(self, axis=axis)

    # ---- NumPy protocols ----------------------------------------------------------------
    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
        from calcml.autodiff.numpy_api import array_ufunc

        return array_ufunc(ufunc, method, inputs, kwargs)

    def __array_function__(self, func: Any, types: Any, args: Any, kwargs: Any) -> Any:
        from calcml.autodiff.numpy_api import array_function

        return array_function(func, args, kwargs)


from calcml.autodiff import primitives as P  # noqa: E402  (primitives need Tensor first)
