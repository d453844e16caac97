"""The examples in calcml.autodiff's docstrings run and print what they say."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "calcml.autodiff",
    "calcml.autodiff.tensor",
    "calcml.autodiff.registry",
    "calcml.autodiff.primitives",
    "calcml.autodiff.engine",
    "calcml.autodiff.functional",
    "calcml.autodiff.gradcheck",
    "calcml.autodiff.trace",
    "calcml.autodiff.nn",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
