"""The notifications plugin's tables: what each retailer wants, the shop's own wording,
every message with its sending state, the invoices waiting for a due reminder, and the
webhooks shared with the principal with every attempt."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from niaga.db import Model, Money, TimestampMixin, utcnow

#: message states: queued (written with the event), sending (committed just before the
#: provider is called), sent, failed (given up: a permanent error or out of attempts),
#: skipped (nobody to send to)
QUEUED, SENDING, SENT, FAILED, SKIPPED = "queued", "sending", "sent", "failed", "skipped"


class Preference(TimestampMixin, Model):
    """How one customer (a sales customer id) wants to be told: ``email``, ``whatsapp``
    or ``none``, with the address to use when the shop's customer record has none."""

    __tablename__ = "notifications_preference"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(unique=True)
    channel: Mapped[str] = mapped_column(sa.String(10))
    email: Mapped[str] = mapped_column(sa.String(200), default="")
    phone: Mapped[str] = mapped_column(sa.String(20), default="")
    language: Mapped[str] = mapped_column(sa.String(2), default="id")


class Template(TimestampMixin, Model):
    """The owner's wording of one event's message in one language (the built-in wording
    applies where there is no row)."""

    __tablename__ = "notifications_template"
    __table_args__ = (sa.UniqueConstraint("event", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event: Mapped[str] = mapped_column(sa.String(30))
    language: Mapped[str] = mapped_column(sa.String(2))
    subject: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)


class Message(Model):
    """One notification to one recipient on one channel. ``key`` (event, document,
    recipient, channel) is unique: an event raised twice queues nothing new."""

    __tablename__ = "notifications_message"
    __audit__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(200), unique=True)
    event: Mapped[str] = mapped_column(sa.String(30), index=True)
    reference: Mapped[str] = mapped_column(sa.String(80))
    customer_id: Mapped[int | None] = mapped_column(index=True)
    channel: Mapped[str] = mapped_column(sa.String(10))
    recipient: Mapped[str] = mapped_column(sa.String(200))
    subject: Mapped[str] = mapped_column(sa.String(200), default="")
    body: Mapped[str] = mapped_column(sa.Text)
    state: Mapped[str] = mapped_column(sa.String(10), default=QUEUED, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    provider_id: Mapped[str] = mapped_column(sa.String(200), default="")
    error: Mapped[str] = mapped_column(sa.String(500), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    attempted_at: Mapped[dt.datetime | None]
    sent_at: Mapped[dt.datetime | None]


class DueInvoice(Model):
    """An issued invoice of a customer, kept until its due reminder went out (the daily
    job reads these instead of sales' tables)."""

    __tablename__ = "notifications_due_invoice"
    __audit__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(sa.String(80), unique=True)
    number: Mapped[str] = mapped_column(sa.String(40))
    customer_id: Mapped[int] = mapped_column(index=True)
    customer_name: Mapped[str] = mapped_column(sa.String(120), default="")
    total: Mapped[Decimal] = mapped_column(Money)
    due_date: Mapped[dt.date] = mapped_column(index=True)
    reminded: Mapped[bool] = mapped_column(default=False)


class SellOut(Model):
    """An invoice (or, negative, a return) as the principal may see it (sell-out),
    recorded when it is issued so the activity figures can be computed whenever sharing is
    switched on."""

    __tablename__ = "notifications_sell_out"
    __audit__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(sa.String(80), unique=True)
    number: Mapped[str] = mapped_column(sa.String(40))
    day: Mapped[dt.date] = mapped_column(index=True)
    customer_id: Mapped[int | None] = mapped_column(index=True)
    source: Mapped[str] = mapped_column(sa.String(20), default="")
    subtotal: Mapped[Decimal] = mapped_column(Money)
    lines: Mapped[Any] = mapped_column(sa.JSON)


class WebhookDelivery(Model):
    """One webhook to the principal; ``key`` is unique and sent as ``X-Niaga-Delivery``
    so the receiver can drop repeats."""

    __tablename__ = "notifications_webhook"
    __audit__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(120), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(30))
    payload: Mapped[Any] = mapped_column(sa.JSON)
    state: Mapped[str] = mapped_column(sa.String(10), default=QUEUED, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[dt.datetime | None]


class WebhookAttempt(Model):
    """Every attempt to deliver a webhook: when, the receiver's answer or the error."""

    __tablename__ = "notifications_webhook_attempt"
    __audit__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    webhook_id: Mapped[int] = mapped_column(sa.ForeignKey("notifications_webhook.id"), index=True)
    attempted_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    status: Mapped[int | None]
    error: Mapped[str] = mapped_column(sa.String(500), default="")
    milliseconds: Mapped[int] = mapped_column(default=0)
