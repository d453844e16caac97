"""The technique registry: each textbook technique, the forms it handles, in the order tried."""

from __future__ import annotations

from calcml.symbolic.limit_teach.techniques.algebraic import (
    _combine,
    _conjugate,
    _dominant,
    _factor_cancel,
    _highest_power,
)
from calcml.symbolic.limit_teach.techniques.base import Technique
from calcml.symbolic.limit_teach.techniques.exponent import _log_form
from calcml.symbolic.limit_teach.techniques.lhopital import _lhopital, _product_to_quotient
from calcml.symbolic.limit_teach.techniques.sequences import _two_sequences
from calcml.symbolic.limit_teach.techniques.squeeze import _squeeze
from calcml.symbolic.limit_teach.techniques.standard import _growth_rates, _standard

TECHNIQUES: tuple[Technique, ...] = (
    Technique("standard limit", "A standard limit", frozenset({"0/0"}), _standard),
    Technique("factor", "Factor and cancel", frozenset({"0/0"}), _factor_cancel),
    Technique("conjugate", "Multiply by the conjugate", frozenset({"0/0", "∞−∞"}), _conjugate),
    Technique("highest power", "Divide by the highest power", frozenset({"∞/∞"}), _highest_power),
    Technique("growth rates", "Compare rates of growth", frozenset({"∞/∞"}), _growth_rates),
    Technique("combine", "Combine the terms", frozenset({"∞−∞"}), _combine),
    Technique("factor out", "Factor out the dominant term", frozenset({"∞−∞"}), _dominant),
    Technique("logarithm", "Take logarithms", frozenset({"1^∞", "0^0", "∞^0"}), _log_form),
    Technique("squeeze", "The squeeze theorem", frozenset({"0·bounded", "bounded/∞"}), _squeeze),
    Technique(
        "rewrite as quotient",
        "Write the product as a quotient",
        frozenset({"0·∞"}),
        _product_to_quotient,
    ),
    Technique("L'Hôpital", "L'Hôpital's rule", frozenset({"0/0", "∞/∞"}), _lhopital),
    Technique(
        "two sequences",
        "Two sequences with different limits",
        frozenset({"oscillating base"}),
        _two_sequences,
    ),
)
