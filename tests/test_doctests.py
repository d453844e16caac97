"""Every docstring example in calcml runs and prints what it says (one test per module that has
examples), and every example written in a module is one that doctest actually runs."""

from __future__ import annotations

import doctest
import importlib
import inspect
import pkgutil
import re

import pytest

import calcml

SKIP = {
    "calcml.__main__",  # runs the command line on import
    "calcml.store.migrations.env",  # runs only inside an Alembic migration
}
ALL = sorted(
    info.name for info in pkgutil.walk_packages(calcml.__path__, "calcml.") if info.name not in SKIP
)
PROMPT = re.compile(r"^\s*>>> ", re.MULTILINE)


def examples_written(name: str) -> int:
    """How many `>>>` prompts the module's source holds (read as text, not through doctest)."""
    return len(PROMPT.findall(inspect.getsource(importlib.import_module(name))))


MODULES = [name for name in ALL if examples_written(name)]


def test_every_package_is_covered() -> None:
    packages = {name.split(".")[1] for name in ALL}
    expected = {"expr", "symbolic", "autodiff", "optim", "ml", "viz", "learn", "store", "cli"}
    assert expected <= packages
    assert len(MODULES) >= 10  # the modules that document themselves with examples


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_hold(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    # every prompt written in the file ran: none hides where doctest does not look
    assert result.attempted == examples_written(name), f"{name}: examples doctest did not find"
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"


def test_a_failing_example_fails_the_runner() -> None:
    """The pass condition can fail: a wrong expected output is counted as a failure."""
    import types

    module = types.ModuleType("calcml_doctest_probe", ">>> 1 + 1\n3\n")
    result = doctest.testmod(module, report=False)
    assert (result.attempted, result.failed) == (1, 1)
