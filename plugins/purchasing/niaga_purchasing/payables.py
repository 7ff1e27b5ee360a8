"""What the business owes its suppliers: open amounts per supplier and aged payables.

A bill's age is counted from its bill date, in the buckets 0-30, 31-60, 61-90 and over 90
days; the part already past its due date is shown as overdue.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from niaga_purchasing.models import Bill, Supplier

ZERO = Decimal("0")
BUCKETS = (("0-30", 0, 30), ("31-60", 31, 60), ("61-90", 61, 90), ("over_90", 91, None))


def bucket_of(age_days: int) -> str:
    for name, low, high in BUCKETS:
        if age_days >= low and (high is None or age_days <= high):
            return name
    return BUCKETS[0][0]  # a bill dated in the future counts as new


@dataclass
class SupplierPayable:
    supplier_id: int
    supplier: str
    bills: int = 0
    owed: Decimal = ZERO
    overdue: Decimal = ZERO
    buckets: dict[str, Decimal] = field(default_factory=lambda: {b[0]: ZERO for b in BUCKETS})


def open_bills(session: Session, supplier_id: int | None = None) -> list[Bill]:
    """Posted bills with money still owed (or owed back), oldest first."""
    statement = (
        sa.select(Bill)
        .where(Bill.status.in_(("posted", "partially_paid", "paid")))
        .where(Bill.total - Bill.amount_paid - Bill.amount_returned != 0)
        .order_by(Bill.bill_date, Bill.id)
    )
    if supplier_id:
        statement = statement.where(Bill.supplier_id == supplier_id)
    return list(session.scalars(statement))


def per_bill(session: Session) -> dict[str, Decimal]:
    """What is owed per posted bill reference (negative when the supplier owes the shop),
    settled bills left out: the sub-ledger of Utang Usaha."""
    from niaga_purchasing.documents import reference

    return {reference("bill", bill.id): bill.amount_open for bill in open_bills(session)}


def aged_payables(session: Session, as_of: dt.date) -> list[SupplierPayable]:
    """Open amounts per supplier, aged by bill date as of ``as_of``."""
    rows: dict[int, SupplierPayable] = {}
    names = dict(session.execute(sa.select(Supplier.id, Supplier.name)).all())
    for bill in open_bills(session):
        row = rows.setdefault(
            bill.supplier_id, SupplierPayable(bill.supplier_id, names.get(bill.supplier_id, ""))
        )
        owed = bill.amount_open
        row.bills += 1
        row.owed += owed
        row.buckets[bucket_of((as_of - bill.bill_date).days)] += owed
        if bill.due_date < as_of:
            row.overdue += owed
    return sorted(rows.values(), key=lambda r: (-r.owed, r.supplier))


def totals(rows: list[SupplierPayable]) -> SupplierPayable:
    """The sum of all suppliers' rows."""
    total = SupplierPayable(0, "")
    for row in rows:
        total.bills += row.bills
        total.owed += row.owed
        total.overdue += row.overdue
        for name in total.buckets:
            total.buckets[name] += row.buckets[name]
    return total
