"""Contract values sales hands other plugins: :class:`niaga.contracts.Document` for the
events it raises, :class:`~niaga_sales.contracts.CustomerInfo` for its customers, and the
``sales.<type>:<id>`` references other plugins use to point at sales documents."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, object_session

from niaga.clock import shop_date
from niaga.contracts import Document, DocumentLine
from niaga.documents import DocumentKind, label_owned
from niaga.money import ZERO, round_rupiah
from niaga.phones import phone_or_none
from niaga_sales.contracts import CustomerInfo
from niaga_sales.models import CreditNote, Customer, Delivery, Invoice, Order, PosSale

KINDS = ("order", "invoice", "delivery", "credit_note", "pos_sale", "customer")


def reference(kind: str, ident: int) -> str:
    """``reference("order", 5)`` is ``sales.order:5``."""
    return f"sales.{kind}:{ident}"


def parse_reference(text: str) -> tuple[str, int] | None:
    """``("order", 5)`` for ``sales.order:5``; ``None`` for anything sales does not own."""
    kind_part, _, ident = text.partition(":")
    plugin, _, kind = kind_part.partition(".")
    if plugin != "sales" or kind not in KINDS or not ident.isdigit():
        return None
    return kind, int(ident)


def customer_info(
    session: Session, customer_id: int | None = None, user_id: int | None = None
) -> CustomerInfo | None:
    """The customer with ``customer_id``, or the one the portal login ``user_id`` belongs
    to, as other plugins see it; ``None`` when there is none."""
    if customer_id is not None:
        customer = session.get(Customer, customer_id)
    elif user_id is not None:
        customer = session.scalar(sa.select(Customer).where(Customer.user_id == user_id))
    else:
        return None
    if customer is None:
        return None
    return CustomerInfo(
        id=customer.id,
        code=customer.code,
        name=customer.shop_name,
        walk_in=customer.walk_in,
        active=customer.active,
        user_id=customer.user_id,
        phone=phone_or_none(customer.phone) or "",
    )


def _document_lines(lines: Iterable[Any], costs: dict[int, Decimal] | None = None) -> tuple:
    return tuple(
        DocumentLine(
            description=line.description,
            quantity=line.quantity,
            unit=line.unit,
            unit_price=line.unit_price,
            net=line.net,
            tax=line.tax,
            total=line.total,
            product_id=line.product_id,
            discount=line.discount,
            cost=(costs or {}).get(line.product_id) if line.product_id else None,
        )
        for line in lines
        if line.kind == "item"
    )


def adjustments_data(lines: Iterable[Any]) -> list[dict[str, str]]:
    """Order-level discounts as ``[{"source", "reference", "amount"}]`` (amount net of tax)."""
    return [
        {"source": line.source, "reference": line.reference, "amount": str(round_rupiah(line.net))}
        for line in lines
        if line.kind == "adjustment"
    ]


def _party(customer: Customer) -> dict[str, Any]:
    return {"party_id": customer.id, "party_name": customer.shop_name}


def _group_data(customer: Customer) -> dict[str, Any]:
    return {"customer_group": customer.group.code} if customer.group else {}


def order_document(order: Order) -> Document:
    """The order as other plugins see it."""
    data = {
        **(order.data or {}),
        **_group_data(order.customer),
        "state": order.state,
        "source": order.source,
        "adjustments": adjustments_data(order.lines),
    }
    return _priced_document("order", order, order.order_date, data, discount=order.discount)


def invoice_document(invoice: Invoice) -> Document:
    """An invoice (also for a POS sale, with ``data["pos_sale"]``); ``data["credited_net"]``
    is what credit notes took off its net so far, when any did."""
    data: dict[str, Any] = {
        **_group_data(invoice.customer),
        "due_date": invoice.due_date.isoformat(),
        "adjustments": adjustments_data(invoice.lines),
    }
    if invoice.order_id:
        data["order"] = reference("order", invoice.order_id)
    if invoice.credited_amount:
        data["credited_net"] = str(_credited_net(invoice))
    data.update(invoice.data or {})
    return _priced_document(
        "invoice",
        invoice,
        invoice.invoice_date,
        data,
        discount=invoice.discount,
        related=data.get("order", ""),
    )


def _credited_net(invoice: Invoice) -> Decimal:
    """The net (before PPN) of the credit notes against ``invoice`` so far."""
    session = object_session(invoice)
    assert session is not None
    return Decimal(
        session.scalar(
            sa.select(sa.func.coalesce(sa.func.sum(CreditNote.subtotal), 0)).where(
                CreditNote.invoice_id == invoice.id
            )
        )
    )


def delivery_document(delivery: Delivery, costs: dict[int, Decimal] | None = None) -> Document:
    """What a delivery took out of the warehouse, valued at the order's prices; ``cost``
    per line is the stock value issued, when inventory reported it."""
    lines = []
    for item in delivery.lines:
        source = item.order_line
        share = item.quantity / source.quantity
        lines.append(
            DocumentLine(
                description=source.description,
                quantity=item.quantity,
                unit=source.unit,
                unit_price=source.unit_price,
                net=round_rupiah(source.net * share),
                tax=round_rupiah(source.tax * share),
                total=round_rupiah(source.total * share),
                product_id=source.product_id,
                cost=(costs or {}).get(source.product_id) if source.product_id else None,
            )
        )
    order = delivery.order
    return Document(
        kind="sales.delivery",
        id=delivery.id,
        number=delivery.number,
        date=shop_date(delivery.delivered_at or delivery.created_at),
        lines=tuple(lines),
        subtotal=sum((line.net for line in lines), ZERO),
        tax=sum((line.tax for line in lines), ZERO),
        total=sum((line.total for line in lines), ZERO),
        related=reference("order", order.id),
        data={
            "order": reference("order", order.id),
            "delivery": reference("delivery", delivery.id),
        },
        **_party(order.customer),
    )


def credit_note_document(note: CreditNote) -> Document:
    """A return: ``related`` is the invoice it corrects."""
    data: dict[str, Any] = {"invoice": reference("invoice", note.invoice_id), "reason": note.reason}
    invoice = note.invoice
    if invoice.order_id:
        data["order"] = reference("order", invoice.order_id)
    if invoice.data and invoice.data.get("pos_sale"):
        data["pos_sale"] = invoice.data["pos_sale"]
    return _priced_document(
        "credit_note", note, note.note_date, data, related=reference("invoice", note.invoice_id)
    )


def _priced_document(
    kind: str,
    row: Order | Invoice | CreditNote,
    date: dt.date,
    data: dict[str, Any],
    *,
    discount: Decimal = ZERO,
    related: str = "",
) -> Document:
    """A sales document with priced lines and totals (``kind``: order, invoice,
    credit_note) as other plugins see it."""
    return Document(
        kind=f"sales.{kind}",
        id=row.id,
        number=row.number,
        date=date,
        lines=_document_lines(row.lines),
        subtotal=row.subtotal,
        tax=row.tax,
        total=row.total,
        discount=discount,
        related=related,
        data=data,
        **_party(row.customer),
    )


#: how each kind of sales document is named before its number (English, translated)
#: sales' documents as a person names them, with their admin pages
LABELS = {
    "order": DocumentKind(Order, "Sales order {number}", "sales_admin.order", {"order_id": "id"}),
    "invoice": DocumentKind(
        Invoice, "Invoice {number}", "sales_admin.invoice", {"invoice_id": "id"}
    ),
    "delivery": DocumentKind(
        Delivery, "Delivery note {number}", "sales_admin.delivery", {"delivery_id": "id"}
    ),
    "credit_note": DocumentKind(CreditNote, "Credit note {number}"),
    "customer": DocumentKind(
        Customer, "Customer {shop_name}", "sales_admin.customer_page", {"customer_id": "id"}
    ),
}
#: a POS sale reads as the invoice it made
POS_SALE = DocumentKind(Invoice, "POS sale {number}", "sales_admin.invoice", {"invoice_id": "id"})


def document_label(session: Session, text: str) -> Any:
    """A ``sales.<kind>:<id>`` reference as a person reads it, with its admin page; ``None``
    for a reference sales does not own or a document that is gone."""
    parsed = parse_reference(text)
    if parsed is not None and parsed[0] == "pos_sale":
        sale = session.get(PosSale, parsed[1])
        invoice = session.get(Invoice, sale.invoice_id) if sale and sale.invoice_id else None
        return None if invoice is None else POS_SALE.label(invoice)
    return label_owned(session, text, "sales", LABELS)
