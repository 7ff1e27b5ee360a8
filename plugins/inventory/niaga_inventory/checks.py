"""Proof that the caches equal the ledger: balances and valuation against the stock moves,
reserved quantities against the open reservations."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from niaga.money import ZERO
from niaga_inventory.models import Reservation, StockBalance, StockMove, Valuation


def problems(session: Session) -> list[str]:
    """Every difference between the cached figures and the ledger (empty when all agree)."""
    found: list[str] = []
    ledger = {
        (row.product_id, row.warehouse_id): row.quantity
        for row in session.execute(
            sa.select(
                StockMove.product_id,
                StockMove.warehouse_id,
                sa.func.sum(StockMove.quantity).label("quantity"),
            ).group_by(StockMove.product_id, StockMove.warehouse_id)
        )
    }
    promised = {
        (row.product_id, row.warehouse_id): row.quantity
        for row in session.execute(
            sa.select(
                Reservation.product_id,
                Reservation.warehouse_id,
                sa.func.sum(Reservation.quantity).label("quantity"),
            ).group_by(Reservation.product_id, Reservation.warehouse_id)
        )
    }
    cached = {
        (row.product_id, row.warehouse_id): (row.on_hand, row.reserved)
        for row in session.execute(
            sa.select(
                StockBalance.product_id,
                StockBalance.warehouse_id,
                StockBalance.on_hand,
                StockBalance.reserved,
            )
        )
    }
    for key in sorted(set(ledger) | set(promised) | set(cached)):
        on_hand, reserved = cached.get(key, (ZERO, ZERO))
        if on_hand != ledger.get(key, ZERO):
            found.append(
                f"product {key[0]} in warehouse {key[1]}: on hand {on_hand} but the moves "
                f"add up to {ledger.get(key, ZERO)}"
            )
        if reserved != promised.get(key, ZERO):
            found.append(
                f"product {key[0]} in warehouse {key[1]}: reserved {reserved} but open "
                f"reservations add up to {promised.get(key, ZERO)}"
            )
    found += _valuation_problems(session)
    negative = session.scalar(sa.select(sa.func.count()).where(Reservation.quantity < 0))
    if negative:
        found.append(f"{negative} reservations are negative")
    return found


def _valuation_problems(session: Session) -> list[str]:
    totals = {
        row.product_id: (row.quantity, row.value)
        for row in session.execute(
            sa.select(
                StockMove.product_id,
                sa.func.sum(StockMove.quantity).label("quantity"),
                sa.func.sum(StockMove.value).label("value"),
            ).group_by(StockMove.product_id)
        )
    }
    cached = {
        row.product_id: (row.quantity, row.value)
        for row in session.execute(
            sa.select(Valuation.product_id, Valuation.quantity, Valuation.value)
        )
    }
    found = []
    for product_id in sorted(set(totals) | set(cached)):
        quantity, value = cached.get(product_id, (ZERO, ZERO))
        expected = totals.get(product_id, (ZERO, ZERO))
        if (quantity, value) != expected:
            found.append(
                f"product {product_id}: valuation says {quantity} worth {value} but the moves "
                f"add up to {expected[0]} worth {expected[1]}"
            )
    return found
