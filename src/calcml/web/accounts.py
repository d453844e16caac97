"""Account pages: sign up, log in, log out, change password, time zone, reset with a code,
export / import / delete my data. Plain HTML forms (no JavaScript needed), CSRF-checked; the
messages never tell whether a name exists (but sign-up, which must say a name is taken, is
rate-limited per client). Passwords and tokens are never logged or echoed."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from functools import cache, partial
from typing import Any
from zoneinfo import available_timezones

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from calcml.store import accounts, learners, ratelimit
from calcml.store.accounts import Account, AccountError
from calcml.store.ratelimit import RateLimited
from calcml.web.config import MAX_UPLOAD_BYTES
from calcml.web.errors import WebError
from calcml.web.learner import SESSION_COOKIE, Who
from calcml.web.render import render
from calcml.web.security import check_csrf, client_address

router = APIRouter(include_in_schema=False)
CSRF = [Depends(check_csrf)]
MAX_NAME = 64  # characters of a name field (a valid name is at most 40)


@cache
def time_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def web(request: Request) -> Any:
    return request.app.state.web


async def store(request: Request, function: Any, *args: Any) -> Any:
    """Run a store function (engine first) in the thread pool."""
    return await run_in_threadpool(function, web(request).learners.engine, *args)


async def signed_in(request: Request) -> tuple[Who, Account]:
    """The requester's account, or a redirect to the log-in page."""
    who = await web(request).learners.who(request)
    if who.account is None:
        raise WebError(303, "log in first", {"Location": "/login"})
    return who, who.account


def page(
    request: Request, template: str, context: dict[str, Any], status: int = 200, **extra: Any
) -> Response:
    return render(request, template, {"error": None, "notice": None, **context}, status, **extra)


def failed(request: Request, template: str, context: dict[str, Any], error: Exception) -> Response:
    """The form again with the error: 429 (Retry-After) when rate-limited, else 400."""
    if isinstance(error, RateLimited):
        headers = {"Retry-After": str(error.retry_after)}
        return page(request, template, {**context, "error": str(error)}, 429, headers=headers)
    message = getattr(error, "message", str(error))
    return page(request, template, {**context, "error": message}, 400)


def _form(mode: str, name: str = "") -> dict[str, Any]:
    titles = {"login": "Log in", "signup": "Sign up", "reset": "Set a new password"}
    actions = {"login": "/login", "signup": "/signup", "reset": "/reset"}
    return {"title": titles[mode], "mode": mode, "action": actions[mode], "name": name}


async def _start_session(request: Request, account: Account) -> Response:
    """Merge the anonymous progress of this browser into `account`, open a session."""
    learners_ = web(request).learners
    who = await learners_.who(request)
    if who.account is None:
        await store(request, learners.merge, who.learner, account.learner)
    old = request.cookies.get(SESSION_COOKIE)
    if old:
        await store(request, accounts.close_session, old)
    token = await store(request, accounts.open_session, account.id)
    response = RedirectResponse("/account", 303)
    learners_.sign_in(response, token)
    return response


async def _submit(
    request: Request,
    mode: str,
    name: str,
    work: Callable[[str], Awaitable[Any]],
    done: Callable[[Any], Awaitable[Response]],
) -> Response:
    """One account form's POST: `work(client)`, then `done(its result)`; an account or rate-limit
    failure shows the same form again with the error (the name kept, cut to 64 characters)."""
    client = client_address(request, web(request).config)
    try:
        outcome = await work(client)
    except (AccountError, RateLimited) as error:
        return failed(request, "login.html", _form(mode, name[:64]), error)
    return await done(outcome)


def _credentials(
    name: str = Form(..., max_length=MAX_NAME),
    password: str = Form(..., max_length=accounts.MAX_PASSWORD),
) -> tuple[str, str]:
    """The name and password fields of the log-in and sign-up forms."""
    return name, password


def _form_page(mode: str) -> Callable[[Request], Awaitable[Response]]:
    async def show(request: Request) -> Response:
        return page(request, "login.html", _form(mode))

    return show


for _mode in ("login", "signup", "reset"):  # GET /login, /signup, /reset: the empty form
    router.add_api_route(f"/{_mode}", _form_page(_mode), methods=["GET"])


@router.post("/login", dependencies=CSRF)
async def login(request: Request, form: tuple[str, str] = Depends(_credentials)) -> Response:
    name, password = form

    async def work(client: str) -> Account:
        return await store(request, accounts.authenticate, name, password, client)  # type: ignore[no-any-return]

    return await _submit(request, "login", name, work, partial(_start_session, request))


@router.post("/signup", dependencies=CSRF)
async def signup(request: Request, form: tuple[str, str] = Depends(_credentials)) -> Response:
    name, password = form

    async def work(client: str) -> Account:
        # every sign-up counts (taken names too), before it is tried: parallel ones cannot pass
        await store(request, ratelimit.take_all, [("signup-client", client)])
        return await store(request, accounts.create_user, name, password)  # type: ignore[no-any-return]

    return await _submit(request, "signup", name, work, partial(_start_session, request))


@router.post("/logout", dependencies=CSRF)
async def logout(request: Request) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        await store(request, accounts.close_session, token)
    response = RedirectResponse("/", 303)
    web(request).learners.sign_out(response)
    return response


@router.post("/reset", dependencies=CSRF)
async def reset(
    request: Request,
    name: str = Form(..., max_length=MAX_NAME),
    code: str = Form(..., max_length=64),
    password: str = Form(..., max_length=accounts.MAX_PASSWORD),
) -> Response:
    async def work(client: str) -> None:
        await store(request, accounts.redeem_reset_code, name, code, password, client)

    async def done(_: None) -> Response:
        context = {**_form("login", name[:64]), "notice": "Password set: log in with it."}
        return page(request, "login.html", context)

    return await _submit(request, "reset", name, work, done)


async def _account_page(
    request: Request, status: int = 200, error: str | None = None, notice: str | None = None
) -> Response:
    _, account = await signed_in(request)
    context = {"title": "Account", "account": account, "error": error, "notice": notice}
    return render(request, "account.html", context, status)


@router.get("/account")
async def account_page(request: Request) -> Response:
    return await _account_page(request)


@router.post("/account/password", dependencies=CSRF)
async def change_password(
    request: Request,
    old: str = Form(..., max_length=accounts.MAX_PASSWORD),
    new: str = Form(..., max_length=accounts.MAX_PASSWORD),
) -> Response:
    _, account = await signed_in(request)
    token = request.cookies.get(SESSION_COOKIE, "")
    try:
        await store(request, accounts.change_password, account.id, old, new, token)
    except AccountError as error:
        return await _account_page(request, 400, error.message)
    return await _account_page(request, notice="Password changed; other sessions ended.")


@router.post("/account/timezone", dependencies=CSRF)
async def set_time_zone(request: Request, zone: str = Form(..., max_length=64)) -> Response:
    _, account = await signed_in(request)
    zone = zone.strip()
    if zone not in time_zones():
        return await _account_page(request, 400, f"unknown time zone {zone!r} (e.g. Europe/Paris)")
    await store(request, accounts.set_time_zone, account.id, zone)
    return RedirectResponse("/account", 303)


@router.get("/account/export")
async def export(request: Request) -> Response:
    """Everything stored about the account, as a JSON download."""
    from calcml.store import classes

    _, account = await signed_in(request)
    progress = await store(request, learners.export, account.learner)
    taught, joined = await store(request, classes.of_user, account.id)
    data = {
        "account": {
            "name": account.name,
            "time_zone": account.time_zone,
            "created": account.created.isoformat(),
        },
        "classes_taught": [{"name": c.name, "id": c.id} for c in taught],
        "classes_joined": [{"name": c.name, "id": c.id} for c in joined],
        **progress,
    }
    headers = {"Content-Disposition": 'attachment; filename="calcml-my-data.json"'}
    body = json.dumps(data, ensure_ascii=False, indent=1)
    return Response(body, media_type="application/json", headers=headers)


@router.post("/account/import", dependencies=CSRF)
async def import_progress(request: Request, file: UploadFile = File(...)) -> Response:
    """Add the progress exported by `calcml progress export` (the same file twice: once)."""
    _, account = await signed_in(request)
    raw = await file.read(MAX_UPLOAD_BYTES + 1)
    try:
        if len(raw) > MAX_UPLOAD_BYTES:
            raise learners.BadExport(f"the file is over {MAX_UPLOAD_BYTES:,} bytes")
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise learners.BadExport(
                "the file is not JSON (make it with calcml progress export)"
            ) from None
        added = await store(request, learners.import_progress, account.learner, data)
    except learners.BadExport as error:
        return await _account_page(request, 400, str(error))
    return await _account_page(request, notice=f"Imported {added} new attempts.")


@router.post("/account/delete", dependencies=CSRF)
async def delete_account(
    request: Request, password: str = Form(..., max_length=accounts.MAX_PASSWORD)
) -> Response:
    _, account = await signed_in(request)
    client = client_address(request, web(request).config)
    try:
        await store(request, accounts.authenticate, account.name, password, client)
    except (AccountError, RateLimited):
        return await _account_page(request, 400, "the password is wrong: nothing was deleted")
    await store(request, learners.delete_account, account.id)
    response = RedirectResponse("/", 303)
    web(request).learners.sign_out(response)
    return response
