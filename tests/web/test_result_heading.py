"""The calculator's result heading is typeset (the matrix calculator showed "∇_w [...]" as plain
text), and every step list is numbered within its parent — the one partial the web app, the book
and Jupyter share (issue 14: web matrix calculator)."""

from __future__ import annotations

import html
import random
import re

import pytest
from fastapi.testclient import TestClient

from symbolic.test_latex_katex import katex_errors
from web.numbering import expected_numbers

HEADING = re.compile(r'<h2 class="question"><span class="math" data-tex="([^"]*)">([^<]*)</span>')
NUMBER = re.compile(r'<span class="number">([^<]*)</span>')


def _questions(seed: int) -> list[dict[str, str]]:
    rng = random.Random(seed)
    a, b, c = (rng.randint(1, 5) for _ in range(3))
    shapes = "X: n×d, w: d, y: n"
    return [
        {"op": "gradient", "q": "norm(X w - y)^2", "wrt": "w", "shapes": shapes},
        {"op": "gradient", "q": f"w^T A w + {a} norm(w)^2", "wrt": "w", "shapes": "A: d×d, w: d"},
        {"op": "hessian", "q": f"norm(X w - y)^2 + {b} norm(w)^2", "wrt": "w", "shapes": shapes},
        {"op": "derive", "q": f"sin({a}x^2) * exp({b}x)"},
        {"op": "gradient", "q": f"x^{a} y + {c} y^2"},
        {"op": "limit", "q": f"sin({a}x)/x", "wrt": "x", "at": "0"},
        {"op": "taylor", "q": f"exp({b}x)", "wrt": "x", "at": "0", "order": str(c)},
        {"op": "critical", "q": f"x^2 + {a} y^2 - {b} x"},
    ]


@pytest.mark.parametrize("seed", [1, 2])
def test_every_result_heading_is_typeset_and_valid_in_strict_katex(
    client: TestClient, seed: int
) -> None:
    sources = []
    for params in _questions(seed):
        page = client.get("/calc", params=params).text
        found = HEADING.search(page)
        assert found, (params, re.findall(r"<h2.*?</h2>", page, re.S))
        tex, text = html.unescape(found.group(1)), html.unescape(found.group(2))
        assert not re.fullmatch(r"\\text\{[^}]*\}", tex), tex  # a formula, not only words
        payload = client.get("/calc.json", params=params).json()
        assert text == payload["question"]  # without JavaScript: the Unicode question
        sources.append(tex)
    errors = katex_errors(sources)
    assert not [(t, e) for t, e in zip(sources, errors, strict=True) if e]


def test_the_matrix_heading_names_the_operator_and_the_variable(client: TestClient) -> None:
    for name in ("w", "v", "theta"):
        shapes = f"X: n×d, {name}: d, y: n"
        params = {"op": "gradient", "q": f"norm(X {name} - y)^2", "wrt": name, "shapes": shapes}
        found = HEADING.search(client.get("/calc", params=params).text)
        assert found
        tex = html.unescape(found.group(1))
        assert tex.startswith(r"\nabla_{") and "\\" + "Vert" not in tex[:8]


def test_nested_steps_on_the_calculator_are_numbered_within_their_parent(
    client: TestClient,
) -> None:
    nested = 0
    for params in _questions(3):
        page = client.get("/calc", params=params).text
        payload = client.get("/calc.json", params=params).json()
        assert NUMBER.findall(page) == expected_numbers(payload)
        nested += sum(n.count(".") > 1 for n in NUMBER.findall(page))
    assert nested > 0
