"""Issue 18 item 6 (presentation): a supplier who owes the shop after a return of goods
already paid for is an asset, a customer who paid too much a liability — not a negative
Utang Usaha or Piutang Usaha. The expected figures are worked out here."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from niaga.runtime import hooks
from niaga_cashbank import reports

pytestmark = pytest.mark.plugins("cashbank")


def rows_of(report) -> dict[str, Decimal]:
    return {row.label: row.values[0] for row in report.rows if row.values}


def test_parties_on_the_wrong_side_are_shown_where_they_belong(books, build):
    h, doc, pay = hooks(), build.document, build.payment
    # supplier 7: billed 1.110.000, paid in full, then 222.000 of goods go back
    bill = doc("purchasing.bill", 1, "1000000", "110000", day=2, party_id=7, party_name="PT A")
    h.purchasing_bill_posted(session=books, bill=bill)
    h.purchasing_bill_paid(
        session=books, bill=bill, payment=pay(1, bill.reference, "1110000", "bank_transfer", day=3)
    )
    back = doc("purchasing.return", 1, "200000", "22000", day=4, party_id=7, related=bill.reference)
    h.purchasing_supplier_returned(session=books, debit_note=back)
    # supplier 8 is owed 330.000 as usual
    other = doc("purchasing.bill", 2, "300000", "30000", day=5, party_id=8, party_name="PT B")
    h.purchasing_bill_posted(session=books, bill=other)
    # customer 1 paid 600.000 on an invoice of 555.000; customer 2 owes 111.000
    invoice = doc("sales.invoice", 1, "500000", "55000", day=6)
    h.sales_invoice_issued(session=books, invoice=invoice)
    h.sales_invoice_paid(
        session=books, invoice=invoice, payment=pay(2, invoice.reference, "600000", day=7)
    )
    owed = doc("sales.invoice", 2, "100000", "11000", day=8, party_id=2)
    h.sales_invoice_issued(session=books, invoice=owed)
    books.commit()

    sheet = reports.balance_sheet(books, dt.date(2026, 3, 31), dt.date(2026, 3, 1), compare=False)
    figures = rows_of(sheet)
    assert figures["Piutang lain-lain: pemasok"] == Decimal(1110000 - 1110000 + 222000)
    assert figures["Utang Usaha"] == Decimal(330000)
    assert figures["Utang lain-lain: lebih bayar pelanggan"] == Decimal(600000 - 555000)
    assert figures["Piutang Usaha"] == Decimal(111000)
    assert sheet.totals["balanced"] is True
