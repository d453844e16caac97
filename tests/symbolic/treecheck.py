"""Well-formedness of a derivation's step tree, checked against SymPy (an independent reference).

A "diff" step must have `after` equal to d(before)/d(wrt); a "rewrite" step must have `after`
equal to `before`. Equality is tests/symbolic/independent.py's (not calcml's own checker).
"""

from __future__ import annotations

import sympy as sp
from independent import same_function

from calcml.symbolic.steps import Derivation, Step


def step_problem(step: Step) -> str | None:
    """None when the step is sound, else a description of what is wrong."""
    if step.kind == "note":
        return None
    before, after = step.before, step.after
    if step.kind == "diff":
        if step.wrt is None:
            return f"diff step {step.rule} has no wrt"
        expected = sp.diff(before, step.wrt)
    elif step.kind == "rewrite":
        expected = before
    else:
        return f"unknown kind {step.kind}"
    variables = sorted(before.free_symbols | after.free_symbols, key=str)
    if not same_function(after, expected, variables):
        return f"[{step.rule}] {before} -> {after}, expected {expected}"
    return None


def tree_problems(derivation: Derivation) -> list[str]:
    """Every unsound step in the derivation, its components and its alternatives."""
    problems = [p for s in derivation.all_steps() if (p := step_problem(s))]
    for inner in [*derivation.components, *derivation.alternatives]:
        problems.extend(tree_problems(inner))
    return problems
