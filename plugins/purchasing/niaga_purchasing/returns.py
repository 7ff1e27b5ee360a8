"""Returns to a supplier: billed goods go back, stock goes out (``inventory_issue`` kind
``return_out``) and a debit note lowers what is owed on the bill."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from niaga import l10n, money
from niaga.clock import shop_today
from niaga.errors import Invalid, NotFound, Refused
from niaga.runtime import hooks
from niaga_inventory.contracts import StockLine
from niaga_purchasing.bills import get_bill
from niaga_purchasing.documents import reference, return_document
from niaga_purchasing.models import BillLine, SupplierReturn, SupplierReturnLine
from niaga_purchasing.payments import settle_status
from niaga_purchasing.settings import next_number

ZERO = Decimal("0")


def get_return(session: Session, return_id: int) -> SupplierReturn:
    found = session.get(SupplierReturn, return_id)
    if found is None:
        raise NotFound("Supplier return {id} not found", id=return_id)
    return found


def _share(session: Session, bill_line: BillLine, quantity: Decimal) -> tuple[Decimal, ...]:
    """Discount, net and tax of returning ``quantity`` of a bill line: proportional, and the
    remainder when the rest of the line goes back, so returns never exceed the bill."""
    if quantity == bill_line.quantity - bill_line.returned_quantity:
        done = session.execute(
            sa.select(
                sa.func.coalesce(sa.func.sum(SupplierReturnLine.discount), 0),
                sa.func.coalesce(sa.func.sum(SupplierReturnLine.net), 0),
                sa.func.coalesce(sa.func.sum(SupplierReturnLine.tax), 0),
            ).where(SupplierReturnLine.bill_line_id == bill_line.id)
        ).one()
        return (
            bill_line.discount - Decimal(done[0]),
            bill_line.net - Decimal(done[1]),
            bill_line.tax - Decimal(done[2]),
        )
    share = quantity / bill_line.quantity
    return (
        money.round_rupiah(bill_line.discount * share),
        money.round_rupiah(bill_line.net * share),
        money.round_rupiah(bill_line.tax * share),
    )


def return_goods(session: Session, bill_id: int, data: dict[str, Any]) -> SupplierReturn:
    """Send ``lines`` (``bill_line_id``, ``quantity`` in the bill line's unit) of a posted
    bill back to its supplier; raises ``purchasing_supplier_returned``."""
    bill = get_bill(session, bill_id, lock=True)
    if bill.status == "draft":
        raise Refused("Post bill {number} before returning goods against it", number=bill.number)
    if not data.get("lines"):
        raise Invalid("A return needs at least one line")
    by_id = {line.id: line for line in bill.lines}
    lines = []
    for item in data["lines"]:
        bill_line = by_id.get(item["bill_line_id"])
        if bill_line is None:
            raise Invalid(
                "Line {line} is not on bill {number}", line=item["bill_line_id"], number=bill.number
            )
        quantity = Decimal(item["quantity"])
        returnable = bill_line.quantity - bill_line.returned_quantity
        if quantity <= 0 or quantity > returnable:
            raise Refused(
                "{item}: {quantity} {unit} cannot go back; {open} {unit} billed and not returned",
                item=bill_line.description,
                quantity=l10n.format_quantity(quantity),
                open=l10n.format_quantity(returnable),
                unit=bill_line.unit,
            )
        discount, net, tax = _share(session, bill_line, quantity)
        bill_line.returned_quantity += quantity
        lines.append(
            SupplierReturnLine(
                bill_line=bill_line,
                product_id=bill_line.product_id,
                description=bill_line.description,
                quantity=quantity,
                unit=bill_line.unit,
                unit_factor=bill_line.unit_factor,
                unit_price=bill_line.unit_price,
                discount=discount,
                net=net,
                tax=tax,
                total=net + tax,
            )
        )
    return_date: dt.date = data.get("return_date") or shop_today(session)
    warehouse_id = data.get("warehouse_id") or next(
        (
            line.receipt_line.receipt.warehouse_id
            for line in bill.lines
            if line.receipt_line is not None and line.receipt_line.receipt.warehouse_id
        ),
        None,
    )
    debit_note = SupplierReturn(
        number=next_number(session, "return", return_date),
        bill=bill,
        supplier_id=bill.supplier_id,
        warehouse_id=warehouse_id,
        return_date=return_date,
        reason=data.get("reason") or "",
        lines=lines,
    )
    debit_note.add_up(lines)
    session.add(debit_note)
    bill.amount_returned += debit_note.total
    settle_status(bill)
    session.flush()
    debit_note.stock_tracked = _stock_out(session, debit_note)
    session.flush()
    hooks().purchasing_supplier_returned(session=session, debit_note=return_document(debit_note))
    return debit_note


def _stock_out(session: Session, debit_note: SupplierReturn) -> bool:
    stock_lines = [
        StockLine(
            product_id=line.product_id,
            quantity=line.quantity,
            unit=line.unit,
            warehouse_id=debit_note.warehouse_id,
        )
        for line in debit_note.lines
        if line.product_id is not None
    ]
    if not stock_lines:
        return False
    moves = hooks().inventory_issue(
        session=session,
        reference=reference("return", debit_note.id),
        lines=stock_lines,
        kind="return_out",
    )
    return moves is not None
