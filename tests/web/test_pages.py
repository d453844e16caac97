"""The pages without a browser: calculator results with typeset steps, the caret under bad
input, and the practice loop as a form that works without JavaScript."""

from __future__ import annotations

import html
import random
import re

from fastapi.testclient import TestClient

from calcml.learn.problems import problem
from calcml.learn.skills import SKILLS


def _token(client: TestClient) -> str:
    client.get("/calc")
    return client.cookies["calcml_csrf"]


def test_calculator_shows_typeset_steps_verified_and_links(client: TestClient) -> None:
    r = client.get("/calc", params={"op": "derive", "q": "x*sin(x^2)"})
    assert r.status_code == 200
    assert 'data-tex="2 x^{2} \\cos' in html.unescape(r.text).replace("&#34;", '"') or (
        "2 x^{2}" in html.unescape(r.text)
    )
    assert r.text.count('class="step"') >= 3 and "<details" in r.text
    assert "✓ verified" in r.text
    assert 'href="/calc.json?op=derive&amp;q=x%2Asin%28x%5E2%29"' in r.text
    assert client.get("/calc.json?op=derive&q=x%2Asin%28x%5E2%29").json()["question"]


def test_every_operation_answers_its_example(client: TestClient) -> None:
    from calcml.web.calculator import OPS

    for key, op in OPS.items():
        wrt = {"directional": "x, y", "derive": "w", "partial": "y"}.get(key, "")
        params = {"op": key, "q": op.example, "wrt": wrt}
        if key == "directional":
            params["direction"] = "1, 1"
        r = client.get("/calc", params=params)
        assert r.status_code == 200, (key, r.text[-800:])
        assert 'class="answer"' in r.text or "conditions" in r.text or "continuous" in r.text


def test_gradient_and_hessian_show_their_shape(client: TestClient) -> None:
    r = client.get("/calc", params={"op": "gradient", "q": "x^2*y + y^3"})
    assert "shape: (2,)" in r.text
    r = client.get("/calc", params={"op": "hessian", "q": "x^2*y + y^3"})
    assert "shape: 2×2" in r.text


def test_bad_expression_gets_a_caret_under_the_column(client: TestClient) -> None:
    for source in ("sin(x", "x + * 2", "2x +", "x^^2"):
        r = client.get("/calc/preview", params={"q": source})
        assert r.status_code == 200
        m = re.search(r'<pre class="caret"[^>]*>(.*?)\n( *)\^</pre>', r.text, re.S)
        assert m, (source, r.text)
        column = int(re.search(r"column (\d+)", r.text).group(1))
        assert html.unescape(m.group(1)) == source and len(m.group(2)) == column - 1
        page = client.get("/calc", params={"q": source})
        assert page.status_code == 200 and 'class="caret"' in page.text
        assert client.get("/calc.json", params={"q": source}).status_code == 400


def _practice(client: TestClient, skill: str, seed: int) -> str:
    r = client.get("/practice", params={"skill": skill, "seed": seed, "difficulty": 1})
    assert r.status_code == 200
    return r.text


def test_the_answer_and_solution_never_reach_the_page_before_submit(client: TestClient) -> None:
    for skill in random.Random(3).sample([s.id for s in SKILLS], 8):
        p = problem(skill, 11, 1)
        page = html.unescape(_practice(client, skill, 11))
        if p.answer.choices:  # a multiple-choice problem shows its choices, not which is right
            assert "✓" not in page
            continue
        for secret in {p.answer.to_dict().get("input"), p.answer.to_dict().get("latex")}:
            if secret and len(secret) > 3:
                assert secret not in page, (skill, secret)
        assert "Worked solution" not in page
        assert p.solution.to_dict()["steps"][0]["explanation"] not in page


def test_practice_loop_without_javascript(client: TestClient) -> None:
    token = _token(client)
    skill, seed = "power-rule", 3
    right = problem(skill, seed, 1).answer.to_dict()["input"]
    base = {"csrf": token, "skill": skill, "seed": str(seed), "difficulty": "1"}
    wrong = client.post("/practice/answer", data={**base, "answer": "18*x^3 + 5*x", "hints": "0"})
    assert "✗ Not yet" in wrong.text and "power" in wrong.text.lower()
    hint = client.get("/practice", params={"skill": skill, "seed": seed, "hints": 1})
    assert problem(skill, seed, 1).hints[0] in hint.text
    assert problem(skill, seed, 1).hints[1] not in hint.text
    ok = client.post("/practice/answer", data={**base, "answer": right, "hints": "1"})
    assert "✓ Correct" in ok.text and "Worked solution" in ok.text
    home = client.get("/")
    assert re.search(
        r'class="skill level-familiar">\s*<a href="/practice\?skill=power-rule"', home.text
    )


def test_attempts_after_the_solution_was_shown_do_not_count(client: TestClient) -> None:
    token = _token(client)
    skill, seed = "chain-rule", 5
    base = {"csrf": token, "skill": skill, "seed": str(seed), "difficulty": "1"}
    shown = client.post("/practice/solution", data=base)
    assert "Worked solution" in shown.text
    right = problem(skill, seed, 1).answer.to_dict()["input"]
    for _ in range(3):
        r = client.post("/practice/answer", data={**base, "answer": right, "hints": "0"})
        assert "does not count toward mastery" in r.text
    home = client.get("/")
    assert re.search(
        r'class="skill level-attempted">\s*<a href="/practice\?skill=chain-rule"', home.text
    ) or re.search(r'class="skill level-new">\s*<a href="/practice\?skill=chain-rule"', home.text)
    assert not re.search(
        r'class="skill level-familiar">\s*<a href="/practice\?skill=chain-rule"', home.text
    )


def test_next_problem_comes_from_the_schedule(client: TestClient) -> None:
    r = client.get("/practice", follow_redirects=False)
    assert r.status_code == 303
    first = SKILLS[0].id
    assert r.headers["location"].startswith(f"/practice?skill={first}&seed=")
