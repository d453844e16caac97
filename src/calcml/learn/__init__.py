"""calcml.learn: the course — roadmap, lessons, practice problems, the grader, cheat sheet, book.

>>> from calcml import learn
>>> p = learn.problem("chain-rule", seed=1)
>>> learn.check(p, p.answer.input()).correct
True
"""

from __future__ import annotations

import importlib
from typing import Any

# public name -> module that defines it (loaded on first use)
_LAZY: dict[str, str] = {
    "problem": "calcml.learn.problems.base",
    "Problem": "calcml.learn.problems.base",
    "GENERATORS": "calcml.learn.problems.base",
    "check": "calcml.learn.grader",
    "Verdict": "calcml.learn.grader",
    "Answer": "calcml.learn.answers",
    "MISTAKES": "calcml.learn.mistakes",
    "SKILLS": "calcml.learn.skills",
    "TOPICS": "calcml.learn.skills",
    "Roadmap": "calcml.learn.roadmap",
    "Session": "calcml.learn.session",
    "lesson": "calcml.learn.lessons",
    "Lesson": "calcml.learn.lessons",
    "cheatsheet": "calcml.learn.cheatsheet",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        if name in ("problem", "GENERATORS"):
            importlib.import_module("calcml.learn.problems")  # registers the generators
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'calcml.learn' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
