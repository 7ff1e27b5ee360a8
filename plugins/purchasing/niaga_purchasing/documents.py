"""Purchasing records as contract :class:`niaga.contracts.Document` values for events."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from niaga import l10n, money
from niaga.contracts import Document, DocumentLine
from niaga.documents import DocumentKind, label_owned
from niaga.i18n import gettext
from niaga_purchasing.models import (
    Bill,
    BillLine,
    PricedLine,
    PurchaseOrder,
    Receipt,
    SupplierReturn,
)


def reference(kind: str, ident: int) -> str:
    """``purchasing.<kind>:<id>``, the cross-plugin name of a document."""
    return f"purchasing.{kind}:{ident}"


_FORMATS = {"money": l10n.format_money, "quantity": l10n.format_quantity}


def warning_texts(bill: Bill, language: str | None = None) -> list[str]:
    """A bill's three-way check warnings as sentences in ``language``; amounts and
    quantities (kept as plain numbers, ``formats`` saying which) are written the reader's
    way (``Rp 66.000``, ``2,5``)."""
    texts = []
    for warning in bill.warnings or []:
        params = dict(warning["params"])
        for name, kind in (warning.get("formats") or {}).items():
            if params.get(name) is not None and kind in _FORMATS:
                params[name] = _FORMATS[kind](params[name], language=language)
        texts.append(gettext(warning["message"], language, **params))
    return texts


def _priced(line: PricedLine) -> DocumentLine:
    return DocumentLine(
        description=line.description,
        quantity=line.quantity,
        unit=line.unit,
        unit_price=line.unit_price,
        net=line.net,
        tax=line.tax,
        total=line.total,
        product_id=line.product_id,
        discount=line.discount,
    )


def receipt_document(receipt: Receipt) -> Document:
    """A goods receipt: lines at their received cost (no tax: that comes with the bill)."""
    lines = tuple(
        DocumentLine(
            description=line.description,
            quantity=line.quantity,
            unit=line.unit,
            unit_price=line.unit_cost,
            net=line.value,
            tax=Decimal("0"),
            total=line.value,
            product_id=line.product_id,
            cost=line.unit_cost,
        )
        for line in receipt.lines
    )
    data: dict[str, Any] = {
        "warehouse_id": receipt.warehouse_id,
        "stock_tracked": receipt.stock_tracked,
    }
    if receipt.order_id:
        data["order"] = reference("order", receipt.order_id)
    return Document(
        kind="purchasing.receipt",
        id=receipt.id,
        number=receipt.number,
        date=receipt.received_date,
        party_id=receipt.supplier_id,
        party_name=receipt.supplier.name,
        lines=lines,
        subtotal=receipt.value,
        tax=Decimal("0"),
        total=receipt.value,
        related=data.get("order", ""),
        data=data,
    )


def stock_costs(bill: Bill) -> list[tuple[BillLine, Decimal]]:
    """The bill's lines of goods that came into stock, each with what the receipt valued
    the billed quantity at (``quantity x`` the received cost, to the rupiah)."""
    return [
        (line, money.round_rupiah(line.quantity * line.receipt_line.unit_cost))
        for line in bill.lines
        if line.receipt_line is not None
        and line.product_id is not None
        and line.receipt_line.receipt.stock_tracked
    ]


def bill_document(bill: Bill) -> Document:
    """A supplier bill; ``data`` carries the receipts it bills, the three-way warnings, and
    for goods that came into stock their net on the bill (``stock_net``) and at the
    received cost (``stock_cost``): the difference is the bill's price variance."""
    receipts = sorted(
        {line.receipt_line.receipt_id for line in bill.lines if line.receipt_line is not None}
    )
    stocked = stock_costs(bill)
    return Document(
        kind="purchasing.bill",
        id=bill.id,
        number=bill.number,
        date=bill.bill_date,
        party_id=bill.supplier_id,
        party_name=bill.supplier.name,
        lines=tuple(_priced(line) for line in bill.lines),
        subtotal=bill.subtotal,
        tax=bill.tax,
        total=bill.total,
        discount=bill.discount,
        data={
            "supplier_reference": bill.supplier_reference,
            "due_date": bill.due_date.isoformat(),
            "receipts": [reference("receipt", r) for r in receipts],
            "warnings": warning_texts(bill, "en"),
            "stock_net": str(sum((line.net for line, _ in stocked), Decimal(0))),
            "stock_cost": str(sum((cost for _, cost in stocked), Decimal(0))),
        },
    )


def return_document(debit_note: SupplierReturn) -> Document:
    """A return to the supplier: the debit note against ``related`` (the bill)."""
    lines = tuple(_priced(line) for line in debit_note.lines)
    return Document(
        kind="purchasing.return",
        id=debit_note.id,
        number=debit_note.number,
        date=debit_note.return_date,
        party_id=debit_note.supplier_id,
        party_name=debit_note.supplier.name,
        lines=lines,
        subtotal=debit_note.subtotal,
        tax=debit_note.tax,
        total=debit_note.total,
        discount=debit_note.discount,
        related=reference("bill", debit_note.bill_id),
        data={"reason": debit_note.reason, "warehouse_id": debit_note.warehouse_id},
    )


#: how each kind of purchasing document is named before its number (English, translated),
#: and the admin page showing it (none for a receipt or a return: they have none of their own)
KINDS = {
    "order": DocumentKind(
        PurchaseOrder, "Purchase order {number}", "purchasing_admin.order", {"order_id": "id"}
    ),
    "receipt": DocumentKind(Receipt, "Goods receipt {number}"),
    "bill": DocumentKind(
        Bill, "Supplier bill {number}", "purchasing_admin.bill", {"bill_id": "id"}
    ),
    "return": DocumentKind(SupplierReturn, "Return to supplier {number}"),
}


def document_label(session: Session, text: str) -> Any:
    """A ``purchasing.<kind>:<id>`` reference as a person reads it, with its page; ``None``
    for a reference purchasing does not own or a document that is gone."""
    return label_owned(session, text, "purchasing", KINDS)
