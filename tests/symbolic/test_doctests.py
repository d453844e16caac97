"""The examples in the test helpers' docstrings run (calcml's own: tests/test_doctests.py)."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["randexpr"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
