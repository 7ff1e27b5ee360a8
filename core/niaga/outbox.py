"""The outbox: side effects that leave the process (webhooks, notifications) are written as
rows in the caller's transaction and carried out after commit by ``niaga worker``.

A message is delivered at least once; handlers must be idempotent (the message id is a
good deduplication key for the receiver). Every delivery attempt is counted in
``attempts``, also one cut off by a crash; failures are retried with exponential backoff,
a delivery cut off is retried when its lease (``OUTBOX_LEASE_SECONDS``, 120) runs out.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any, cast

import sqlalchemy as sa
from flask import current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from niaga.db import utcnow
from niaga.models import OutboxMessage

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 10


def enqueue(session: Session, topic: str, payload: dict[str, Any]) -> OutboxMessage:
    """Queue ``payload`` for the handler of ``topic``; it runs only if the caller commits."""
    message = OutboxMessage(topic=topic, payload=payload)
    session.add(message)
    session.flush()
    session.info.setdefault(_PENDING, []).append(message.id)
    return message


_PENDING = "niaga_outbox_pending"


def _wake_workers(session: Session) -> None:
    """After commit, with Redis configured, put each new message on the queue at once; the
    workers' periodic sweep is the safety net if this push is lost."""
    ids = session.info.pop(_PENDING, [])
    if not ids or not has_app_context() or not current_app.config.get("REDIS_URL"):
        return
    from niaga.queue import submit

    for message_id in ids:
        try:
            submit("niaga.jobs.deliver_message", message_id)
        except Exception:  # Redis down: the sweep delivers it later
            log.warning("could not queue outbox message %s; the sweep will", message_id)


def _forget_pending(session: Session) -> None:
    session.info.pop(_PENDING, None)


def install() -> None:
    """Listen on every session (idempotent)."""
    if not event.contains(Session, "after_commit", _wake_workers):
        event.listen(Session, "after_commit", _wake_workers)
        event.listen(Session, "after_rollback", _forget_pending)


def log_handler(session: Session, payload: dict[str, Any]) -> None:
    """Handler of ``core.log``: writes the payload to the log (useful in tests and demos)."""
    del session
    log.info("outbox message: %s", payload)


def claim_batch(session: Session, limit: int = 50) -> list[OutboxMessage]:
    """Lock up to ``limit`` due messages for this worker (others skip them)."""
    statement = (
        sa.select(OutboxMessage)
        .where(
            OutboxMessage.done_at.is_(None),
            OutboxMessage.available_at <= utcnow(),
            OutboxMessage.attempts < MAX_ATTEMPTS,
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(session.scalars(statement))


def deliver_due(session: Session, handlers: dict[str, Any], limit: int = 50) -> int:
    """Run the handlers of due messages, one transaction per message; returns how many
    were delivered."""
    delivered = 0
    for message_id in [m.id for m in claim_batch(session, limit)]:
        session.rollback()
        delivered += deliver_one(session, handlers, message_id)
    session.rollback()
    return delivered


#: A delivery in progress keeps its message from other workers this long
#: (``OUTBOX_LEASE_SECONDS``); a worker killed mid-delivery leaves the message to be
#: delivered again when it runs out.
LEASE_SECONDS = 120


def _lease() -> dt.timedelta:
    seconds = LEASE_SECONDS
    if has_app_context():
        seconds = current_app.config.get("OUTBOX_LEASE_SECONDS", LEASE_SECONDS)
    return dt.timedelta(seconds=int(seconds))


def _take(session: Session, message_id: int) -> bool:
    """Count this delivery attempt and lease the message to this worker, in a transaction
    of its own, so that an attempt cut off by a crash is still counted. False when the
    message is done, not due, out of attempts or leased by another worker."""
    now = utcnow()
    taken = cast(
        "sa.CursorResult[Any]",
        session.execute(
            sa.update(OutboxMessage)
            .where(
                OutboxMessage.id == message_id,
                OutboxMessage.done_at.is_(None),
                OutboxMessage.available_at <= now,
                OutboxMessage.attempts < MAX_ATTEMPTS,
            )
            .values(attempts=OutboxMessage.attempts + 1, available_at=now + _lease())
        ),
    ).rowcount
    session.commit()
    return bool(taken)


def deliver_one(session: Session, handlers: dict[str, Any], message_id: int) -> int:
    """Deliver one message unless another worker holds or did it; returns 1 when
    delivered now.

    Each attempt is counted (``attempts``) and leased in its own committed transaction
    first; then the handler runs in a second transaction that also marks the message
    done. A worker killed between the two leaves the attempt counted and the message
    leased; when the lease runs out it is delivered again (at least once)."""
    if not _take(session, message_id):
        return 0
    message = session.get(OutboxMessage, message_id, with_for_update=True, populate_existing=True)
    if message is None or message.done_at is not None:
        session.rollback()
        return 0
    handler = handlers.get(message.topic)
    try:
        if handler is None:
            raise LookupError(f"no handler for topic {message.topic!r}")
        handler(session, message.payload)
        message.done_at = utcnow()
        session.commit()
        return 1
    except Exception as exc:
        session.rollback()
        message = session.get(OutboxMessage, message_id, populate_existing=True)
        assert message is not None
        message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        message.available_at = utcnow() + dt.timedelta(seconds=min(3600, 2**message.attempts))
        session.commit()
        log.warning("outbox message %s (%s) failed: %s", message_id, message.topic, exc)
        return 0
