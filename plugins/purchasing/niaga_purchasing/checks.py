"""Consistency checks: the running figures kept on orders, receipts and bills agree with
the records they summarise."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from niaga.i18n import gettext
from niaga_purchasing import products
from niaga_purchasing.models import (
    Bill,
    BillLine,
    PurchaseOrderLine,
    ReceiptLine,
    SupplierPayment,
    SupplierReturn,
)

ZERO = Decimal("0")


def _sums(session: Session, column: sa.ColumnElement, key: sa.ColumnElement) -> dict[int, Decimal]:
    rows = session.execute(sa.select(key, sa.func.sum(column)).group_by(key)).all()
    return {ident: Decimal(total or 0) for ident, total in rows}


def problems(session: Session) -> list[str]:
    """Every disagreement found, as a sentence; empty when all is well."""
    found: list[str] = []
    paid = _sums(session, SupplierPayment.amount, SupplierPayment.bill_id)
    returned = _sums(session, SupplierReturn.total, SupplierReturn.bill_id)
    for bill in session.scalars(sa.select(Bill)):
        if bill.amount_paid != paid.get(bill.id, ZERO):
            found.append(
                gettext("Bill {number}: paid amount differs from its payments", number=bill.number)
            )
        if bill.amount_returned != returned.get(bill.id, ZERO):
            found.append(
                gettext(
                    "Bill {number}: returned amount differs from its returns", number=bill.number
                )
            )
        if bill.total != sum((line.total for line in bill.lines), ZERO):
            found.append(gettext("Bill {number}: total differs from its lines", number=bill.number))
    billed = _sums(session, BillLine.quantity, BillLine.receipt_line_id)
    for line in session.scalars(sa.select(ReceiptLine)):
        if line.billed_quantity != billed.get(line.id, ZERO):
            found.append(
                gettext("Receipt line {id}: billed quantity differs from its bills", id=line.id)
            )
    for order_line in session.scalars(sa.select(PurchaseOrderLine)):
        received = sum(
            (
                products.convert(r.quantity, r.unit_factor, order_line.unit_factor)
                for r in session.scalars(
                    sa.select(ReceiptLine).where(ReceiptLine.order_line_id == order_line.id)
                )
            ),
            ZERO,
        )
        if abs(order_line.received_quantity - received) > Decimal("0.0001"):
            found.append(
                gettext(
                    "Order line {id}: received quantity differs from its receipts", id=order_line.id
                )
            )
    return found
