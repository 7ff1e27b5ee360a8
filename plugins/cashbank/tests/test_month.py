# ruff: noqa: E501  (long literal amounts and SQL read better on one line)
"""Done-when: a month of business events from every other plugin, raised through the real
hook path, leaves books that balance, statements that agree, and a beancount export that
beancount accepts with the same balances."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

import pytest
import sqlalchemy as sa
from beancount import loader
from beancount.core import data as bean

from niaga.runtime import hooks
from niaga_cashbank import checks, export, ledger, reports
from niaga_cashbank.chart import account_by_code
from niaga_cashbank.models import VoucherCategory
from niaga_cashbank.reports import Period
from niaga_cashbank.vouchers import create_voucher

MONTH = Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31))


def code_id(db, code: str) -> int:
    return account_by_code(db, code).id


def simulate_month(db, build) -> None:
    """Purchases received, billed and paid; sales invoiced and paid (with a gateway fee),
    a POS sale, a return, a supplier return, a stock count, loyalty points, vouchers."""
    h = hooks()
    doc, pay, move, pts = build.document, build.payment, build.move, build.points
    create_voucher(
        db,
        kind="capital",
        date=MONTH.start,
        account_id=code_id(db, "1-1200"),
        amount=Decimal("50000000"),
    )
    # purchasing: receipt, bill, payment
    h.inventory_stock_moved(
        session=db, moves=[move(1, "receipt", "10000000", "purchasing.receipt:1", day=2)]
    )
    h.purchasing_goods_received(session=db, receipt=doc("purchasing.receipt", 1, "10000000", day=2))
    bill = doc(
        "purchasing.bill", 1, "10000000", "1100000", day=3, party_id=7, party_name="PT Grosir"
    )
    h.purchasing_bill_posted(session=db, bill=bill)
    h.purchasing_bill_paid(
        session=db, bill=bill, payment=pay(1, bill.reference, "11100000", "bank_transfer", day=10)
    )
    # credit sale: delivery then invoice, paid by QRIS through a gateway that keeps a fee
    h.inventory_stock_moved(
        session=db, moves=[move(2, "issue", "-3000000", "sales.order:1", day=5)]
    )
    invoice = doc("sales.invoice", 1, "5000000", "550000", day=5, order="sales.order:1")
    h.sales_invoice_issued(session=db, invoice=invoice)
    h.sales_invoice_paid(
        session=db,
        invoice=invoice,
        payment=pay(
            9, invoice.reference, "5550000", "qris", fee="38850", day=12, gateway="midtrans"
        ),
    )
    # POS sale: an invoice paid at once in cash, its stock issued
    pos = doc("sales.invoice", 2, "1000000", "110000", day=6, party_id=None, party_name="Umum")
    h.inventory_stock_moved(
        session=db, moves=[move(3, "issue", "-600000", "sales.pos_sale:2", day=6)]
    )
    h.sales_invoice_issued(session=db, invoice=pos)
    h.sales_invoice_paid(
        session=db, invoice=pos, payment=pay(10, pos.reference, "1110000", "cash", day=6)
    )
    # a sales return of part of the credit sale, back into stock
    credit_note = doc("sales.credit_note", 1, "500000", "55000", day=14, related=invoice.reference)
    h.inventory_stock_moved(
        session=db, moves=[move(4, "return_in", "300000", "sales.credit_note:1", day=14)]
    )
    h.sales_return_posted(session=db, credit_note=credit_note)
    # loyalty: earn, redeem for a discount, redeem for a gift (points and stock move), expire
    h.loyalty_points_changed(
        session=db, movement=pts(1, "earn", "55500", invoice.reference, day=12)
    )
    h.loyalty_points_changed(
        session=db,
        movement=pts(2, "redeem", "-10000", "sales.order:2", day=15, redeemed_for="discount"),
    )
    h.loyalty_points_changed(
        session=db,
        movement=pts(3, "redeem", "-20000", "loyalty.redemption:1", day=16, redeemed_for="gift"),
    )
    h.inventory_stock_moved(
        session=db, moves=[move(5, "gift", "-15000", "loyalty.redemption:1", day=16)]
    )
    h.loyalty_points_changed(
        session=db, movement=pts(4, "expire", "-5000", "loyalty.expiry", day=31)
    )
    # stock count shortage, a transfer between warehouses (posts nothing), a supplier return
    h.inventory_stock_moved(
        session=db,
        moves=[move(6, "adjustment", "-120000", "inventory.count:1", day=20, reason="rusak")],
    )
    h.inventory_stock_moved(
        session=db,
        moves=[
            move(7, "transfer_out", "-50000", "inventory.transfer:1", day=21),
            move(8, "transfer_in", "50000", "inventory.transfer:1", day=21),
        ],
    )
    debit_note = doc(
        "purchasing.return",
        1,
        "200000",
        "22000",
        day=22,
        party_id=7,
        party_name="PT Grosir",
        related=bill.reference,
    )
    h.inventory_stock_moved(
        session=db, moves=[move(9, "return_out", "-200000", "purchasing.return:1", day=22)]
    )
    h.purchasing_supplier_returned(session=db, debit_note=debit_note)
    # everyday vouchers
    categories = {c.name: c.id for c in db.scalars(sa.select(VoucherCategory))}
    create_voucher(
        db,
        kind="out",
        date=dt.date(2026, 3, 1),
        account_id=code_id(db, "1-1200"),
        amount=Decimal("2000000"),
        category_id=categories["Sewa tempat"],
    )
    create_voucher(
        db,
        kind="out",
        date=dt.date(2026, 3, 8),
        account_id=code_id(db, "1-1100"),
        amount=Decimal("350000"),
        category_id=categories["Listrik dan air"],
    )
    create_voucher(
        db,
        kind="transfer",
        date=dt.date(2026, 3, 9),
        account_id=code_id(db, "1-1200"),
        to_account_id=code_id(db, "1-1100"),
        amount=Decimal("1000000"),
    )
    create_voucher(
        db,
        kind="prive",
        date=dt.date(2026, 3, 28),
        account_id=code_id(db, "1-1100"),
        amount=Decimal("500000"),
    )
    db.commit()


@pytest.fixture
def month(db, books, build):
    simulate_month(db, build)
    return db


@pytest.mark.plugins("cashbank")
def test_trial_balance_is_zero_and_every_entry_balances(month):
    trial = reports.trial_balance(month, MONTH)
    assert trial.totals["closing"] == 0
    assert trial.totals["debit"] == trial.totals["credit"] > 0
    assert checks.problems(month) == []


@pytest.mark.plugins("cashbank")
def test_profit_is_revenue_minus_cost_minus_expenses(month):
    pl = reports.profit_and_loss(month, MONTH).totals
    # sales 6,000,000 less returns 500,000 plus the points-funded discount 10,000
    assert pl["revenue"] == Decimal("5510000")
    # cost of goods 3,000,000 + 600,000 - 300,000 returned, and the stock count 120,000
    assert pl["cost"] == Decimal("3420000")
    # gateway fee 38,850; loyalty 55,500 - 5,000 expired; a gift costing 15,000 for points
    # worth 20,000 (their value released, its cost charged); rent 2,000,000; electricity 350,000
    assert pl["expense"] == Decimal("38850") + 55500 - 5000 + 15000 - 20000 + 2000000 + 350000
    assert pl["net_profit"] == pl["revenue"] - pl["cost"] - pl["expense"] == Decimal("-344350")


@pytest.mark.plugins("cashbank")
def test_balance_sheet_balances_with_the_profit_of_the_period(month):
    sheet = reports.balance_sheet(month, MONTH.end, MONTH.start).totals
    profit = reports.profit_and_loss(month, MONTH).totals["net_profit"]
    assert sheet["period_profit"] == profit
    assert sheet["assets"] == sheet["liabilities"] + sheet["equity"] + profit
    assert sheet["balanced"] is True
    # the cash accounts hold what the events moved
    assert ledger.balance(month, account_by_code(month, "1-1200")) == Decimal("35900000")
    assert ledger.balance(month, account_by_code(month, "1-1100")) == Decimal("1260000")
    assert ledger.balance(month, account_by_code(month, "1-1250")) == Decimal("5511150")
    # equity: capital less prive
    assert sheet["equity"] == Decimal("49500000")


@pytest.mark.plugins("cashbank")
def test_statements_compare_with_the_previous_period(month):
    pl = reports.profit_and_loss(month, MONTH)
    assert pl.columns == [MONTH.label(), Period(dt.date(2026, 2, 1), dt.date(2026, 2, 28)).label()]
    net = next(row for row in pl.rows if row.style == "grand")
    assert net.values == [Decimal("-344350"), Decimal("0")]


@pytest.mark.plugins("cashbank")
def test_cash_flow_explains_the_change_in_cash(month):
    flow = reports.cash_flow(month, MONTH).totals
    assert flow["opening"] == 0
    assert flow["closing"] == Decimal("35900000") + Decimal("1260000") + Decimal("5511150")
    assert flow["financing"] == Decimal("49500000")  # capital in, prive out


@pytest.mark.plugins("cashbank")
def test_aged_receivables_and_payables_come_from_the_journal(month):
    receivables = reports.aged(month, "receivables", MONTH.end)
    # the credit sale was paid in full, then partly returned: the customer has a credit
    assert receivables.totals["total"] == Decimal("-555000")
    assert receivables.totals["total"] == receivables.totals["account_balance"]
    payables = reports.aged(month, "payables", MONTH.end)
    assert payables.totals["total"] == Decimal("-222000")  # returned after paying: supplier owes us
    assert payables.rows[0].label == "PT Grosir"


@pytest.mark.plugins("cashbank")
def test_beancount_accepts_the_export_with_the_same_balances(month):
    text = export.beancount(month)
    entries, errors, _options = loader.load_string(text)
    assert errors == []
    balances: dict[str, Decimal] = defaultdict(Decimal)
    transactions = [e for e in entries if isinstance(e, bean.Transaction)]
    for transaction in transactions:
        for posting in transaction.postings:
            balances[posting.account] += posting.units.number
    ours = {
        export.beancount_name(account): amount
        for account in ledger.accounts(month)
        if (amount := ledger.net(month).get(account.id))
    }
    assert {k: v for k, v in balances.items() if v} == ours
    assert len(transactions) == len(
        month.scalars(sa.text("SELECT id FROM cashbank_journal_entry")).all()
    )


@pytest.mark.plugins("cashbank")
def test_journal_csv_has_one_row_per_line(month):
    rows = export.journal_csv(month).strip().splitlines()
    lines = month.scalar(sa.text("SELECT count(*) FROM cashbank_journal_line"))
    assert len(rows) == lines + 1
