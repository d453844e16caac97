"""`Objective`: one function to minimise, with its gradient and (when available) its Hessian.

An objective comes from one of three places:

* a calcml expression or string — exact gradient and Hessian by `sympy.diff`, compiled to NumPy;
* a Python function of a NumPy vector — gradient and Hessian by `calcml.autodiff`;
* explicit callables (`Objective(value, grad, hess)`), e.g. a model's closed-form gradient.

>>> obj = as_objective("x^2 + 3*y^2")
>>> obj.names, obj.source
(('x', 'y'), 'symbolic')
>>> obj.grad(np.array([1.0, 1.0])).tolist()
[2.0, 6.0]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from calcml.errors import CalcmlError, ShapeError, UnsupportedError
from calcml.expr.convert import as_expr
from calcml.expr.parser import sorted_variables
from calcml.expr.variables import variable

Array = NDArray[np.float64]


@dataclass
class Objective:
    """A scalar function of a vector with its gradient; `hess` is None when unavailable.

    `source` says where the derivatives come from: "symbolic", "autodiff" or "given".
    `expr`, `gradient_expr`, `hessian_expr` hold the SymPy forms for symbolic objectives.
    """

    value: Callable[[Array], float]
    grad: Callable[[Array], Array]
    hess: Callable[[Array], Array] | None = None
    names: tuple[str, ...] = ()
    source: str = "given"
    expr: Any = None
    gradient_expr: Any = None
    hessian_expr: Any = None
    title: str = ""
    value_and_grad_fn: Callable[[Array], tuple[float, Array]] | None = field(
        default=None, repr=False
    )

    @property
    def dim(self) -> int | None:
        """Number of variables, when known (symbolic objectives)."""
        return len(self.names) if self.names else None

    def value_and_grad(self, x: Array) -> tuple[float, Array]:
        """f(x) and ∇f(x) together (one pass when the source supports it)."""
        if self.value_and_grad_fn is not None:
            return self.value_and_grad_fn(x)
        return self.value(x), self.grad(x)

    def label(self) -> str:
        """The function in words/maths for summaries: `f(x, y) = x² + y²` or `f(x)`."""
        args = ", ".join(self.names) if self.names else "x"
        if self.expr is not None:
            from calcml.expr.render import to_text

            return f"f({args}) = {to_text(self.expr)}"
        name = self.title if self.title and self.title != "<lambda>" else "f"
        return f"{name}({args}) ({self.source} gradient)"

    def check_point(self, x0: Any) -> Array:
        """x0 as a float vector of the right length, or a ShapeError/CalcmlError saying why not."""
        try:
            x = np.array(x0, dtype=np.float64).reshape(-1)
        except (TypeError, ValueError) as error:
            raise CalcmlError(f"the start point {x0!r} is not a list of numbers") from error
        if self.dim is not None and x.size != self.dim:
            raise ShapeError(
                f"the start point has {x.size} coordinate(s) but {self.label()} has "
                f"{self.dim} variable(s) ({', '.join(self.names)})"
            )
        if not np.all(np.isfinite(x)):
            raise CalcmlError(f"the start point {x.tolist()} has a non-finite coordinate")
        return x


def as_objective(f: Any, variables: Sequence[str] | None = None) -> Objective:
    """Turn an expression, a string, a Python function or an Objective into an Objective.

    `variables` fixes the order of the coordinates for expressions (default: alphabetical).
    """
    if isinstance(f, Objective):
        return f
    import sympy as sp

    if isinstance(f, str):
        from calcml.expr import parse

        return symbolic_objective(parse(f), variables)
    if isinstance(f, sp.Basic):
        return symbolic_objective(f, variables)
    if callable(f):
        return autodiff_objective(f)
    raise CalcmlError(
        f"cannot minimise a {type(f).__name__}: give an expression, a string like 'x^2 + y^2', "
        "or a Python function of a NumPy vector"
    )


def symbolic_objective(expr: Any, variables: Sequence[Any] | None = None) -> Objective:
    """Exact ∇f and ∇²f by `sympy.diff`, compiled with `sympy.lambdify(..., "numpy")`."""
    import sympy as sp

    expr = as_expr(expr) if not isinstance(expr, sp.Basic) else expr
    if not isinstance(expr, sp.Expr) or isinstance(expr, sp.MatrixBase):
        raise CalcmlError("the function to minimise must be a single scalar expression")
    free = sorted_variables(expr.free_symbols)
    if variables is None:
        symbols = free
    else:
        by_name = {s.name: s for s in free}
        symbols = []
        for v in variables:
            named = variable(v)
            symbols.append(by_name.get(named.name, named))
        missing = [s.name for s in free if s not in symbols]
        if missing:
            raise CalcmlError(
                f"{', '.join(missing)} appear(s) in the function but not in the variables "
                f"{', '.join(s.name for s in symbols)}"
            )
    if not symbols:
        raise CalcmlError("the function has no variables to optimise over")
    gradient = [sp.diff(expr, s) for s in symbols]
    hessian = sp.Matrix([[sp.diff(g, s) for s in symbols] for g in gradient])
    modules: list[Any] = [_EXTRA_NUMPY, "numpy"]
    try:
        f_num = sp.lambdify(symbols, expr, modules)
        g_num = sp.lambdify(symbols, gradient, modules)
    except Exception as error:  # SymPy raises several types for unprintable functions
        raise UnsupportedError(f"cannot compile {expr} to NumPy: {error}") from error
    try:
        h_num: Callable[..., Any] | None = sp.lambdify(symbols, hessian, modules)
    except Exception:
        h_num = None
    n = len(symbols)

    def value(x: Array) -> float:
        return float(f_num(*x))

    def grad(x: Array) -> Array:
        return np.array([float(v) for v in g_num(*x)], dtype=np.float64)

    def hess(x: Array) -> Array:
        assert h_num is not None
        return np.broadcast_to(np.array(h_num(*x), dtype=np.float64), (n, n)).copy()

    return Objective(
        value=value,
        grad=grad,
        hess=hess if h_num is not None else None,
        names=tuple(s.name for s in symbols),
        source="symbolic",
        expr=expr,
        gradient_expr=gradient,
        hessian_expr=hessian,
    )


def autodiff_objective(f: Callable[[Array], Any]) -> Objective:
    """Gradient and Hessian of a Python function of a NumPy vector, by `calcml.autodiff`."""
    import importlib

    ad: Any = importlib.import_module("calcml.autodiff")

    grad_fn = ad.grad(f)
    hess_fn = ad.hessian(f)
    vg_fn = ad.value_and_grad(f)

    def value(x: Array) -> float:
        try:
            return float(_plain(f(x)))
        except AttributeError:  # f uses Tensor methods (v.tanh()): evaluate it on a Tensor
            return float(_plain(f(ad.Tensor(x))))

    def grad(x: Array) -> Array:
        return np.asarray(_plain(grad_fn(x)), dtype=np.float64).reshape(x.shape)

    def hess(x: Array) -> Array:
        return np.asarray(_plain(hess_fn(x)), dtype=np.float64).reshape(x.size, x.size)

    def value_and_grad(x: Array) -> tuple[float, Array]:
        v, g = vg_fn(x)
        return float(_plain(v)), np.asarray(_plain(g), dtype=np.float64).reshape(x.shape)

    name = getattr(f, "__name__", "f")
    return Objective(
        value, grad, hess, source="autodiff", title=name, value_and_grad_fn=value_and_grad
    )


def _dirac(x: Any, *_: Any) -> Any:
    """δ(x) evaluated pointwise: infinite at the kink, 0 elsewhere (so Newton sees the kink)."""
    return np.where(np.asarray(x) == 0, np.inf, 0.0)


def _heaviside(x: Any, h0: Any = 0.5) -> Any:
    return np.heaviside(x, h0)


_EXTRA_NUMPY: dict[str, Any] = {"DiracDelta": _dirac, "Heaviside": _heaviside}


def _plain(v: Any) -> Any:
    """A NumPy value from whatever autodiff returns (array, float or Tensor)."""
    if isinstance(v, np.ndarray | np.generic | float | int):
        return v
    return getattr(v, "data", v)
