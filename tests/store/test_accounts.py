"""Accounts in the store: argon2id hashes, sessions revocable, log-in counted in the database
with one message for a wrong name and a wrong password, one-time reset codes, export/import,
merge of an anonymous learner (attempts kept, newer review wins), deletion and cleanup."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from argon2 import Type, extract_parameters, profiles
from sqlalchemy import Engine, create_engine, event, func, select
from sqlalchemy.orm import Session

from calcml.store import accounts, learners, ratelimit
from calcml.store.accounts import AccountError
from calcml.store.models import Attempt, SkillCard, User
from calcml.store.opening import connect
from calcml.store.progress import Progress
from calcml.store.ratelimit import RateLimited

T0 = datetime(2026, 11, 1, 9, tzinfo=UTC)
PRODUCTION = accounts.HASHER  # read at import, before any test replaces it (tests/hashing.py)
RIGHT = SimpleNamespace(correct=True, score=1.0, mistake=None, counted=True)
WRONG = SimpleNamespace(correct=False, score=0.0, mistake="chain_factor", counted=True)


def count(engine: Engine, model: type, *where: object) -> int:
    with Session(engine) as s:
        return int(s.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def test_password_is_stored_as_argon2id_never_in_clear(engine: Engine) -> None:
    user = accounts.create_user(engine, "Ada", "correct horse")
    with Session(engine) as s:
        row = s.get(User, user.id)
        assert row is not None
        assert row.password_hash.startswith("$argon2id$") and "correct horse" not in str(
            row.password_hash
        )
    assert user.name == "ada"  # names are case-insensitive
    assert accounts.authenticate(engine, "ADA", "correct horse", "c1").id == user.id


@pytest.mark.parametrize("name", ["ab", "a" * 41, "bad name", "<script>", ""])
def test_malformed_names_are_refused(engine: Engine, name: str) -> None:
    with pytest.raises(AccountError):
        accounts.create_user(engine, name, "long enough")


def test_short_and_overlong_passwords_are_refused(engine: Engine) -> None:
    for password in ("short", "x" * (accounts.MAX_PASSWORD + 1)):
        with pytest.raises(AccountError):
            accounts.create_user(engine, "ada", password)


def test_a_taken_name_is_refused(engine: Engine) -> None:
    accounts.create_user(engine, "ada", "password1")
    with pytest.raises(AccountError, match="taken"):
        accounts.create_user(engine, "ADA", "password2")


def test_wrong_name_and_wrong_password_read_the_same(engine: Engine) -> None:
    accounts.create_user(engine, "ada", "password1")
    messages = set()
    for name, password in [("ada", "wrong-pass"), ("nobody", "password1")]:
        with pytest.raises(AccountError) as caught:
            accounts.authenticate(engine, name, password, "c1")
        messages.add(caught.value.message)
    assert messages == {accounts.LOGIN_FAILED}


def test_an_unknown_name_costs_the_hashing_work_of_a_known_one(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The hash an unknown name is checked against has the parameters of the account hashes
    (argon2's own parser reads them), also when HASHER is replaced (here: the tests' cheap one;
    a dummy made once with the production costs made every test's unknown name a 64 MiB hash)."""
    accounts.create_user(engine, "ada", "password1")
    with Session(engine) as s:
        known = s.scalar(select(User.password_hash).where(User.name == "ada"))
    checked: list[str] = []
    verify = accounts._verify
    monkeypatch.setattr(accounts, "_verify", lambda h, p: checked.append(h) or verify(h, p))
    for name in ("nobody", "ada"):
        with pytest.raises(AccountError):
            accounts.authenticate(engine, name, "wrong-pass", "c1")
    assert checked[1] == known and checked[0] != known
    assert [extract_parameters(h) for h in checked] == [extract_parameters(str(known))] * 2


def test_production_hashes_cost_at_least_rfc_9106_low_memory() -> None:
    """The HASHER the product runs with (before the tests' cheap one replaces it) and its dummy:
    argon2id at RFC 9106's low-memory costs or more (64 MiB, 3 passes)."""
    floor = profiles.RFC_9106_LOW_MEMORY
    found = extract_parameters(accounts.dummy_hash(PRODUCTION))
    assert found.type is Type.ID
    assert found.memory_cost >= floor.memory_cost and found.time_cost >= floor.time_cost
    assert found.parallelism >= 1 and found.hash_len >= floor.hash_len
    assert (PRODUCTION.memory_cost, PRODUCTION.time_cost) == (found.memory_cost, found.time_cost)


def test_login_is_rate_limited_per_name_in_the_database(engine: Engine, url: str) -> None:
    accounts.create_user(engine, "ada", "password1")
    limit = ratelimit.RULES["login-name"].limit
    for i in range(limit):
        with pytest.raises(AccountError):
            accounts.authenticate(engine, "ada", f"guess{i}xx", f"client{i}", T0)
    with pytest.raises(RateLimited):  # even the right password, from another client
        accounts.authenticate(engine, "ada", "password1", "elsewhere", T0)
    # a second process (a new engine on the same database) sees the same count
    other = create_engine(url)
    with pytest.raises(RateLimited):
        accounts.authenticate(other, "ada", "password1", "elsewhere", T0)
    window = ratelimit.RULES["login-name"].window
    later = T0 + window + timedelta(seconds=1)
    assert accounts.authenticate(engine, "ada", "password1", "elsewhere", later).name == "ada"


def test_unknown_names_are_limited_like_known_ones(engine: Engine) -> None:
    limit = ratelimit.RULES["login-name"].limit
    for i in range(limit):
        with pytest.raises(AccountError):
            accounts.authenticate(engine, "ghost", "whatever1", f"c{i}", T0)
    with pytest.raises(RateLimited):
        accounts.authenticate(engine, "ghost", "whatever1", "cx", T0)


def test_sessions_are_stored_hashed_and_revocable(engine: Engine) -> None:
    user = accounts.create_user(engine, "ada", "password1")
    token = accounts.open_session(engine, user.id, T0)
    assert accounts.session_account(engine, token, T0 + timedelta(days=1)) == user
    assert accounts.session_account(engine, token, T0 + accounts.SESSION_AGE) is None  # expired
    assert accounts.session_account(engine, token + "x", T0) is None
    accounts.close_session(engine, token)
    assert accounts.session_account(engine, token, T0) is None


def test_password_change_ends_the_other_sessions(engine: Engine) -> None:
    user = accounts.create_user(engine, "ada", "password1")
    mine, other = accounts.open_session(engine, user.id), accounts.open_session(engine, user.id)
    with pytest.raises(AccountError):
        accounts.change_password(engine, user.id, "not-it-at-all", "password2", mine)
    accounts.change_password(engine, user.id, "password1", "password2", mine)
    assert accounts.session_account(engine, mine) == user
    assert accounts.session_account(engine, other) is None
    assert accounts.authenticate(engine, "ada", "password2", "c").id == user.id


def test_disabled_accounts_cannot_log_in_and_lose_sessions(engine: Engine) -> None:
    user = accounts.create_user(engine, "ada", "password1")
    token = accounts.open_session(engine, user.id)
    accounts.set_disabled(engine, user.id, True)
    assert accounts.session_account(engine, token) is None
    with pytest.raises(AccountError, match="wrong name or password"):
        accounts.authenticate(engine, "ada", "password1", "c")
    accounts.set_disabled(engine, user.id, False)
    assert accounts.authenticate(engine, "ada", "password1", "c").id == user.id


def test_reset_codes_work_once_for_their_account_only(engine: Engine) -> None:
    ada = accounts.create_user(engine, "ada", "password1")
    accounts.create_user(engine, "bob", "password1")
    token = accounts.open_session(engine, ada.id)
    code = accounts.issue_reset_code(engine, ada.id, "operator", T0)
    assert len(code) >= 20  # 80 random bits
    with pytest.raises(AccountError):
        accounts.redeem_reset_code(engine, "bob", code, "password9", "c", T0)
    with pytest.raises(AccountError):  # expired
        accounts.redeem_reset_code(engine, "ada", code, "password9", "c", T0 + timedelta(days=3))
    accounts.redeem_reset_code(engine, "ada", code, "password9", "c", T0)
    assert accounts.session_account(engine, token) is None  # every session ended
    assert accounts.authenticate(engine, "ada", "password9", "c").id == ada.id
    with pytest.raises(AccountError):  # used
        accounts.redeem_reset_code(engine, "ada", code, "password8", "c", T0)


def _record(url: str, learner: str, skill: str, verdict: object, when: datetime) -> None:
    Progress(url, learner=learner).record(skill, 1, 1, "x", verdict, now=when)


def test_merge_keeps_every_attempt_and_the_newer_review(engine: Engine, url: str) -> None:
    user = accounts.create_user(engine, "ada", "password1")
    _record(url, user.learner, "power-rule", WRONG, T0)  # account: older review
    _record(url, user.learner, "chain-rule", RIGHT, T0 + timedelta(days=5))  # account: newer
    _record(url, "web:anon1", "power-rule", RIGHT, T0 + timedelta(days=1))
    _record(url, "web:anon1", "chain-rule", WRONG, T0 + timedelta(days=2))
    _record(url, "web:anon1", "gd-step", RIGHT, T0 + timedelta(days=3))

    def card(learner: str, skill: str) -> dict:
        with Session(engine) as s:
            row = s.get(SkillCard, (learner, skill))
            assert row is not None
            return json.loads(row.card)

    expected = {
        "power-rule": card("web:anon1", "power-rule"),
        "chain-rule": card(user.learner, "chain-rule"),
        "gd-step": card("web:anon1", "gd-step"),
    }
    assert learners.merge(engine, "web:anon1", user.learner) == 3
    assert count(engine, Attempt, Attempt.learner == user.learner) == 5
    assert count(engine, Attempt, Attempt.learner == "web:anon1") == 0
    assert count(engine, SkillCard, SkillCard.learner == "web:anon1") == 0
    assert {s: card(user.learner, s) for s in expected} == expected


def test_a_retried_submission_is_recorded_once(engine: Engine, url: str) -> None:
    p = Progress(url, learner="web:a")
    for _ in range(3):
        p.record("power-rule", 1, 1, "3x^2", RIGHT, client_id="abc123", now=T0)
    assert count(engine, Attempt) == 1
    with Session(engine) as s:
        row = s.get(SkillCard, ("web:a", "power-rule"))
        assert row is not None and json.loads(row.card)["step"] is not None
    once = Progress(url, learner="web:b")
    once.record("power-rule", 1, 1, "3x^2", RIGHT, now=T0)
    reference = json.loads(s_card(engine, "web:b"))
    assert json.loads(s_card(engine, "web:a")) | {"card_id": 0} == reference | {"card_id": 0}


def s_card(engine: Engine, learner: str) -> str:
    with Session(engine) as s:
        row = s.get(SkillCard, (learner, "power-rule"))
        assert row is not None
        return row.card


def test_export_import_round_trip_is_idempotent(engine: Engine, tmp_path: Path) -> None:
    local = f"sqlite:///{tmp_path}/local.db"
    for i in range(6):
        _record(
            local,
            "default",
            ["power-rule", "gd-step"][i % 2],
            [RIGHT, WRONG][i % 3 == 0],
            T0 + timedelta(hours=i),
        )
    data = json.loads(json.dumps(learners.export(connect(local), "default")))
    user = accounts.create_user(engine, "ada", "password1")
    assert learners.import_progress(engine, user.learner, data) == 6
    assert learners.import_progress(engine, user.learner, data) == 0  # uploaded twice
    back = learners.export(engine, user.learner)
    assert back["attempts"] == data["attempts"]
    assert sorted(back["cards"], key=str) == sorted(data["cards"], key=str)


@pytest.mark.parametrize(
    "bad",
    [
        [],
        {"format": "other"},
        {"format": learners.FORMAT, "attempts": [{"skill": "x"}]},
        {"format": learners.FORMAT, "attempts": [{"skill": "x", "seed": -1, "at": "2026-01-01"}]},
        {"format": learners.FORMAT, "attempts": "many"},
        {"format": learners.FORMAT, "cards": [{"skill": "x", "card": 3, "due": "?"}]},
    ],
)
def test_malformed_exports_are_refused_and_nothing_stored(engine: Engine, bad: object) -> None:
    with pytest.raises(learners.BadExport):
        learners.import_progress(engine, "user:x", bad)
    assert count(engine, Attempt) == 0


def test_delete_account_removes_its_rows_only(engine: Engine, url: str) -> None:
    from calcml.store import classes

    ada = accounts.create_user(engine, "ada", "password1")
    bob = accounts.create_user(engine, "bob", "password1")
    taught = classes.create(engine, ada.id, "Calc 1")
    joined = classes.create(engine, bob.id, "Calc 2")
    classes.join(engine, ada.id, joined.join_code, "c")
    classes.join(engine, bob.id, taught.join_code, "c")
    accounts.open_session(engine, ada.id)
    for who in (ada, bob):
        _record(url, who.learner, "power-rule", RIGHT, T0)
    learners.delete_account(engine, ada.id)
    assert accounts.get(engine, ada.id) is None
    assert count(engine, Attempt, Attempt.learner == ada.learner) == 0
    assert count(engine, Attempt, Attempt.learner == bob.learner) == 1
    assert classes.get(engine, taught.id) is None
    assert classes.members(engine, joined.id) == []
    assert classes.of_user(engine, bob.id)[0] == [joined]


def test_cleanup_removes_only_stale_anonymous_learners(engine: Engine, url: str) -> None:
    user = accounts.create_user(engine, "ada", "password1")
    _record(url, "web:old", "power-rule", RIGHT, T0)
    _record(url, "web:new", "power-rule", RIGHT, T0 + timedelta(days=100))
    _record(url, "default", "power-rule", RIGHT, T0)  # the CLI's learner: never removed
    _record(url, user.learner, "power-rule", RIGHT, T0)  # accounts: never removed
    now = T0 + timedelta(days=200)
    done = learners.cleanup(engine, 180, now)
    assert done["anonymous learners"] == 1
    left = {"web:new", "default", user.learner}
    with Session(engine) as s:
        assert set(s.scalars(select(Attempt.learner))) == left
        assert set(s.scalars(select(SkillCard.learner))) == left
    assert learners.cleanup(engine, 180, now)["anonymous learners"] == 0


def at_once(n: int, work: Callable[[int], object]) -> list[object]:
    """Run work(0..n-1) in n threads released together (a barrier), so their transactions
    overlap; every result, or the first exception."""
    gate = threading.Barrier(n)

    def run(i: int) -> object:
        gate.wait(timeout=60)
        return work(i)

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(run, range(n)))


def card_of(engine: Engine, learner: str, skill: str = "power-rule") -> dict:
    """A learner's review card, without its random id."""
    with Session(engine) as s:
        row = s.get(SkillCard, (learner, skill))
        assert row is not None
        return json.loads(row.card) | {"card_id": 0}


@pytest.mark.parametrize("threads", [2, 8])
def test_concurrent_retries_of_one_submission_store_one_row(
    engine: Engine, url: str, threads: int
) -> None:
    """Threads send the same submission at once (a client retrying over a flaky link): one
    attempt row and one review, the card of the same submission recorded once."""
    for rnd in range(3):
        learner, ident = f"web:a{rnd}", f"same-id-{rnd}"

        def send(_: int, learner: str = learner, ident: str = ident) -> str:
            return Progress(url, learner=learner).record(
                "power-rule", 1, 1, "3x^2", RIGHT, client_id=ident, now=T0
            )

        at_once(threads, send)
        assert count(engine, Attempt, Attempt.learner == learner) == 1
    Progress(url, learner="web:once").record("power-rule", 1, 1, "3x^2", RIGHT, now=T0)
    assert card_of(engine, "web:a0") == card_of(engine, "web:once")


@pytest.mark.parametrize("with_ids", [True, False])
def test_concurrent_distinct_submissions_are_all_stored(
    engine: Engine, url: str, with_ids: bool
) -> None:
    """Eight different answers of one learner at once, on a skill with no review card yet
    (every transaction creates it): eight rows, and the card of the same eight recorded one by
    one (two inserts of the first card must not lose an attempt). Every answer is right and
    at one time, so the order of the reviews cannot matter, while each changes the card."""
    verdicts = [RIGHT] * 8

    def send(i: int) -> str:
        ident = f"id-{i}" if with_ids else None
        return Progress(url, learner="web:a").record(
            "power-rule", i, 1, "x", verdicts[i], client_id=ident, now=T0
        )

    at_once(len(verdicts), send)
    with Session(engine) as s:
        seeds = sorted(s.scalars(select(Attempt.seed).where(Attempt.learner == "web:a")))
    assert seeds == list(range(len(verdicts)))
    one_by_one = Progress(url, learner="web:ref")
    for i, verdict in enumerate(verdicts):
        one_by_one.record("power-rule", i, 1, "x", verdict, now=T0)
    assert card_of(engine, "web:a") == card_of(engine, "web:ref")


def test_concurrent_uploads_of_one_export_store_it_once(engine: Engine, tmp_path: Path) -> None:
    local = f"sqlite:///{tmp_path}/local.db"
    for i in range(5):
        _record(local, "default", "power-rule", [RIGHT, WRONG][i % 2], T0 + timedelta(hours=i))
    data = learners.export(connect(local), "default")
    user = accounts.create_user(engine, "ada", "password1")
    added = at_once(4, lambda _: learners.import_progress(engine, user.learner, data))
    assert sorted(added) == [0, 0, 0, 5]  # type: ignore[type-var]
    assert count(engine, Attempt, Attempt.learner == user.learner) == 5


@pytest.mark.parametrize("old_window", [False, True])
def test_concurrent_failures_are_all_counted(engine: Engine, old_window: bool) -> None:
    """30 failures of one key from 6 threads: 30 counted, also when the key has an ended
    window to replace (a new window started twice at once must not drop counts)."""
    from calcml.store.models import LoginAttempt

    if old_window:
        ratelimit.count(engine, "join", "c", T0 - ratelimit.RULES["join"].window * 2)
    at_once(6, lambda _: [ratelimit.count(engine, "join", "c", T0) for _ in range(5)])
    with Session(engine) as s:
        row = s.get(LoginAttempt, "join:c")
        assert row is not None and row.count == 30


def test_parallel_guesses_get_no_more_tries_than_the_limit(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Thirty wrong passwords for one name at once: exactly `limit` are checked, the others are
    refused (a check before hashing and a count after let every parallel guess through)."""
    import time

    accounts.create_user(engine, "ada", "password1")
    checked = accounts._verify

    def slow(stored: str, password: str) -> bool:  # a real hash takes a while
        time.sleep(0.2)
        return checked(stored, password)

    monkeypatch.setattr(accounts, "_verify", slow)

    def guess(i: int) -> str:
        try:
            accounts.authenticate(engine, "ada", f"guess-{i}xx", f"client{i}", T0)
        except RateLimited:
            return "limited"
        except AccountError as error:
            return error.message
        return "in"

    seen = at_once(30, guess)
    limit = ratelimit.RULES["login-name"].limit
    assert seen.count(accounts.LOGIN_FAILED) == limit and seen.count("limited") == 30 - limit


def test_a_success_gives_its_client_count_back(engine: Engine) -> None:
    """Successful log-ins from one address (a classroom behind one NAT) are not failures."""
    accounts.create_user(engine, "ada", "password1")
    limit = ratelimit.RULES["login-client"].limit
    for _ in range(limit + 5):
        accounts.authenticate(engine, "ada", "password1", "school", T0)
    for i in range(limit):
        with pytest.raises(AccountError):
            accounts.authenticate(engine, f"name{i}", "wrong-pass", "school", T0)
    with pytest.raises(RateLimited):
        accounts.authenticate(engine, "ada", "password1", "school", T0)


@contextmanager
def slow_reads_of(engine: Engine, table: str, seconds: float = 0.05) -> Iterator[None]:
    """Every statement that reads `table` waits a moment first, inside its transaction: the
    time between a check and a count, where parallel attempts once all got through."""

    def wait(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        if f"FROM {table}" in statement:
            time.sleep(seconds)

    event.listen(engine, "before_cursor_execute", wait)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", wait)


ATTEMPTS = 30


def endings(n: int, attempt: Callable[[int], object]) -> list[str]:
    """Run attempt(0..n-1) at once (`at_once`); how each ended: "limited", the message it was
    refused with, or "done"."""
    from calcml.store.classes import ClassError

    def one(i: int) -> str:
        try:
            attempt(i)
        except RateLimited:
            return "limited"
        except (AccountError, ClassError) as error:
            return str(error)
        return "done"

    return [str(e) for e in at_once(n, one)]


def stops_at_the_limit(
    engine: Engine, rule: str, table: str, refused: str, guess: Callable[[int], object]
) -> None:
    """ATTEMPTS wrong guesses at once, each read of `table` slowed: exactly the limit of `rule`
    are tried (refused with the message `refused`), every other one is rate-limited."""
    with slow_reads_of(engine, table):
        seen = endings(ATTEMPTS, guess)
    limit = ratelimit.RULES[rule].limit
    assert seen.count(refused) == limit
    assert seen.count("limited") == ATTEMPTS - limit


@pytest.mark.parametrize("shared", ["client", "account"])
def test_parallel_join_guesses_get_no_more_tries_than_the_limit(
    engine: Engine, shared: str
) -> None:
    """Thirty wrong join codes at once, from one client (many accounts) or one account (many
    clients): exactly `limit` are looked up, the others refused, and so is the right code
    afterwards; no attempt passes a check that a parallel one has not yet counted."""
    from calcml.store import classes

    owner = accounts.create_user(engine, "teach", "password1")
    room = classes.create(engine, owner.id, "Calc")
    ada = accounts.create_user(engine, "ada", "password1")
    users = (
        [accounts.create_user(engine, f"user{i}", "password1") for i in range(ATTEMPTS)]
        if shared == "client"
        else [ada] * ATTEMPTS
    )

    def client(i: int) -> str:
        return "school" if shared == "client" else f"client{i}"

    def guess(i: int) -> object:
        return classes.join(engine, users[i].id, f"wrong-{i}", client(i), T0)

    stops_at_the_limit(engine, "join", "classes", classes.JOIN_FAILED, guess)
    with pytest.raises(RateLimited):
        classes.join(engine, users[0].id, room.join_code, client(0), T0)


def test_joins_that_work_are_not_counted(engine: Engine) -> None:
    """A class joining from one address (a school behind one NAT): more joins than the limit,
    all at once, all in; a wrong code afterwards is still looked up."""
    from calcml.store import classes

    owner = accounts.create_user(engine, "teach", "password1")
    room = classes.create(engine, owner.id, "Calc")
    limit = ratelimit.RULES["join"].limit
    users = [accounts.create_user(engine, f"user{i}", "password1") for i in range(limit + 5)]
    joined = at_once(
        len(users), lambda i: classes.join(engine, users[i].id, room.join_code, "school", T0)
    )
    assert joined == [room] * len(users)
    assert {a.id for a in classes.members(engine, room.id)} == {u.id for u in users}
    with pytest.raises(classes.ClassError):
        classes.join(engine, users[0].id, "wrong", "school", T0)


def test_parallel_reset_code_guesses_get_no_more_tries_than_the_limit(engine: Engine) -> None:
    """Thirty wrong reset codes at once from one client: exactly `limit` are looked up, the
    others refused, and so is the right code afterwards (the password is unchanged)."""
    ada = accounts.create_user(engine, "ada", "password1")
    code = accounts.issue_reset_code(engine, ada.id, "operator", T0)

    def guess(i: int) -> object:
        return accounts.redeem_reset_code(engine, "ada", f"{i:020x}", "password9", "net", T0)

    stops_at_the_limit(engine, "reset", "reset_codes", accounts.RESET_FAILED, guess)
    with pytest.raises(RateLimited):
        accounts.redeem_reset_code(engine, "ada", code, "password9", "net", T0)
    assert accounts.authenticate(engine, "ada", "password1", "elsewhere", T0).id == ada.id


def test_reset_codes_that_work_are_not_counted(engine: Engine) -> None:
    """An instructor resets a whole class from one address: more than `limit` codes redeemed,
    and a wrong one afterwards is still looked up rather than refused."""
    limit = ratelimit.RULES["reset"].limit
    users = [accounts.create_user(engine, f"user{i}", "password1") for i in range(limit + 3)]
    codes = [accounts.issue_reset_code(engine, u.id, "teach", T0) for u in users]
    for user, code in zip(users, codes, strict=True):
        assert accounts.redeem_reset_code(engine, user.name, code, "password9", "net", T0)
    with pytest.raises(AccountError):
        accounts.redeem_reset_code(engine, users[0].name, codes[0], "password8", "net", T0)


def test_take_all_lets_exactly_the_limit_through_and_gives_back_on_refusal(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The helper every rate-limited attempt uses (log-in, sign-up, join, reset): thirty at
    once pass `limit` times; when the second key goes past its limit (a parallel attempt took
    the last try after both checks passed), the first is given back."""
    from calcml.store.models import LoginAttempt

    limit = ratelimit.RULES["signup-client"].limit
    for _ in range(limit - 10):
        ratelimit.count(engine, "signup-client", "net", T0)

    seen = endings(ATTEMPTS, lambda _: ratelimit.take_all(engine, [("signup-client", "net")], T0))
    assert seen.count("done") == 10 and seen.count("limited") == ATTEMPTS - 10
    for _ in range(ratelimit.RULES["join"].limit):
        ratelimit.count(engine, "join", "user:ada", T0)
    monkeypatch.setattr(ratelimit, "check", lambda *_: None)  # both checks passed
    with pytest.raises(RateLimited):
        ratelimit.take_all(engine, [("join", "net"), ("join", "user:ada")], T0)
    with Session(engine) as s:
        row = s.get(LoginAttempt, "join:net")
        assert row is not None and row.count == 0
