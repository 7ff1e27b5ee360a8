"""Returns against an invoice: a credit note valued like the invoice lines, stock back
through inventory (kind ``return_in``), and ``sales_return_posted`` so loyalty reverses
points and cash/bank reverses the sale."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from niaga.contracts import StockLine
from niaga.errors import Invalid, Refused
from niaga.money import ZERO, round_quantity, round_rupiah, to_decimal
from niaga.runtime import hooks
from niaga_sales.config import setting
from niaga_sales.documents import credit_note_document, reference
from niaga_sales.invoices import get_invoice, settle
from niaga_sales.models import CreditNote, CreditNoteLine, InvoiceLine
from niaga_sales.numbering import next_number
from niaga_sales.orders import follow_invoices
from niaga_sales.pricing import apply_totals


def post_return(
    session: Session, invoice_id: int, lines: list[dict[str, Any]], reason: str = ""
) -> CreditNote:
    """Return ``quantity`` (in the invoice line's unit) of invoice lines."""
    invoice = get_invoice(session, invoice_id, lock=True)
    if not lines:
        raise Invalid("Say what comes back", fields={"lines": ["At least one"]})
    items = {line.id: line for line in invoice.lines if line.kind == "item"}
    day = dt.date.today()
    note = CreditNote(
        number=next_number(session, str(setting(session, "credit_note_prefix")), day),
        invoice=invoice,
        customer_id=invoice.customer_id,
        note_date=day,
        reason=reason,
        prices_include_tax=invoice.prices_include_tax,
    )
    for position, data in enumerate(lines, start=1):
        source = items.get(data["invoice_line_id"])
        if source is None:
            raise Invalid(
                "Line {id} is not on invoice {number}",
                id=data["invoice_line_id"],
                number=invoice.number,
            )
        note.lines.append(_returned_line(source, to_decimal(data["quantity"]), position))
    apply_totals(note, note.lines)
    session.add(note)
    session.flush()
    invoice.credited_amount += note.total
    settle(invoice)
    if invoice.order is not None:
        follow_invoices(invoice.order)
    stock = [
        StockLine(product_id=line.product_id, quantity=line.base_quantity)
        for line in note.lines
        if line.product_id is not None
    ]
    if stock:
        hooks().inventory_receive(
            session=session,
            reference=reference("credit_note", note.id),
            lines=stock,
            kind="return_in",
        )
    session.flush()
    hooks().sales_return_posted(session=session, credit_note=credit_note_document(note))
    return note


def _share(amount: Any, before: Any, after: Any) -> Any:
    """The rounded part of ``amount`` between two cumulative fractions returned."""
    return round_rupiah(amount * after) - round_rupiah(amount * before)


def _returned_line(source: InvoiceLine, quantity: Any, position: int) -> CreditNoteLine:
    """A credit note line for ``quantity`` of ``source``, at the share of its rounded
    amounts, rounded cumulatively so all returns of a line add up to the line exactly."""
    if quantity <= 0:
        raise Invalid("Quantity must be more than zero", fields={"quantity": ["> 0"]})
    factor = source.base_quantity / source.quantity
    base = round_quantity(quantity * factor)
    left = source.base_quantity - source.returned_base_quantity
    if base > left:
        raise Refused(
            "Only {left} {unit} of {item} can still be returned",
            code="over_return",
            left=round_quantity(left / factor).normalize(),
            unit=source.unit,
            item=source.description,
        )
    before = source.returned_base_quantity / source.base_quantity
    after = (source.returned_base_quantity + base) / source.base_quantity
    net, tax = _share(source.net, before, after), _share(source.tax, before, after)
    source.returned_base_quantity += base
    return CreditNoteLine(
        invoice_line_id=source.id,
        position=position,
        product_id=source.product_id,
        description=source.description,
        quantity=quantity,
        unit=source.unit,
        base_quantity=base,
        unit_price=source.unit_price,
        discount_percent=source.discount_percent,
        discount=ZERO,
        net=net,
        tax_rate=source.tax_rate,
        tax_base=source.tax_base,
        tax=tax,
        total=net + tax,
    )
