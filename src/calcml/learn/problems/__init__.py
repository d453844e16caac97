"""Problem generators, one per skill, registered in `GENERATORS` (importing this registers all)."""

from __future__ import annotations

from calcml.learn.problems import (  # noqa: F401 - each module registers its generators
    applications,
    backprop,
    beyond,
    curvature,
    derivatives,
    descent,
    functions,
    matrix,
    partials,
)
from calcml.learn.problems.base import GENERATORS, Problem, generator, problem

__all__ = ["GENERATORS", "Problem", "generator", "problem"]
