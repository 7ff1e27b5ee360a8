"""Tables of the payments plugin: payments, their append-only event log and transitions,
refunds and bank-transfer proofs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from niaga.db import Model, TimestampMixin, utcnow


class Payment(TimestampMixin, Model):
    """One attempt to collect money for a document (``target``), through one gateway.

    ``amount`` comes from ``payments_amount_due`` when the payment starts, never from the
    client. ``reference`` is the id Niaga gives the gateway (Midtrans ``order_id``, Xendit
    ``external_id``, DOKU ``invoice_number``); ``external_id`` is the gateway's own. An
    ``escrow`` payment holds the money it receives (``held``) until the buyer confirms
    delivery, the release period passes, or a dispute refunds it.
    """

    __tablename__ = "payments_payment"
    __table_args__ = (sa.UniqueConstraint("gateway", "reference"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    target: Mapped[str] = mapped_column(sa.String(80), index=True)
    gateway: Mapped[str] = mapped_column(sa.String(40), index=True)
    method: Mapped[str] = mapped_column(sa.String(30))
    reference: Mapped[str] = mapped_column(sa.String(80))
    external_id: Mapped[str | None] = mapped_column(sa.String(120))
    status: Mapped[str] = mapped_column(sa.String(30), default="created", index=True)
    amount: Mapped[Decimal] = mapped_column()
    currency: Mapped[str] = mapped_column(sa.String(3), default="IDR")
    fee: Mapped[Decimal] = mapped_column(default=Decimal("0"))
    refunded: Mapped[Decimal] = mapped_column(default=Decimal("0"))
    flagged: Mapped[bool] = mapped_column(default=False, index=True)
    flag_reason: Mapped[str] = mapped_column(sa.String(300), default="")
    redirect_url: Mapped[str | None] = mapped_column(sa.String(500))
    instructions: Mapped[Any] = mapped_column(sa.JSON, default=dict)
    paid_at: Mapped[dt.datetime | None] = mapped_column()
    escrow: Mapped[bool] = mapped_column(default=False, server_default=sa.false())


class PaymentEvent(Model):
    """Append-only: every notification received and every call made to a gateway, with its
    raw payload. ``(gateway, dedupe_key)`` is unique, so a notification delivered twice is
    stored (and applied) once; calls and staff actions carry no key."""

    __tablename__ = "payments_event"
    __audit__ = False
    __table_args__ = (sa.UniqueConstraint("gateway", "dedupe_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int | None] = mapped_column(sa.ForeignKey("payments_payment.id"), index=True)
    gateway: Mapped[str] = mapped_column(sa.String(40))
    kind: Mapped[str] = mapped_column(sa.String(20))
    dedupe_key: Mapped[str | None] = mapped_column(sa.String(200))
    status: Mapped[str | None] = mapped_column(sa.String(30))
    amount: Mapped[Decimal | None] = mapped_column()
    outcome: Mapped[str] = mapped_column(sa.String(30), default="recorded")
    flagged: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str] = mapped_column(sa.String(300), default="")
    actor: Mapped[str] = mapped_column(sa.String(120), default="")
    payload: Mapped[Any] = mapped_column(sa.JSON, default=dict)
    occurred_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)


class PaymentTransition(Model):
    """Append-only: each state a payment entered. A payment enters each state at most once
    (the state machine has no cycles), which the unique constraint makes certain."""

    __tablename__ = "payments_transition"
    __audit__ = False
    __table_args__ = (sa.UniqueConstraint("payment_id", "to_status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int] = mapped_column(sa.ForeignKey("payments_payment.id"), index=True)
    from_status: Mapped[str] = mapped_column(sa.String(30))
    to_status: Mapped[str] = mapped_column(sa.String(30))
    event_id: Mapped[int | None] = mapped_column(sa.ForeignKey("payments_event.id"))
    occurred_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Refund(Model):
    """Money given back on a paid payment (full or partial)."""

    __tablename__ = "payments_refund"
    __audit__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int] = mapped_column(sa.ForeignKey("payments_payment.id"), index=True)
    amount: Mapped[Decimal] = mapped_column()
    reason: Mapped[str] = mapped_column(sa.String(300), default="")
    external_id: Mapped[str | None] = mapped_column(sa.String(120))
    actor: Mapped[str] = mapped_column(sa.String(120), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class TransferProof(Model):
    """A customer's proof of a manual bank transfer (a photo or PDF of the receipt), kept
    in the database so that every app server can show it."""

    __tablename__ = "payments_transfer_proof"
    __audit__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int] = mapped_column(sa.ForeignKey("payments_payment.id"), index=True)
    filename: Mapped[str] = mapped_column(sa.String(200))
    content_type: Mapped[str] = mapped_column(sa.String(100))
    content: Mapped[bytes] = mapped_column(sa.LargeBinary)
    uploaded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
