"""A price correction of goods already received (a supplier's bill priced other than the
receipt): the part of the difference that belongs to units still on hand goes into their
stock value, as a zero-quantity ``revaluation`` move; the part of units already gone is
left to the caller (bookkeeping charges it to cost of sales).

The units of the correction are spread evenly: with ``quantity`` units received and ``q``
on hand now, ``min(q, quantity) / quantity`` of ``value`` is put into stock, so the average
cost of what is left becomes what it would have been had the goods come at the bill's price.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.orm import Session

from niaga.audit import current_actor
from niaga.money import ZERO, round_cost, round_rupiah, to_decimal
from niaga.runtime import hooks
from niaga_inventory import contracts, stock, valuation
from niaga_inventory.models import Product, StockMove
from niaga_inventory.warehouses import default_warehouse

KIND = "revaluation"


def revalue(
    session: Session, reference: str, product_id: int, value: Decimal, quantity: Decimal
) -> tuple[Decimal, list[contracts.StockMove]]:
    """Put the on-hand share of ``value`` (the price difference of ``quantity`` base units
    received) into the stock value of ``product_id``; returns that share and the move."""
    product = session.get(Product, product_id)
    value, quantity = to_decimal(value), to_decimal(quantity)
    if product is None or not product.track_stock or not value or quantity <= 0:
        return ZERO, []
    held = valuation.lock(session, product_id)
    on_hand = max(ZERO, min(held.quantity, quantity))
    share = round_rupiah(value * on_hand / quantity)
    if not share:
        return ZERO, []
    held.value += share
    held.unit_cost = round_cost(held.value / held.quantity)
    move = StockMove(
        product_id=product_id,
        warehouse_id=default_warehouse(session).id,
        kind=KIND,
        quantity=ZERO,
        unit=product.base_unit,
        unit_quantity=ZERO,
        unit_cost=held.unit_cost,
        value=share,
        reference=reference,
        reason="price correction",
        actor=current_actor()[:120],
    )
    session.add(move)
    session.flush()
    moved = [stock.as_contract(move)]
    hooks().inventory_stock_moved(session=session, moves=moved)
    return share, moved
