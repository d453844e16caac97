"""Classes through the web: two instructors, learners in different classes; each instructor
sees only their class, each learner only their own problem sets; join links and codes (rate
limited), problem sets fixed or per learner with the due date in the learner's time zone,
the dashboard (mastery, accuracy, mistakes with feedback, not seen) and its CSV (formula
injection escaped), reset codes only for one's own learners."""

from __future__ import annotations

import csv
import html
import io
import re

import pytest
from fastapi.testclient import TestClient
from tests.web.accounts_helpers import PASSWORD, class_id_from, login, post, signup

from calcml.learn.mistakes import MISTAKES
from calcml.learn.problems import problem
from calcml.store import ratelimit
from calcml.web.classes import FORMULA_STARTS, safe_cell
from hashing import fast_hashes


@pytest.fixture(autouse=True)
def _fast(monkeypatch: pytest.MonkeyPatch) -> None:
    fast_hashes(monkeypatch)


def make_class(client: TestClient, name: str) -> tuple[str, str]:
    r = post(client, "/classes", name=name)
    room = class_id_from(str(r.url))
    code = re.search(r"/join/([A-Za-z0-9_-]+)", r.text)
    assert code
    return room, code.group(1)


def join(client: TestClient, code: str) -> object:
    page = client.get(f"/join/{code}")
    assert page.status_code == 200 and 'name="code"' in page.text
    return post(client, "/classes/join", code=code)


@pytest.fixture
def school(make_client):
    """Instructors tina and tom; ada in tina's class, bob in tom's class."""
    people = {n: make_client() for n in ("tina", "tom", "ada", "bob")}
    for name, c in people.items():
        signup(c, name)
    room_i, code_i = make_class(people["tina"], "Calculus I")
    room_j, code_j = make_class(people["tom"], "Calculus J")
    join(people["ada"], code_i)
    join(people["bob"], code_j)
    return people, {"i": room_i, "j": room_j}


def test_join_link_and_class_lists(school) -> None:
    people, _ = school
    assert "Calculus I" in people["ada"].get("/classes").text
    assert "Calculus J" not in people["ada"].get("/classes").text
    assert "Calculus I" in people["tina"].get("/classes").text


def test_instructors_see_only_their_classes(school) -> None:
    people, rooms = school
    ti, tj = people["tina"], people["tom"]
    own = ti.get(f"/classes/{rooms['i']}")
    assert own.status_code == 200 and "ada" in own.text and "bob" not in own.text
    for url in (f"/classes/{rooms['j']}", f"/classes/{rooms['j']}/dashboard.csv"):
        assert ti.get(url).status_code == 404
    assert (
        post(ti, f"/classes/{rooms['j']}/sets", title="x", skills="power-rule").status_code == 404
    )
    assert tj.get(f"/classes/{rooms['j']}/dashboard.csv").text.count("\n") == 2  # bob only
    assert "ada" not in tj.get(f"/classes/{rooms['j']}/dashboard.csv").text


def test_learners_see_only_their_own_data(school) -> None:
    people, rooms = school
    ada = people["ada"]
    mine = ada.get(f"/classes/{rooms['i']}")
    assert mine.status_code == 200
    assert "Learners (" not in mine.text and "join code" not in mine.text  # no dashboard
    assert ada.get(f"/classes/{rooms['j']}").status_code == 404  # not her class
    assert ada.get(f"/classes/{rooms['i']}/dashboard.csv").status_code == 404
    assert (
        post(ada, f"/classes/{rooms['i']}/sets", title="x", skills="power-rule").status_code == 404
    )
    anonymous = TestClient(ada.app, base_url="http://127.0.0.1")
    assert anonymous.get(f"/classes/{rooms['i']}", follow_redirects=False).status_code == 303


def test_reset_codes_only_for_ones_own_learners(school) -> None:
    people, rooms = school
    ti, ada, bob = people["tina"], people["ada"], people["bob"]
    dashboard = ti.get(f"/classes/{rooms['i']}").text
    ada_id = re.search(r'name="user_id" value="([0-9a-f]+)"', dashboard)
    assert ada_id
    bob_id = re.search(
        r'name="user_id" value="([0-9a-f]+)"', people["tom"].get(f"/classes/{rooms['j']}").text
    )
    assert bob_id
    assert post(ti, f"/classes/{rooms['i']}/reset", user_id=bob_id.group(1)).status_code == 404
    assert post(bob, f"/classes/{rooms['i']}/reset", user_id=ada_id.group(1)).status_code == 404
    r = post(ti, f"/classes/{rooms['i']}/reset", user_id=ada_id.group(1))
    code = re.search(r'<code class="secret">([0-9a-f]+)</code>', r.text)
    assert code
    assert ada.get("/account").status_code == 200
    used = post(ada, "/reset", name="ada", code=code.group(1), password="brand new pass")
    assert "Password set" in used.text
    assert ada.get("/account", follow_redirects=False).status_code == 303  # sessions ended
    again = post(ada, "/reset", name="ada", code=code.group(1), password="another new one")
    assert again.status_code == 400
    assert login(ada, "ada", "brand new pass").status_code == 200
    assert login(bob, "ada", PASSWORD).status_code == 400


def test_join_codes_are_rate_limited(school) -> None:
    people, rooms = school
    bob = people["bob"]
    for i in range(ratelimit.RULES["join"].limit):
        assert post(bob, "/classes/join", code=f"wrong{i}").status_code == 400
    page = people["tina"].get(f"/classes/{rooms['i']}").text
    code = re.search(r"/join/([A-Za-z0-9_-]+)", page)
    assert code
    assert post(bob, "/classes/join", code=code.group(1)).status_code == 429


def test_problem_sets_and_due_dates_in_the_learners_time_zone(school, make_client) -> None:
    people, rooms = school
    ti, ada = people["tina"], people["ada"]
    carl = make_client()
    signup(carl, "carl")
    code = re.search(r"/join/([A-Za-z0-9_-]+)", ti.get(f"/classes/{rooms['i']}").text)
    assert code
    join(carl, code.group(1))
    post(ti, "/account/timezone", zone="America/New_York")
    post(ada, "/account/timezone", zone="Europe/Berlin")
    room = f"/classes/{rooms['i']}"
    for title, per_learner in (("Same", ""), ("Own", "on")):
        data = {
            "title": title,
            "skills": ["power-rule", "chain-rule"],
            "difficulty": "2",
            "count": "2",
            "due": "2026-12-01T17:00",
        }
        if per_learner:
            data["per_learner"] = per_learner
        r = ti.post(f"{room}/sets", data={"csrf": ti.cookies["calcml_csrf"], **data})
        assert r.status_code == 200 and title in r.text
    page = ada.get(room).text
    assert "Due 2026-12-01 23:00 CET" in page  # 17:00 in New York = 22:00 UTC = 23:00 Berlin
    assert "Due 2026-12-01 22:00 UTC" in carl.get(room).text

    def links(text: str, title: str) -> list[str]:
        part = text.split(f"<h2>{title}</h2>")[1].split("</section>")[0]
        return re.findall(r'href="(/practice\?[^"]+)"', part)

    ada_page, carl_page = ada.get(room).text, carl.get(room).text
    assert len(links(ada_page, "Same")) == 4
    assert links(ada_page, "Same") == links(carl_page, "Same")
    assert links(ada_page, "Own") != links(carl_page, "Own")
    # solving one marks it solved
    first = links(ada_page, "Same")[0].replace("&amp;", "&")
    params = dict(p.split("=") for p in first.split("?")[1].split("&"))
    answer = problem(params["skill"], int(params["seed"]), 2).answer.to_dict()["input"]
    post(ada, "/practice/answer", answer=answer, hints="0", **params)
    assert ada.get(room).text.count("✓ solved") >= 1
    bad = {"title": "x", "skills": ["no-such-skill"], "difficulty": "1", "count": "1"}
    assert (
        ti.post(f"{room}/sets", data={"csrf": ti.cookies["calcml_csrf"], **bad}).status_code == 400
    )


def test_dashboard_shows_mastery_mistakes_and_not_seen(school) -> None:
    people, rooms = school
    ti, ada = people["tina"], people["ada"]
    skill, seed = "chain-rule", 11
    p = problem(skill, seed, 1)
    kind, given = next(iter(p.mistakes.items()))  # the generator's own wrong answer
    base = {"skill": skill, "seed": str(seed), "difficulty": "1", "hints": "0"}
    post(ada, "/practice/answer", answer=str(given), **base)
    post(ada, "/practice/answer", answer=p.answer.to_dict()["input"], **base)
    page = ti.get(f"/classes/{rooms['i']}").text
    assert MISTAKES[kind].title in page and f"<code>{kind}</code>" in page
    assert MISTAKES[kind].feedback in html.unescape(page)  # the feedback the learner saw
    assert "Everyone practised recently" in page
    assert re.search(r"<td>ada</td>\s*<td>2</td>\s*<td>50%</td>", page)
    rows = list(csv.reader(io.StringIO(ti.get(f"/classes/{rooms['i']}/dashboard.csv").text)))
    assert rows[0][:3] == ["learner", "skill", "mastery"]
    assert rows[1][:3] == ["ada", skill, "familiar"] and rows[1][6:9] == ["2", "1", "0.50"]
    assert "never practised" in people["tom"].get(f"/classes/{rooms['j']}").text  # bob


@pytest.mark.parametrize("start", [*FORMULA_STARTS, "'", "a", "1", ""])
def test_csv_cells_cannot_start_a_formula(start: str) -> None:
    for rest in ("", "1+1", "cmd|' /C calc'!A0", 'HYPERLINK("http://x")'):
        value = start + rest
        cell = safe_cell(value)
        assert not cell.startswith(FORMULA_STARTS)
        assert cell.removeprefix("'") == value or cell == value
