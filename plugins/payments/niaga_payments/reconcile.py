"""Reconciliation: ask the gateways about payments stuck open (a notification may have been
lost) and apply their answers like notifications. Run by ``niaga payments reconcile`` and
by the worker as a scheduled job."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from niaga.db import utcnow
from niaga.errors import NiagaError
from niaga_payments import payments, registry, states
from niaga_payments.models import Payment

log = logging.getLogger(__name__)

STUCK = (states.CREATED, states.PENDING, states.REQUIRES_ACTION, states.AUTHORIZED)


def stuck(session: Session, older_than: dt.timedelta) -> list[Payment]:
    """Open payments older than ``older_than`` at gateways that can be asked."""
    askable = [name for name, a in registry.adapters().items() if "status" in a.capabilities]
    return list(
        session.scalars(
            sa.select(Payment)
            .where(
                Payment.status.in_(STUCK),
                Payment.gateway.in_(askable),
                Payment.created_at <= utcnow() - older_than,
            )
            .order_by(Payment.id)
        )
    )


def reconcile(session: Session, older_than_minutes: int | None = None) -> list[dict[str, Any]]:
    """Ask about each stuck payment, one transaction per payment; returns what happened."""
    minutes = older_than_minutes
    if minutes is None:
        minutes = int(registry.general(session, "reconcile_after_minutes"))
    results = []
    for payment_id, reference in [
        (p.id, p.reference) for p in stuck(session, dt.timedelta(minutes=minutes))
    ]:
        try:
            outcome = payments.refresh(session, payment_id)
            session.commit()
        except NiagaError as exc:
            session.rollback()
            outcome = f"error: {exc.message('en')}"
            log.warning("payments: reconciling %s failed: %s", reference, outcome)
        status = session.get(Payment, payment_id)
        results.append(
            {
                "id": payment_id,
                "reference": reference,
                "outcome": outcome,
                "status": status.status if status else None,
            }
        )
    return results


def scheduled(session: Session) -> None:
    """The worker's job."""
    reconcile(session)
