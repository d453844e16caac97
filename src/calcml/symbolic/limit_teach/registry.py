"""The technique registry: each textbook technique, the forms it handles, in the order tried."""

from __future__ import annotations

from calcml.symbolic.limit_teach.techniques.algebraic import (
    combine,
    conjugate,
    dominant,
    factor_cancel,
    highest_power,
)
from calcml.symbolic.limit_teach.techniques.base import Technique
from calcml.symbolic.limit_teach.techniques.exponent import log_form
from calcml.symbolic.limit_teach.techniques.lhopital import lhopital, product_to_quotient
from calcml.symbolic.limit_teach.techniques.sequences import two_sequences
from calcml.symbolic.limit_teach.techniques.squeeze import squeeze
from calcml.symbolic.limit_teach.techniques.standard import growth_rates, standard

TECHNIQUES: tuple[Technique, ...] = (
    Technique("standard limit", "A standard limit", frozenset({"0/0"}), standard),
    Technique("factor", "Factor and cancel", frozenset({"0/0"}), factor_cancel),
    Technique("conjugate", "Multiply by the conjugate", frozenset({"0/0", "∞−∞"}), conjugate),
    Technique("highest power", "Divide by the highest power", frozenset({"∞/∞"}), highest_power),
    Technique("growth rates", "Compare rates of growth", frozenset({"∞/∞"}), growth_rates),
    Technique("combine", "Combine the terms", frozenset({"∞−∞"}), combine),
    Technique("factor out", "Factor out the dominant term", frozenset({"∞−∞"}), dominant),
    Technique("logarithm", "Take logarithms", frozenset({"1^∞", "0^0", "∞^0"}), log_form),
    Technique("squeeze", "The squeeze theorem", frozenset({"0·bounded", "bounded/∞"}), squeeze),
    Technique(
        "rewrite as quotient",
        "Write the product as a quotient",
        frozenset({"0·∞"}),
        product_to_quotient,
    ),
    Technique("L'Hôpital", "L'Hôpital's rule", frozenset({"0/0", "∞/∞"}), lhopital),
    Technique(
        "two sequences",
        "Two sequences with different limits",
        frozenset({"oscillating base"}),
        two_sequences,
    ),
)
