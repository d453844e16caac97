"""calcml.optim: gradient descent (momentum, Nesterov, Armijo line search), Newton, Adam, and
the curvature analysis that explains when a learning rate converges or diverges.

>>> from calcml import optim
>>> run = optim.gradient_descent("x^2 + 10*y^2", [1, 1], lr=0.11)
>>> run.status
'diverged'
>>> optim.analyze("x^2 + 10*y^2", [1, 1]).max_stable_lr
0.1
"""

from __future__ import annotations

from calcml.optim.analysis import Analysis, analyze
from calcml.optim.descent import adam, gradient_descent
from calcml.optim.linesearch import LineSearchResult, armijo
from calcml.optim.newton import newton
from calcml.optim.objective import Objective, as_objective
from calcml.optim.run import STATUSES, Run

__all__ = [
    "STATUSES",
    "Analysis",
    "LineSearchResult",
    "Objective",
    "Run",
    "adam",
    "analyze",
    "armijo",
    "as_objective",
    "gradient_descent",
    "newton",
]
