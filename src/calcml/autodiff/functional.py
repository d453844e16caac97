"""Function transforms: grad, value_and_grad, vjp, jvp, jacobian, jacfwd, hessian, hvp.

They take a plain Python function of NumPy-style code and return NumPy results:

>>> import numpy as np
>>> f = lambda x: np.sum(x ** 3)
>>> grad(f)(np.array([1.0, 2.0]))
array([ 3., 12.])
>>> hessian(f)(np.array([1.0, 2.0]))
array([[ 6.,  0.],
       [ 0., 12.]])

Transforms nest (``grad(grad(f))``): an argument that already is a recorded `Tensor` is
differentiated with ``create_graph=True`` and the result is a Tensor, so the outer transform
can differentiate through it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from calcml.autodiff.forward_mode import forward_sweep
from calcml.autodiff.graph import DTypeError, new_stamp, toposort
from calcml.autodiff.mode import transforming
from calcml.autodiff.reverse_mode import reverse_sweep
from calcml.autodiff.tensor import Tensor, as_array
from calcml.errors import ShapeError, UnsupportedError

ArgNums = int | Sequence[int]


def _argnums(argnums: ArgNums, nargs: int) -> tuple[int, ...]:
    nums = (argnums,) if isinstance(argnums, int) else tuple(argnums)
    for i in nums:
        if not -nargs <= i < nargs:
            raise ValueError(f"argnums {i} is out of range for a function called with {nargs} args")
    return tuple(i % nargs for i in nums)


def _leaf(a: Any) -> tuple[Tensor, bool]:
    """The Tensor to differentiate with respect to, and whether it is nested (already recorded)."""
    if isinstance(a, Tensor):
        if a.requires_grad:
            return a, True
        return Tensor(a.data, requires_grad=True), False
    return Tensor(a, requires_grad=True), False


def _leaf_tree(a: Any, leaves: list[Tensor]) -> tuple[Any, bool]:
    """`a` with every array replaced by a leaf Tensor (dicts, lists and tuples are walked)."""
    if isinstance(a, dict):
        nested = False
        out = {}
        for k, v in a.items():
            out[k], inner = _leaf_tree(v, leaves)
            nested = nested or inner
        return out, nested
    if isinstance(a, (list, tuple)) and not (a and isinstance(a[0], (int, float))):
        pairs = [_leaf_tree(v, leaves) for v in a]
        return type(a)(p[0] for p in pairs), any(p[1] for p in pairs)
    leaf, nested = _leaf(a)
    leaves.append(leaf)
    return leaf, nested


def _grad_tree(leaf: Any, original: Any, found: dict[int, Any], nested: bool) -> Any:
    """The gradients, in the same structure as the argument."""
    if isinstance(leaf, dict):
        return {k: _grad_tree(v, original[k], found, nested) for k, v in leaf.items()}
    if isinstance(leaf, (list, tuple)):
        return type(leaf)(
            _grad_tree(v, o, found, nested) for v, o in zip(leaf, original, strict=True)
        )
    g = found.get(id(leaf))
    if g is None:
        g = _zeros_like(leaf)
    return g if nested else _plain(g, original)


def _uses_outer_variables(out: Tensor, leaves: list[Tensor], started: int) -> bool:
    """Whether `out` also depends on variables of an enclosing transform (f closes over them):
    leaves that existed before f started (stamp > `started`: stamps count down) other than
    our own.

    Then the result must be recorded (``create_graph``) so the outer transform sees it.
    """
    if not out.requires_grad:
        return False
    ours = {id(leaf) for leaf in leaves}
    return any(n._prim is None and n._seq > started and id(n) not in ours for n in toposort([out]))


def _output(out: Any, what: str) -> Any:
    if isinstance(out, Tensor):
        if np.iscomplexobj(out.data):
            raise DTypeError(
                f"{what} got a complex result: calcml.autodiff differentiates real-valued "
                "functions of real arrays (complex numbers, e.g. x * 1j, are not supported)"
            )
        return out
    if isinstance(out, (tuple, list, dict)):
        raise UnsupportedError(
            f"{what} needs the function to return one array, not a {type(out).__name__}"
        )
    return Tensor(as_array(out))


def _plain(g: Any, like: Any) -> Any:
    """A result in the user's terms: a float for a Python-number argument, else an array."""
    if isinstance(g, Tensor):
        return g
    g = np.asarray(g)
    if isinstance(like, (int, float)) and g.shape == ():
        return float(g)
    return g


def _zeros_like(x: Tensor) -> np.ndarray:
    return np.zeros(x.shape, dtype=x.dtype)


def value_and_grad(f: Callable[..., Any], argnums: ArgNums = 0) -> Callable[..., Any]:
    """A function returning ``(f(*args), ∇f)`` for scalar-valued `f`; one forward, one backward.

    An argument may be a dict, list or tuple of arrays (e.g. a network's parameters); its
    gradient then has the same structure.

    >>> value_and_grad(lambda w: (w ** 2).sum())(np.array([1.0, 3.0]))
    (10.0, array([2., 6.]))
    >>> grad(lambda p: p["w"] * p["b"])({"w": 2.0, "b": 3.0})
    {'w': 3.0, 'b': 2.0}
    """

    def wrapped(*args: Any) -> tuple[Any, Any]:
        nums = _argnums(argnums, len(args))
        call_args = list(args)
        wanted: list[Tensor] = []
        nested = False
        for i in nums:
            call_args[i], inner = _leaf_tree(args[i], wanted)
            nested = nested or inner
        started = new_stamp()
        with transforming():
            out = _output(f(*call_args), "grad")
        if out.size != 1:
            raise ShapeError(
                f"grad needs a function with a scalar output, but it returned shape {out.shape}; "
                "use jacobian, or vjp with a cotangent"
            )
        nested = nested or _uses_outer_variables(out, wanted, started)
        if out.requires_grad:
            seed: Any = np.ones(out.shape, dtype=out.dtype)
            if nested:
                seed = Tensor(seed)
            found = reverse_sweep([out], [seed], create_graph=nested, wanted=wanted)
        else:
            found = {}
        grads = [_grad_tree(call_args[i], args[i], found, nested) for i in nums]
        value = out if nested else float(np.asarray(out.data).reshape(()))
        return value, grads[0] if isinstance(argnums, int) else tuple(grads)

    wrapped.__doc__ = f"value and gradient of {getattr(f, '__name__', 'f')}"
    return wrapped


def grad(f: Callable[..., Any], argnums: ArgNums = 0) -> Callable[..., Any]:
    """The gradient function of scalar-valued `f` (same shape as the argument).

    >>> grad(lambda x, y: x * y ** 2, argnums=(0, 1))(3.0, 2.0)
    (4.0, 12.0)
    """
    vg = value_and_grad(f, argnums)

    def gradient(*args: Any) -> Any:
        return vg(*args)[1]

    gradient.__doc__ = f"gradient of {getattr(f, '__name__', 'f')}"
    return gradient


def vjp(f: Callable[..., Any], *primals: Any) -> tuple[Any, Callable[[Any], tuple[Any, ...]]]:
    """``(f(*primals), vjp_fn)``: ``vjp_fn(u)`` is uᵀJ for each primal (one backward pass).

    A cotangent `u` with extra leading axes gives a batch of products in one pass.

    >>> out, back = vjp(lambda x: x * 2.0, np.array([1.0, 2.0]))
    >>> back(np.array([1.0, 10.0]))
    (array([ 2., 20.]),)
    """
    leaves = [Tensor(p, requires_grad=True) for p in primals]
    with transforming():
        out = _output(f(*leaves), "vjp")

    def vjp_fn(cotangent: Any) -> tuple[Any, ...]:
        u = np.asarray(cotangent, dtype=out.dtype)
        nb = u.ndim - out.ndim
        if nb < 0 or u.shape[nb:] != out.shape:
            raise ShapeError(
                f"the cotangent has shape {u.shape} but the output has shape {out.shape}"
            )
        found = reverse_sweep([out], [u], nb=nb) if out.requires_grad else {}
        result = []
        for leaf in leaves:
            g = found.get(id(leaf))
            if g is None:
                g = np.zeros(u.shape[:nb] + leaf.shape, dtype=leaf.dtype)
            elif g.shape != u.shape[:nb] + leaf.shape:
                g = np.broadcast_to(g, u.shape[:nb] + leaf.shape).copy()
            elif g is u:
                g = g.copy()
            result.append(g)
        return tuple(result)

    return np.asarray(out.data), vjp_fn


def jvp(f: Callable[..., Any], primals: Sequence[Any], tangents: Sequence[Any]) -> tuple[Any, Any]:
    """Forward mode: ``(f(*primals), J·v)`` for tangents `v` (one per primal), as in JAX.

    f's operations are recorded as they run; the tangents are then pushed through them in
    evaluation order by each primitive's JVP rule (forward accumulation, no reverse sweep).

    >>> jvp(lambda x: np.sin(x), (np.array([0.0]),), (np.array([2.0]),))
    (array([0.]), array([2.]))
    """
    if any(isinstance(p, Tensor) and p.requires_grad for p in primals):
        raise UnsupportedError(
            "jvp/hvp cannot be differentiated again (forward-mode tangents are not recorded); "
            "use vjp or jacobian inside grad"
        )
    if not isinstance(primals, (tuple, list)) or not isinstance(tangents, (tuple, list)):
        raise ShapeError(
            "jvp takes the primals and the tangents as tuples, one entry per argument of f: "
            "jvp(f, (x,), (v,)) for f(x); jvp(f, (x, y), (vx, vy)) for f(x, y)"
        )
    out, tans = _push(f, list(primals), list(tangents), nb=0)
    if not np.asarray(tans).flags.writeable:
        tans = np.array(tans)
    return np.asarray(out.data), tans


def _one_array(value: Any, what: str) -> np.ndarray:
    """A primal or tangent as one float array; a ragged tuple (arrays of several shapes) is
    not one argument, so it gets a ShapeError saying how to pass it."""
    try:
        return as_array(value)
    except ValueError:
        raise ShapeError(
            f"each jvp {what} must be one array; pass several arrays as separate arguments "
            "of f, e.g. jvp(lambda a, b: ..., (a, b), (ta, tb))"
        ) from None


def _push(f: Callable[..., Any], primals: list[Any], tangents: list[Any], nb: int) -> Any:
    if len(primals) != len(tangents):
        raise ShapeError(
            f"jvp needs one tangent per primal ({len(primals)} primals, {len(tangents)} tangents)"
        )
    leaves = [Tensor(_one_array(p, "primal"), requires_grad=True) for p in primals]
    seeds = {}
    for leaf, t in zip(leaves, tangents, strict=True):
        if t is None:
            continue
        t = _one_array(t, "tangent").astype(leaf.dtype, copy=False)
        if t.shape[nb:] != leaf.shape:
            raise ShapeError(
                f"the tangent has shape {t.shape[nb:]} but the primal has {leaf.shape}"
            )
        seeds[id(leaf)] = t
    with transforming():
        out = _output(f(*leaves), "jvp")
    found = forward_sweep([out], seeds, nb=nb)
    t_out = found.get(id(out))
    if t_out is None:
        batch = next(iter(seeds.values())).shape[:nb] if seeds else ()
        t_out = np.zeros(batch + out.shape, dtype=out.dtype)
    return out, t_out


def jacobian(f: Callable[..., Any], argnums: int = 0) -> Callable[..., Any]:
    """Reverse-mode Jacobian, ``J[i..., j...] = ∂f_i/∂x_j`` (rows are outputs), shape out+in.

    All rows come from one backward pass with a batch of unit cotangents.

    >>> jacobian(lambda x: x[:2] * x[1:])(np.array([1.0, 2.0, 3.0]))
    array([[2., 1., 0.],
           [0., 3., 2.]])
    """

    def jac(*args: Any) -> Any:
        (i,) = _argnums(argnums, len(args))
        leaves = list(args)
        leaf, nested = _leaf(args[i])
        leaves[i] = leaf
        started = new_stamp()
        with transforming():
            out = _output(f(*leaves), "jacobian")
        m = out.size
        if nested or _uses_outer_variables(out, [leaf], started):
            return _jacobian_rows(out, leaf)
        eye = np.eye(m, dtype=out.dtype).reshape((m, *out.shape))
        found = reverse_sweep([out], [eye], nb=1) if out.requires_grad else {}
        g = found.get(id(leaf))
        if g is None:
            return np.zeros(out.shape + leaf.shape, dtype=leaf.dtype)
        g = np.broadcast_to(g, (m, *leaf.shape))
        return np.ascontiguousarray(g).reshape(out.shape + leaf.shape)

    return jac


jacrev = jacobian  # JAX's name for the reverse-mode Jacobian


def _jacobian_rows(out: Tensor, leaf: Tensor) -> Tensor:
    """A differentiable Jacobian (inside another transform): one recorded backward per row."""
    from calcml.autodiff.primitives import reshape, stack

    flat = reshape(out, (-1,))
    rows = []
    for r in range(out.size):
        seed = np.zeros(out.size, dtype=out.dtype)
        seed[r] = 1.0
        found = reverse_sweep([flat], [Tensor(seed)], create_graph=True, wanted=[leaf])
        g = found.get(id(leaf))
        rows.append(g if g is not None else Tensor(_zeros_like(leaf)))
    return reshape(stack(rows), out.shape + leaf.shape)


def jacfwd(f: Callable[..., Any], argnums: int = 0) -> Callable[..., Any]:
    """Forward-mode Jacobian (same layout as `jacobian`); all columns in one batched sweep.

    >>> jacfwd(lambda x: x ** 2)(np.array([1.0, 2.0]))
    array([[2., 0.],
           [0., 4.]])
    """

    def jac(*args: Any) -> Any:
        (i,) = _argnums(argnums, len(args))
        if any(isinstance(a, Tensor) and a.requires_grad for a in args):
            # Inside another transform: the tangent sweep is not recorded, so use the
            # (recorded, differentiable) reverse-mode Jacobian instead.
            return jacobian(f, argnums)(*args)
        x = as_array(args[i])
        n = x.size
        eye = np.eye(n, dtype=x.dtype).reshape((n, *x.shape))
        tangents: list[Any] = [None] * len(args)
        tangents[i] = eye
        primals = [a.data if isinstance(a, Tensor) else a for a in args]
        out, t = _push(f, primals, tangents, nb=1)
        t = np.ascontiguousarray(t).reshape(n, out.size)
        return t.T.reshape(out.shape + x.shape)

    return jac


def hessian(f: Callable[..., Any], argnums: int = 0) -> Callable[..., Any]:
    """The Hessian of scalar-valued `f`, forward-over-reverse: shape x.shape + x.shape.

    >>> hessian(lambda x: x[0] ** 2 * x[1])(np.array([1.0, 2.0]))
    array([[4., 2.],
           [2., 0.]])
    """
    return jacfwd(grad(f, argnums), argnums)


def hvp(f: Callable[..., Any], x: Any, v: Any) -> Any:
    """The Hessian-vector product H(x)·v of scalar-valued `f`, without forming H.

    >>> hvp(lambda x: (x ** 3).sum(), np.array([1.0, 2.0]), np.array([1.0, 0.0]))
    array([6., 0.])
    """
    return jvp(grad(f), (x,), (v,))[1]
