"""Stock counts (stock opname): start, enter what was found, review, post the differences.

Differences are taken against the on-hand quantity when the count is posted, so sales made
while counting are not double counted if goods are counted when the shop is quiet. Products
left uncounted are not adjusted (an empty line is not a zero).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from niaga.audit import current_actor
from niaga.db import utcnow
from niaga.errors import Conflict, Invalid, NotFound
from niaga.money import ZERO, round_rupiah, to_decimal
from niaga_inventory import contracts, stock
from niaga_inventory.models import (
    Product,
    StockBalance,
    StockCount,
    StockCountLine,
    Valuation,
    is_row_id,
)
from niaga_inventory.products import find_product, to_base
from niaga_inventory.warehouses import get_warehouse


def reference(count: StockCount) -> str:
    return f"inventory.count:{count.id}"


def get_count(session: Session, count_id: int, *, lock: bool = False) -> StockCount:
    statement = sa.select(StockCount).where(StockCount.id == count_id)
    if lock:
        statement = statement.with_for_update().execution_options(populate_existing=True)
    count = session.scalar(statement) if is_row_id(count_id) else None
    if count is None:
        raise NotFound("Stock count {id} does not exist", id=count_id)
    return count


def _on_hand(session: Session, warehouse_id: int, product_ids: list[int]) -> dict[int, Decimal]:
    rows = session.execute(
        sa.select(StockBalance.product_id, StockBalance.on_hand).where(
            StockBalance.warehouse_id == warehouse_id, StockBalance.product_id.in_(product_ids)
        )
    )
    return {product_id: on_hand for product_id, on_hand in rows}


def start(
    session: Session,
    warehouse_id: int | None = None,
    category: str | None = None,
    reason: str = "",
    note: str = "",
    all_products: bool = True,
) -> StockCount:
    """Open a count in a warehouse, listing its active tracked products (of ``category``)."""
    warehouse = get_warehouse(session, warehouse_id)
    count = StockCount(
        warehouse_id=warehouse.id, reason=reason, note=note, started_by=current_actor()[:120]
    )
    session.add(count)
    if all_products:
        statement = sa.select(Product.id).where(
            Product.active.is_(True), Product.track_stock.is_(True)
        )
        if category:
            statement = statement.where(Product.category == category)
        product_ids = list(session.scalars(statement.order_by(Product.name)))
        expected = _on_hand(session, warehouse.id, product_ids)
        count.lines = [
            StockCountLine(product_id=pid, expected=expected.get(pid, ZERO)) for pid in product_ids
        ]
    session.flush()
    return count


def _open(session: Session, count_id: int) -> StockCount:
    count = get_count(session, count_id, lock=True)
    if count.status != "open":
        raise Conflict("Stock count {id} is already {status}", id=count.id, status=count.status)
    return count


def enter(
    session: Session,
    count_id: int,
    quantity: Any,
    *,
    product_id: int | None = None,
    sku: str | None = None,
    barcode: str | None = None,
    unit: str | None = None,
    add: bool = False,
    reason: str | None = None,
    unit_cost: Any = None,
) -> StockCountLine:
    """Record what was counted of a product (``add`` sums scans, else it replaces)."""
    count = _open(session, count_id)
    product = find_product(session, product_id, sku, barcode)
    if product is None:
        raise NotFound("No product matches {key}", key=product_id or sku or barcode or "")
    if not product.track_stock:
        raise Invalid("{product} does not track stock", product=product.name)
    counted = to_base(product, quantity, unit)
    if counted < 0:
        raise Invalid("A counted quantity cannot be negative", fields={"quantity": ["< 0"]})
    line = next((ln for ln in count.lines if ln.product_id == product.id), None)
    if line is None:
        expected = _on_hand(session, count.warehouse_id, [product.id]).get(product.id, ZERO)
        line = StockCountLine(product_id=product.id, expected=expected)
        count.lines.append(line)
    line.counted = (line.counted or ZERO) + counted if add else counted
    if reason is not None:
        line.reason = reason
    if unit_cost is not None:
        line.unit_cost = to_decimal(unit_cost)
    session.flush()
    return line


def review(session: Session, count: StockCount) -> list[dict[str, Any]]:
    """Each line with the on-hand quantity now, the difference and its value at cost."""
    product_ids = [line.product_id for line in count.lines]
    on_hand = _on_hand(session, count.warehouse_id, product_ids)
    costs = dict(
        session.execute(
            sa.select(Valuation.product_id, Valuation.unit_cost).where(
                Valuation.product_id.in_(product_ids)
            )
        ).all()
    )
    rows = []
    for line in count.lines:
        expected = line.expected if count.status == "posted" else on_hand.get(line.product_id, ZERO)
        difference = None if line.counted is None else line.counted - expected
        cost = costs.get(line.product_id) or line.product.cost
        rows.append(
            {
                "id": line.id,
                "product_id": line.product_id,
                "sku": line.product.sku,
                "name": line.product.name,
                "unit": line.product.base_unit,
                "expected": expected,
                "counted": line.counted,
                "difference": difference,
                "value": None if difference is None else round_rupiah(difference * cost),
                "reason": line.reason,
            }
        )
    return rows


def post(
    session: Session, count_id: int, reason: str = "", kind: str = "adjustment"
) -> list[contracts.StockMove]:
    """Post the differences as moves of ``kind`` (``adjustment``; ``opening`` for opening
    stock), with reference ``inventory.count:<id>``."""
    count = _open(session, count_id)
    reason = reason.strip() or count.reason.strip() or "stock count"
    on_hand = _on_hand(session, count.warehouse_id, [line.product_id for line in count.lines])
    changes = []
    for line in count.lines:
        line.expected = on_hand.get(line.product_id, ZERO)
        if line.counted is None or line.counted == line.expected:
            continue
        difference = line.counted - line.expected
        cost = line.unit_cost if difference > 0 else None
        changes.append(
            (
                contracts.StockLine(
                    product_id=line.product_id,
                    quantity=abs(difference),
                    warehouse_id=count.warehouse_id,
                    cost=cost,
                ),
                1 if difference > 0 else -1,
                line.reason.strip() or reason,
            )
        )
    moves = []
    for reason_text in sorted({change[2] for change in changes}):
        moves += stock.adjust(
            session,
            reference(count),
            [(ln, sign) for ln, sign, why in changes if why == reason_text],
            reason_text,
            kind,
        )
    count.status = "posted"
    count.reason = reason
    count.posted_by = current_actor()[:120]
    count.posted_at = utcnow()
    session.flush()
    return moves


def cancel(session: Session, count_id: int) -> StockCount:
    count = _open(session, count_id)
    count.status = "cancelled"
    session.flush()
    return count


def list_statement(status: str | None = None) -> sa.Select[Any]:
    statement = sa.select(StockCount).options(selectinload(StockCount.warehouse))
    if status:
        statement = statement.where(StockCount.status == status)
    return statement.order_by(StockCount.id.desc())
