"""Account flows through the HTML forms (TestClient, no JavaScript): sign up keeps the
anonymous progress, log in merges it, one message for a wrong name or password, log-in rate
limit counted in the database, sessions revoked by log-out and password change, reset codes,
export / import / delete my data, CSRF on every form, passwords and tokens never logged."""

from __future__ import annotations

import logging
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.web.accounts_helpers import (
    PASSWORD,
    csrf,
    engine_of,
    login,
    post,
    signup,
)

from calcml.learn.problems import problem
from calcml.store import accounts, ratelimit
from calcml.store.models import Attempt
from hashing import fast_hashes


@pytest.fixture(autouse=True)
def _fast(monkeypatch: pytest.MonkeyPatch) -> None:
    fast_hashes(monkeypatch)


def practise(client: TestClient, skill: str = "power-rule", seed: int = 3, right: bool = True):
    answer = problem(skill, seed, 1).answer.to_dict()["input"] if right else "0"
    fields = {"skill": skill, "seed": str(seed), "difficulty": "1", "hints": "0"}
    return post(client, "/practice/answer", answer=answer, **fields)


def attempts_of(client: TestClient, learner: str) -> list[tuple]:
    with Session(engine_of(client)) as s:
        return list(
            s.execute(
                select(Attempt.skill, Attempt.seed, Attempt.correct).where(
                    Attempt.learner == learner
                )
            )
        )


def learner_key(client: TestClient) -> str:
    token = client.cookies.get("calcml_session")
    if token:
        account = accounts.session_account(engine_of(client), token)
        assert account is not None
        return account.learner
    return "web:" + client.cookies["calcml_learner"]


def test_pages_render_and_need_no_javascript(client: TestClient) -> None:
    for url in ("/login", "/signup", "/reset"):
        r = client.get(url)
        assert r.status_code == 200
        # the form carries the token itself: a browser without JavaScript can post it
        assert f'name="csrf" value="{client.cookies["calcml_csrf"]}"' in r.text
    assert client.get("/account", follow_redirects=False).headers["location"] == "/login"
    assert client.get("/classes", follow_redirects=False).headers["location"] == "/login"


def test_signup_keeps_the_anonymous_progress(client: TestClient) -> None:
    assert "✓ Correct" in practise(client).text
    anonymous = learner_key(client)
    assert len(attempts_of(client, anonymous)) == 1
    signup(client, "ada")
    mine = learner_key(client)
    assert mine.startswith("user:")
    assert attempts_of(client, mine) == [("power-rule", 3, True)]
    assert attempts_of(client, anonymous) == []
    home = client.get("/")
    assert re.search(
        r'class="skill level-familiar">\s*<a href="/practice\?skill=power-rule"', home.text
    )


def test_login_from_another_browser_merges_its_progress(make_client) -> None:
    first, second = make_client(), make_client()
    signup(first, "ada")
    practise(first, "power-rule", 3)
    practise(second, "chain-rule", 5, right=False)  # anonymous on another browser
    assert login(second, "ada").status_code == 200
    key = learner_key(second)
    assert key == learner_key(first)
    assert sorted(attempts_of(second, key)) == [("chain-rule", 5, False), ("power-rule", 3, True)]


def test_cookies_are_httponly_and_lax(client: TestClient) -> None:
    csrf(client)
    r = post(client, "/signup", name="ada", password=PASSWORD)
    cookies = [h for k, h in r.history[0].headers.multi_items() if k == "set-cookie"]
    session = [c for c in cookies if c.startswith("calcml_session=")]
    assert session and "HttpOnly" in session[0] and "SameSite=lax" in session[0]


def test_no_user_enumeration_on_login(client: TestClient) -> None:
    signup(client, "ada")
    post(client, "/logout")
    wrong_password = login(client, "ada", "not the password")
    no_such_user = login(client, "nobody", "not the password")
    assert wrong_password.status_code == no_such_user.status_code == 400
    for r in (wrong_password, no_such_user):
        assert accounts.LOGIN_FAILED in r.text
        assert "nobody" not in r.text.replace('value="nobody"', "")


def test_login_rate_limit_is_counted_in_the_database(make_client) -> None:
    one, two = make_client(), make_client()
    signup(one, "ada")
    limit = ratelimit.RULES["login-name"].limit
    for i in range(limit):
        assert login(two, "ada", f"guess number {i}").status_code == 400
    blocked = login(two, "ada", PASSWORD)
    assert blocked.status_code == 429 and "Retry-After" in blocked.headers
    # another app (a second server on the same database) refuses too
    assert login(make_client(), "ada", PASSWORD).status_code == 429


def test_logout_revokes_the_session_server_side(client: TestClient) -> None:
    signup(client, "ada")
    token = client.cookies["calcml_session"]
    post(client, "/logout")
    assert "calcml_session" not in client.cookies
    client.cookies.set("calcml_session", token)  # a stolen copy of the cookie
    assert client.get("/account", follow_redirects=False).status_code == 303


def test_password_change_ends_the_other_sessions(make_client) -> None:
    here, there = make_client(), make_client()
    signup(here, "ada")
    login(there, "ada")
    assert there.get("/account").status_code == 200
    wrong = post(here, "/account/password", old="not it at all", new="a new password")
    assert wrong.status_code == 400
    r = post(here, "/account/password", old=PASSWORD, new="a new password")
    assert "other sessions ended" in r.text
    assert here.get("/account").status_code == 200
    assert there.get("/account", follow_redirects=False).status_code == 303
    assert login(there, "ada", "a new password").status_code == 200


@pytest.mark.parametrize(
    ("url", "fields"),
    [
        ("/signup", {"name": "ada", "password": PASSWORD}),
        ("/login", {"name": "ada", "password": PASSWORD}),
        ("/logout", {}),
        ("/reset", {"name": "ada", "code": "x", "password": PASSWORD}),
        ("/account/password", {"old": PASSWORD, "new": "another one"}),
        ("/account/delete", {"password": PASSWORD}),
        ("/account/timezone", {"zone": "UTC"}),
        ("/classes", {"name": "c"}),
        ("/classes/join", {"code": "x"}),
    ],
)
def test_every_form_needs_the_csrf_token(client: TestClient, url: str, fields: dict) -> None:
    signup(client, "ada")
    r = client.post(url, data=fields)
    assert r.status_code == 403
    assert client.get("/account").status_code == 200  # nothing happened to the session


def test_passwords_and_tokens_are_never_logged(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    signup(client, "ada", "s3cret-Passw0rd")
    token = client.cookies["calcml_session"]
    post(client, "/logout")
    login(client, "ada", "wrong-Passw0rd-x")
    login(client, "ada", "s3cret-Passw0rd")
    text = "\n".join(r.getMessage() for r in caplog.records)
    for secret in ("s3cret-Passw0rd", "wrong-Passw0rd-x", token, client.cookies["calcml_session"]):
        assert secret not in text


def test_export_import_and_delete_my_data(client: TestClient, tmp_path, monkeypatch) -> None:
    from calcml.cli import main

    signup(client, "ada")
    practise(client, "power-rule", 3)
    data = client.get("/account/export")
    assert data.headers["content-disposition"].startswith("attachment")
    mine = data.json()
    assert mine["account"]["name"] == "ada"
    assert [(a["skill"], a["seed"]) for a in mine["attempts"]] == [("power-rule", 3)]
    assert "password" not in data.text and "hash" not in data.text

    # the CLI's local progress, exported and uploaded (twice: stored once)
    monkeypatch.setenv("CALCML_DATA_DIR", str(tmp_path / "cli"))
    from calcml.learn.grader import Verdict
    from calcml.store import Progress

    Progress().record("gd-step", 7, 2, "0.5", Verdict(True, 1.0, "right"))
    target = tmp_path / "progress.json"
    assert main(["progress", "export", "-o", str(target)]) == 0
    for expected in ("Imported 1 new attempts", "Imported 0 new attempts"):
        files = {"file": ("progress.json", target.read_bytes(), "application/json")}
        r = client.post("/account/import", data={"csrf": csrf(client)}, files=files)
        assert expected in r.text
    bad = {"file": ("x.json", b"not json", "application/json")}
    assert client.post("/account/import", data={"csrf": csrf(client)}, files=bad).status_code == 400
    key = learner_key(client)
    assert sorted(attempts_of(client, key)) == [("gd-step", 7, True), ("power-rule", 3, True)]

    wrong = post(client, "/account/delete", password="not my password")
    assert wrong.status_code == 400 and attempts_of(client, key)
    post(client, "/account/delete", password=PASSWORD)
    assert attempts_of(client, key) == []
    assert accounts.find(engine_of(client), "ada") is None
    assert login(client, "ada").status_code == 400


def test_a_retried_submission_is_recorded_once(client: TestClient) -> None:
    page = client.get("/practice", params={"skill": "power-rule", "seed": 4, "difficulty": 1})
    attempt = re.search(r'name="attempt" value="([^"]+)"', page.text)
    assert attempt
    answer = problem("power-rule", 4, 1).answer.to_dict()["input"]
    fields = {"skill": "power-rule", "seed": "4", "difficulty": "1", "hints": "0"}
    for _ in range(3):
        r = post(client, "/practice/answer", answer=answer, attempt=attempt.group(1), **fields)
        assert "✓ Correct" in r.text
    assert len(attempts_of(client, learner_key(client))) == 1


def test_time_zone_is_checked(client: TestClient) -> None:
    signup(client, "ada")
    assert post(client, "/account/timezone", zone="Mars/Olympus").status_code == 400
    assert "Europe/Berlin" in post(client, "/account/timezone", zone="Europe/Berlin").text


def test_disabled_account_is_signed_out(client: TestClient) -> None:
    signup(client, "ada")
    engine = engine_of(client)
    ada = accounts.find(engine, "ada")
    assert ada is not None
    accounts.set_disabled(engine, ada.id, True)
    assert client.get("/account", follow_redirects=False).status_code == 303
    assert login(client, "ada").status_code == 400
