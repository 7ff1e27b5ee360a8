"""The append-only payment event log, and applying a gateway's news to a payment.

Every notification and status answer is stored with its raw payload before its effect, in
the same transaction. ``(gateway, dedupe_key)`` is unique and the insert skips a key that is
already there, so a notification delivered twice (or by two servers at once) is stored and
applied once. A notification is applied only if its amount matches the payment's and the
state machine allows the move; otherwise it is kept, with the reason, and flagged when a
person should look at it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from niaga.audit import current_actor
from niaga.db import utcnow
from niaga_payments import registry, states
from niaga_payments.adapters import GatewayAdapter, GatewayEvent
from niaga_payments.lifecycle import lock, move
from niaga_payments.models import Payment, PaymentEvent

log = logging.getLogger(__name__)

APPLIED, DUPLICATE = "applied", "duplicate"


@dataclass(frozen=True)
class Decision:
    outcome: str
    note: str = ""
    flagged: bool = False


def store(
    session: Session,
    *,
    gateway: str,
    kind: str,
    payment_id: int | None = None,
    dedupe_key: str | None = None,
    status: str | None = None,
    amount: Any = None,
    outcome: str = "recorded",
    flagged: bool = False,
    note: str = "",
    payload: Mapping[str, Any] | None = None,
) -> int | None:
    """Append an event; returns its id, or ``None`` when ``(gateway, dedupe_key)`` is
    already stored (the duplicate is not stored twice)."""
    values = {
        "payment_id": payment_id,
        "gateway": gateway,
        "kind": kind,
        "dedupe_key": dedupe_key,
        "status": status,
        "amount": amount,
        "outcome": outcome,
        "flagged": flagged,
        "note": note[:300],
        "actor": current_actor()[:120],
        "payload": dict(payload or {}),
        "occurred_at": utcnow(),
    }
    dialect = session.get_bind().dialect.name
    insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}.get(dialect)
    if insert is None or dedupe_key is None:
        return session.execute(
            sa.insert(PaymentEvent).values(**values).returning(PaymentEvent.id)
        ).scalar_one()
    statement = (
        insert(PaymentEvent)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["gateway", "dedupe_key"])
        .returning(PaymentEvent.id)
    )
    return session.execute(statement).scalar()


def store_calls(
    session: Session, gateway: str, payment_id: int | None, calls: list[dict[str, Any]]
) -> None:
    """Append the gateway calls an adapter made (request and answer, as sent)."""
    for call in calls:
        store(
            session,
            gateway=gateway,
            kind="call",
            payment_id=payment_id,
            note=f"{call.get('method')} {call.get('url')} -> {call.get('status', 'no answer')}",
            payload=call,
        )
    calls.clear()


def find(session: Session, gateway: str, reference: str) -> Payment | None:
    return session.scalar(
        sa.select(Payment).where(Payment.gateway == gateway, Payment.reference == reference)
    )


def decide(payment: Payment | None, event: GatewayEvent) -> Decision:
    """What to do with ``event`` for ``payment`` (pure: it reads, never writes)."""
    if payment is None:
        return Decision("unknown_payment", "No payment has this reference", flagged=True)
    if event.kind == "refund":
        if payment.status == event.status or payment.status == states.REFUNDED:
            return Decision("no_change")
        return Decision(
            "review", "A refund was made at the gateway, outside Niaga; record it", True
        )
    if event.amount is not None and event.amount != payment.amount:
        return Decision(
            "amount_mismatch",
            f"The gateway reports {event.amount}, the payment is for {payment.amount}",
            flagged=True,
        )
    if event.status == payment.status:
        return Decision("no_change")
    if states.can_move(payment.status, event.status):
        return Decision(APPLIED)
    if event.status == states.PAID and payment.status in (
        states.FAILED,
        states.EXPIRED,
        states.CANCELLED,
    ):
        return Decision(
            "ignored",
            f"Money arrived for a payment that is {payment.status}; refund or apply it",
            flagged=True,
        )
    return Decision("ignored", f"Late or out of order: the payment is already {payment.status}")


def apply(
    session: Session,
    adapter: GatewayAdapter,
    event: GatewayEvent,
    *,
    kind: str,
    payload: Mapping[str, Any],
    calls: list[dict[str, Any]] | None = None,
) -> str:
    """Store ``event`` (unless it is a duplicate) and apply it to its payment; returns the
    outcome. The payment row is locked first, so deliveries of one payment queue up."""
    found = find(session, adapter.name, event.reference)
    payment = lock(session, found.id) if found is not None else None
    payment_id = payment.id if payment is not None else None
    if calls:
        store_calls(session, adapter.name, payment_id, calls)
    if payment is not None and event.external_id and not payment.external_id:
        payment.external_id = str(event.external_id)[:120]
    decision = decide(payment, event)
    event_id = store(
        session,
        gateway=adapter.name,
        kind=kind,
        payment_id=payment_id,
        dedupe_key=f"{event.kind}:{event.dedupe_key}",
        status=event.status,
        amount=event.amount,
        outcome=decision.outcome,
        flagged=decision.flagged,
        note=decision.note,
        payload=payload,
    )
    if event_id is None:
        return DUPLICATE
    if decision.flagged:
        log.warning(
            "payments: %s event for %s flagged: %s", adapter.name, event.reference, decision.note
        )
    if payment is None:
        return decision.outcome
    if decision.flagged:
        payment.flagged, payment.flag_reason = True, decision.note[:300]
    session.flush()
    if decision.outcome == APPLIED:
        fee = event.fee
        if event.status == states.PAID and fee is None:
            fee = registry.fee_for(session, adapter, payment.amount)
        move(session, payment, event.status, event_id=event_id, fee=fee, method=event.method)
    return decision.outcome
