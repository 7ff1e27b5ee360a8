"""Login rate limiting, kept in the database so that every process shares the count.

Failed logins are counted in two buckets over the last ``LOGIN_RATE_WINDOW`` seconds:

* per login name *and* client address (``LOGIN_RATE_LIMIT``): someone guessing the
  owner's password from one place is stopped there, while the owner, from anywhere else,
  still logs in;
* per client address across every account (``LOGIN_ADDRESS_LIMIT``): one password tried
  against many accounts is stopped too.

A refused attempt is not counted, so the window slides: once the oldest failures are older
than the window, attempts are allowed again (a backoff, never a lockout of the account).
The client address is the connection's, or the last address a trusted proxy
(``TRUSTED_PROXIES``) added to ``X-Forwarded-For``.
"""

from __future__ import annotations

import datetime as dt
import ipaddress

import sqlalchemy as sa
from flask import current_app, request

from niaga.db import session, utcnow
from niaga.errors import NiagaError
from niaga.models import AuditLog
from niaga.phones import login_key


class TooManyAttempts(NiagaError):
    code = "too_many_requests"
    status = 429


def client_address() -> str:
    """The address of the client: ``X-Forwarded-For`` is believed only as far as it was
    written by the proxies named in ``TRUSTED_PROXIES`` (addresses or networks)."""
    hops = [h.strip() for h in request.headers.get("X-Forwarded-For", "").split(",") if h.strip()]
    address = request.remote_addr or ""
    while hops and is_trusted_proxy(address):
        address = hops.pop()
    return address[:60]


def is_trusted_proxy(address: str | None) -> bool:
    """Whether ``address`` is one of the ``TRUSTED_PROXIES`` (addresses or networks)."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    networks = current_app.config["TRUSTED_PROXIES"]
    return any(ip in ipaddress.ip_network(n, strict=False) for n in networks)


def _failures(since: dt.datetime, address: str, login: str | None = None) -> int:
    statement = (
        sa.select(sa.func.count())
        .select_from(AuditLog)
        .where(
            AuditLog.entity == "login_failure",
            AuditLog.actor == f"address:{address}",
            AuditLog.occurred_at >= since,
        )
    )
    if login is not None:
        statement = statement.where(AuditLog.entity_id == _bucket(login))
    return int(session().scalar(statement) or 0)


def _bucket(login: str) -> str:
    # one bucket per account however its phone number is typed (0812..., +62 812...)
    return login_key(login)[:80]


def check_login_allowed(login: str, address: str) -> None:
    """Raise 429 when ``login`` from ``address``, or ``address`` at all, failed too often."""
    config = current_app.config
    since = utcnow() - dt.timedelta(seconds=config["LOGIN_RATE_WINDOW"])
    if (
        _failures(since, address, login) >= config["LOGIN_RATE_LIMIT"]
        or _failures(since, address) >= config["LOGIN_ADDRESS_LIMIT"]
    ):
        raise TooManyAttempts("Too many failed logins; wait a few minutes and try again")


def record_login_failure(login: str, address: str) -> None:
    """Failed logins go to the audit log (entity ``login_failure``), which also counts them."""
    session().add(
        AuditLog(
            actor=f"address:{address}",
            action="login_failed",
            entity="login_failure",
            entity_id=_bucket(login),
            before=None,
            after=None,
        )
    )


# --- any other public form (a shop signing up, ...) ----------------------------------------


def check_attempts_allowed(action: str, address: str, limit: int, window: int) -> None:
    """Raise 429 when ``address`` made ``limit`` attempts at ``action`` (recorded with
    :func:`record_attempt`) in the last ``window`` seconds; a sliding window like logins'."""
    since = utcnow() - dt.timedelta(seconds=window)
    count = session().scalar(
        sa.select(sa.func.count())
        .select_from(AuditLog)
        .where(
            AuditLog.entity == f"{action}_attempt",
            AuditLog.actor == f"address:{address}",
            AuditLog.occurred_at >= since,
        )
    )
    if int(count or 0) >= limit:
        raise TooManyAttempts("Too many attempts from this address; wait a while and try again")


def record_attempt(action: str, address: str) -> None:
    """Count one attempt at ``action`` from ``address`` (the caller commits)."""
    session().add(
        AuditLog(
            actor=f"address:{address}",
            action=f"{action}_attempted",
            entity=f"{action}_attempt",
            entity_id="",
            before=None,
            after=None,
        )
    )
