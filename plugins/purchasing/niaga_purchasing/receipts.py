"""Goods receipts: what arrived, per line, into a warehouse, at its real cost.

Against an order, each line names the order line and may arrive in another unit of the
same product; receiving more than ordered is refused unless the caller explicitly allows
it. Without an order, lines name a product or describe the goods. When inventory is
enabled the receipt becomes stock (``inventory_receive``, kind ``receipt``, reference
``purchasing.receipt:<id>``) at the received cost; otherwise only quantities are kept.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from niaga import l10n, money
from niaga.clock import shop_today
from niaga.errors import Invalid, NotFound, Refused
from niaga.runtime import hooks
from niaga_inventory.contracts import StockLine
from niaga_purchasing import products
from niaga_purchasing.documents import receipt_document, reference
from niaga_purchasing.models import PurchaseOrder, Receipt, ReceiptLine
from niaga_purchasing.orders import RECEIVABLE, get_order, refresh_status
from niaga_purchasing.settings import next_number
from niaga_purchasing.suppliers import get_supplier

ZERO = Decimal("0")


def get_receipt(session: Session, receipt_id: int) -> Receipt:
    receipt = session.get(Receipt, receipt_id)
    if receipt is None:
        raise NotFound("Goods receipt {id} not found", id=receipt_id)
    return receipt


def _quantity(data: dict[str, Any]) -> Decimal:
    quantity = Decimal(data["quantity"])
    if quantity <= 0:
        raise Invalid("Quantities must be more than zero")
    return quantity


def _order_line(
    session: Session, order: PurchaseOrder, data: dict[str, Any], allow_over: bool
) -> ReceiptLine:
    """A receipt line against one of ``order``'s lines; updates its received quantity."""
    order_line = next((ol for ol in order.lines if ol.id == data.get("order_line_id")), None)
    if order_line is None:
        raise Invalid(
            "Line {line} is not a line of order {number}",
            line=data.get("order_line_id"),
            number=order.number,
        )
    quantity = _quantity(data)
    unit = data.get("unit") or order_line.unit
    factor = order_line.unit_factor
    if unit != order_line.unit:
        if order_line.product_id is None:
            raise Invalid(
                "Receive {item} in {unit}, the unit it was ordered in",
                item=order_line.description,
                unit=order_line.unit,
            )
        item = products.resolve_item(session, product_id=order_line.product_id, unit=unit)
        factor = item.unit_factor
    in_order_unit = products.convert(quantity, factor, order_line.unit_factor)
    received = order_line.received_quantity + in_order_unit
    if received > order_line.quantity and not allow_over:
        raise Refused(
            "Receiving {quantity} {unit} of {item} is more than ordered: {open} {order_unit} "
            "still open. Allow over-receipt explicitly to accept it.",
            quantity=l10n.format_quantity(quantity),
            unit=unit,
            item=order_line.description,
            open=l10n.format_quantity(order_line.open_quantity),
            order_unit=order_line.unit,
            code="over_receipt",
            fields={"lines": {str(order_line.id): ["more than ordered"]}},
        )
    order_line.received_quantity = money.round_quantity(received)
    cost = data.get("unit_cost")
    return ReceiptLine(
        order_line=order_line,
        product_id=order_line.product_id,
        description=order_line.description,
        quantity=quantity,
        unit=unit,
        unit_factor=factor,
        unit_cost=money.round_cost(
            Decimal(cost)
            if cost is not None
            else products.price_in(order_line.net_unit_price, order_line.unit_factor, factor)
        ),
    )


def _free_line(session: Session, data: dict[str, Any]) -> ReceiptLine:
    """A receipt line without an order: a product or described goods, with its cost."""
    if data.get("order_line_id") is not None:
        raise Invalid("Order lines can only be received against their order")
    item = products.resolve_item(
        session,
        product_id=data.get("product_id"),
        sku=data.get("sku"),
        description=data.get("description") or "",
        unit=data.get("unit"),
    )
    cost = data.get("unit_cost")
    if cost is None:
        if item.product is None:
            raise Invalid("A line without a product needs its unit cost")
        cost = item.product.cost * item.unit_factor
    return ReceiptLine(
        product_id=item.product_id,
        description=item.description[:200],
        quantity=_quantity(data),
        unit=item.unit,
        unit_factor=item.unit_factor,
        unit_cost=money.round_cost(Decimal(cost)),
    )


def receive(session: Session, data: dict[str, Any]) -> Receipt:
    """Record goods that arrived (``order_id`` or ``supplier_id``, ``lines``, optional
    ``warehouse_id``, ``received_date``, ``allow_over_receipt``)."""
    lines_in = data.get("lines") or []
    if not lines_in:
        raise Invalid("A receipt needs at least one line")
    order = None
    if data.get("order_id") is not None:
        order = get_order(session, data["order_id"], lock=True)
        if order.status not in RECEIVABLE:
            raise Refused(
                "Goods cannot be received for order {number} while it is {status}",
                number=order.number,
                status=order.status,
            )
        supplier = order.supplier
        if data.get("supplier_id") not in (None, supplier.id):
            raise Invalid("The supplier is not the order's supplier")
    elif data.get("supplier_id") is not None:
        supplier = get_supplier(session, data["supplier_id"])
    else:
        raise Invalid("Say which order (or, without an order, which supplier) the goods are from")
    allow_over = bool(data.get("allow_over_receipt"))
    if order is not None:
        lines = [_order_line(session, order, line, allow_over) for line in lines_in]
    else:
        lines = [_free_line(session, line) for line in lines_in]
    for line in lines:
        line.value = money.round_rupiah(line.quantity * line.unit_cost)
    received_date = data.get("received_date") or shop_today(session)
    receipt = Receipt(
        number=next_number(session, "receipt", received_date),
        supplier=supplier,
        order=order,
        warehouse_id=data.get("warehouse_id", order.warehouse_id if order else None),
        received_date=received_date,
        notes=data.get("notes") or "",
        lines=lines,
        value=sum((line.value for line in lines), ZERO),
    )
    session.add(receipt)
    session.flush()
    receipt.stock_tracked = _stock_in(session, receipt)
    if order is not None:
        refresh_status(session, order)
    session.flush()
    hooks().purchasing_goods_received(session=session, receipt=receipt_document(receipt))
    return receipt


def _stock_in(session: Session, receipt: Receipt) -> bool:
    """Put the receipt's product lines into stock at their cost; ``False`` when inventory
    is disabled (quantities are then only recorded here)."""
    stock_lines = [
        StockLine(
            product_id=line.product_id,
            quantity=line.quantity,
            unit=line.unit,
            cost=line.unit_cost,
            warehouse_id=receipt.warehouse_id,
        )
        for line in receipt.lines
        if line.product_id is not None
    ]
    if not stock_lines:
        return False
    moves = hooks().inventory_receive(
        session=session,
        reference=reference("receipt", receipt.id),
        lines=stock_lines,
        kind="receipt",
    )
    return moves is not None


def receipts_query(
    order_id: int | None = None, supplier_id: int | None = None, unbilled: bool = False
) -> sa.Select[Any]:
    statement = sa.select(Receipt).order_by(Receipt.id.desc())
    if order_id:
        statement = statement.where(Receipt.order_id == order_id)
    if supplier_id:
        statement = statement.where(Receipt.supplier_id == supplier_id)
    if unbilled:
        statement = statement.where(
            Receipt.lines.any(ReceiptLine.billed_quantity < ReceiptLine.quantity)
        )
    return statement
