"""Consented sharing with the principal: sell-out (every customer invoice) and a daily
activity summary, posted as signed webhooks to the receiver the owner configured.

Nothing is shared until the owner switches ``notifications.principal_enabled`` on; the
fields sent are exactly those of :data:`~niaga_notifications.settings.SELL_OUT_FIELDS`
and :data:`~niaga_notifications.settings.KPI_FIELDS` (no retailer name, phone or address).

Each webhook is a row (unique key, also sent as ``X-Niaga-Delivery``) and an outbox
message; the handler signs the body at sending time::

    X-Niaga-Timestamp: 1764581400
    X-Niaga-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>." + body)>

A 2xx answer marks it sent; anything else raises and the outbox retries with back-off.
Every attempt (answer code or error, duration) is kept in ``notifications_webhook_attempt``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from niaga import outbox, settings
from niaga.clock import shop_today
from niaga.db import transaction, utcnow
from niaga.runtime import hooks
from niaga_notifications.models import (
    FAILED,
    QUEUED,
    SENT,
    SellOut,
    WebhookAttempt,
    WebhookDelivery,
)

TOPIC = "notifications.webhook"
TIMEOUT_SECONDS = 15
SIGNATURE_HEADER = "X-Niaga-Signature"
TIMESTAMP_HEADER = "X-Niaga-Timestamp"


def _setting(session: Session, name: str) -> Any:
    return settings.get(session, f"notifications.{name}")


def enabled(session: Session) -> bool:
    return bool(_setting(session, "principal_enabled") and _setting(session, "principal_url"))


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The signature header's value for ``body`` sent at ``timestamp``."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(
    secret: str,
    timestamp: str,
    body: bytes,
    signature: str,
    *,
    now: float | None = None,
    tolerance: int = 300,
) -> bool:
    """What a receiver does: the signature matches and the timestamp is recent (so a
    captured request cannot be replayed later)."""
    try:
        age = abs((now if now is not None else time.time()) - int(timestamp))
    except ValueError:
        return False
    return age <= tolerance and hmac.compare_digest(sign(secret, timestamp, body), signature)


def _queue(
    session: Session, key: str, kind: str, payload: dict[str, Any]
) -> WebhookDelivery | None:
    if session.scalar(sa.select(WebhookDelivery.id).where(WebhookDelivery.key == key)):
        return None
    row = WebhookDelivery(key=key, kind=kind, payload=payload)
    session.add(row)
    session.flush()
    outbox.enqueue(session, TOPIC, {"webhook": row.id})
    return row


def on_invoice_issued(session: Session, invoice: Any) -> None:
    """Record the invoice's sell-out (always: the daily figures need it once sharing is
    switched on) and, when sharing is on, queue its webhook."""
    _record(session, invoice, Decimal(1), "sell_out", corrects="")


def on_return_posted(session: Session, credit_note: Any) -> None:
    """A return takes its goods off the sell-out: recorded negative, shared as
    ``sell_out_return`` naming the invoice it corrects."""
    corrected = session.scalar(
        sa.select(SellOut.number).where(SellOut.reference == credit_note.related)
    )
    _record(session, credit_note, Decimal(-1), "sell_out_return", corrects=corrected or "")


def _record(session: Session, document: Any, sign: Decimal, event: str, corrects: str) -> None:
    if session.scalar(sa.select(SellOut.id).where(SellOut.reference == document.reference)):
        return
    info = (
        hooks().sales_customer(session=session, customer_id=document.party_id, user_id=None)
        if document.party_id
        else None
    )
    walk_in = info is None or getattr(info, "walk_in", False)
    source = "counter" if document.data.get("pos_sale") or walk_in else "order"
    lines = [
        {
            "product_id": line.product_id,
            "description": line.description,
            "quantity": str(sign * line.quantity),
            "unit": line.unit,
            "net": str(sign * line.net),
        }
        for line in document.lines
    ]
    subtotal = sign * document.subtotal
    session.add(
        SellOut(
            reference=document.reference,
            number=document.number,
            day=document.date,
            customer_id=None if walk_in else document.party_id,
            source=source,
            subtotal=subtotal,
            lines=lines,
        )
    )
    session.flush()
    if not enabled(session):
        return
    _queue(
        session,
        f"{event}:{document.reference}",
        event,
        {
            "event": event,
            "distributor": _setting(session, "principal_distributor_code"),
            "invoice": document.number,
            "corrects": corrects,
            "date": document.date.isoformat(),
            "retailer": getattr(info, "code", "") if not walk_in else "",
            "source": source,
            "lines": lines,
            "subtotal": str(subtotal),
        },
    )


def kpis(session: Session, day: dt.date) -> dict[str, Any]:
    """The activity figures of ``day`` (fields of ``KPI_FIELDS``)."""
    of_day = session.execute(
        sa.select(
            sa.func.coalesce(sa.func.sum(SellOut.subtotal), 0),
        ).where(SellOut.day == day)
    ).one()
    buying = session.execute(
        sa.select(sa.func.count(SellOut.id), sa.func.count(sa.distinct(SellOut.customer_id))).where(
            SellOut.day == day, SellOut.subtotal > 0
        )
    ).one()
    invoiced = SellOut.subtotal > 0
    active = session.scalar(
        sa.select(sa.func.count(sa.distinct(SellOut.customer_id))).where(
            invoiced, SellOut.day > day - dt.timedelta(days=30), SellOut.day <= day
        )
    )
    return {
        "event": "activity",
        "distributor": _setting(session, "principal_distributor_code"),
        "date": day.isoformat(),
        "sell_out": str(Decimal(of_day[0]).quantize(Decimal("0.01"))),
        "invoices": int(buying[0]),
        "buying_retailers": int(buying[1]),
        "active_retailers_30d": int(active or 0),
    }


def share_daily(session: Session) -> int:
    """Scheduled job: queue yesterday's activity figures once, when sharing is on."""
    if not enabled(session):
        return 0
    day = shop_today(session) - dt.timedelta(days=1)
    return (
        1 if _queue(session, f"activity:{day.isoformat()}", "activity", kpis(session, day)) else 0
    )


def deliver(session: Session, payload: dict[str, Any]) -> None:
    """Outbox handler of ``notifications.webhook``: sign, post, log the attempt; raise on
    anything but 2xx so the outbox retries with back-off."""
    row = session.get(WebhookDelivery, payload["webhook"], populate_existing=True)
    if row is None or row.state in (SENT, FAILED):
        return
    url = _setting(session, "principal_url")
    secret = _setting(session, "principal_secret")
    body = json.dumps(row.payload, sort_keys=True, separators=(",", ":")).encode()
    kind, key = row.kind, row.key
    switched_on = bool(_setting(session, "principal_enabled"))
    session.rollback()  # read only so far: no transaction stays open during the call
    timestamp = str(int(time.time()))
    status: int | None = None
    error = ""
    started = time.monotonic()
    withdrawn = not switched_on
    if withdrawn:  # the owner took consent back: what was queued is never sent
        error = "Not sent: sharing was switched off"
    elif not (url and secret):
        error = "The principal's address or secret is missing"
    else:
        request = urllib.request.Request(
            url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "User-Agent": "Niaga-Webhook/1",
                "X-Niaga-Event": kind,
                "X-Niaga-Delivery": key,
                TIMESTAMP_HEADER: timestamp,
                SIGNATURE_HEADER: sign(secret, timestamp, body),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
                status = response.status
                response.read()
        except urllib.error.HTTPError as exc:
            status, error = exc.code, f"The receiver answered {exc.code}"
        except (OSError, ValueError) as exc:
            error = f"Receiver not reachable: {type(exc).__name__}"
    with transaction(session):  # every attempt is kept, also the failed ones
        row = session.get(WebhookDelivery, payload["webhook"], populate_existing=True)
        assert row is not None
        row.attempts += 1
        session.add(
            WebhookAttempt(
                webhook_id=row.id,
                status=status,
                error=error[:500],
                milliseconds=int((time.monotonic() - started) * 1000),
            )
        )
        if not error:
            row.state, row.sent_at = SENT, utcnow()
        elif withdrawn or row.attempts >= outbox.MAX_ATTEMPTS:
            row.state = FAILED
    if error and row.state == QUEUED:
        raise RuntimeError(error)
