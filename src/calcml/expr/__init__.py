"""The math language: the safe parser, the ML functions, and the renderers."""

from __future__ import annotations

from calcml.expr.functions import leaky_relu, relu, sigmoid, softmax, softplus
from calcml.expr.parser import parse, sorted_variables, symbol
from calcml.expr.render import expr_dict, to_input, to_latex, to_text

__all__ = [
    "expr_dict",
    "leaky_relu",
    "parse",
    "relu",
    "sigmoid",
    "softmax",
    "softplus",
    "sorted_variables",
    "symbol",
    "to_input",
    "to_latex",
    "to_text",
]
