"""Queueing a notification inside the event's transaction, and delivering it after commit.

Queueing writes a :class:`~niaga_notifications.models.Message` (with its rendered text and
a unique key: event, document, recipient, channel) and an outbox message pointing at it,
both in the caller's transaction: an order that rolls back tells nobody, an event raised
twice queues nothing new.

Delivering (the outbox handler, run by ``niaga worker``) keeps the message's state:

1. ``sent``/``failed``/``skipped``: nothing to do (the outbox ran it before).
2. ``sending`` is committed *before* the provider is called, with the attempt counted.
3. The provider's answer is recorded as ``sent`` in the same transaction that marks the
   outbox message done.

A worker killed between 2 and 3 leaves ``sending``; the next attempt (when the outbox
lease runs out) sends again with the *same* key (WhatsApp ``Idempotency-Key``, e-mail
``Message-ID``), so a provider that already accepted it can drop the repeat. A worker
killed anywhere else never sends twice.
"""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from niaga import outbox, settings
from niaga.db import transaction, utcnow
from niaga.l10n import format_day, format_money, format_number
from niaga.models import User
from niaga.runtime import hooks
from niaga_notifications.channels import CHANNELS, DeliveryError, Permanent
from niaga_notifications.models import (
    FAILED,
    QUEUED,
    SENDING,
    SENT,
    SKIPPED,
    Message,
    Preference,
)
from niaga_notifications.wording import EVENTS, render

log = logging.getLogger("niaga_notifications")

TOPIC = "notifications.send"
#: due reminders go out in the shop's daytime (the hourly job waits for 08:00)
REMIND_FROM_HOUR, REMIND_UNTIL_HOUR = 8, 20


def _setting(session: Session, name: str) -> Any:
    return settings.get(session, f"notifications.{name}")


def recipient(session: Session, customer_id: int) -> tuple[str, str, str, str] | None:
    """(channel, address, language, name) for a customer, or ``None`` when they are not
    to be told (walk-in, chose ``none``, unknown). With no preference stored the default
    channel is used, or the other channel when only that address is known."""
    info = hooks().sales_customer(session=session, customer_id=customer_id, user_id=None)
    if info is None or getattr(info, "walk_in", False) or not getattr(info, "active", True):
        return None
    preference = session.scalar(sa.select(Preference).where(Preference.customer_id == customer_id))
    user = session.get(User, info.user_id) if getattr(info, "user_id", None) else None
    email = (preference.email if preference else "") or (user.email if user else "") or ""
    phone = (
        (preference.phone if preference else "") or info.phone or (user.phone if user else "") or ""
    )
    language = (preference.language if preference else "") or (user.language if user else "id")
    addresses = {"email": email, "whatsapp": phone}
    if preference is not None:
        channel = preference.channel
    else:
        channel = _setting(session, "default_channel")
        if channel != "none" and not addresses[channel]:
            channel = next((c for c in ("whatsapp", "email") if addresses[c]), channel)
    if channel == "none":
        return None
    return channel, addresses[channel], language or "id", info.name


def queue(
    session: Session,
    event: str,
    reference: str,
    customer_id: int | None,
    values: dict[str, Any],
) -> Message | None:
    """Queue ``event`` about document ``reference`` for customer ``customer_id`` (in the
    caller's transaction); ``None`` when nobody is to be told or it is already queued."""
    if customer_id is None:
        return None
    found = recipient(session, customer_id)
    if found is None:
        return None
    channel, address, language, name = found
    key = f"{event}:{reference}:{channel}:{address or '-'}"[:200]
    if session.scalar(sa.select(Message.id).where(Message.key == key)) is not None:
        return None
    filled = {"customer": name, "shop": settings.get(session, "core.shop_name"), **values}
    filled = {k: _shown(filled.get(k, ""), language) for k in EVENTS[event].placeholders}
    subject, body = render(session, event, language, filled)
    message = Message(
        key=key,
        event=event,
        reference=reference,
        customer_id=customer_id,
        channel=channel,
        recipient=address,
        subject=subject,
        body=body,
        state=QUEUED if address else SKIPPED,
        error="" if address else "No address known for this customer",
    )
    try:
        with session.begin_nested():
            session.add(message)
    except IntegrityError:  # queued meanwhile by a concurrent transaction
        return None
    if address:
        outbox.enqueue(session, TOPIC, {"message": message.id})
    return message


def deliver(session: Session, payload: dict[str, Any]) -> None:
    """Outbox handler of ``notifications.send``: raise to have the outbox try again."""
    message = session.get(Message, payload["message"], populate_existing=True)
    if message is None or message.state in (SENT, FAILED, SKIPPED):
        return
    resumed = message.state == SENDING
    channel = CHANNELS[message.channel]
    account = channel.account(session)
    # the values the call needs, read while the row is loaded: nothing touches the
    # database between the commit below and the provider's answer
    key, to, subject, body = message.key, message.recipient, message.subject, message.body
    with transaction(session):  # committed before the call: a crash now leaves "sending"
        message.state = SENDING
        message.attempts += 1
        message.attempted_at = utcnow()
        if resumed:
            message.error = "Sent again after an attempt that was cut off"
    try:
        provider_id = channel.send(account, key=key, to=to, subject=subject, body=body)
    except DeliveryError as exc:
        give_up = isinstance(exc, Permanent) or message.attempts >= outbox.MAX_ATTEMPTS
        with transaction(session):
            message.state = FAILED if give_up else QUEUED
            message.error = str(exc)[:500]
        log.warning("notification %s (%s) not sent: %s", message.id, message.channel, exc)
        if give_up:
            return
        raise
    message.state = SENT
    message.provider_id = provider_id[:200]
    message.sent_at = utcnow()
    if not resumed:
        message.error = ""
    session.flush()


def resend(session: Session, message_id: int) -> Message:
    """Queue a failed message again (the owner's button on the log)."""
    from niaga.errors import Conflict, NotFound

    message = session.get(Message, message_id)
    if message is None:
        raise NotFound("Message {id} not found", id=message_id)
    if message.state not in (FAILED,):
        raise Conflict("Only a failed message can be sent again", code="not_failed")
    message.state = QUEUED
    message.error = ""
    outbox.enqueue(session, TOPIC, {"message": message.id})
    return message


# -- the events ------------------------------------------------------------------------


def on_order_confirmed(session: Session, order: Any) -> None:
    queue(
        session,
        "order_confirmed",
        order.reference,
        order.party_id,
        {"number": order.number, "total": order.total},
    )


def on_out_for_delivery(session: Session, order: Any, delivery: Any) -> None:
    queue(
        session,
        "out_for_delivery",
        delivery.reference,
        order.party_id,
        {"number": order.number, "delivery": delivery.number},
    )


def on_delivered(session: Session, order: Any, delivery: Any) -> None:
    queue(
        session,
        "delivered",
        delivery.reference,
        order.party_id,
        {"number": order.number, "delivery": delivery.number},
    )


def on_invoice_issued(session: Session, invoice: Any) -> None:
    """Tell the customer (not for a counter sale, paid on the spot) and keep the invoice
    for its due reminder."""
    from niaga_notifications.models import DueInvoice

    if invoice.data.get("pos_sale") or invoice.party_id is None:
        return
    due = invoice.data.get("due_date") or invoice.date.isoformat()
    due_date = dt.date.fromisoformat(due)
    queue(
        session,
        "invoice_issued",
        invoice.reference,
        invoice.party_id,
        {"number": invoice.number, "total": invoice.total, "due_date": due_date},
    )
    if due_date > invoice.date and not session.scalar(
        sa.select(DueInvoice.id).where(DueInvoice.reference == invoice.reference)
    ):
        session.add(
            DueInvoice(
                reference=invoice.reference,
                number=invoice.number,
                customer_id=invoice.party_id,
                customer_name=invoice.party_name,
                total=invoice.total,
                due_date=due_date,
            )
        )
        session.flush()


def on_invoice_paid(session: Session, invoice: Any, payment: Any) -> None:
    if payment.amount <= 0 or invoice.data.get("pos_sale"):
        return  # a refund, or paid at the counter
    queue(
        session,
        "payment_received",
        f"{invoice.reference}:payment:{payment.id}",
        invoice.party_id,
        {"number": invoice.number, "amount": payment.amount},
    )


def on_points_changed(session: Session, movement: Any) -> None:
    """Points earned, and a reward that the new balance reaches for the first time."""
    if movement.kind != "earn" or movement.points <= 0:
        return
    from niaga_loyalty.models import Member, Reward

    member = session.get(Member, movement.member_id)
    if member is None:
        return
    session.refresh(member, ["balance"])
    balance = int(member.balance)
    before = balance - int(movement.points)
    points = int(movement.points)
    queue(
        session,
        "points_earned",
        f"loyalty.entry:{movement.id}",
        member.customer_id,
        {"points": points, "balance": balance},
    )
    reached = session.scalars(
        sa.select(Reward)
        .where(Reward.active.is_(True), Reward.points_cost <= balance, Reward.points_cost > before)
        .order_by(Reward.points_cost.desc(), Reward.id)
    ).first()
    if reached is not None:
        queue(
            session,
            "reward_ready",
            f"loyalty.reward:{reached.id}:entry:{movement.id}",
            member.customer_id,
            {
                "reward": reached.name,
                "cost": int(reached.points_cost),
                "balance": balance,
            },
        )


def on_customers_merged(session: Session, kept_id: int, merged_id: int) -> None:
    """A duplicate customer was merged: its preference moves to the kept customer unless
    that one has its own, its invoices waiting for a reminder and its log follow."""
    from niaga_notifications.models import DueInvoice

    kept = session.scalar(sa.select(Preference).where(Preference.customer_id == kept_id))
    merged = session.scalar(sa.select(Preference).where(Preference.customer_id == merged_id))
    if merged is not None:
        if kept is None:
            merged.customer_id = kept_id
        else:
            session.delete(merged)
    for table in (DueInvoice, Message):
        session.execute(
            sa.update(table).where(table.customer_id == merged_id).values(customer_id=kept_id)
        )
    session.flush()


def remind_due(session: Session) -> int:
    """Scheduled job: queue the invoice-due message for invoices due within the set
    number of days that are still open; returns how many were queued."""
    from niaga.clock import shop_now
    from niaga_notifications.models import DueInvoice

    now = shop_now(session)
    if not REMIND_FROM_HOUR <= now.hour < REMIND_UNTIL_HOUR:
        return 0  # nobody gets a payment reminder at night
    today = now.date()
    horizon = today + dt.timedelta(days=int(_setting(session, "due_reminder_days")))
    due = session.scalars(
        sa.select(DueInvoice)
        .where(DueInvoice.reminded.is_(False), DueInvoice.due_date <= horizon)
        .order_by(DueInvoice.due_date, DueInvoice.id)
    ).all()
    if not due:
        return 0
    open_amounts = hooks().sales_receivables(session=session)
    if open_amounts is None:
        return 0  # sales is off: keep them for when it is back
    queued = 0
    for invoice in due:
        invoice.reminded = True
        left = open_amounts.get(invoice.reference)
        if left is None or left <= 0:
            continue  # settled
        if queue(
            session,
            "invoice_due",
            invoice.reference,
            invoice.customer_id,
            {
                "number": invoice.number,
                "total": left,
                "due_date": invoice.due_date,
            },
        ):
            queued += 1
    session.flush()
    return queued


def _shown(value: Any, language: str) -> str:
    """A value as the recipient reads it: money as ``Rp 1.250.000`` (``Rp 1,250,000`` in
    English), dates and whole numbers the same way."""
    if isinstance(value, Decimal):
        return format_money(value, language=language)
    if isinstance(value, dt.date):
        return format_day(value, language)
    if isinstance(value, int):
        return format_number(value, 0, language)
    return str(value)
