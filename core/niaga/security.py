"""What every response carries for the browser's protection, and HTTPS detection.

* Security headers on every answer: a Content-Security-Policy without inline script (pages
  bind behaviour from ``static/niaga.js``; inline *styles* stay allowed), no framing by
  anyone (``frame-ancestors 'none'`` and ``X-Frame-Options``), ``nosniff``, a
  Referrer-Policy that keeps admin addresses inside the shop, and HSTS over HTTPS.
* A request body larger than ``MAX_CONTENT_LENGTH`` is refused (413, the error envelope)
  from its declared length, before anything reads it; a body without a declared length is
  cut off at that size by Werkzeug as it is read.
* A request is HTTPS when it arrived so, or when a trusted proxy (``TRUSTED_PROXIES``) says
  so in ``X-Forwarded-Proto``; the session cookie is then ``Secure`` even when
  ``SESSION_COOKIE_SECURE`` is off.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.exceptions import RequestEntityTooLarge

from niaga.ratelimit import is_trusted_proxy

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'none'",
    ]
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
HSTS = "max-age=31536000"


def is_https() -> bool:
    """Whether this request reached us over HTTPS (directly or through a trusted proxy)."""
    if request.is_secure:
        return True
    forwarded = request.headers.get("X-Forwarded-Proto", "").split(",")[-1].strip().lower()
    return forwarded == "https" and is_trusted_proxy(request.remote_addr)


def refuse_large_body() -> None:
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if limit is not None and (request.content_length or 0) > limit:
        raise RequestEntityTooLarge()


def add_security_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if is_https():
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, ``Secure`` whenever the request is HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return super().get_cookie_secure(app) or is_https()


def init_app(app: Flask) -> None:
    app.session_interface = SessionInterface()
    app.before_request(refuse_large_body)
    app.after_request(add_security_headers)
