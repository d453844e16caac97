"""CSRF, CSP and cookie flags, request size limits and per-client rate limits."""

from __future__ import annotations

from fastapi.testclient import TestClient

from calcml.web.security import RateLimiter


def _token(client: TestClient) -> str:
    client.get("/calc")
    return client.cookies["calcml_csrf"]


def test_csp_forbids_inline_script_and_eval(client: TestClient) -> None:
    r = client.get("/calc")
    csp = r.headers["content-security-policy"]
    script = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
    assert script.split() == ["script-src", "'self'"]
    assert "unsafe-eval" not in csp and "frame-ancestors 'none'" in csp
    assert "<script>" not in r.text and "<script " not in r.text.replace("<script defer src=", "")


def test_htmx_is_the_pinned_major_with_eval_and_indicator_styles_off(client: TestClient) -> None:
    """Every page configures htmx before it loads: no eval (hx-on, js: filters), no script
    tags from swapped HTML, no injected indicator <style>; the vendored copy is htmx 2."""
    import html
    import json
    import re
    from pathlib import Path

    import calcml.web

    for path in ("/", "/calc", "/practice?skill=power-rule&seed=1&difficulty=1"):
        text = client.get(path).text
        meta = re.search(r'<meta name="htmx-config" content=\'([^\']*)\'>', text)
        assert meta, path
        config = json.loads(html.unescape(meta.group(1)))
        assert config["allowEval"] is False and config["allowScriptTags"] is False
        assert config["includeIndicatorStyles"] is False
        assert text.index('name="htmx-config"') < text.index("htmx.min.js")
    vendor = Path(calcml.web.__file__).parent / "static" / "vendor"
    version = json.loads((vendor / "VENDORED.json").read_text())["htmx"]["version"]
    assert version.split(".")[0] == "2"
    assert f'version:"{version}"' in (vendor / "htmx" / "htmx.min.js").read_text()


def test_cookies_are_httponly_samesite_lax_and_secure_when_configured(make_client) -> None:
    for secure in (False, True):
        c = make_client(secure_cookies=secure)
        r = c.get("/", headers={"cookie": ""})
        cookies = r.headers.get_list("set-cookie")
        assert any(k.startswith("calcml_learner=") for k in cookies)
        for cookie in cookies:
            flags = cookie.lower()
            assert "httponly" in flags and "samesite=lax" in flags
            assert ("secure" in flags.split("; ")) == secure


def test_forms_and_api_need_the_csrf_token_when_cookies_are_sent(client: TestClient) -> None:
    token = _token(client)
    form = {"skill": "power-rule", "seed": "3", "difficulty": "1", "answer": "2*x"}
    assert client.post("/practice/answer", data=form).status_code == 403
    assert client.post("/practice/answer", data={**form, "csrf": "x" * 40}).status_code == 403
    assert client.post("/practice/answer", data={**form, "csrf": token}).status_code == 200
    assert client.post("/api/parse", json={"expr": "x"}).status_code == 403
    ok = client.post("/api/parse", json={"expr": "x"}, headers={"X-CSRF-Token": token})
    assert ok.status_code == 200


def test_a_script_without_cookies_calls_the_api_without_a_token(client: TestClient) -> None:
    client.cookies.clear()
    assert client.post("/api/parse", json={"expr": "x^2"}).status_code == 200


def test_a_cross_site_origin_gets_no_token_from_a_guess(client: TestClient) -> None:
    _token(client)
    r = client.post("/practice/solution", data={"skill": "power-rule", "seed": "1"})
    assert r.status_code == 403


def test_oversized_bodies_are_refused(client: TestClient) -> None:
    r = client.post("/api/parse", content=b"x" * 100_000, headers={"content-type": "text/plain"})
    assert r.status_code == 413


def test_rate_limit_per_client_with_retry_after(make_client) -> None:
    c = make_client(rate_per_minute=3)
    codes = [c.get("/calc.json?op=derive&q=x^2").status_code for _ in range(5)]
    assert codes[:3] == [200, 200, 200] and codes[-1] == 429
    r = c.get("/calc.json?op=derive&q=x^2")
    assert int(r.headers["retry-after"]) >= 1


def test_rate_limiter_refills_with_time() -> None:
    now = [0.0]
    limiter = RateLimiter(60, clock=lambda: now[0])
    assert all(limiter.take("a") == 0 for _ in range(60))
    assert limiter.take("a") > 0 and limiter.take("b") == 0  # per client
    now[0] += 2.0
    assert limiter.take("a") == 0


def test_trusted_proxy_header_names_the_client(make_client) -> None:
    c = make_client(rate_per_minute=2, trusted_proxy_header="X-Forwarded-For")
    for who in ("10.0.0.1", "10.0.0.2"):
        codes = [
            c.get("/calc.json?op=derive&q=x", headers={"X-Forwarded-For": f"1.1.1.1, {who}"})
            for _ in range(2)
        ]
        assert [r.status_code for r in codes] == [200, 200]
