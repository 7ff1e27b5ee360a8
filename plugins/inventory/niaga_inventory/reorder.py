"""Reorder points: which products to buy again, and how much.

A product with a reorder point is low when its available stock (all warehouses) is at or
below it. The suggestion is its reorder quantity, or else enough to reach twice the reorder
point, rounded up to whole purchase units (cartons, not loose packs).
"""

from __future__ import annotations

from decimal import ROUND_CEILING, Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from niaga.money import ZERO
from niaga_inventory.contracts import ReorderNeed
from niaga_inventory.models import Product, StockBalance


def needs(session: Session, limit: int | None = None) -> list[ReorderNeed]:
    """Active tracked products at or below their reorder point, the emptiest first."""
    available = sa.func.coalesce(
        sa.select(sa.func.sum(StockBalance.on_hand - StockBalance.reserved))
        .where(StockBalance.product_id == Product.id)
        .scalar_subquery(),
        0,
    )
    statement = (
        sa.select(Product, available)
        .options(selectinload(Product.units))
        .where(Product.active.is_(True), Product.track_stock.is_(True))
        .where(Product.reorder_point.is_not(None))
        .where(available <= Product.reorder_point)
        .order_by(available - Product.reorder_point, Product.name)
    )
    if limit:
        statement = statement.limit(limit)
    return [_need(product, Decimal(left)) for product, left in session.execute(statement)]


def _need(product: Product, available: Decimal) -> ReorderNeed:
    point = product.reorder_point or ZERO
    wanted = product.reorder_quantity or max(point * 2 - available, ZERO)
    unit = product.purchase_unit or product.base_unit
    factor = product.factors().get(unit, Decimal(1))
    whole = (wanted / factor).to_integral_value(rounding=ROUND_CEILING)
    return ReorderNeed(
        product_id=product.id,
        sku=product.sku,
        name=product.name,
        available=available,
        reorder_point=point,
        suggested_quantity=max(whole, Decimal(1)),
        unit=unit,
    )
