"""Moving average cost (AVCO), kept per product across all warehouses.

The stock value of a product is always the sum of its moves' values, so the stock value
report, the ledger and the bookkeeping built on the moves agree to the rupiah:

* In (receipt, return in, surplus): the move's value is ``quantity x cost`` rounded to whole
  rupiah; the product's value grows by it and the average becomes value / quantity
  (4 decimals).
* Out (issue, return out, gift, shortage): the move takes ``quantity x average`` rounded to
  whole rupiah; taking the last units takes the whole remaining value, so no rounding
  residue is left behind.
* Into negative stock: the average is the cost of the receipt that brings stock back; the
  difference between what the oversold units were issued at and that cost is booked as a
  zero-quantity ``adjustment`` move (reason "cost correction"), so value = quantity x cost
  holds again.
* Transfers move quantity between warehouses at the average; the product's value is
  unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from niaga.money import ZERO, round_cost, round_rupiah
from niaga_inventory.models import Product, Valuation
from niaga_inventory.upsert import insert_missing


@dataclass(frozen=True)
class Priced:
    """What a quantity in or out is worth: ``value`` is positive; ``correction`` is the
    value of a cost correction to record with it (see the module docstring)."""

    unit_cost: Decimal
    value: Decimal
    correction: Decimal = ZERO


def lock(session: Session, product_id: int) -> Valuation:
    """The product's valuation row, locked until the end of the transaction."""
    return lock_all(session, [product_id])[product_id]


def lock_all(session: Session, product_ids: Iterable[int]) -> dict[int, Valuation]:
    """The valuation rows of ``product_ids``, locked in ascending product order until the
    end of the transaction, in one statement (two more when a product has no row yet)."""
    ids = sorted(set(product_ids))
    statement = (
        sa.select(Valuation)
        .where(Valuation.product_id.in_(ids))
        .order_by(Valuation.product_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    found = {row.product_id: row for row in session.scalars(statement)}
    missing = [product_id for product_id in ids if product_id not in found]
    if missing:
        for product_id in missing:
            insert_missing(session, Valuation, product_id=product_id)
        found.update(
            (row.product_id, row)
            for row in session.scalars(statement.where(Valuation.product_id.in_(missing)))
        )
    return found


def current_cost(valuation: Valuation, product: Product) -> Decimal:
    """The average cost, or the product's reference cost before any stock was valued."""
    return valuation.unit_cost if valuation.unit_cost else product.cost


def take_in(valuation: Valuation, quantity: Decimal, unit_cost: Decimal) -> Priced:
    """Add ``quantity`` (base units, positive) at ``unit_cost`` to the valuation."""
    unit_cost = round_cost(unit_cost)
    value = round_rupiah(quantity * unit_cost)
    old_quantity, old_value = valuation.quantity, valuation.value
    valuation.quantity = old_quantity + quantity
    if old_quantity <= 0:
        target = round_rupiah(valuation.quantity * unit_cost)
        valuation.value = target
        valuation.unit_cost = unit_cost
        return Priced(unit_cost, value, target - old_value - value)
    valuation.value = old_value + value
    valuation.unit_cost = round_cost(valuation.value / valuation.quantity)
    return Priced(unit_cost, value)


def take_out(valuation: Valuation, quantity: Decimal, unit_cost: Decimal) -> Priced:
    """Take ``quantity`` (base units, positive) out at ``unit_cost``, the current cost."""
    on_hand = valuation.quantity
    if on_hand > 0 and quantity >= on_hand:
        value = valuation.value + round_rupiah((quantity - on_hand) * unit_cost)
    else:
        value = round_rupiah(quantity * unit_cost)
    valuation.quantity = on_hand - quantity
    valuation.value = valuation.value - value
    return Priced(unit_cost, value)


def total(session: Session) -> Decimal:
    """The value of all stock: the sum of every product's valuation."""
    found = session.scalar(sa.select(sa.func.sum(Valuation.value)))
    # SQLite sums NUMERIC as floating point; values are whole rupiah, so this is exact
    return ZERO if found is None else Decimal(str(found)).quantize(Decimal("0.01"))


def figures(session: Session, product_id: int) -> tuple[Decimal, Decimal]:
    """``(average unit cost, stock value)`` of a product, read without locking."""
    row = session.execute(
        sa.select(Valuation.unit_cost, Valuation.value).where(Valuation.product_id == product_id)
    ).first()
    return (row[0], row[1]) if row else (ZERO, ZERO)


def report(session: Session, category: str | None = None) -> dict[str, Any]:
    """The stock value report: per product quantity, average cost and value, and the total."""
    statement = (
        sa.select(Product, Valuation)
        .join(Valuation, Valuation.product_id == Product.id)
        .where(Product.track_stock.is_(True))
        .where(sa.or_(Valuation.quantity != 0, Valuation.value != 0))
        .order_by(Product.name)
    )
    if category:
        statement = statement.where(Product.category == category)
    lines = [
        {
            "product_id": product.id,
            "sku": product.sku,
            "name": product.name,
            "category": product.category,
            "unit": product.base_unit,
            "quantity": valuation.quantity,
            "unit_cost": valuation.unit_cost,
            "value": valuation.value,
        }
        for product, valuation in session.execute(statement)
    ]
    return {"lines": lines, "total": sum((line["value"] for line in lines), ZERO)}
