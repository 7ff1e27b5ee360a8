"""The append-only payment event log, and applying a gateway's news to a payment.

Every notification and status answer is stored with its raw payload before its effect, in
the same transaction. ``(gateway, dedupe_key)`` is unique and the insert skips a key that is
already there, so a notification delivered twice (or by two servers at once) is stored and
applied once. A notification is applied only if its amount matches the payment's and the
state machine allows the move; otherwise it is kept, with the reason, and flagged when a
person should look at it.

A notification is a hint, not proof: before it moves a payment to a state where money is
the shop's (:data:`CONFIRM_FIRST`), the gateway's status API is asked, and only its answer
counts (a notification's status and fraud fields are often outside its signature). An
adapter that cannot be asked must declare ``signed_status`` (its signature covers status
and amount). Payloads are stored redacted (:mod:`niaga_payments.redaction`), and a payment
keeps at most :data:`MAX_NOTIFICATIONS` notifications that changed nothing, so re-posting
one signed body with new unsigned fields cannot grow the log without bound.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from niaga.audit import current_actor
from niaga.db import insert_on_conflict, utcnow
from niaga_payments import registry, states
from niaga_payments.adapters import GatewayAdapter, GatewayEvent
from niaga_payments.lifecycle import lock, move
from niaga_payments.models import Payment, PaymentEvent
from niaga_payments.redaction import redacted

log = logging.getLogger(__name__)

APPLIED, DUPLICATE, UNCONFIRMED, DROPPED = "applied", "duplicate", "unconfirmed", "dropped"
#: states a notification alone cannot move a payment to
CONFIRM_FIRST = frozenset({states.AUTHORIZED, states.HELD, states.PAID})
#: the longest dedupe key stored as it is
MAX_KEY = 200
#: notifications kept per payment that did not move it; later ones are only logged
MAX_NOTIFICATIONS = 50


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
    already stored (the duplicate is not stored twice). A key too long for its column is
    kept as its SHA-256."""
    if dedupe_key is not None and len(dedupe_key) > MAX_KEY:
        dedupe_key = "sha256:" + hashlib.sha256(dedupe_key.encode()).hexdigest()
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
        "payload": redacted(dict(payload or {})),
        "occurred_at": utcnow(),
    }
    if dedupe_key is None:
        return session.execute(
            sa.insert(PaymentEvent).values(**values).returning(PaymentEvent.id)
        ).scalar_one()
    statement = (
        insert_on_conflict(session, PaymentEvent)
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


def wanted(payment: Payment, event: GatewayEvent) -> str:
    """The state ``event`` asks for: money arriving for an escrow payment is held."""
    return states.HELD if payment.escrow and event.status == states.PAID else event.status


def decide(payment: Payment | None, event: GatewayEvent) -> Decision:
    """What to do with ``event`` for ``payment`` (pure: it reads, never writes)."""
    if payment is None:
        return Decision("unknown_payment", "No payment has this reference", flagged=True)
    status = wanted(payment, event)
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
    if status == payment.status or (
        payment.escrow and status == states.HELD and payment.status == states.PAID
    ):
        return Decision("no_change")
    if states.can_move(payment.status, status):
        return Decision(APPLIED)
    if status in (states.PAID, states.HELD) and payment.status in (
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


def ask(
    session: Session, adapter: GatewayAdapter, payment: Payment, external_id: str | None = None
) -> GatewayEvent | None:
    """The gateway's own answer about ``payment`` (its status API), asked by the gateway's
    id of it, or ``external_id`` when it has none yet; the calls are stored."""
    from niaga_payments.payments import payment_ref

    ref = payment_ref(payment)
    if not ref.external_id and external_id:
        ref = replace(ref, external_id=external_id)
    calls: list[dict[str, Any]] = []
    try:
        return adapter.get_status(registry.context(session, adapter, calls), ref)
    finally:
        store_calls(session, adapter.name, payment.id, calls)


def confirmed(
    session: Session, adapter: GatewayAdapter, payment: Payment, event: GatewayEvent
) -> tuple[Decision, GatewayEvent | None]:
    """Whether the gateway confirms a notification's claim; with its own answer, which is
    applied in place of an unconfirmed claim."""
    if "status" not in adapter.capabilities:
        if adapter.signed_status:
            return Decision(APPLIED), None
        note = "The notification's status is not signed and the gateway cannot be asked"
        return Decision(UNCONFIRMED, note, flagged=True), None
    answer = ask(session, adapter, payment, event.external_id)
    if answer is not None and answer.reference != payment.reference:
        answer = None  # the gateway id in the notification belongs to another payment
    if (
        answer is not None
        and answer.status == event.status
        and answer.amount in (None, payment.amount)
    ):
        return Decision(APPLIED), None
    said = answer.status if answer is not None else "nothing"
    note = f"The notification says {event.status}; the gateway's status API says {said}"
    return Decision(UNCONFIRMED, note, flagged=True), answer


def crowded(session: Session, payment_id: int) -> bool:
    """Whether the payment already keeps :data:`MAX_NOTIFICATIONS` idle notifications."""
    kept = session.scalar(
        sa.select(sa.func.count())
        .select_from(PaymentEvent)
        .where(
            PaymentEvent.payment_id == payment_id,
            PaymentEvent.kind == "notification",
            PaymentEvent.outcome != APPLIED,
        )
    )
    return (kept or 0) >= MAX_NOTIFICATIONS


def apply(
    session: Session,
    adapter: GatewayAdapter,
    event: GatewayEvent,
    *,
    kind: str,
    payload: Mapping[str, Any],
) -> str:
    """Store ``event`` (unless it is a duplicate) and apply it to its payment; returns the
    outcome. The payment row is locked first, so deliveries of one payment queue up. A
    notification that would make the payment paid is confirmed with the gateway first."""
    found = find(session, adapter.name, event.reference)
    payment = lock(session, found.id) if found is not None else None
    payment_id = payment.id if payment is not None else None
    decision, answer = decide(payment, event), None
    if payment is not None and kind == "notification":
        if decision.outcome == APPLIED and event.status in CONFIRM_FIRST:
            decision, answer = confirmed(session, adapter, payment, event)
        if decision.outcome != APPLIED and crowded(session, payment.id):
            log.warning("payments: dropped a %s notification for %s", adapter.name, event.reference)
            return DROPPED
    trusted = kind != "notification" or decision.outcome == APPLIED
    if payment is not None and trusted and event.external_id and not payment.external_id:
        payment.external_id = str(event.external_id)[:120]  # a gateway id learned late
    event_id = store(
        session,
        gateway=adapter.name,
        kind=kind,
        payment_id=payment_id,
        # an unconfirmed claim keeps its own key: the same notification, once the gateway
        # confirms it, is still applied
        dedupe_key=f"{event.kind}:{event.dedupe_key}"
        + (":unconfirmed" if decision.outcome == UNCONFIRMED else ""),
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
    if answer is not None:
        apply(session, adapter, answer, kind="status", payload={"answer": dict(answer.raw)})
        return decision.outcome
    if decision.flagged and decision.outcome != UNCONFIRMED:
        payment.flagged, payment.flag_reason = True, decision.note[:300]
    session.flush()
    if decision.outcome == APPLIED:
        fee = event.fee
        if event.status == states.PAID and fee is None:
            fee = registry.fee_for(session, adapter, payment.amount)
        move(
            session,
            payment,
            wanted(payment, event),
            event_id=event_id,
            fee=fee,
            method=event.method,
        )
    return decision.outcome
