"""The ML functions as SymPy functions: sigmoid, relu, leaky_relu, softplus (and a softmax helper).

Each knows its derivative (`fdiff`), evaluates numerically (`evalf`), prints to NumPy
(`lambdify`) and to LaTeX, so the symbolic engine and `sympy.diff` treat them like `sin`.

>>> from sympy import Symbol, diff
>>> z = Symbol("z", real=True)
>>> diff(sigmoid(z), z)
(1 - sigmoid(z))*sigmoid(z)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sympy as sp
from sympy import S
from sympy.core.logic import fuzzy_and


def _np(printer: Any, name: str) -> str:
    return str(printer._module_format(f"{printer._module}.{name}"))


def _power(latex: str, exp: Any) -> str:
    """LaTeX for f(x) raised to `exp` (SymPy's printer passes exp for powers of functions)."""
    return latex if exp is None else f"{latex}^{{{exp}}}"


class sigmoid(sp.Function):
    """The logistic function σ(z) = 1/(1 + e^(−z)); σ′ = σ(1 − σ)."""

    nargs = 1

    @classmethod
    def eval(cls, z: sp.Expr) -> sp.Expr | None:
        if z is S.Zero:
            return S.Half
        if z is S.Infinity:
            return S.One
        if z is S.NegativeInfinity:
            return S.Zero
        return None

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        s = sigmoid(self.args[0])
        return s * (1 - s)

    def _eval_rewrite_as_exp(self, z: sp.Expr, **kwargs: Any) -> sp.Expr:
        return 1 / (1 + sp.exp(-z))

    def _eval_rewrite_as_tanh(self, z: sp.Expr, **kwargs: Any) -> sp.Expr:
        return (1 + sp.tanh(z / 2)) / 2

    def _eval_evalf(self, prec: int) -> sp.Expr | None:
        z = self.args[0]
        if not z.is_number:
            return None
        return (1 / (1 + sp.exp(-z)))._eval_evalf(prec)  # type: ignore[no-any-return]

    def _eval_is_real(self) -> bool | None:
        return self.args[0].is_real  # type: ignore[no-any-return]

    def _eval_is_positive(self) -> bool | None:
        return self.args[0].is_real  # type: ignore[no-any-return]

    def _numpycode(self, printer: Any) -> str:
        arg = printer._print(self.args[0])  # exp(-log(1 + e^-z)): accurate in both tails
        return f"{_np(printer, 'exp')}(-{_np(printer, 'logaddexp')}(0, -({arg})))"

    def _latex(self, printer: Any, exp: Any = None) -> str:
        return _power(rf"\sigma\left({printer._print(self.args[0])}\right)", exp)


class relu(sp.Function):
    """ReLU(z) = max(0, z); its derivative is the step H(z), undefined at z = 0."""

    nargs = 1

    @classmethod
    def eval(cls, z: sp.Expr) -> sp.Expr | None:
        if z.is_nonnegative:
            return z
        if z.is_nonpositive:
            return S.Zero
        return None

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        return sp.Heaviside(self.args[0])

    def _eval_rewrite_as_Max(self, z: sp.Expr, **kwargs: Any) -> sp.Expr:
        return sp.Max(0, z)

    def _eval_rewrite_as_Piecewise(self, z: sp.Expr, **kwargs: Any) -> sp.Expr:
        return sp.Piecewise((z, z > 0), (0, True))

    def _eval_evalf(self, prec: int) -> sp.Expr | None:
        z = self.args[0].evalf(prec)
        if not z.is_Number:
            return None
        return z if z > 0 else sp.Float(0, prec)

    def _eval_is_real(self) -> bool | None:
        return self.args[0].is_real  # type: ignore[no-any-return]

    def _eval_is_nonnegative(self) -> bool | None:
        return self.args[0].is_real  # type: ignore[no-any-return]

    def _numpycode(self, printer: Any) -> str:
        return f"{_np(printer, 'maximum')}(0, {printer._print(self.args[0])})"

    def _latex(self, printer: Any, exp: Any = None) -> str:
        return _power(rf"\operatorname{{ReLU}}\left({printer._print(self.args[0])}\right)", exp)


LEAKY_SLOPE = sp.Rational(1, 100)


class leaky_relu(sp.Function):
    """leaky_relu(z, a) = z for z > 0, a·z otherwise (a = 1/100 by default); kink at 0."""

    nargs = (1, 2)

    @classmethod
    def eval(cls, z: sp.Expr, a: sp.Expr | None = None) -> sp.Expr | None:
        if a is None:
            return leaky_relu(z, LEAKY_SLOPE)
        if z.is_nonnegative:
            return z
        if z.is_negative:
            return a * z
        return None

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        z, a = self.args
        if argindex == 1:
            return a + (1 - a) * sp.Heaviside(z)
        return z * (1 - sp.Heaviside(z))

    def _eval_rewrite_as_Piecewise(self, z: sp.Expr, a: sp.Expr, **kwargs: Any) -> sp.Expr:
        return sp.Piecewise((z, z > 0), (a * z, True))

    def _eval_evalf(self, prec: int) -> sp.Expr | None:
        z, a = (arg.evalf(prec) for arg in self.args)
        if not (z.is_Number and a.is_Number):
            return None
        return z if z > 0 else a * z

    def _eval_is_real(self) -> bool | None:
        return fuzzy_and(arg.is_real for arg in self.args)  # type: ignore[no-any-return]

    def _numpycode(self, printer: Any) -> str:
        z, a = (printer._print(arg) for arg in self.args)
        return f"{_np(printer, 'where')}(({z}) > 0, {z}, ({a})*({z}))"

    def _latex(self, printer: Any, exp: Any = None) -> str:
        z, a = (printer._print(arg) for arg in self.args)
        if self.args[1] == LEAKY_SLOPE:
            return _power(rf"\operatorname{{LeakyReLU}}\left({z}\right)", exp)
        # the slope as the second argument, as calcml reads it back: LeakyReLU(z, a)
        return _power(rf"\operatorname{{LeakyReLU}}\left({z}, {a}\right)", exp)


class softplus(sp.Function):
    """softplus(z) = log(1 + e^z), a smooth ReLU; its derivative is σ(z)."""

    nargs = 1

    @classmethod
    def eval(cls, z: sp.Expr) -> sp.Expr | None:
        if z is S.Zero:
            return sp.log(2)
        if z is S.Infinity:
            return S.Infinity
        if z is S.NegativeInfinity:
            return S.Zero
        return None

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        return sigmoid(self.args[0])

    def _eval_rewrite_as_log(self, z: sp.Expr, **kwargs: Any) -> sp.Expr:
        return sp.log(1 + sp.exp(z))

    _eval_rewrite_as_exp = _eval_rewrite_as_log

    def _eval_evalf(self, prec: int) -> sp.Expr | None:
        z = self.args[0]
        if not z.is_number:
            return None
        return sp.log(1 + sp.exp(z))._eval_evalf(prec)  # type: ignore[no-any-return]

    def _eval_is_real(self) -> bool | None:
        return self.args[0].is_real  # type: ignore[no-any-return]

    def _eval_is_positive(self) -> bool | None:
        return self.args[0].is_real  # type: ignore[no-any-return]

    def _numpycode(self, printer: Any) -> str:
        return f"{_np(printer, 'logaddexp')}(0, {printer._print(self.args[0])})"

    def _latex(self, printer: Any, exp: Any = None) -> str:
        return _power(rf"\operatorname{{softplus}}\left({printer._print(self.args[0])}\right)", exp)


def softmax(zs: Sequence[sp.Expr]) -> list[sp.Expr]:
    """softmax([z1, …, zn]) = [e^zi / Σ e^zj]: the vector of class probabilities.

    >>> from sympy import symbols
    >>> a, b = symbols("a b", real=True)
    >>> softmax([a, b])[0]
    exp(a)/(exp(a) + exp(b))
    """
    exps = [sp.exp(z) for z in zs]
    total = sp.Add(*exps)
    return [e / total for e in exps]


def euclidean_norm(*components: sp.Expr) -> sp.Expr:
    """‖(v₁, …, vₙ)‖ = √(v₁² + … + vₙ²): the Euclidean norm of explicit components (|v| for one).

    >>> from sympy import symbols
    >>> a, b = symbols("a b", real=True)
    >>> euclidean_norm(a, b) ** 2
    a**2 + b**2
    """
    return sp.sqrt(sp.Add(*(c**2 for c in components)))


ML_FUNCTIONS: dict[str, type[sp.Function]] = {
    "sigmoid": sigmoid,
    "relu": relu,
    "leaky_relu": leaky_relu,
    "softplus": softplus,
}


def numpy_modules() -> list[Any]:
    """Modules for `sympy.lambdify` so the ML functions compile to NumPy."""
    return ["numpy"]
