"""Safety for every request: security headers (CSP: no inline script, no code from strings),
a request size limit, CSRF tokens (double-submit: an HttpOnly cookie and a form field or
header), cookies HttpOnly + SameSite=Lax, and a per-client rate limit on engine verbs."""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections.abc import Callable
from typing import Any

from fastapi import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from calcml.web.config import MAX_UPLOAD_BYTES, UPLOAD_PATHS, WebConfig
from calcml.web.errors import WebError

CSRF_COOKIE = "calcml_csrf"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
NO_COOKIE_PATHS = ("/api/", "/health", "/static/")

# KaTeX's output carries inline style attributes, Plotly adds <style> elements: styles may be
# inline, scripts never (neither unsafe-inline nor the string-evaluation source for script-src).
CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
}


def cookie_options(config: WebConfig) -> dict[str, Any]:
    """Every cookie calcml sets: HttpOnly, SameSite=Lax, Secure when configured."""
    return {"httponly": True, "samesite": "lax", "secure": config.secure_cookies, "path": "/"}


class Guard:
    """Pure ASGI middleware: refuses oversized bodies (413), adds the security headers, and
    gives every client a CSRF token (request.state.csrf; the cookie is set when new)."""

    def __init__(self, app: ASGIApp, config: WebConfig) -> None:
        self.app = app
        self.config = config

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.config.max_body_bytes
        if scope.get("path") in UPLOAD_PATHS:
            limit = MAX_UPLOAD_BYTES
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > limit):
            await _too_large(send, limit)
            return
        token, fresh = _csrf_token(headers.get(b"cookie", b"").decode("latin-1"))
        static = scope.get("path", "").startswith("/static/")
        if scope.get("path", "").startswith(NO_COOKIE_PATHS):
            fresh = False  # API clients and load balancers are given no cookie
        scope.setdefault("state", {})["csrf"] = token
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise WebError(413, f"request body over {limit} bytes")
            return message

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                out = list(message.get("headers", []))
                have = {k.lower() for k, _ in out}
                out += [
                    (k.encode(), v.encode()) for k, v in HEADERS.items() if k.encode() not in have
                ]
                if fresh:
                    out.append((b"set-cookie", _cookie(CSRF_COOKIE, token, self.config)))
                if static:  # URLs carry the version (?v=): a new release is a new URL
                    out.append((b"cache-control", b"public, max-age=31536000, immutable"))
                message["headers"] = out
            await send(message)

        await self.app(scope, counted, send_with_headers)


async def _too_large(send: Send, limit: int) -> None:
    body = f'{{"error": "request body over {limit} bytes"}}'.encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                *[(k.encode(), v.encode()) for k, v in HEADERS.items()],
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _cookies(header: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in header.split(";"):
        name, _, value = part.strip().partition("=")
        if name:
            out[name] = value
    return out


def _csrf_token(cookie_header: str) -> tuple[str, bool]:
    """The client's CSRF token from its cookie, or a new one (and True: set the cookie)."""
    token = _cookies(cookie_header).get(CSRF_COOKIE, "")
    if 20 <= len(token) <= 100 and token.replace("-", "").replace("_", "").isalnum():
        return token, False
    return secrets.token_urlsafe(32), True


def _cookie(name: str, value: str, config: WebConfig) -> bytes:
    parts = [f"{name}={value}", "Path=/", "HttpOnly", "SameSite=Lax"]
    if config.secure_cookies:
        parts.append("Secure")
    return "; ".join(parts).encode("latin-1")


async def check_csrf(request: Request) -> None:
    """Refuse a state-changing request whose token (header or form field `csrf`) does not
    match the client's CSRF cookie. A request that carries no cookie at all (a script calling
    the JSON API) has no ambient authority to abuse and needs no token."""
    if request.method not in UNSAFE:
        return
    cookie = request.cookies.get(CSRF_COOKIE)
    if not request.cookies:
        return
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and "form" in request.headers.get("content-type", ""):
        value = (await request.form()).get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not cookie or not sent or not hmac.compare_digest(cookie, sent):
        raise WebError(403, "the form's security token is missing or stale: reload the page")


def client_address(request: Request, config: WebConfig) -> str:
    """The client for rate limiting: the trusted proxy's header (its last, proxy-added entry)
    when configured, else the socket's peer."""
    if config.trusted_proxy_header:
        forwarded = request.headers.get(config.trusted_proxy_header, "")
        last = forwarded.split(",")[-1].strip()
        if last:
            return last
    return request.client.host if request.client else "unknown"


class RateLimiter:
    """A token bucket per client: `per_minute` engine requests, refilled continuously.
    `clock` is injectable so tests need not wait."""

    MAX_CLIENTS = 10_000  # buckets kept; the oldest are dropped beyond this

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self.clock = clock
        self.buckets: dict[str, tuple[float, float]] = {}
        self.lock = threading.Lock()

    def take(self, client: str) -> float:
        """Spend one token; 0.0 when allowed, else the seconds to wait."""
        now = self.clock()
        with self.lock:
            tokens, then = self.buckets.pop(client, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - then) * self.rate)
            wait = 0.0 if tokens >= 1 else (1 - tokens) / self.rate
            self.buckets[client] = (tokens - 1 if wait == 0 else tokens, now)
            while len(self.buckets) > self.MAX_CLIENTS:
                self.buckets.pop(next(iter(self.buckets)))
        return wait
