"""Consistency checks (``niaga check``): balances derived from the append-only records."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from niaga_payments import states
from niaga_payments.models import Payment, PaymentTransition, Refund


def problems(session: Session) -> list[str]:
    """Payments whose state or refunded amount disagrees with their own records, documents
    paid more than once, and payments flagged for a person to review."""
    found = []
    refunded = dict(
        session.execute(
            sa.select(Refund.payment_id, sa.func.sum(Refund.amount)).group_by(Refund.payment_id)
        ).all()
    )
    last = dict(
        session.execute(
            sa.select(PaymentTransition.payment_id, PaymentTransition.to_status).where(
                PaymentTransition.id.in_(
                    sa.select(sa.func.max(PaymentTransition.id)).group_by(
                        PaymentTransition.payment_id
                    )
                )
            )
        ).all()
    )
    paid_twice = session.execute(
        sa.select(Payment.target, sa.func.count())
        .where(Payment.status.in_(states.SETTLED))
        .group_by(Payment.target)
        .having(sa.func.count() > 1)
        .order_by(Payment.target)
    ).all()
    for target, count in paid_twice:
        found.append(f"payments: {target} is paid {count} times; refund the extra payments")
    for payment in session.scalars(sa.select(Payment).order_by(Payment.id)):
        if payment.refunded != (refunded.get(payment.id) or 0):
            found.append(f"payments: payment {payment.id} refunded amount differs from refunds")
        if last.get(payment.id, states.CREATED) != payment.status:
            found.append(f"payments: payment {payment.id} state differs from its transitions")
        if payment.flagged:
            found.append(f"payments: payment {payment.id} needs review: {payment.flag_reason}")
    return found
