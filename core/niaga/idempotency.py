"""``Idempotency-Key`` for every POST under ``/api/``: a retry is answered, not redone.

A POS counter or a retailer on a flaky connection resends a POST when the answer got lost.
With the same ``Idempotency-Key`` header:

* the first answer (status, body byte for byte, content type) is stored for
  ``IDEMPOTENCY_TTL_HOURS`` (24) and replayed, with ``Idempotent-Replayed: true``;
* the same key with another body (or another path) is refused with 422;
* while the first request is still running, a retry gets 409;
* a first attempt that failed with 5xx releases the key, so the retry runs afresh.

Keys belong to the caller: the API token, or the logged-in user. Anonymous requests are
not tracked. The claim is a row in ``core_idempotency_key`` inserted and committed before
the view runs; its unique ``(scope, key)`` makes exactly one of several concurrent
requests the owner, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import sqlalchemy as sa
from flask import Flask, Response, current_app, g, request
from sqlalchemy.orm import Session

from niaga.auth import aware
from niaga.db import session, utcnow
from niaga.errors import Conflict, Invalid
from niaga.models import IdempotencyKey

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
#: A "running" claim older than this belongs to a crashed process and may be taken over.
ABANDONED_AFTER = dt.timedelta(minutes=10)


def caller_scope() -> str | None:
    """``token:<id>`` or ``user:<id>``; ``None`` for anonymous callers."""
    from niaga.auth import caller

    who = caller()
    if who is None:
        return None
    return f"token:{who.token.id}" if who.token is not None else f"user:{who.user.id}"


def request_fingerprint() -> str:
    digest = hashlib.sha256()
    for part in (request.method, request.path, request.query_string.decode()):
        digest.update(part.encode() + b"\0")
    digest.update(request.get_data(cache=True))
    return digest.hexdigest()


def _ttl() -> dt.timedelta:
    return dt.timedelta(hours=current_app.config.get("IDEMPOTENCY_TTL_HOURS", 24))


def _claim(db: Session, scope: str, key: str, fingerprint: str) -> IdempotencyKey | None:
    """Insert the claim; ``None`` if this request now owns the key, else the existing row."""
    try:
        db.add(IdempotencyKey(scope=scope, key=key, request_hash=fingerprint, state="running"))
        db.commit()
        return None
    except sa.exc.IntegrityError:
        db.rollback()
    existing = db.scalar(
        sa.select(IdempotencyKey).where(IdempotencyKey.scope == scope, IdempotencyKey.key == key)
    )
    if existing is None:  # released between our insert and this read: try once more
        return _claim(db, scope, key, fingerprint)
    age = utcnow() - aware(existing.created_at)
    stale = age > _ttl() or (existing.state == "running" and age > ABANDONED_AFTER)
    if stale:
        db.execute(sa.delete(IdempotencyKey).where(IdempotencyKey.id == existing.id))
        db.commit()
        return _claim(db, scope, key, fingerprint)
    return existing


def before_request() -> Response | None:
    if request.method != "POST" or not request.path.startswith("/api/"):
        return None
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not key.strip() or len(key) > 200:
        raise Invalid(
            "Idempotency-Key must have 1 to 200 characters",
            fields={HEADER: ["1 to 200 characters"]},
        )
    if _plugin_disabled():
        return None
    scope = caller_scope()
    if scope is None:
        return None
    db = session()
    db.commit()  # end the read of the caller (SQLite: it holds the write lock)
    fingerprint = request_fingerprint()
    existing = _claim(db, scope, key, fingerprint)
    if existing is None:
        g.niaga_idempotency = (scope, key)
        return None
    if existing.request_hash != fingerprint:
        raise Invalid(
            "This Idempotency-Key was used for a different request",
            code="idempotency_key_reused",
            fields={HEADER: ["already used with another body or path"]},
        )
    if existing.state == "running":
        raise Conflict(
            "A request with this Idempotency-Key is still running; retry in a moment",
            code="idempotency_key_in_use",
        )
    response = Response(
        existing.response_body or b"",
        status=existing.status_code or 200,
        content_type=existing.content_type,
    )
    response.headers[REPLAYED] = "true"
    return response


def after_request(response: Response) -> Response:
    claimed = g.pop("niaga_idempotency", None)
    if claimed is None:
        return response
    scope, key = claimed
    db = session()
    db.rollback()  # whatever the view left uncommitted is lost anyway
    where = (IdempotencyKey.scope == scope, IdempotencyKey.key == key)
    if response.status_code >= 500 or response.is_streamed:
        db.execute(sa.delete(IdempotencyKey).where(*where))
    else:
        db.execute(
            sa.update(IdempotencyKey)
            .where(*where)
            .values(
                state="done",
                status_code=response.status_code,
                response_body=response.get_data(),
                content_type=response.content_type,
            )
        )
    db.commit()
    return response


def release_on_teardown(_exc: BaseException | None) -> None:
    """If the request died before ``after_request`` ran, free the key for a retry."""
    claimed = g.pop("niaga_idempotency", None)
    if claimed is None:
        return
    scope, key = claimed
    with current_app.extensions["niaga"].sessionmaker() as db:
        db.execute(
            sa.delete(IdempotencyKey).where(
                IdempotencyKey.scope == scope, IdempotencyKey.key == key
            )
        )
        db.commit()


def purge_expired(db: Session) -> int:
    """Delete stored answers older than the time to live; returns how many."""
    cutoff = utcnow() - _ttl()
    result = db.execute(sa.delete(IdempotencyKey).where(IdempotencyKey.created_at < cutoff))
    return int(result.rowcount or 0)


def _plugin_disabled() -> bool:
    from niaga.app import app_owner
    from niaga.runtime import is_enabled

    blueprint = request.blueprint
    owner = app_owner(blueprint.split(".")[0]) if blueprint else None
    return bool(owner) and not is_enabled(owner)


def init_app(app: Flask) -> None:
    app.before_request(before_request)
    app.after_request(after_request)
    app.teardown_request(release_on_teardown)
