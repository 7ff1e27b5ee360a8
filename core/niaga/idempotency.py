"""``Idempotency-Key`` for every POST under ``/api/``: a retry is answered, not redone.

A POS counter or a retailer on a flaky connection resends a POST when the answer got lost.
With the same ``Idempotency-Key`` header:

* the first answer (status, body byte for byte, content type) is stored for
  ``IDEMPOTENCY_TTL_HOURS`` (24) and replayed, with ``Idempotent-Replayed: true``;
* the same key with another body (or another path) is refused with 422;
* a retry while the first request is still running waits for it (up to
  ``IDEMPOTENCY_WAIT_SECONDS``, 3) and then replays its answer, or gets 409 with
  ``Retry-After`` if the first is still alive after that wait;
* a first attempt that failed with 5xx stores no answer, so the retry runs afresh.

Keys belong to the caller: the API token, or the logged-in user. Anonymous requests are
not tracked.

**One transaction.** The key row, the view's work and the stored answer are committed
together or not at all. The key row is inserted in the request's own transaction before
the view runs; while the view runs, the request session is *held*
(:class:`niaga.db.UnitSession`): the view's ``commit()`` and ``rollback()`` end savepoints,
so plugin views keep calling ``session().commit()`` unchanged. When the answer is built,
``after_request`` writes it into the key row and commits the one real transaction. A
server killed at any moment before that commit leaves nothing behind (the retry runs
once); killed after it, the retry replays the stored answer.

In-flight detection is the database's own lock, held only as long as the first request's
transaction is alive: on PostgreSQL a second insert of the same ``(scope, key)`` waits on
the unique index for the first transaction (``lock_timeout`` bounds the wait); on SQLite
every writing transaction is ``BEGIN IMMEDIATE``, so the retry waits for the first to end.
When the first process dies its transaction is rolled back by the database at once, so
there is no blind spot and no 409 outlives the request that caused it.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
import os
import random
import signal
from typing import Any

import sqlalchemy as sa
from flask import Flask, Response, current_app, g, request
from sqlalchemy.dialects import postgresql

from niaga.auth import aware, caller
from niaga.db import insert_on_conflict, session, table_of, utcnow
from niaga.errors import Invalid
from niaga.i18n import gettext
from niaga.models import IdempotencyKey
from niaga.runtime import disabled_owner
from niaga.web import HTTP_CODES, error_response

log = logging.getLogger(__name__)

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
#: Test-only fault injection: ``before_commit``, ``after_commit`` or ``random`` (either of
#: the two, or none) makes the server SIGKILL itself at that point of a keyed request.
CRASH_ENV = "NIAGA_TEST_CRASH_AFTER_WORK"


def caller_scope() -> str | None:
    """``token:<id>`` or ``user:<id>``; ``None`` for anonymous callers."""
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


def _wait_ms() -> int:
    return int(float(current_app.config.get("IDEMPOTENCY_WAIT_SECONDS", 3)) * 1000)


def _insert(db: Any, values: dict[str, Any]) -> Any:
    table = table_of(IdempotencyKey)
    return (
        insert_on_conflict(db, table)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["scope", "key"])
        .returning(table.c.id)
    )


def _lock_name(scope: str, key: str) -> str:
    return f"niaga.idempotency:{scope}:{key}"


def _lock_id(name: Any) -> Any:
    """The transaction-scoped advisory lock a request holds on its key (PostgreSQL), by
    the key's :func:`_lock_name`."""
    return sa.func.hashtextextended(name, 0)


_CLAIMED = ("scope", "key", "request_hash", "state", "created_at")


@functools.cache
def _fast_insert() -> Any:
    """PostgreSQL: the key row inserted in one statement when no live request holds the
    key (its advisory lock is taken without waiting); no row when one does, or when the
    key is stored already, and then :func:`_claim` takes the careful way. Built once; its
    parameters are the row's columns and ``lock_name``."""
    table = table_of(IdempotencyKey)
    row = sa.select(*(sa.bindparam(name, type_=table.c[name].type) for name in _CLAIMED))
    lock_name = sa.bindparam("lock_name", type_=sa.String)
    lock = sa.func.pg_try_advisory_xact_lock(_lock_id(lock_name))
    return (
        postgresql.insert(table)
        .from_select(list(_CLAIMED), row.where(lock))
        .on_conflict_do_nothing(index_elements=["scope", "key"])
        .returning(table.c.id)
    )


@functools.cache
def _stored() -> Any:
    """The UPDATE that stores a request's answer in its key row, built once: its SET
    columns are the names of the parameters besides ``of_scope`` and ``of_key``."""
    table = table_of(IdempotencyKey)
    return sa.update(table).where(
        table.c.scope == sa.bindparam("of_scope"), table.c.key == sa.bindparam("of_key")
    )


def _claim(db: Any, scope: str, key: str, fingerprint: str) -> Any | None:
    """Insert the key row in the open transaction; ``None`` if this request now owns the
    key, else the stored row (committed by an earlier request) to answer from.

    On PostgreSQL the insert waits while another live transaction holds the same key, for
    at most ``IDEMPOTENCY_WAIT_SECONDS`` (then ``OperationalError``: the caller answers 409).
    A request holds its key's advisory lock until it ends, so the usual first claim is one
    statement; the lock timeout is set (and restored) only when the key is busy or stored.
    """
    table = table_of(IdempotencyKey)
    dialect = db.get_bind().dialect.name
    where = (table.c.scope == scope, table.c.key == key)
    values = {"scope": scope, "key": key, "request_hash": fingerprint, "state": "running"}
    previous = None
    if dialect == "postgresql":
        claim = {**values, "created_at": utcnow(), "lock_name": _lock_name(scope, key)}
        if db.execute(_fast_insert(), claim).first():
            return None
        previous = db.execute(
            sa.text("SELECT current_setting('lock_timeout'), set_config('lock_timeout', :t, true)"),
            {"t": f"{_wait_ms()}ms"},
        ).scalar_one()
        # wait (at most the lock timeout) for a live request holding the key to end
        db.execute(sa.select(sa.func.pg_advisory_xact_lock(_lock_id(_lock_name(scope, key)))))
    for _ in range(3):
        if db.execute(_insert(db, {**values, "created_at": utcnow()})).first():
            found = None
            break
        found = db.execute(sa.select(table).where(*where)).first()
        if found is None:  # deleted meanwhile: insert again
            continue
        # A committed "running" row was left by a version that committed the claim first;
        # nothing holds it any more. An answer past its time to live is forgotten.
        if found.state != "done" or utcnow() - aware(found.created_at) > _ttl():
            db.execute(sa.delete(table).where(table.c.id == found.id))
            continue
        break
    else:  # pragma: no cover - three deletions in a row by others
        raise RuntimeError("could not claim the idempotency key")
    if previous is not None:
        db.execute(sa.text("SELECT set_config('lock_timeout', :t, true)"), {"t": previous})
    return found


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
    if disabled_owner():
        return None
    scope = caller_scope()
    if scope is None:
        return None
    fingerprint = request_fingerprint()
    db = session()  # the caller was read in this transaction: the claim and the work join it
    try:
        existing = _claim(db, scope, key, fingerprint)
    except sa.exc.OperationalError as exc:
        # PostgreSQL: the first request still holds the key after the wait; SQLite: the
        # database stayed locked by other writers for the whole busy timeout.
        db.rollback()
        if _still_locked(exc):
            return _in_use()
        raise
    if existing is None:
        db.hold()
        g.niaga_idempotency = (scope, key)
        return None
    db.rollback()
    if existing.request_hash != fingerprint:
        raise Invalid(
            "This Idempotency-Key was used for a different request",
            code="idempotency_key_reused",
            fields={HEADER: ["already used with another body or path"]},
        )
    response = Response(
        existing.response_body or b"",
        status=existing.status_code or 200,
        content_type=existing.content_type,
    )
    response.headers[REPLAYED] = "true"
    return response


def _still_locked(exc: sa.exc.OperationalError) -> bool:
    sqlstate = getattr(exc.orig, "sqlstate", None)
    return sqlstate == "55P03" or "database is locked" in str(exc.orig)


def _in_use() -> Response:
    response = error_response(
        "idempotency_key_in_use",
        gettext("A request with this Idempotency-Key is still running; retry in a moment"),
        409,
    )
    response.headers["Retry-After"] = "1"
    return response


def after_request(response: Response) -> Response:
    """Store the answer in the key row and commit it with the view's work, in one go."""
    claimed = g.pop("niaga_idempotency", None)
    if claimed is None:
        return response
    scope, key = claimed
    db = session()
    table = table_of(IdempotencyKey)
    where = (table.c.scope == scope, table.c.key == key)
    try:
        db.unhold()  # whatever the view left uncommitted is dropped; its commits stay
        if response.status_code >= 500 or response.is_streamed:
            # no answer to replay: keep what the view committed, free the key for a retry
            db.execute(sa.delete(table).where(*where))
        else:
            db.execute(
                _stored(),
                {
                    "of_scope": scope,
                    "of_key": key,
                    "state": "done",
                    "status_code": response.status_code,
                    "response_body": response.get_data(),
                    "content_type": response.content_type,
                },
            )
        _crash_point("before_commit")
        db.commit()
        _crash_point("after_commit")
    except Exception:
        log.exception("could not commit %s %s", request.method, request.path)
        db.rollback()
        code, message = HTTP_CODES[500]
        return error_response(code, gettext(message), 500)
    return response


def release_on_teardown(_exc: BaseException | None) -> None:
    """If the request died before ``after_request`` ran, nothing of it is kept."""
    if g.pop("niaga_idempotency", None) is None:
        return
    db = session()
    if db.held:
        db.unhold()
    db.rollback()


_CRASH_DRAW = random.Random()


def _crash_point(where: str) -> None:
    """Test-only: SIGKILL this process here when ``NIAGA_TEST_CRASH_AFTER_WORK`` says so."""
    wanted = os.environ.get(CRASH_ENV)
    if not wanted:
        return
    if wanted == "random":  # one draw per request
        if "_niaga_crash" not in g:
            g._niaga_crash = _CRASH_DRAW.choice(["before_commit", "after_commit", "none"])
        wanted = g._niaga_crash
    if wanted == where:
        log.warning("%s=%s: killing the server", CRASH_ENV, where)
        os.kill(os.getpid(), signal.SIGKILL)


def purge_expired(db: Any) -> int:
    """Delete stored answers older than the time to live; returns how many."""
    cutoff = utcnow() - _ttl()
    result = db.execute(sa.delete(IdempotencyKey).where(IdempotencyKey.created_at < cutoff))
    return int(result.rowcount or 0)


def init_app(app: Flask) -> None:
    app.before_request(before_request)
    app.after_request(after_request)
    app.teardown_request(release_on_teardown)
