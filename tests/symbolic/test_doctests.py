"""The examples in the docstrings of the derivative modules run and say what they show."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "calcml.symbolic.steps",
    "calcml.symbolic.engine",
    "calcml.symbolic.rules",
    "calcml.symbolic.simplify",
    "calcml.symbolic.verify",
    "calcml.symbolic.derive",
    "calcml.symbolic.losses",
    "randexpr",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
