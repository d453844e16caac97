"""Every result's LaTeX renders in the vendored KaTeX (run by Node) in strict mode, with no word
set as math (issue 14 item 13: "withrespectto" inside $$…$$, ∇ without its parentheses)."""

from __future__ import annotations

import random
import re

import calcml
from calcml.expr import to_input
from katex_check import katex_errors


def _words_in_math(tex: str) -> list[str]:
    """Runs of 4+ letters outside \\text{…} and commands: English set as math."""
    bare = re.sub(r"\\(?:begin|end|text|operatorname)\{[^}]*\}|\\[A-Za-z]+", " ", tex)
    return re.findall(r"[A-Za-z]{4,}", bare)


def _results(seed: int) -> list[object]:
    from randexpr import random_exprs

    out: list[object] = [calcml.directional_derivative("x^2 y + sin(y)", "x, y", [3, 4])]
    for f in random_exprs(seed=seed, n=4, nvars=2, depth=2):
        text = to_input(f)
        out += [calcml.derive(text, "x"), calcml.gradient(text, "x, y")]
        out += [calcml.hessian(text, "x, y"), calcml.jacobian([text, "x*y"], "x, y")]
    rng = random.Random(seed)
    a, b = rng.randint(1, 4), rng.randint(1, 4)
    out.append(calcml.critical_points(f"x^3 - {3 * a * a}x + {b}y^2"))
    out.append(calcml.critical_points(f"-(x^2) - {b}*y^2 + {a}"))
    return out


def test_every_result_latex_renders_in_strict_katex_without_words_in_math() -> None:
    sources: list[str] = []
    for seed in (1, 2, 3):
        for result in _results(seed):
            sources.append(result.latex())  # type: ignore[attr-defined]
            sources += re.findall(r"\$\$(.*?)\$\$", result._repr_markdown_(), re.S)  # type: ignore[attr-defined]
    errors = katex_errors(sources)
    bad = [(tex, err) for tex, err in zip(sources, errors, strict=True) if err]
    assert not bad, bad[:3]
    worded = [(tex, _words_in_math(tex)) for tex in sources if _words_in_math(tex)]
    assert not worded, worded[:3]


def test_the_check_itself_fails_on_an_unknown_command_and_on_words() -> None:
    assert katex_errors([r"\nabla x", r"\foo x"]) == [None, katex_errors([r"\foo x"])[0]]
    assert katex_errors([r"\foo x"])[0] is not None
    assert _words_in_math(r"\nabla x^{2} withrespectto (x, y)") == ["withrespectto"]
    assert _words_in_math(r"\nabla \left(x\right) = 0 \text{ at } (1, 0)") == []


def test_critical_points_keep_the_parentheses_of_a_sum() -> None:
    tex = calcml.critical_points("x^3 - 3x + y^2").latex()
    assert tex.startswith(r"\nabla \left(") and r"\right) = 0" in tex
