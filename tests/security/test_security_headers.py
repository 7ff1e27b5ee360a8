"""Every answer carries the security headers; pages work under a CSP without inline script;
HTTPS (directly or from a trusted proxy) adds HSTS and a Secure session cookie."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from niaga.testing import login

CHECKOUT = Path(__file__).resolve().parents[2]


def _directives(policy: str) -> dict[str, str]:
    return {p.split()[0]: p.partition(" ")[2] for p in policy.split("; ")}


@pytest.mark.parametrize("url", ["/admin/login", "/api/core/nope", "/static/niaga.css", "/healthz"])
def test_every_answer_carries_the_security_headers(client, url):
    response = client.get(url)
    policy = _directives(response.headers["Content-Security-Policy"])
    assert policy["script-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP


def test_no_template_has_inline_script():
    """The CSP forbids inline script: no <script> without src, no on...= handlers and no
    javascript: links in any template of core, the plugins or the examples."""
    templates = [
        *CHECKOUT.glob("core/niaga/**/*.html"),
        *CHECKOUT.glob("plugins/*/niaga_*/**/*.html"),
        *CHECKOUT.glob("examples/**/*.html"),
    ]
    assert templates
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=|javascript:", re.I)
    offenders = [str(t) for t in templates if inline.search(t.read_text(encoding="utf-8"))]
    assert offenders == []


def test_https_adds_hsts_and_a_secure_session_cookie(app, owner):
    client = app.test_client()
    response = client.get("/admin/login", base_url="https://toko.example")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_a_forwarded_proto_counts_only_from_a_trusted_proxy(app, owner):
    spoofed = app.test_client()
    spoofed.environ_base.update(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_PROTO="https")
    login(spoofed, owner)
    assert not spoofed.get_cookie("session").secure
    assert "Strict-Transport-Security" not in spoofed.get("/admin/").headers

    app.config["TRUSTED_PROXIES"] = ["10.0.0.0/8"]
    proxied = app.test_client()
    proxied.environ_base.update(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_PROTO="https")
    login(proxied, owner)
    assert proxied.get_cookie("session").secure
    assert "Strict-Transport-Security" in proxied.get("/admin/").headers


@pytest.mark.browser
def test_pages_work_under_the_policy_in_a_real_browser(browser_page, owner):
    violations: list[str] = []
    browser_page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    browser_page.goto("/admin/login")
    browser_page.fill("#login", owner.email)
    browser_page.fill("#password", "rahasia-123")
    browser_page.click("button[type=submit]")
    browser_page.wait_for_url("**/admin/**")
    browser_page.select_option("#language-select", "en")  # submits through niaga.js
    expect(browser_page.locator("html")).to_have_attribute("lang", "en")
    browser_page.goto("/admin/tokens")
    browser_page.click("button[type=submit] >> nth=-1")
    assert violations == []
