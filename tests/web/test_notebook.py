"""Jupyter display of every result (issue 14 item 13): a short repr(), and a `_repr_html_`
drawn by the web app's own result block and step partial, its LaTeX valid in strict KaTeX, its
nested steps numbered within their parents (2.1, 2.2)."""

from __future__ import annotations

import html
import random
import re
from typing import Any

import numpy as np
import pytest

import calcml
from calcml.expr import to_input, to_text
from calcml.result import REPR_WIDTH, Result
from symbolic.test_latex_katex import katex_errors
from web.numbering import expected_numbers

ADDRESS = re.compile(r"0x[0-9a-f]{6,}")
FIELD_DUMP = re.compile(r"\b(question|steps|expr|nodes|params|facts)=")


def _derivations(seed: int) -> list[Any]:
    from randexpr import random_exprs

    rng = random.Random(seed)
    out: list[Any] = []
    for f in random_exprs(seed=seed, n=3, nvars=2, depth=2):
        text = to_input(f)
        out += [calcml.derive(text, "x"), calcml.gradient(text, "x, y")]
        out += [calcml.hessian(text, "x, y"), calcml.jacobian([text, "x*y"], "x, y")]
    a, b = rng.randint(1, 4), rng.randint(1, 4)
    out.append(calcml.taylor(f"exp({a}x) + x^{b}", "x", 0, rng.randint(1, 4)))
    out.append(calcml.limit(f"sin({a}x)/x", "x", 0))
    out.append(calcml.critical_points(f"x^3 - {3 * a * a}x + {b}y^2"))
    out.append(calcml.matrix_gradient("norm(X w - y)^2", "w", shapes="X: n×d, w: d, y: n"))
    return out


def _numeric(seed: int) -> list[Any]:
    from calcml.autodiff.trace import trace
    from calcml.ml import LinearRegression
    from calcml.optim import gradient_descent

    rng = np.random.default_rng(seed)
    a, b = rng.uniform(0.5, 3, size=2)
    run = gradient_descent(f"{a:.3f}x^2 + {b:.3f}y^2", list(rng.uniform(-2, 2, size=2)), lr=0.1)
    X = rng.normal(size=(30, 2))
    y = X @ rng.normal(size=2) + rng.normal(scale=0.1, size=30)
    report = LinearRegression().fit(X, y).report(X, y)
    tr = trace(lambda v: (v * v).sum(), rng.normal(size=3))
    return [run, report, tr]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_repr_is_one_short_line_naming_the_type_and_the_answer(seed: int) -> None:
    for result in _derivations(seed) + _numeric(seed):
        shown = repr(result)
        name = type(result).__name__
        assert shown.startswith(f"<{name} ") and shown.endswith(">"), shown
        assert "\n" not in shown and len(shown) <= REPR_WIDTH + 80, shown
        assert not ADDRESS.search(shown) and not FIELD_DUMP.search(shown), shown
        if getattr(result, "verified", ""):
            assert shown.endswith(", verified>"), shown
        if hasattr(result, "all_steps"):
            n = len(result.all_steps()) + sum(
                len(c.all_steps()) for c in getattr(result, "components", [])
            )
            assert re.search(rf", {n} steps?\b", shown), (n, shown)


def test_repr_of_a_derivative_reads_like_the_brief() -> None:
    for n in random.Random(4).sample(range(2, 9), 4):
        d = calcml.derive(f"x^{n}", "x")
        expected = (
            f"d/dx {to_text(calcml.parse(f'x^{n}'))} = {to_text(calcml.parse(f'{n}*x^{n - 1}'))}"
        )
        assert repr(d) == f"<Derivation {expected}, {len(d.all_steps())} step, verified>"


def test_runs_traces_and_reports_say_what_they_hold() -> None:
    run, report, tr = _numeric(5)
    assert f"{run.status}, {run.steps} steps" in repr(run) and run.method in repr(run)
    assert "3 nodes" not in repr(tr) or len(tr.nodes) == 3
    assert f"{len(tr.nodes)} nodes" in repr(tr) and tr.output in repr(tr)
    assert report.title in repr(report) and "R²" in repr(report)


def _all_subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    for sub in list(found):
        found |= _all_subclasses(sub)
    return found


def test_no_result_type_keeps_the_dataclass_field_dump() -> None:
    import calcml.autodiff.gradcheck
    import calcml.learn.cheatsheet
    import calcml.learn.grader
    import calcml.learn.lessons
    import calcml.learn.problems
    import calcml.learn.roadmap
    import calcml.ml
    import calcml.optim
    import calcml.symbolic
    import calcml.symbolic.matrix  # noqa: F401

    kinds = _all_subclasses(Result)
    assert len(kinds) >= 15
    dumps = [k.__name__ for k in kinds if k.__repr__ is not Result.__repr__]
    assert not dumps, dumps


def _tex_sources(fragment: str) -> list[str]:
    return [html.unescape(t) for t in re.findall(r'data-tex="([^"]*)"', fragment)]


def test_repr_html_latex_renders_in_strict_katex_and_matches_its_mathjax_text() -> None:
    sources: list[str] = []
    for seed in (1, 2):
        for result in _derivations(seed):
            fragment = result._repr_html_()
            found = _tex_sources(fragment)
            assert found and "<script" not in fragment
            # the shown text is the same TeX in MathJax's delimiters (Jupyter typesets it)
            shown = re.findall(r'data-tex="[^"]*">(.*?)</span>', fragment, re.S)
            assert [html.unescape(s)[2:-2] for s in shown] == found
            sources += found
    errors = katex_errors(sources)
    bad = [(tex, err) for tex, err in zip(sources, errors, strict=True) if err]
    assert not bad, bad[:3]


def test_nested_steps_are_numbered_within_their_parent() -> None:
    from randexpr import random_exprs

    nested = 0
    for i, f in enumerate(random_exprs(seed=7, n=8, nvars=2, depth=3)):
        text = to_input(f)
        d = calcml.derive(text, "x") if i % 2 else calcml.gradient(text, "x, y")
        shown = re.findall(r'<span class="number">([^<]*)</span>', d._repr_html_())
        expected = expected_numbers(d.to_dict())
        assert shown == expected
        nested += sum("." in n[:-1] for n in shown)
    assert nested > 0  # some derivation had sub-steps


def test_results_without_rule_steps_show_their_text_under_a_heading() -> None:
    for result in _numeric(6):
        fragment = result._repr_html_()
        assert "<h2" in fragment and html.escape(result.text().splitlines()[1]) in fragment


def test_every_kind_of_result_has_a_short_repr_and_an_html_fragment() -> None:
    from calcml.autodiff.gradcheck import gradcheck
    from calcml.learn.cheatsheet import cheatsheet
    from calcml.learn.lessons import lesson
    from calcml.learn.problems import problem
    from calcml.ml import linear_regression_example, mse
    from calcml.optim import analyze

    rng = random.Random(8)
    a = rng.randint(1, 5)
    results: list[Any] = [
        analyze(f"x^2 + {a}*y^2", [1, 1], lr=0.1),
        gradcheck(lambda v: (v * v * a).sum(), np.array([1.0, 2.0])),
        linear_regression_example(),
        mse,
        problem("chain-rule", seed=rng.randint(0, 99)),
        lesson(rng.randint(1, 7)),
        cheatsheet(),
        calcml.continuity(f"abs(x - {a})", "x", a),
        calcml.differentiable(f"abs(x - {a})", "x", a),
    ]
    for result in results:
        shown = repr(result)
        assert shown.startswith(f"<{type(result).__name__} ") and "\n" not in shown
        assert len(shown) <= REPR_WIDTH + 80 and not ADDRESS.search(shown)
        assert "#" not in shown[: len(type(result).__name__) + 3]
        fragment = result._repr_html_()
        assert fragment.startswith('<div class="calcml-result">') and "<h2" in fragment
