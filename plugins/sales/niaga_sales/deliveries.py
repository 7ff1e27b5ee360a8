"""Delivery orders (surat jalan): picking → packed → delivered; several per order.

Stock leaves the order's warehouse (the one it was reserved in) when a delivery is marked
delivered: inventory issues it against the order's reservation (reference
``sales.order:<id>``). A delivery can never carry more than what is still undelivered on
the order, counting other open deliveries.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from niaga.clock import shop_today
from niaga.db import utcnow
from niaga.errors import Conflict, Invalid, NotFound, Refused
from niaga.l10n import format_quantity
from niaga.money import ZERO, round_quantity, to_decimal
from niaga.runtime import hooks
from niaga_inventory.contracts import StockLine
from niaga_sales.config import document_number, pending_number
from niaga_sales.documents import delivery_document, order_document, reference
from niaga_sales.invoices import invoice_delivery, invoice_each_delivery
from niaga_sales.models import (
    CONFIRMED,
    DELIVERED,
    PARTIALLY_DELIVERED,
    Delivery,
    DeliveryLine,
    Order,
    OrderLine,
)
from niaga_sales.orders import get_order

OPEN = ("picking", "packed")


def get_delivery(session: Session, delivery_id: int, lock: bool = False) -> Delivery:
    statement = sa.select(Delivery).where(Delivery.id == delivery_id)
    delivery = session.scalar(statement.with_for_update(of=Delivery) if lock else statement)
    if delivery is None:
        raise NotFound("Delivery {id} not found", id=delivery_id)
    return delivery


def remaining(line: OrderLine) -> Decimal:
    """Base quantity of ``line`` not yet delivered nor on an open delivery."""
    pending = sum(
        (
            item.base_quantity
            for delivery in line.order.deliveries
            if delivery.state in OPEN
            for item in delivery.lines
            if item.order_line_id == line.id
        ),
        ZERO,
    )
    return line.base_quantity - line.delivered_base_quantity - pending


def create_delivery(
    session: Session,
    order_id: int,
    lines: list[dict[str, Any]] | None = None,
    driver: str = "",
    vehicle: str = "",
    notes: str = "",
) -> Delivery:
    """A delivery for some (``lines``: ``order_line_id`` and ``quantity`` in the line's
    unit) or all of what remains to deliver."""
    order = get_order(session, order_id, lock=True, load=("lines", "deliveries"))
    if order.state not in (CONFIRMED, PARTIALLY_DELIVERED):
        raise Conflict(
            "Order {number} is {state}: nothing to deliver", number=order.number, state=order.state
        )
    items = {line.id: line for line in order.lines if line.kind == "item"}
    if lines is None:
        wanted = [(line, None) for line in items.values()]
    else:
        wanted = []
        for data in lines:
            line = items.get(data["order_line_id"])
            if line is None:
                raise Invalid(
                    "Line {id} is not on order {number}",
                    id=data["order_line_id"],
                    number=order.number,
                )
            wanted.append((line, to_decimal(data["quantity"])))
    delivery = Delivery(
        number=pending_number(),
        order=order,
        driver=driver,
        vehicle=vehicle,
        notes=notes,
    )
    session.add(delivery)
    # written together by the flush below, not the delivery alone before the first line
    with session.no_autoflush:
        _add_lines(delivery, wanted)
    if not delivery.lines:
        raise Refused(
            "Everything on order {number} is delivered or on its way", number=order.number
        )
    # not gapless: drawn before the delivery is written, so it is written with its number
    with session.no_autoflush:
        delivery.number = document_number(session, "delivery", shop_today(session))
    session.flush()
    return delivery


def _add_lines(delivery: Delivery, wanted: list[tuple[OrderLine, Decimal | None]]) -> None:
    for line, quantity in wanted:
        left = remaining(line)
        factor = line.base_quantity / line.quantity
        if quantity is None:
            if left <= 0:
                continue
            base, quantity = left, round_quantity(left / factor)
        else:
            if quantity <= 0:
                raise Invalid("Quantity must be more than zero", fields={"quantity": ["> 0"]})
            base = round_quantity(quantity * factor)
            if base > left:
                raise Refused(
                    "Only {left} {unit} of {item} is left to deliver",
                    code="over_delivery",
                    left=format_quantity(round_quantity(left / factor)),
                    unit=line.unit,
                    item=line.description,
                )
        delivery.lines.append(
            DeliveryLine(
                order_line_id=line.id, order_line=line, quantity=quantity, base_quantity=base
            )
        )


def pack(session: Session, delivery_id: int) -> Delivery:
    """The goods are packed and leave with the driver: ``sales_delivery_dispatched`` tells
    the retailer they are on their way (stock leaves the books when they are delivered)."""
    delivery = get_delivery(session, delivery_id, lock=True)
    if delivery.state != "picking":
        raise Conflict("Delivery {number} is {state}", number=delivery.number, state=delivery.state)
    delivery.state = "packed"
    session.flush()
    hooks().sales_delivery_dispatched(
        session=session,
        order=order_document(delivery.order),
        delivery=delivery_document(delivery),
    )
    return delivery


def cancel(session: Session, delivery_id: int) -> Delivery:
    delivery = get_delivery(session, delivery_id, lock=True)
    if delivery.state not in OPEN:
        raise Refused(
            "Delivery {number} is {state} and cannot be cancelled",
            number=delivery.number,
            state=delivery.state,
        )
    delivery.state = "cancelled"
    session.flush()
    return delivery


def deliver(session: Session, delivery_id: int) -> Delivery:
    """The goods left: stock is issued, the order's delivered quantities move on, and
    ``sales_order_delivered`` is raised; with ``sales.invoice_each_delivery`` the delivery
    is invoiced at once, so its revenue lands with its cost."""
    delivery = session.get(Delivery, delivery_id)  # read again below, once the order is locked
    if delivery is None:
        raise NotFound("Delivery {id} not found", id=delivery_id)
    order = get_order(session, delivery.order_id, lock=True, load=("lines",))
    session.refresh(delivery)
    return _deliver_locked(session, order, delivery)


def deliver_created(session: Session, delivery: Delivery) -> Delivery:
    """:func:`deliver` a delivery :func:`create_delivery` made in this transaction: its
    order is locked already and nothing of it needs reading again."""
    return _deliver_locked(session, delivery.order, delivery)


def _deliver_locked(session: Session, order: Order, delivery: Delivery) -> Delivery:
    if delivery.state not in OPEN:
        raise Conflict("Delivery {number} is {state}", number=delivery.number, state=delivery.state)
    stock = [
        StockLine(
            product_id=item.order_line.product_id,
            quantity=item.base_quantity,
            warehouse_id=order.warehouse_id,
        )
        for item in delivery.lines
        if item.order_line.product_id is not None
    ]
    moves = (
        hooks().inventory_issue(
            session=session, reference=reference("order", order.id), lines=stock, kind="issue"
        )
        if stock
        else None
    )
    costs: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for move in moves or []:
        costs[move.product_id] += -move.value
    for item in delivery.lines:
        item.order_line.delivered_base_quantity += item.base_quantity
    delivery.state = "delivered"
    delivery.delivered_at = utcnow()
    complete = all(
        line.delivered_base_quantity >= line.base_quantity
        for line in order.lines
        if line.kind == "item"
    )
    order.state = DELIVERED if complete else PARTIALLY_DELIVERED
    session.flush()
    hooks().sales_order_delivered(
        session=session,
        order=order_document(order),
        delivery=delivery_document(delivery, dict(costs) if moves else None),
    )
    if invoice_each_delivery(session):
        invoice_delivery(session, delivery.id)
    return delivery
