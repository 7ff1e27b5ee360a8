"""Collecting and ordering the couriers' offers."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.orm import Session

from niaga.errors import Invalid
from niaga.runtime import hooks
from niaga_shipping.contracts import Rate


def quote(session: Session, destination: str, weight_kg: Decimal) -> list[Rate]:
    """Every enabled courier's offer, cheapest first."""
    if not destination.strip():
        raise Invalid("Enter a destination", fields={"destination": ["Required"]})
    if weight_kg <= 0:
        raise Invalid("The weight must be more than zero", fields={"weight_kg": ["Must be > 0"]})
    answers = hooks().shipping_rates(
        session=session, destination=destination.strip(), weight_kg=weight_kg
    )
    offers = [rate for answer in answers for rate in answer]
    return sorted(offers, key=lambda rate: (rate.price, rate.days, rate.courier))
