"""Every docstring example in calcml runs and prints what it says (one test per module)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import calcml

SKIP = {
    "calcml.__main__",  # runs the command line on import
    "calcml.store.migrations.env",  # runs only inside an Alembic migration
}
MODULES = sorted(
    info.name for info in pkgutil.walk_packages(calcml.__path__, "calcml.") if info.name not in SKIP
)


def test_every_package_is_covered() -> None:
    packages = {name.split(".")[1] for name in MODULES}
    expected = {"expr", "symbolic", "autodiff", "optim", "ml", "viz", "learn", "store", "cli"}
    assert expected <= packages


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_hold(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"
