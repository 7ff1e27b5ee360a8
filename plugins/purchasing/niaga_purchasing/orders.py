"""Purchase orders: draft, sent, confirmed, partially received, received, billed, paid,
cancelled.

People move an order from draft to sent and confirmed, or cancel it before anything was
received; receipts, bills and payments move it on from there (:func:`refresh_status`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from niaga import money
from niaga.clock import shop_today
from niaga.db import lock_for_update, utcnow
from niaga.errors import Invalid, NotFound, Refused
from niaga_purchasing import products
from niaga_purchasing.models import (
    Bill,
    BillLine,
    PricedLine,
    PurchaseOrder,
    PurchaseOrderLine,
    ReceiptLine,
    Supplier,
)
from niaga_purchasing.settings import get as setting
from niaga_purchasing.settings import next_number
from niaga_purchasing.suppliers import get_supplier, usual_price

ZERO = Decimal("0")
STATUSES = (
    "draft",
    "sent",
    "confirmed",
    "partially_received",
    "received",
    "billed",
    "paid",
    "cancelled",
)
#: action -> the statuses it may start from
TRANSITIONS = {
    "send": ("draft",),
    "confirm": ("draft", "sent"),
    "cancel": ("draft", "sent", "confirmed"),
}
RECEIVABLE = ("sent", "confirmed", "partially_received", "received")


def get_order(session: Session, order_id: int, lock: bool = False) -> PurchaseOrder:
    statement = sa.select(PurchaseOrder).where(PurchaseOrder.id == order_id)
    order = session.scalar(lock_for_update(statement) if lock else statement)
    if order is None:
        raise NotFound("Purchase order {id} not found", id=order_id)
    return order


def default_tax(session: Session, supplier: Supplier) -> tuple[Decimal, str]:
    """PPN rate and tax base a supplier's lines get unless the line says otherwise."""
    if not supplier.pkp:
        return ZERO, "1"
    return Decimal(str(setting(session, "tax_rate"))), str(setting(session, "tax_base"))


def _default_price(session: Session, supplier: Supplier, item: products.LineItem) -> Decimal:
    """The supplier's usual price, else the product's cost, in the line's unit."""
    if item.product is None:
        raise Invalid("A line without a product needs a unit price")
    usual = usual_price(session, supplier.id, item.product.id)
    if usual is not None:
        per_base = usual.price / item.product.to_base(Decimal("1"), usual.unit or None)
    else:
        per_base = item.product.cost
    return per_base * item.unit_factor


def build_line(
    session: Session, supplier: Supplier, data: dict[str, Any], position: int
) -> PurchaseOrderLine:
    """An order line from input (product or description, quantity, unit, price, discount,
    tax); missing prices and tax come from the supplier's defaults."""
    item = products.resolve_item(
        session,
        product_id=data.get("product_id"),
        sku=data.get("sku"),
        description=data.get("description") or "",
        unit=data.get("unit"),
    )
    quantity = Decimal(data["quantity"])
    if quantity <= 0:
        raise Invalid("Quantities must be more than zero")
    price = data.get("unit_price")
    rate, base = default_tax(session, supplier)
    line = PurchaseOrderLine(
        position=position,
        product_id=item.product_id,
        description=item.description[:200],
        quantity=quantity,
        unit=item.unit,
        unit_factor=item.unit_factor,
        unit_price=Decimal(price) if price is not None else _default_price(session, supplier, item),
        discount_percent=Decimal(data.get("discount_percent") or 0),
        tax_rate=Decimal(data["tax_rate"]) if data.get("tax_rate") is not None else rate,
        tax_base=data.get("tax_base") or base,
    )
    if line.unit_price < 0 or not 0 <= line.discount_percent <= 100:
        raise Invalid("Prices cannot be negative and discounts are between 0 and 100 %")
    apply_amounts(line)
    return line


def apply_amounts(line: PricedLine) -> None:
    """Fill a line's discount, net, PPN and total from its quantity, price and rates, by
    core's one line rule (:func:`niaga.money.line_amounts`; purchase prices exclude PPN)."""
    try:
        amounts = money.line_amounts(
            money.LineInput(
                quantity=line.quantity,
                unit_price=line.unit_price,
                discount_percent=line.discount_percent,
                tax_rate=line.tax_rate,
                tax_base=line.tax_base,
            )
        )
    except ValueError:
        raise Invalid(
            "The tax base {value} must look like 11/12 or 1",
            value=line.tax_base,
            fields={"tax_base": ["The tax base must be a fraction from 0 to 1, like 11/12 or 1"]},
        ) from None
    line.discount, line.net = amounts.discount, amounts.net
    line.tax, line.total = amounts.tax, amounts.total


#: which field of a line a refusal of it is about, by its message (any other: the product)
LINE_PROBLEM_FIELDS = {
    "Quantities must be more than zero": "quantity",
    "A line without a product needs a unit price": "unit_price",
    "Prices cannot be negative and discounts are between 0 and 100 %": "unit_price",
    "Unit {unit} is not defined for {product}": "unit",
}


def _set_lines(session: Session, order: PurchaseOrder, lines: list[dict[str, Any]]) -> None:
    if not lines:
        raise Invalid("An order needs at least one line")
    built = []
    for i, data in enumerate(lines):
        try:
            built.append(build_line(session, order.supplier, data, i))
        except Invalid as exc:
            # the refusal names its line and field (``lines.0.quantity``), so a form can
            # show it under the field and the API's caller knows which line it was
            fields = exc.fields or {LINE_PROBLEM_FIELDS.get(exc.template, "sku"): [exc.template]}
            if exc.params and not exc.fields:
                fields = {key: [exc.message("en")] for key in fields}
            raise Invalid(exc.template, fields={"lines": {str(i): fields}}, **exc.params) from None
    order.lines = built
    order.add_up(order.lines)


def create_order(session: Session, data: dict[str, Any]) -> PurchaseOrder:
    """A draft order for ``data["supplier_id"]`` with ``data["lines"]``."""
    supplier = get_supplier(session, data["supplier_id"])
    if not supplier.active:
        raise Refused("Supplier {name} is inactive", name=supplier.name)
    order_date = data.get("order_date") or shop_today(session)
    order = PurchaseOrder(
        number=next_number(session, "order", order_date),
        supplier=supplier,
        order_date=order_date,
        expected_date=data.get("expected_date"),
        warehouse_id=data.get("warehouse_id"),
        notes=data.get("notes") or "",
        source=data.get("source") or "manual",
    )
    session.add(order)
    _set_lines(session, order, data["lines"])
    session.flush()
    return order


def update_order(session: Session, order: PurchaseOrder, data: dict[str, Any]) -> PurchaseOrder:
    """Change a draft order (its lines are replaced when given)."""
    if order.status != "draft":
        raise Refused(
            "Only a draft order can be changed; this one is {status}", status=order.status
        )
    for name in ("expected_date", "warehouse_id"):
        if name in data:
            setattr(order, name, data[name])
    if "notes" in data:
        order.notes = data["notes"] or ""
    if "lines" in data:
        _set_lines(session, order, data["lines"])
    session.flush()
    return order


def transition(session: Session, order: PurchaseOrder, action: str) -> PurchaseOrder:
    """``send``, ``confirm`` or ``cancel`` an order."""
    allowed = TRANSITIONS.get(action)
    if allowed is None:
        raise NotFound("Unknown action {action}", action=action)
    if order.status not in allowed:
        if action == "cancel" and order.status in RECEIVABLE + ("billed", "paid"):
            raise Refused(
                "Order {number} cannot be cancelled: goods were already received",
                number=order.number,
            )
        raise Refused(
            "Cannot {action} order {number} while it is {status}",
            action=action,
            number=order.number,
            status=order.status,
        )
    now = utcnow()
    if action == "send":
        order.status, order.sent_at = "sent", now
    elif action == "confirm":
        order.status, order.confirmed_at = "confirmed", now
    else:
        order.status, order.cancelled_at = "cancelled", now
    session.flush()
    return order


def refresh_status(session: Session, order: PurchaseOrder) -> None:
    """Derive received / billed / paid from the order's receipts, bills and payments."""
    if order.status in ("draft", "cancelled"):
        return
    received = [line.received_quantity for line in order.lines]
    if not any(q > 0 for q in received):
        return
    fully_received = all(line.received_quantity >= line.quantity for line in order.lines)
    status = "received" if fully_received else "partially_received"
    if fully_received:
        line_ids = [line.id for line in order.lines]
        receipt_lines = list(
            session.scalars(sa.select(ReceiptLine).where(ReceiptLine.order_line_id.in_(line_ids)))
        )
        bills = list(
            session.scalars(
                sa.select(Bill).where(
                    Bill.id.in_(
                        sa.select(BillLine.bill_id).where(
                            BillLine.receipt_line_id.in_([r.id for r in receipt_lines])
                        )
                    )
                )
            )
        )
        all_billed = all(r.billed_quantity >= r.quantity for r in receipt_lines)
        if all_billed and bills and all(b.status != "draft" for b in bills):
            status = "paid" if all(b.status == "paid" for b in bills) else "billed"
    order.status = status


def orders_query(status: str | None = None, supplier_id: int | None = None) -> sa.Select[Any]:
    statement = sa.select(PurchaseOrder).order_by(PurchaseOrder.id.desc())
    if status:
        statement = statement.where(PurchaseOrder.status == status)
    if supplier_id:
        statement = statement.where(PurchaseOrder.supplier_id == supplier_id)
    return statement


def open_for_receiving(session: Session) -> list[PurchaseOrder]:
    """Orders that goods may still arrive for, oldest expected first."""
    return list(
        session.scalars(
            sa.select(PurchaseOrder)
            .where(PurchaseOrder.status.in_(("sent", "confirmed", "partially_received")))
            .order_by(
                PurchaseOrder.expected_date.is_(None), PurchaseOrder.expected_date, PurchaseOrder.id
            )
        )
    )
