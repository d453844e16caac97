"""The vocabulary of calcml's math language: functions, constants and Greek letter names.

Rules as data: the parser looks names up here, and the renderers print with the same names.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sympy as sp

from calcml.errors import ParseError
from calcml.expr.functions import euclidean_norm, leaky_relu, relu, sigmoid, softmax, softplus
from calcml.expr.roots import real_cbrt, real_power
from calcml.expr.sums import expand_sum


@dataclass(frozen=True)
class FunctionSpec:
    """A function learners may call: how to build it, how many arguments, its inverse name."""

    build: Callable[..., sp.Expr]
    min_args: int = 1
    max_args: int | None = 1
    inverse: str | None = None
    vectors: bool = False  # takes an explicit vector [w1, w2, …] (norm, softmax)


def _log(x: sp.Expr, base: sp.Expr | None = None) -> sp.Expr:
    return sp.log(x) if base is None else sp.log(x, base)


def _norm(*arguments: Any) -> sp.Expr:
    """norm([w1, w2]) = norm(w1, w2) = √(w1² + w2²): the Euclidean norm of the components."""
    return euclidean_norm(*(c for a in arguments for c in (a if isinstance(a, tuple) else (a,))))


def _softmax(vector: Any, k: sp.Expr | None = None) -> sp.Expr:
    """softmax([z1, …, zn], k) = e^zk / (e^z1 + … + e^zn): the k-th class probability."""
    if not isinstance(vector, tuple):
        raise ParseError("softmax takes a vector of scores first: softmax([z1, z2, z3], 1)")
    if k is None:
        raise ParseError(
            f"softmax of {len(vector)} scores is a vector of {len(vector)} probabilities: "
            "ask for one, softmax([z1, z2, z3], k) with k from 1"
        )
    if not (k.is_Integer and 1 <= int(k) <= len(vector)):
        raise ParseError(f"softmax's component must be a whole number from 1 to {len(vector)}")
    return softmax(list(vector))[int(k) - 1]


MAX_ROOT_DEGREE = 1000  # root(x, n): n from 1 to this


def _root(x: sp.Expr, n: sp.Expr) -> sp.Expr:
    """root(x, n) = x^(1/n): the real root for odd n (root(-8, 3) = -2, like cbrt), the
    principal root for even n (defined for x ≥ 0, like sqrt); n a whole number from 1 to
    MAX_ROOT_DEGREE."""
    if not (n.is_Integer and 1 <= int(n) <= MAX_ROOT_DEGREE):
        raise ParseError(
            f"root(x, n) takes a whole number n from 1 to {MAX_ROOT_DEGREE} "
            "(write x^(1/n) for other powers)"
        )
    return real_power(x, sp.Rational(1, int(n)))


def _leaky(x: sp.Expr, slope: sp.Expr | None = None) -> sp.Expr:
    return leaky_relu(x) if slope is None else leaky_relu(x, slope)


_CANONICAL: dict[str, FunctionSpec] = {
    "sqrt": FunctionSpec(sp.sqrt),
    "cbrt": FunctionSpec(real_cbrt),
    "root": FunctionSpec(_root, 2, 2),  # root(x, 3) is cbrt(x)
    "exp": FunctionSpec(sp.exp, inverse="log"),
    "log": FunctionSpec(_log, 1, 2, inverse="exp"),
    "sin": FunctionSpec(sp.sin, inverse="asin"),
    "cos": FunctionSpec(sp.cos, inverse="acos"),
    "tan": FunctionSpec(sp.tan, inverse="atan"),
    "sec": FunctionSpec(sp.sec, inverse="asec"),
    "csc": FunctionSpec(sp.csc, inverse="acsc"),
    "cot": FunctionSpec(sp.cot, inverse="acot"),
    "asin": FunctionSpec(sp.asin, inverse="sin"),
    "acos": FunctionSpec(sp.acos, inverse="cos"),
    "atan": FunctionSpec(sp.atan, inverse="tan"),
    "asec": FunctionSpec(sp.asec, inverse="sec"),
    "acsc": FunctionSpec(sp.acsc, inverse="csc"),
    "acot": FunctionSpec(sp.acot, inverse="cot"),
    "sinh": FunctionSpec(sp.sinh, inverse="asinh"),
    "cosh": FunctionSpec(sp.cosh, inverse="acosh"),
    "tanh": FunctionSpec(sp.tanh, inverse="atanh"),
    "sech": FunctionSpec(sp.sech, inverse="asech"),
    "csch": FunctionSpec(sp.csch, inverse="acsch"),
    "coth": FunctionSpec(sp.coth, inverse="acoth"),
    "asinh": FunctionSpec(sp.asinh, inverse="sinh"),
    "acosh": FunctionSpec(sp.acosh, inverse="cosh"),
    "atanh": FunctionSpec(sp.atanh, inverse="tanh"),
    "asech": FunctionSpec(sp.asech, inverse="sech"),
    "acsch": FunctionSpec(sp.acsch, inverse="csch"),
    "acoth": FunctionSpec(sp.acoth, inverse="coth"),
    "erf": FunctionSpec(sp.erf),
    "floor": FunctionSpec(sp.floor),
    "ceil": FunctionSpec(sp.ceiling),
    "abs": FunctionSpec(sp.Abs),
    "sign": FunctionSpec(sp.sign),
    "heaviside": FunctionSpec(sp.Heaviside),
    "min": FunctionSpec(sp.Min, 2, None),
    "max": FunctionSpec(sp.Max, 2, None),
    "sigmoid": FunctionSpec(sigmoid),
    "relu": FunctionSpec(relu),
    "leaky_relu": FunctionSpec(_leaky, 1, 2),
    "softplus": FunctionSpec(softplus),
    "norm": FunctionSpec(_norm, 1, None, vectors=True),
    "softmax": FunctionSpec(_softmax, 1, 2, vectors=True),  # softmax([z1, z2, z3], k)
    "sum": FunctionSpec(expand_sum, 4, 4),  # sum(x_i^2, i, 1, 5)
}

# other spellings -> canonical name
_ALIASES: dict[str, str] = {
    "ln": "log",
    "arcsin": "asin",
    "arccos": "acos",
    "arctan": "atan",
    "arcsec": "asec",
    "arccsc": "acsc",
    "arccot": "acot",
    "arsinh": "asinh",
    "arcsinh": "asinh",
    "arcosh": "acosh",
    "arccosh": "acosh",
    "artanh": "atanh",
    "arctanh": "atanh",
    "Abs": "abs",
    "sgn": "sign",
    "Heaviside": "heaviside",
    "Min": "min",
    "Max": "max",
    "ReLU": "relu",
    "Relu": "relu",
    "LeakyReLU": "leaky_relu",
    "leakyrelu": "leaky_relu",
    "Softplus": "softplus",
    "logistic": "sigmoid",
    "ceiling": "ceil",
}

FUNCTIONS: dict[str, FunctionSpec] = {
    **_CANONICAL,
    **{alias: _CANONICAL[name] for alias, name in _ALIASES.items()},
}

# names that are a function only when applied with parentheses: σ(z) is sigmoid, σ alone a variable
CALL_ONLY: dict[str, str] = {"sigma": "sigmoid"}

# one-letter names that a learner may mean as a function calcml knows under another name. Like
# every one-letter name, H(x) is the product H·x (in ML, H(p) is an entropy and H(a) a Hessian
# as often as a step), and the reading notes say so; LaTeX's \operatorname{H} is the step
# function, which is how calcml's LaTeX prints it, so it reads back.
LOOKALIKE_CALLS: dict[str, tuple[str, str]] = {"H": ("heaviside", "the step function")}
OPERATOR_NAMES: dict[str, str] = {"H": "heaviside"}  # \operatorname{H}(u)

CONSTANTS: dict[str, sp.Expr] = {
    "e": sp.E,
    "E": sp.E,
    "pi": sp.pi,
    "oo": sp.oo,
    "inf": sp.oo,
    "infty": sp.oo,
    "infinity": sp.oo,
    "Infinity": sp.oo,
    "∞": sp.oo,
}

SUBSCRIPT_DIGITS = "₀₁₂₃₄₅₆₇₈₉"

GREEK_NAMES = (
    "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho "
    "sigma tau upsilon phi chi psi omega"
).split()

# Unicode letter -> name (σ and ς both name the variable sigma; σ( is the sigmoid)
UNICODE_GREEK: dict[str, str] = {
    **{chr(0x3B1 + i): name for i, name in enumerate(GREEK_NAMES[:17])},
    **{chr(0x3C3 + i): name for i, name in enumerate(GREEK_NAMES[17:])},
    "ς": "sigma",
    "ϵ": "epsilon",
    "ϑ": "theta",
    "ϕ": "phi",
    "Γ": "Gamma",
    "Δ": "Delta",
    "Θ": "Theta",
    "Λ": "Lambda",
    "Ξ": "Xi",
    "Π": "Pi",
    "Σ": "Sigma",
    "Φ": "Phi",
    "Ψ": "Psi",
    "Ω": "Omega",
}

LATEX_NAMES = set(GREEK_NAMES) | {n.capitalize() for n in GREEK_NAMES} | {"varepsilon", "vartheta"}
LATEX_VARIANTS = {"varepsilon": "epsilon", "vartheta": "theta", "varphi": "phi"}

# name -> the letter the text renderer prints (σ is kept for the sigmoid, so sigma prints as ς)
GREEK_LETTER_OF: dict[str, str] = {
    **{name: letter for letter, name in list(UNICODE_GREEK.items())[:24]},
    **{name: letter for letter, name in list(UNICODE_GREEK.items())[28:]},
    "sigma": "ς",
}

# accents on a one-letter name: combining mark -> the suffix of the variable's name (ŷ is yhat,
# x̄ is xbar, θ̃ is thetatilde: SymPy typesets these suffixes as \\hat{y}, \\bar{x}, \\tilde{θ})
ACCENTS: dict[str, str] = {
    "\u0302": "hat",  # combining circumflex
    "\u0304": "bar",  # combining macron
    "\u0305": "bar",  # combining overline
    "\u0303": "tilde",
}
# the same accents as LaTeX commands: \hat{y}, \bar{x}, \tilde{x}
LATEX_ACCENTS: dict[str, str] = {
    "hat": "hat",
    "widehat": "hat",
    "bar": "bar",
    "overline": "bar",
    "tilde": "tilde",
    "widetilde": "tilde",
}

_ACCENTED_NAME = re.compile(
    rf"(?P<base>[A-Za-z]|{'|'.join(GREEK_NAMES)}|{'|'.join(n.capitalize() for n in GREEK_NAMES)})"
    r"(?P<accent>hat|bar|tilde)(?P<sub>_[A-Za-z0-9]+)?"
)
_MARK_OF = {"hat": "\u0302", "bar": "\u0304", "tilde": "\u0303"}


def accented_name(raw: str) -> str | None:
    """The variable name of an accented letter as typed (`ŷ` -> yhat, `θ̄₁` -> thetabar_1), or
    None when `raw` does not start with an accented letter."""
    split = unicodedata.normalize("NFD", raw)
    if len(split) < 2 or split[1] not in ACCENTS:
        return None
    head = UNICODE_GREEK.get(split[0], split[0]) + ACCENTS[split[1]]
    rest = unicodedata.normalize("NFC", split[2:])
    if rest and rest[0] in SUBSCRIPT_DIGITS:
        return f"{head}_{rest.translate(str.maketrans(SUBSCRIPT_DIGITS, '0123456789'))}"
    return head + rest.replace("_{", "_").rstrip("}")


def accented_letter(name: str) -> str | None:
    """How the text renderer shows an accented variable (yhat -> ŷ, thetabar_1 -> θ̄_1), or None
    when `name` is not one; `accented_name` reads it back."""
    match = _ACCENTED_NAME.fullmatch(name)
    if match is None:
        return None
    base = match["base"]
    letter = GREEK_LETTER_OF.get(base, base) if len(base) > 1 else base
    if base == "sigma":
        letter = "σ"
    return unicodedata.normalize("NFC", letter + _MARK_OF[match["accent"]]) + (match["sub"] or "")
