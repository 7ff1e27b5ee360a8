"""Consistency checks (``niaga check``): stored totals against lines and payments."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from niaga.money import ZERO
from niaga_sales.models import CreditNote, Invoice, Order, Payment, PosSale
from niaga_sales.pos import sensible_sale_time


def problems(session: Session) -> list[str]:
    """Documents whose totals differ from their lines, invoices whose paid amount differs
    from their payments, POS sales dated before 2000 or in the future."""
    found = []
    for model in (Order, Invoice, CreditNote):
        for document in session.scalars(sa.select(model)):
            total = sum((line.total for line in document.lines), ZERO)
            if total != document.total:
                found.append(
                    f"{document.number}: total {document.total} but lines add up to {total}"
                )
    paid = dict(
        session.execute(
            sa.select(Payment.invoice_id, sa.func.sum(Payment.amount))
            .where(Payment.invoice_id.is_not(None))
            .group_by(Payment.invoice_id)
        ).all()
    )
    for invoice in session.scalars(sa.select(Invoice)):
        recorded = paid.get(invoice.id) or ZERO
        if invoice.paid_amount != recorded:
            found.append(f"{invoice.number}: paid {invoice.paid_amount}, payments {recorded}")
    for sale in session.scalars(sa.select(PosSale).order_by(PosSale.id)):
        if not sensible_sale_time(sale.sold_at, session):
            found.append(f"POS sale {sale.client_ref}: sold at {sale.sold_at}, out of range")
    return found
