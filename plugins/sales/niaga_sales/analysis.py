"""Sales analysis: net sales of a date range by retailer, area, salesperson, warehouse
(branch), product, category, month or day, counted exactly as the books count revenue.

Net sales are invoiced less credited, before PPN: each invoice by its invoice date, each
credit note (return) by its own date — the dates and amounts the Penjualan and Retur
Penjualan accounts are posted with, so the total of any breakdown equals the revenue of
the Laba Rugi for the same days. Counter (walk-in) sales are included, under the walk-in
customer. By product and category the document lines are summed; order-level discounts and
vouchers (adjustment lines) get a row of their own so that the total still reconciles.
By salesperson, a document counts for whoever took its order (counter sales and orders
nobody took: a row with an empty key); by warehouse, for the warehouse the goods left from
(its order's, or the cashier session's).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from niaga.clock import month_bounds, shop_today
from niaga.errors import Invalid
from niaga.money import ZERO
from niaga.runtime import hooks
from niaga_sales import branches
from niaga_sales.models import (
    CreditNote,
    CreditNoteLine,
    Customer,
    Invoice,
    InvoiceLine,
    Order,
    PosSale,
    PosSession,
    Salesperson,
)

DIMENSIONS = ("retailer", "area", "salesperson", "warehouse", "product", "category", "month", "day")
ADJUSTMENTS = "adjustments"
NONE = ""


@dataclass
class Row:
    """One line of a breakdown: what was invoiced, what came back, and the net."""

    key: str
    label: str
    invoiced: Decimal = ZERO
    returned: Decimal = ZERO

    @property
    def sales(self) -> Decimal:
        return self.invoiced - self.returned


@dataclass(frozen=True)
class Analysis:
    start: dt.date
    end: dt.date
    by: str
    rows: list[Row]

    @property
    def invoiced(self) -> Decimal:
        return sum((r.invoiced for r in self.rows), ZERO)

    @property
    def returned(self) -> Decimal:
        return sum((r.returned for r in self.rows), ZERO)

    @property
    def total(self) -> Decimal:
        return self.invoiced - self.returned


def default_range(session: Session) -> tuple[dt.date, dt.date]:
    """This month up to the shop's today."""
    today = shop_today(session)
    return month_bounds(today)[0], today


def analyse(
    session: Session,
    start: dt.date | None = None,
    end: dt.date | None = None,
    by: str = "retailer",
) -> Analysis:
    """Net sales from ``start`` to ``end`` (both included) broken down ``by`` one of
    :data:`DIMENSIONS`; periods in date order, everything else most sales first."""
    if by not in DIMENSIONS:
        raise Invalid(
            "Break sales down by one of: {choices}",
            choices=", ".join(DIMENSIONS),
            fields={"by": ["unknown"]},
        )
    first, last = default_range(session)
    start, end = start or first, end or last
    if end < start or (end - start).days > 3660:
        raise Invalid(
            "The range must start before it ends and span at most ten years",
            fields={"end": ["after start"]},
        )
    rows: dict[str, Row] = {}
    if by in ("product", "category"):
        _by_lines(session, start, end, rows)
        if by == "category":
            rows = _categories(session, rows)
    else:
        _by_documents(session, start, end, by, rows)
    ordered = list(rows.values())
    if by in ("month", "day"):
        ordered.sort(key=lambda r: r.key)
    else:
        ordered.sort(key=lambda r: (-r.sales, r.label))
    return Analysis(start, end, by, ordered)


def _row(rows: dict[str, Row], key: str, label: str) -> Row:
    if key not in rows:
        rows[key] = Row(key, label)
    return rows[key]


def _by_documents(
    session: Session, start: dt.date, end: dt.date, by: str, rows: dict[str, Row]
) -> None:
    sources: list[tuple[Any, Any, str]] = [
        (Invoice, Invoice.invoice_date, "invoiced"),
        (CreditNote, CreditNote.note_date, "returned"),
    ]
    warehouses = branches.warehouses(session) if by == "warehouse" else []
    warehouse_names = {w.id: w.name for w in warehouses}
    default = next((w.id for w in warehouses if w.is_default), None)
    for model, date_column, field in sources:
        statement = (
            sa.select(
                date_column,
                Customer.id,
                Customer.code,
                Customer.shop_name,
                Customer.area,
                model.subtotal,
            )
            .join(Customer, Customer.id == model.customer_id)
            .where(date_column.between(start, end))
        )
        if by in ("salesperson", "warehouse"):
            statement = _with_order(statement, model, by)
        for day, customer_id, code, shop, area, subtotal, *extra in session.execute(statement):
            if by == "retailer":
                row = _row(rows, str(customer_id), f"{shop} ({code})")
            elif by == "area":
                row = _row(rows, area or NONE, area or NONE)
            elif by == "salesperson":
                ident, name = extra
                row = _row(rows, str(ident) if ident else NONE, name or NONE)
            elif by == "warehouse":
                ident = extra[0] or default
                row = _row(rows, str(ident) if ident else NONE, warehouse_names.get(ident, NONE))
            elif by == "month":
                row = _row(rows, day.strftime("%Y-%m"), day.strftime("%Y-%m"))
            else:
                row = _row(rows, day.isoformat(), day.isoformat())
            setattr(row, field, getattr(row, field) + Decimal(subtotal))


def _with_order(statement: sa.Select[Any], model: Any, by: str) -> sa.Select[Any]:
    """``statement`` with the salesperson (id, name) or the warehouse id of each document:
    from its order, or for a counter sale the cashier session's warehouse."""
    invoice = Invoice
    if model is CreditNote:
        invoice = sa.orm.aliased(Invoice)
        statement = statement.join(invoice, invoice.id == CreditNote.invoice_id)
    statement = statement.outerjoin(Order, Order.id == invoice.order_id)
    if by == "salesperson":
        return statement.outerjoin(Salesperson, Salesperson.id == Order.salesperson_id).add_columns(
            Salesperson.id, Salesperson.name
        )
    return (
        statement.outerjoin(PosSale, PosSale.invoice_id == invoice.id)
        .outerjoin(PosSession, PosSession.id == PosSale.session_id)
        .add_columns(sa.func.coalesce(Order.warehouse_id, PosSession.warehouse_id))
    )


def _by_lines(session: Session, start: dt.date, end: dt.date, rows: dict[str, Row]) -> None:
    sources: list[tuple[Any, Any, Any, str]] = [
        (InvoiceLine, Invoice, Invoice.invoice_date, "invoiced"),
        (CreditNoteLine, CreditNote, CreditNote.note_date, "returned"),
    ]
    for line, document, date_column, field in sources:
        parent = InvoiceLine.invoice_id if line is InvoiceLine else CreditNoteLine.credit_note_id
        statement = (
            sa.select(line.kind, line.product_id, line.description, line.net)
            .join(document, document.id == parent)
            .where(date_column.between(start, end))
            .order_by(line.id)
        )
        for kind, product_id, description, net in session.execute(statement):
            if kind != "item":
                row = _row(rows, ADJUSTMENTS, ADJUSTMENTS)
            elif product_id is not None:
                row = _row(rows, f"product:{product_id}", description)
            else:  # a free line: by what it says
                row = _row(rows, f"text:{description.strip().lower()}", description)
            setattr(row, field, getattr(row, field) + Decimal(net))


def _categories(session: Session, by_product: dict[str, Row]) -> dict[str, Row]:
    """Product rows summed by the product's category (inventory's, when it is on)."""
    rows: dict[str, Row] = {}
    cache: dict[int, str] = {}
    for key, product_row in by_product.items():
        if key == ADJUSTMENTS:
            category = ADJUSTMENTS
        elif key.startswith("product:"):
            product_id = int(key.split(":", 1)[1])
            if product_id not in cache:
                info = hooks().inventory_product(
                    session=session, product_id=product_id, sku=None, barcode=None
                )
                cache[product_id] = (getattr(info, "category", None) or NONE) if info else NONE
            category = cache[product_id]
        else:
            category = NONE
        row = _row(rows, category, category)
        row.invoiced += product_row.invoiced
        row.returned += product_row.returned
    return rows


def by_totals(analysis: Analysis) -> dict[str, Decimal]:
    """``{key: net sales}`` (for tests and exports)."""
    totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for row in analysis.rows:
        totals[row.key] += row.sales
    return dict(totals)
