"""Returns against an invoice: a credit note valued like the invoice lines, stock back
through inventory (kind ``return_in``), and ``sales_return_posted`` so loyalty reverses
points and cash/bank reverses the sale.

Order-level discounts and vouchers on the invoice come back with the goods: each credit
note carries its share of them by value (:func:`niaga_sales.invoices.adjustment_share`),
so returning everything credits exactly the invoice, PPN included, never more.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from niaga.clock import shop_today
from niaga.errors import Invalid, Refused
from niaga.l10n import format_quantity
from niaga.money import ZERO, round_quantity, to_decimal
from niaga.runtime import hooks
from niaga_inventory.contracts import StockLine
from niaga_sales import branches
from niaga_sales.config import document_number, pending_number
from niaga_sales.documents import credit_note_document, reference
from niaga_sales.invoices import adjustment_share, get_invoice, settle
from niaga_sales.models import CreditNote, CreditNoteLine, Invoice, InvoiceLine
from niaga_sales.orders import follow_invoices
from niaga_sales.pricing import amounts_of, apply_totals


def post_return(
    session: Session, invoice_id: int, lines: list[dict[str, Any]], reason: str = ""
) -> CreditNote:
    """Return ``quantity`` (in the invoice line's unit) of invoice lines."""
    invoice = get_invoice(session, invoice_id, lock=True)
    if not lines:
        raise Invalid("Say what comes back", fields={"lines": ["At least one"]})
    items = {line.id: line for line in invoice.lines if line.kind == "item"}
    day = shop_today(session)
    note = CreditNote(
        number=pending_number(),
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
        note.lines.append(
            _returned_line(session, source, to_decimal(data["quantity"]), position, note.lines)
        )
    note.lines.extend(_returned_adjustments(session, invoice, note.lines))
    apply_totals(note, note.lines)
    session.add(note)
    session.flush()
    invoice.credited_amount += note.total
    settle(invoice)
    if invoice.order is not None:
        follow_invoices(invoice.order)
    warehouse_id = branches.of_invoice(session, invoice)  # back where the goods left from
    stock = [
        StockLine(
            product_id=line.product_id, quantity=line.base_quantity, warehouse_id=warehouse_id
        )
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
    # the gapless number last, so the credit note series is locked as briefly as possible
    note.number = document_number(session, "credit_note", day)
    session.flush()
    hooks().sales_return_posted(session=session, credit_note=credit_note_document(note))
    return note


def _returned_line(
    session: Session,
    source: InvoiceLine,
    quantity: Decimal,
    position: int,
    pending: list[CreditNoteLine],
) -> CreditNoteLine:
    """A credit note line for ``quantity`` of ``source``, valued by the one line rule
    (:func:`niaga.money.line_amounts`) at the invoice line's price, discount and PPN. The
    return that brings the line back in full takes what is left of it, so all returns of
    a line add up to the line exactly."""
    if quantity <= 0:
        raise Invalid("Quantity must be more than zero", fields={"quantity": ["> 0"]})
    factor = source.base_quantity / source.quantity
    base = round_quantity(quantity * factor)
    left = source.base_quantity - source.returned_base_quantity
    if base > left:
        raise Refused(
            "Only {left} {unit} of {item} can still be returned",
            code="over_return",
            left=format_quantity(round_quantity(left / factor)),
            unit=source.unit,
            item=source.description,
        )
    line = CreditNoteLine(
        invoice_line_id=source.id,
        position=position,
        product_id=source.product_id,
        description=source.description,
        quantity=quantity,
        unit=source.unit,
        base_quantity=base,
        unit_price=source.unit_price,
        discount_percent=source.discount_percent,
        tax_rate=source.tax_rate,
        tax_base=source.tax_base,
    )
    if base == left:
        earlier = session.execute(
            sa.select(
                sa.func.coalesce(sa.func.sum(CreditNoteLine.discount), 0),
                sa.func.coalesce(sa.func.sum(CreditNoteLine.net), 0),
                sa.func.coalesce(sa.func.sum(CreditNoteLine.tax), 0),
            ).where(CreditNoteLine.invoice_line_id == source.id)
        ).one()
        same = [other for other in pending if other.invoice_line_id == source.id]
        line.discount = source.discount - Decimal(earlier[0]) - sum(o.discount for o in same)
        line.net = source.net - Decimal(earlier[1]) - sum(o.net for o in same)
        line.tax = source.tax - Decimal(earlier[2]) - sum(o.tax for o in same)
    else:
        amounts = amounts_of(line, source.invoice.prices_include_tax)
        line.discount, line.net, line.tax = amounts.discount, amounts.net, amounts.tax
    line.total = line.net + line.tax
    source.returned_base_quantity += base
    return line


def _returned_adjustments(
    session: Session, invoice: Invoice, returned: list[CreditNoteLine]
) -> list[CreditNoteLine]:
    """The share of the invoice's order-level discounts that the goods of all its credit
    notes so far (``returned`` included) carry, less what earlier notes gave back."""
    adjustments = [line for line in invoice.lines if line.kind == "adjustment"]
    if not adjustments:
        return []
    credited = {
        row[0]: (Decimal(row[1]), Decimal(row[2]))
        for row in session.execute(
            sa.select(
                CreditNoteLine.invoice_line_id,
                sa.func.coalesce(sa.func.sum(CreditNoteLine.net), 0),
                sa.func.coalesce(sa.func.sum(CreditNoteLine.tax), 0),
            )
            .where(CreditNoteLine.invoice_line_id.in_([line.id for line in invoice.lines]))
            .group_by(CreditNoteLine.invoice_line_id)
        )
    }
    items = [line for line in invoice.lines if line.kind == "item"]
    whole = sum((line.net for line in items), ZERO)
    covered = sum((credited.get(line.id, (ZERO,))[0] for line in items), ZERO) + sum(
        (line.net for line in returned), ZERO
    )
    shares = []
    for position, line in enumerate(adjustments, start=len(returned) + 1):
        earlier_net, earlier_tax = credited.get(line.id, (ZERO, ZERO))
        fields = adjustment_share(line, covered, whole, earlier_net, earlier_tax)
        if fields["net"] or fields["tax"]:
            fields["position"] = position
            shares.append(CreditNoteLine(**fields, invoice_line_id=line.id))
    return shares
