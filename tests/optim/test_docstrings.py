"""The examples in the docstrings of calcml.optim and calcml.ml run and print what they claim."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import calcml.ml
import calcml.optim

SUBMODULES = sorted(
    info.name
    for package in (calcml.optim, calcml.ml)
    for info in pkgutil.iter_modules(package.__path__, package.__name__ + ".")
)
MODULES = ["calcml.optim", "calcml.ml", *SUBMODULES]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_hold(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
