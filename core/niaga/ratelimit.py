"""Login rate limiting, kept in the database so that every process shares the count.

After ``LOGIN_RATE_LIMIT`` failed attempts for one login name within ``LOGIN_RATE_WINDOW``
seconds, further attempts are refused with 429 until the window has passed.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask import current_app

from niaga.db import session, utcnow
from niaga.errors import NiagaError
from niaga.models import AuditLog


class TooManyAttempts(NiagaError):
    code = "too_many_requests"
    status = 429


def _failures_since(login: str, since: dt.datetime) -> int:
    return int(
        session().scalar(
            sa.select(sa.func.count())
            .select_from(AuditLog)
            .where(
                AuditLog.entity == "login_failure",
                AuditLog.entity_id == login[:80],
                AuditLog.occurred_at >= since,
            )
        )
        or 0
    )


def check_login_allowed(login: str) -> None:
    window = dt.timedelta(seconds=current_app.config["LOGIN_RATE_WINDOW"])
    if _failures_since(login.lower(), utcnow() - window) >= current_app.config["LOGIN_RATE_LIMIT"]:
        raise TooManyAttempts("Too many failed logins; wait a few minutes and try again")


def record_login_failure(login: str) -> None:
    """Failed logins go to the audit log (entity ``login_failure``), which also counts them."""
    from flask import request

    session().add(
        AuditLog(
            actor=f"address:{request.remote_addr}",
            action="login_failed",
            entity="login_failure",
            entity_id=login.lower()[:80],
            before=None,
            after=None,
        )
    )
