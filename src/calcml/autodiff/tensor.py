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
- ``.data`` is a NumPy array, or for a 0-d value a scalar: a Python float for float64 (so
  + − · on scalar nodes run in float arithmetic, with the same bits), a NumPy scalar for
  float32; ``.grad`` is a NumPy array or NumPy scalar. Treat ``.grad`` as
  read-only: replace it rather than changing it in place. Backward uses the values the
  forward ran on: changing an array in ``.data`` in place before ``backward()`` changes them
  (update parameters after backward, inside ``no_grad()``).
- Converting a tensor that requires grad to a NumPy array (``np.asarray(t)``, ndarray methods
  such as ``X.dot(t)``) raises `GradientError` instead of silently dropping the gradient; use
  ``t.data`` for the value. Inside a transform (grad, jacobian, trace, ...) the same holds for
  ``float(t)``, ``int(t)``, ``t.item()`` and ``math.sin(t)``.

Operators and methods dispatch by name through `calcml.autodiff.registry` (operators to the
primitive records, methods to the public functions): this module imports no operation.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from calcml.autodiff.dispatch import array_function, array_ufunc
from calcml.autodiff.graph import STAMPS, DTypeError, GradientError, Node, numpy_value
from calcml.autodiff.mode import RECORDING, TRANSFORMING, recording
from calcml.autodiff.registry import FUNCTIONS, REGISTRY, Primitive
from calcml.autodiff.reverse_mode import accumulate
from calcml.errors import ShapeError, UnsupportedError

__all__ = ["DTypeError", "GradientError", "Tensor", "apply", "as_array", "value_of"]


def as_array(data: Any, dtype: Any = None) -> np.ndarray:
    """`data` as a float NumPy array: ints/bools become float64, float32 stays float32."""
    if isinstance(data, Node):
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


def value_of(x: Any) -> Any:
    """The NumPy value of a tensor; a list or tuple as an array; anything else as it is."""
    if isinstance(x, Node):
        return numpy_value(x)
    if isinstance(x, (list, tuple)):
        return as_array(x)
    return x


_new = object.__new__
_F64 = np.float64
_PLAIN = (float, int, np.ndarray, np.float64)


def apply(prim: Primitive, *inputs: Any, **params: Any) -> Any:
    """Run primitive `prim` on `inputs` (the one way every operation runs, by `run`): a Tensor
    if any input is a Tensor — recorded if one of them requires grad and grad mode is on —
    else the plain NumPy value."""
    return run(prim, inputs, params or None)


def run(prim: Primitive, inputs: tuple[Any, ...], params: dict[str, Any] | None) -> Any:
    """`apply` with the inputs as a tuple and the keyword parameters as a dict (or None): what
    Tensor's operators call, sparing a call with ``*``/``**`` per node.

    The rules get the inputs' values by `graph.numpy_value` (a scalar node's Python float as
    np.float64), or, for a primitive that computes in `floats`, as they are; a recorded node
    keeps them (`_values`) for its VJP and JVP rules. This is the per-node cost of every
    graph, so it is written flat: one pass over the inputs, no helper calls for the common
    input types.
    """
    tensor = record = False
    floats = prim.floats
    values = []
    for x in inputs:
        if isinstance(x, Node):
            tensor = True
            if x.requires_grad:
                record = True
            v = x.data
            values.append(v if floats or type(v) is not float else _F64(v))
        elif type(x) in _PLAIN:
            values.append(x)
        else:
            values.append(value_of(x))
    try:
        out = prim.fwd(*values) if params is None else prim.fwd(*values, **params)
    except ValueError as error:
        shapes = " and ".join(str(np.shape(v)) for v in values)
        raise ShapeError(f"{prim.name}: shapes {shapes} do not fit together ({error})") from None
    if not tensor:
        return out
    t = _new(Tensor)
    t.data = out
    t.grad = None
    t.name = None
    if record and recording():
        t.requires_grad = True
        t._seq = next(STAMPS)
        t._prim = prim
        t._inputs = inputs
        t._params = params
        t._values = values
    else:
        t.requires_grad = False
        t._seq = 0
        t._prim = None
        t._inputs = ()
        t._params = None
        t._values = ()
    return t


def _operator(name: str) -> Callable[..., Any]:
    def op(self: Tensor, other: Any) -> Any:
        return run(REGISTRY[name], (self, other), None)

    op.__name__ = f"__{name}__"
    return op


def _reflected(name: str) -> Callable[..., Any]:
    def op(self: Tensor, other: Any) -> Any:
        return run(REGISTRY[name], (other, self), None)

    op.__name__ = f"__r{name}__"
    return op


def _unary(name: str) -> Callable[..., Any]:
    def op(self: Tensor) -> Any:
        return run(REGISTRY[name], (self,), None)

    op.__name__ = name
    return op


def _method(name: str) -> Callable[..., Any]:
    """A method that is the public function `name` with the tensor as its first argument."""

    def method(self: Tensor, *args: Any, **kwargs: Any) -> Any:
        return FUNCTIONS[name](self, *args, **kwargs)

    method.__name__ = name
    method.__doc__ = f"calcml.autodiff.{name}(self, ...)"
    return method


def _spread(args: tuple[Any, ...]) -> Any:
    """t.reshape(2, 3) and t.reshape((2, 3)) alike."""
    return tuple(args[0]) if len(args) == 1 and isinstance(args[0], (tuple, list)) else args


class Tensor(Node):
    """An array in a computation graph. Operators and NumPy functions on it are recorded.

    >>> import numpy as np
    >>> W = Tensor(np.eye(2), requires_grad=True)
    >>> loss = np.tanh(W @ np.array([1.0, 2.0])).sum()
    >>> loss.backward()
    >>> W.grad.shape
    (2, 2)
    """

    __slots__ = ()
    __array_priority__ = 1000.0

    def __init__(
        self,
        data: Any,
        requires_grad: bool = False,
        dtype: Any = None,
        name: str | None = None,
    ) -> None:
        array = as_array(data, dtype)
        # A 0-d value is kept as a scalar: a Python float for float64 (what + − · on scalar
        # nodes compute in, several times cheaper than NumPy's scalars, see `Primitive.floats`),
        # a NumPy scalar for float32.
        if array.ndim:
            self.data = array
        elif array.dtype == _F64:
            self.data = float(array)
        else:
            self.data = array[()]
        self.grad = None
        self.requires_grad = bool(requires_grad)
        self.name = name
        self._seq = next(STAMPS)
        self._prim = None
        self._inputs = ()
        self._params = None
        self._values = ()

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
        return FUNCTIONS["transpose"](self)

    @property
    def mT(self) -> Tensor:
        return FUNCTIONS["swapaxes"](self, -1, -2)

    def __len__(self) -> int:
        return len(self.data)

    def __iter__(self) -> Iterator[Tensor]:
        for i in range(len(self)):
            yield self[i]

    # ---- leaving the graph -----------------------------------------------------------------
    def check_leaves_graph(self, what: str) -> None:
        """Raise `GradientError` if turning this tensor into a plain value would silently
        drop its gradient (it requires grad and a transform is running the function)."""
        if self.requires_grad and TRANSFORMING.get() and RECORDING.get():
            raise GradientError(
                f"{what} turns a tensor that is being differentiated into a plain number, so "
                "its gradient would silently be 0. Keep it a tensor: write x ** 2 rather than "
                "float(x) ** 2, np.sin(x) rather than math.sin(x); use x.data for a value that "
                "is meant as a constant (e.g. in an if)."
            )

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        if self.requires_grad and RECORDING.get():
            raise GradientError(
                "a tensor that requires grad was converted to a plain NumPy array, which would "
                "silently drop its gradient (ndarray methods such as X.dot(t) and np.asarray(t) "
                "do this, and so does np.array([t1, t2])). Write X @ t or np.dot(X, t), build "
                "arrays with calcml.autodiff.array([t1, t2]) or np.stack([t1, t2]), or use "
                "t.data for the value."
            )
        return np.asarray(self.data, dtype=dtype)

    def numpy(self) -> np.ndarray:
        """The value as a NumPy array (no graph)."""
        return np.asarray(self.data)

    def as_number(self, what: str, convert: Callable[[Any], Any] = float) -> Any:
        """`convert` of a one-element tensor's value; inside a transform a `GradientError`
        naming `what` (the value would leave the graph and its gradient silently be 0)."""
        self.check_leaves_graph(what)
        return convert(np.asarray(self.data).item())

    def item(self) -> float:
        """The value of a one-element tensor as a Python float."""
        return self.as_number("t.item()")  # type: ignore[no-any-return]

    def __float__(self) -> float:
        return self.as_number("float(t) (also math.sin(t) and other math functions)")  # type: ignore[no-any-return]

    def __int__(self) -> int:
        return self.as_number("int(t)", int)  # type: ignore[no-any-return]

    def __round__(self, ndigits: int | None = None) -> Any:
        return self.as_number("round(t)", lambda v: round(v, ndigits))

    def __floor__(self) -> int:
        return self.as_number("math.floor(t)", math.floor)  # type: ignore[no-any-return]

    def __ceil__(self) -> int:
        return self.as_number("math.ceil(t)", math.ceil)  # type: ignore[no-any-return]

    def __trunc__(self) -> int:
        return self.as_number("math.trunc(t)", math.trunc)  # type: ignore[no-any-return]

    def __complex__(self) -> complex:
        raise DTypeError("calcml tensors are real; complex(t) is not supported")

    def __bool__(self) -> bool:
        return bool(self.data)

    def __format__(self, spec: str) -> str:
        if spec and np.size(self.data) == 1:
            return format(np.asarray(self.data).item(), spec)
        return format(repr(self), spec)

    def __setitem__(self, key: Any, value: Any) -> None:
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
        if not self.requires_grad:
            raise GradientError(
                "backward() on a tensor that does not require grad: no input was created with "
                "requires_grad=True (or it was computed inside no_grad())"
            )
        accumulate(self, self._seed(gradient, create_graph), create_graph)

    def _seed(self, gradient: Any, create_graph: bool) -> Any:
        shape = self.shape
        if gradient is None:
            if self.size != 1:
                raise ShapeError(
                    f"backward() on a non-scalar tensor of shape {shape} needs a seed gradient "
                    f"of the same shape, e.g. out.backward(np.ones({shape})); or reduce it to "
                    "a scalar first (out.sum())"
                )
            # A scalar node's seed is of its own type (a Python float for float64).
            seed: Any = 1.0 if type(self.data) is float else np.ones(shape, self.dtype)[()]
        else:
            seed = gradient if isinstance(gradient, Tensor) else np.asarray(gradient, self.dtype)
            if tuple(np.shape(seed)) != shape:
                raise ShapeError(
                    f"the seed gradient has shape {np.shape(seed)} but the output has shape {shape}"
                )
        if create_graph:
            return seed if isinstance(seed, Tensor) else Tensor(seed)
        return seed.data if isinstance(seed, Tensor) else seed

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

    # ---- operators: primitives by name in the registry -----------------------------------
    __add__, __radd__ = _operator("add"), _reflected("add")
    __sub__, __rsub__ = _operator("sub"), _reflected("sub")
    __mul__, __rmul__ = _operator("mul"), _reflected("mul")
    __truediv__, __rtruediv__ = _operator("div"), _reflected("div")
    __matmul__, __rmatmul__ = _operator("matmul"), _reflected("matmul")
    __mod__, __rmod__ = _operator("remainder"), _reflected("remainder")
    __neg__ = _unary("neg")
    __abs__ = _unary("abs")

    def __pow__(self, other: Any) -> Any:
        return FUNCTIONS["power"](self, other)

    def __rpow__(self, other: Any) -> Any:
        return FUNCTIONS["power"](other, self)

    def __pos__(self) -> Tensor:
        return self

    def __getitem__(self, key: Any) -> Any:
        return FUNCTIONS["getitem"](self, key)

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

    # ---- methods: the public function of the same name (calcml.autodiff.<name>) ------------
    exp, log, log1p, sqrt = _unary("exp"), _unary("log"), _unary("log1p"), _unary("sqrt")
    sin, cos, tan, tanh = _unary("sin"), _unary("cos"), _unary("tan"), _unary("tanh")
    sigmoid, relu, softplus = _unary("sigmoid"), _unary("relu"), _unary("softplus")
    abs = _unary("abs")
    sum, mean, max, min = _method("sum"), _method("mean"), _method("max"), _method("min")
    prod, cumsum, var, std = _method("prod"), _method("cumsum"), _method("var"), _method("std")
    clip, leaky_relu = _method("clip"), _method("leaky_relu")
    logsumexp, softmax = _method("logsumexp"), _method("softmax")
    log_softmax = _method("log_softmax")
    swapaxes, squeeze = _method("swapaxes"), _method("squeeze")
    expand_dims, broadcast_to = _method("expand_dims"), _method("broadcast_to")
    ravel, flatten = _method("ravel"), _method("ravel")
    astype, dot, repeat = _method("astype"), _method("dot"), _method("repeat")
    trace, diagonal = _method("trace"), _method("diagonal")

    def reshape(self, *shape: Any) -> Any:
        return FUNCTIONS["reshape"](self, _spread(shape))

    def transpose(self, *axes: Any) -> Any:
        return FUNCTIONS["transpose"](self, _spread(axes) or None)

    # ---- NumPy protocols ----------------------------------------------------------------
    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
        return array_ufunc(ufunc, method, inputs, kwargs)

    def __array_function__(self, func: Any, types: Any, args: Any, kwargs: Any) -> Any:
        return array_function(func, args, kwargs)
