"""The teacher's argument for a limit: substitute, name the form, apply a technique.

`teach(f, approach)` tries direct substitution, then classifies what substitution gives
(`classify`): a determinate form (limit laws settle it) or one of the indeterminate forms
0/0, ∞/∞, 0·∞, ∞−∞, 1^∞, 0^0, ∞^0. Each technique in `TECHNIQUES` (a registry: the forms it
handles and a function) either finishes the limit or rewrites f into an expression with the
same limit, which is taught in turn. The argument is shown only if it reaches the value that
`calcml.symbolic.limits` settled and checked; otherwise the method that settled it is named.

>>> import sympy as sp
>>> x = sp.Symbol("x", real=True)
>>> steps, value = teach((x**2 - 1) / (x - 1), Approach(x, sp.S.One, "+"))
>>> [s.rule for s in steps], value
(['indeterminate form', 'factor', 'cancel', 'substitute'], 2)
"""

from __future__ import annotations

from calcml.symbolic.limit_teach.approach import (
    COMPONENT_TIME_LIMIT,
    INF,
    MAX_DEPTH,
    MAX_LHOPITAL,
    NINF,
    TEACH_TIME_LIMIT,
    Approach,
)
from calcml.symbolic.limit_teach.explain import explain_limit
from calcml.symbolic.limit_teach.forms import Form, classify
from calcml.symbolic.limit_teach.registry import TECHNIQUES
from calcml.symbolic.limit_teach.teacher import teach
from calcml.symbolic.limit_teach.techniques.base import Move, Technique
from calcml.symbolic.limit_teach.techniques.standard import STANDARD_LIMITS

__all__ = [
    "COMPONENT_TIME_LIMIT",
    "INF",
    "MAX_DEPTH",
    "MAX_LHOPITAL",
    "NINF",
    "STANDARD_LIMITS",
    "TEACH_TIME_LIMIT",
    "TECHNIQUES",
    "Approach",
    "Form",
    "Move",
    "Technique",
    "classify",
    "explain_limit",
    "teach",
]
