"""Issue 18 item 8 (part): a beancount export of part of the books opens with the balances
carried in, so bean-check accepts it and its closing balances are the books'."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

import pytest
from beancount import loader
from beancount.core import data as bean

from niaga.runtime import hooks
from niaga_cashbank import export, ledger
from niaga_cashbank.chart import account_by_code

pytestmark = pytest.mark.plugins("cashbank")


def test_export_of_a_later_period_carries_the_balances_in(books, build):
    h, doc, pay, move = hooks(), build.document, build.payment, build.move
    h.inventory_stock_moved(session=books, moves=[move(1, "opening", "800000", "inv:1", day=1)])
    early = doc("sales.invoice", 1, "500000", "55000", day=5)
    h.inventory_stock_moved(
        session=books, moves=[move(2, "issue", "-300000", "sales.order:1", day=5)]
    )
    h.sales_invoice_issued(session=books, invoice=early)
    h.sales_invoice_paid(
        session=books, invoice=early, payment=pay(1, early.reference, "555000", day=20)
    )
    late = doc("sales.invoice", 2, "100000", "11000", day=21, party_id=2)
    h.sales_invoice_issued(session=books, invoice=late)
    books.commit()

    text = export.beancount(books, dt.date(2026, 3, 15), dt.date(2026, 3, 31))
    entries, errors, _ = loader.load_string(text)
    assert errors == []
    balances: dict[str, Decimal] = defaultdict(Decimal)
    for entry in entries:
        if isinstance(entry, bean.Transaction):
            for posting in entry.postings:
                balances[posting.account] += posting.units.number

    def name(code: str) -> str:
        return export.beancount_name(account_by_code(books, code))

    # balance-sheet accounts close at the books' balances (debit minus credit)
    for code in ("1-1100", "1-1300", "1-1400", "2-1200", "3-1000"):
        account = account_by_code(books, code)
        assert balances[name(code)] == ledger.net(books).get(account.id, Decimal(0)), code
    # income accounts hold only the period's own movements; earlier profit is retained
    assert balances[name("4-1000")] == Decimal(-100000)
    assert balances.get(name("5-1000"), Decimal(0)) == 0
    assert balances[name("3-3000")] == -(Decimal(500000) - 300000)
