"""Moving a payment through its states, and telling other plugins.

A move is a conditional ``UPDATE ... WHERE status = <the state we saw>``: of two processes
racing to apply the same change only one updates a row, and only that one records the
transition and raises ``payments_status_changed`` (and ``payments_paid``), in the caller's
transaction. The state machine (:mod:`niaga_payments.states`) has no cycles, so
``payments_paid`` fires exactly once per payment. A payment that pays a document already
paid by another is flagged as paid twice.
"""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from niaga import settings
from niaga.contracts import PaymentInfo
from niaga.db import utcnow
from niaga.errors import NotFound, Refused
from niaga.l10n import format_money
from niaga.runtime import hooks
from niaga_payments import states
from niaga_payments.models import Payment, PaymentTransition

#: how a payment for a document that was already paid is flagged (its refund clears it)
PAID_TWICE = "Paid twice"


def info(session: Session, payment: Payment) -> PaymentInfo:
    """The payment as other plugins see it; ``account`` is the gateway's account setting."""
    account = settings.get_stored(session, f"payments.{payment.gateway}_account", "")
    return PaymentInfo(
        id=payment.id,
        target=payment.target,
        amount=payment.amount,
        method=payment.method,
        status=payment.status,
        occurred_at=payment.paid_at or payment.updated_at or utcnow(),
        fee=payment.fee,
        gateway=payment.gateway,
        account=account or None,
    )


def lock(session: Session, payment_id: int) -> Payment:
    """The payment, locked for this transaction and read fresh from the database."""
    payment = session.scalars(
        sa.select(Payment)
        .where(Payment.id == payment_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    if payment is None:
        raise NotFound("Payment {id} does not exist", id=payment_id)
    return payment


def move(
    session: Session,
    payment: Payment,
    new: str,
    *,
    event_id: int | None = None,
    fee: Decimal | None = None,
    method: str | None = None,
) -> bool:
    """Move ``payment`` to ``new`` if the state machine allows it and nobody moved it
    meanwhile; returns whether this call made the move."""
    previous = payment.status
    if not states.can_move(previous, new):
        return False
    now = utcnow()
    values: dict[str, object] = {"status": new, "updated_at": now}
    if new == states.PAID:
        values["paid_at"] = now
        if fee is not None:
            values["fee"] = fee
        if method:
            values["method"] = method
    moved = session.execute(
        sa.update(Payment)
        .where(Payment.id == payment.id, Payment.status == previous)
        .values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if moved != 1:
        return False
    session.add(
        PaymentTransition(
            payment_id=payment.id,
            from_status=previous,
            to_status=new,
            event_id=event_id,
            occurred_at=now,
        )
    )
    session.flush()
    session.refresh(payment)
    current = info(session, payment)
    relay = hooks()
    relay.payments_status_changed(session=session, payment=current, previous=previous)
    if new == states.PAID:
        flag_if_paid_twice(session, payment)
        relay.payments_paid(session=session, payment=current)
    return True


def flag_if_paid_twice(session: Session, payment: Payment) -> None:
    """Flag ``payment`` when its document was already paid by another payment: the
    customer paid twice, and this one should be refunded (which clears the flag)."""
    others = session.scalars(
        sa.select(Payment.id).where(
            Payment.target == payment.target,
            Payment.id != payment.id,
            Payment.status.in_(states.SETTLED),
        )
    ).all()
    if others:
        paid_by = ", ".join(str(other) for other in others)
        payment.flagged = True
        payment.flag_reason = (
            f"{PAID_TWICE}: {payment.target} was already paid by payment {paid_by}; "
            f"refund {format_money(payment.amount)} to the customer"
        )[:300]
        session.flush()


def require_move(session: Session, payment: Payment, new: str, **kwargs: object) -> None:
    """:func:`move`, refusing with a clear message when the move is not possible."""
    if not move(session, payment, new, **kwargs):  # type: ignore[arg-type]
        raise Refused(
            "A payment that is {status} cannot become {new}", status=payment.status, new=new
        )
