"""Supplier bills from goods receipts, with a three-way check.

A bill is made from receipt lines (all that is not billed yet, or chosen quantities and
prices as the supplier's invoice says). Prices, discounts and PPN come from the order line
when there is one. The three-way check compares what was ordered, received and billed and
lists every difference on the bill as a warning: a bill may differ (the supplier's invoice
is what it is) but never silently. Posting a bill makes it a payable.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from niaga import l10n, money
from niaga.clock import shop_today
from niaga.db import lock_for_update, utcnow
from niaga.errors import Invalid, NotFound, Refused
from niaga.runtime import hooks
from niaga_purchasing import products
from niaga_purchasing.documents import bill_document, reference, stock_costs
from niaga_purchasing.models import Bill, BillLine, PurchaseOrder, Receipt, ReceiptLine
from niaga_purchasing.orders import apply_amounts, default_tax, refresh_status
from niaga_purchasing.settings import next_number

ZERO = Decimal("0")
#: what a Faktur Pajak number may be typed with (digits, dots, dashes, spaces)
_TAX_INVOICE_TYPED = re.compile(r"^[0-9 .\-]+$")


def parse_tax_invoice_number(text: str | None) -> str:
    """The digits of a supplier's Faktur Pajak number: 17 under Coretax
    (``04002500012345678``), 16 in the older e-Faktur form (``010.002-24.12345678``);
    empty when none is given."""
    if text is None or not text.strip():
        return ""
    digits = re.sub(r"\D", "", text)
    if not _TAX_INVOICE_TYPED.match(text.strip()) or len(digits) not in (16, 17):
        raise Invalid(
            "Tax invoice number {value} is not valid: it has 17 digits (16 in the old form)",
            value=text,
            fields={"tax_invoice_number": ["16 or 17 digits"]},
        )
    return digits


def record_tax_invoice(
    session: Session, bill: Bill, number: str | None, date: dt.date | None
) -> Bill:
    """Record (or correct, or clear with an empty number) the supplier's Faktur Pajak of
    ``bill``: its PPN becomes creditable input tax in the month of the faktur date."""
    digits = parse_tax_invoice_number(number)
    if digits and date is None:
        raise Invalid("Give the date of the tax invoice", fields={"tax_invoice_date": ["required"]})
    if date is not None and date > shop_today(session):
        raise Invalid(
            "The tax invoice date cannot be in the future",
            fields={"tax_invoice_date": ["not in the future"]},
        )
    bill.tax_invoice_number = digits
    bill.tax_invoice_date = date if digits else None
    session.flush()
    return bill


def get_bill(session: Session, bill_id: int, lock: bool = False) -> Bill:
    statement = sa.select(Bill).where(Bill.id == bill_id)
    bill = session.scalar(lock_for_update(statement) if lock else statement)
    if bill is None:
        raise NotFound("Bill {id} not found", id=bill_id)
    return bill


def _receipt_lines(session: Session, data: dict[str, Any]) -> list[ReceiptLine]:
    """Receipt lines named by ``receipt_ids`` or ``order_id`` (all their lines)."""
    statement = sa.select(ReceiptLine).join(Receipt).order_by(ReceiptLine.id)
    if data.get("receipt_ids"):
        statement = statement.where(Receipt.id.in_(data["receipt_ids"]))
        found = set(
            session.scalars(sa.select(Receipt.id).where(Receipt.id.in_(data["receipt_ids"])))
        )
        missing = sorted(set(data["receipt_ids"]) - found)
        if missing:
            raise NotFound("Goods receipt {id} not found", id=missing[0])
    elif data.get("order_id") is not None:
        if session.get(PurchaseOrder, data["order_id"]) is None:
            raise NotFound("Purchase order {id} not found", id=data["order_id"])
        statement = statement.where(Receipt.order_id == data["order_id"])
    else:
        raise Invalid("Say which goods receipts (or which order) the bill is for")
    return list(session.scalars(lock_for_update(statement)))


def _default_terms(session: Session, line: ReceiptLine) -> tuple[Decimal, Decimal, Decimal, str]:
    """Price, discount %, PPN rate and tax base a receipt line is billed at by default:
    the order's terms when the goods came at the ordered cost, else the received cost (so
    what the bill clears is what the receipt recorded; the three-way check flags it)."""
    order_line = line.order_line
    if order_line is None:
        return (line.unit_cost, ZERO, *default_tax(session, line.receipt.supplier))
    rate, base = order_line.tax_rate, order_line.tax_base
    ordered_cost = products.price_in(
        order_line.net_unit_price, order_line.unit_factor, line.unit_factor
    )
    if money.round_cost(ordered_cost) != line.unit_cost:
        return line.unit_cost, ZERO, rate, base
    price = products.price_in(order_line.unit_price, order_line.unit_factor, line.unit_factor)
    return price, order_line.discount_percent, rate, base


def _bill_line(
    session: Session, line: ReceiptLine, quantity: Decimal, override: dict[str, Any]
) -> BillLine:
    price, discount_percent, rate, base = _default_terms(session, line)
    bill_line = BillLine(
        receipt_line=line,
        product_id=line.product_id,
        description=line.description,
        quantity=quantity,
        unit=line.unit,
        unit_factor=line.unit_factor,
        unit_price=money.round_cost(Decimal(override.get("unit_price", price))),
        discount_percent=Decimal(override.get("discount_percent", discount_percent)),
        tax_rate=Decimal(override.get("tax_rate", rate)),
        tax_base=override.get("tax_base", base),
    )
    apply_amounts(bill_line)
    return bill_line


def _warning(
    code: str, message: str, money_params: tuple[str, ...] = (), **params: Any
) -> dict[str, Any]:
    """A warning kept as its English template and plain parameters; Decimals are stored as
    plain numbers (amounts for the names in ``money_params``, else quantities) and written
    the reader's way when shown (``documents.warning_texts``)."""
    formats = {
        name: "money" if name in money_params else "quantity"
        for name, value in params.items()
        if isinstance(value, Decimal)
    }
    plain = {
        name: str(value) if isinstance(value, Decimal) else value for name, value in params.items()
    }
    return {"code": code, "message": message, "params": plain, "formats": formats}


def three_way_check(bill: Bill) -> list[dict[str, Any]]:
    """Differences between ordered, received and billed. Each warning keeps its English
    template and parameters, so it is shown in the reader's language."""
    warnings: list[dict[str, Any]] = []
    order_lines = {}
    for line in bill.lines:
        receipt_line = line.receipt_line
        if receipt_line is None:
            continue
        if receipt_line.order_line is None:
            warnings.append(
                _warning(
                    "no_order", "{item}: received without a purchase order", item=line.description
                )
            )
            continue
        order_line = receipt_line.order_line
        order_lines[order_line.id] = order_line
        ordered_price = money.round_cost(
            products.price_in(order_line.unit_price, order_line.unit_factor, line.unit_factor)
        )
        if ordered_price != line.unit_price or order_line.discount_percent != line.discount_percent:
            warnings.append(
                _warning(
                    "price",
                    "{item}: billed at {billed} per {unit} less {discount} %, ordered at "
                    "{ordered} less {ordered_discount} %",
                    item=line.description,
                    money_params=("billed", "ordered"),
                    billed=line.unit_price,
                    discount=line.discount_percent,
                    unit=line.unit,
                    ordered=ordered_price,
                    ordered_discount=order_line.discount_percent,
                )
            )
        if line.quantity < receipt_line.quantity:
            warnings.append(
                _warning(
                    "billed_less",
                    "{item}: billed {billed} {unit}, received {received} {unit}",
                    item=line.description,
                    billed=line.quantity,
                    received=receipt_line.quantity,
                    unit=line.unit,
                )
            )
    for order_line in order_lines.values():
        if order_line.received_quantity != order_line.quantity:
            warnings.append(
                _warning(
                    "received_differs",
                    "{item}: ordered {ordered} {unit}, received {received} {unit} so far",
                    item=order_line.description,
                    ordered=order_line.quantity,
                    received=order_line.received_quantity,
                    unit=order_line.unit,
                )
            )
    return warnings


def create_bill(session: Session, data: dict[str, Any]) -> Bill:
    """A draft bill for receipt lines not billed yet (``receipt_ids`` or ``order_id``);
    ``lines`` may set ``quantity`` and prices per ``receipt_line_id``. ``post`` posts it."""
    receipt_lines = _receipt_lines(session, data)
    if not receipt_lines:
        raise Refused("Nothing has been received yet, so there is nothing to bill")
    overrides = {o["receipt_line_id"]: o for o in data.get("lines") or []}
    unknown = set(overrides) - {line.id for line in receipt_lines}
    if unknown:
        raise Invalid("Receipt line {line} is not on these receipts", line=sorted(unknown)[0])
    suppliers = {line.receipt.supplier_id for line in receipt_lines}
    if len(suppliers) > 1:
        raise Invalid("A bill is for one supplier; these receipts are from several")
    bill_lines = []
    for line in receipt_lines:
        override = overrides.get(line.id, {})
        if overrides and not override:
            continue
        quantity = Decimal(override.get("quantity", line.unbilled_quantity))
        if quantity <= 0 and not override:
            continue
        if quantity <= 0 or quantity > line.unbilled_quantity:
            raise Refused(
                "{item}: {quantity} {unit} cannot be billed; {open} {unit} received and not "
                "billed yet",
                item=line.description,
                quantity=l10n.format_quantity(quantity),
                open=l10n.format_quantity(line.unbilled_quantity),
                unit=line.unit,
            )
        line.billed_quantity += quantity
        bill_lines.append(_bill_line(session, line, quantity, override))
    if not bill_lines:
        raise Refused("Everything received on these receipts has been billed already")
    supplier = receipt_lines[0].receipt.supplier
    bill_date: dt.date = data.get("bill_date") or shop_today(session)
    bill = Bill(
        number=next_number(session, "bill", bill_date),
        supplier=supplier,
        supplier_reference=data.get("supplier_reference") or "",
        bill_date=bill_date,
        due_date=data.get("due_date") or bill_date + dt.timedelta(days=supplier.payment_terms_days),
        notes=data.get("notes") or "",
        lines=bill_lines,
    )
    bill.add_up(bill_lines)
    bill.warnings = three_way_check(bill)
    session.add(bill)
    session.flush()
    if data.get("tax_invoice_number"):
        record_tax_invoice(session, bill, data["tax_invoice_number"], data.get("tax_invoice_date"))
    if data.get("post"):
        post_bill(session, bill)
    return bill


def post_bill(session: Session, bill: Bill) -> Bill:
    """Post a draft bill: a payable now exists (event ``purchasing_bill_posted``)."""
    if bill.status != "draft":
        raise Refused("Bill {number} is already posted", number=bill.number)
    bill.status, bill.posted_at = "posted", utcnow()
    session.flush()
    for order in orders_of(session, bill):
        refresh_status(session, order)
    for line, cost in stock_costs(bill):
        if line.net != cost:  # priced other than received: correct the goods still held
            hooks().inventory_revalue(
                session=session,
                reference=reference("bill", bill.id),
                product_id=line.product_id,
                value=line.net - cost,
                quantity=line.quantity * line.unit_factor,
            )
    hooks().purchasing_bill_posted(session=session, bill=bill_document(bill))
    return bill


def delete_draft(session: Session, bill: Bill) -> None:
    """Throw away a draft bill; its receipt lines can be billed again."""
    if bill.status != "draft":
        raise Refused(
            "Only a draft bill can be deleted; bill {number} is posted", number=bill.number
        )
    for line in bill.lines:
        if line.receipt_line is not None:
            line.receipt_line.billed_quantity -= line.quantity
    session.delete(bill)
    session.flush()


def orders_of(session: Session, bill: Bill) -> list[PurchaseOrder]:
    """The purchase orders whose goods ``bill`` is for."""
    receipt_line_ids = [line.receipt_line_id for line in bill.lines if line.receipt_line_id]
    if not receipt_line_ids:
        return []
    return list(
        session.scalars(
            sa.select(PurchaseOrder).where(
                PurchaseOrder.id.in_(
                    sa.select(Receipt.order_id)
                    .join(ReceiptLine)
                    .where(ReceiptLine.id.in_(receipt_line_ids))
                )
            )
        )
    )


def bills_query(status: str | None = None, supplier_id: int | None = None) -> sa.Select[Any]:
    statement = sa.select(Bill).order_by(Bill.id.desc())
    if status:
        statement = statement.where(Bill.status == status)
    if supplier_id:
        statement = statement.where(Bill.supplier_id == supplier_id)
    return statement
