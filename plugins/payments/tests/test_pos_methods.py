"""The POS lets the cashier choose cash, QRIS or transfer and records it: payments answers
``payments_counter_methods`` with cash and its enabled counter gateways (with what to tell
the customer); sales offers its own list without payments. In Chromium, in Indonesian: a
sale paid by QRIS at the counter, its receipt, and the session's takings per method."""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa

from niaga.testing import browser_login
from niaga_payments.testing import configure
from niaga_sales import pos
from niaga_sales.models import Payment as SalesPayment
from niaga_sales.models import PosSale

QRIS = {
    "enabled": True,
    "nmid": "ID1020021181745",
    "merchant_name": "Toko Sinar Palu",
    "merchant_city": "Palu",
}
TRANSFER = {
    "enabled": True,
    "bank_name": "BRI",
    "account_number": "0123-01-000456-30-1",
    "account_holder": "Toko Sinar Palu",
}


def offered(db) -> list[str]:
    return [m["method"] for m in pos.counter_methods(db)]


@pytest.mark.plugins("sales", "payments")
def test_payments_offers_cash_and_the_enabled_counter_gateways(db):
    configure(db, "bank_transfer", {"enabled": False})
    assert offered(db) == ["cash"]
    configure(db, "qris", QRIS)
    assert offered(db) == ["cash", "qris"]
    configure(db, "bank_transfer", TRANSFER)
    methods = {m["method"]: m for m in pos.counter_methods(db)}
    assert list(methods) == ["cash", "qris", "bank_transfer"]
    assert methods["cash"]["label"] == "Tunai"
    assert "Toko Sinar Palu" in methods["qris"]["hint"]
    assert "BRI 0123-01-000456-30-1 Toko Sinar Palu" in methods["bank_transfer"]["hint"]
    configure(db, "qris", {"enabled": False})
    assert offered(db) == ["cash", "bank_transfer"]


@pytest.mark.plugins("sales")
def test_without_payments_the_pos_offers_what_sales_knows(db):
    assert offered(db) == ["cash", "qris", "ewallet", "card", "bank_transfer"]


@pytest.mark.plugins("sales", "payments")
def test_the_pos_page_lists_the_offered_methods(db, client, make_user):
    configure(db, "qris", QRIS)
    configure(db, "bank_transfer", {"enabled": False})
    from niaga.testing import login

    login(client, make_user("cashier", email="kasir@toko.id"))
    page = client.get("/admin/sales/pos").get_data(as_text=True)
    assert '<option value="cash"' in page and '<option value="qris"' in page
    assert '<option value="bank_transfer"' not in page and '<option value="card"' not in page


@pytest.mark.browser
@pytest.mark.plugins("sales", "payments")
def test_a_counter_sale_paid_by_qris_is_recorded_as_qris(browser_page, make_user, db):
    from playwright.sync_api import expect

    configure(db, "qris", QRIS)
    configure(db, "bank_transfer", TRANSFER)
    page = browser_page
    browser_login(page, make_user("cashier", email="kasir.qris@toko.id", name="Dewi"))
    page.goto("/admin/sales/pos")
    page.fill("#pos-open-cash", "100.000")
    page.click("#pos-open")
    expect(page.locator("#pos-search")).to_be_visible()
    page.locator("#pos-quick summary").click()
    page.fill("#pos-quick-desc", "Beras 5 kg")
    page.fill("#pos-quick-price", "72.500")
    page.click("#pos-quick-add")
    expect(page.locator("#pos-cart tbody tr")).to_have_count(1)
    expect(page.locator("#pos-received")).to_be_visible()  # cash first
    page.select_option("#pos-method", label="QRIS")
    hint = page.locator("#pos-method-hint")
    expect(hint).to_contain_text("Pelanggan memindai QRIS toko (Toko Sinar Palu)")
    expect(page.locator("#pos-received")).to_be_hidden()  # no cash to count
    page.click("#pos-pay")
    expect(page.locator("#pos-status")).to_contain_text("POS/")
    receipt = page.locator("#pos-receipt")
    expect(receipt).to_contain_text("QRIS")
    expect(page.locator("#receipt-change")).to_have_text("Rp 0")
    db.expire_all()
    [sale] = db.scalars(sa.select(PosSale)).all()
    [paid] = db.scalars(
        sa.select(SalesPayment).where(SalesPayment.invoice_id == sale.invoice_id)
    ).all()
    summary = pos.session_summary(db, sale.session)
    db.rollback()  # end the read: on SQLite it holds the lock the server needs
    assert sale.method == "qris" and sale.change == 0
    assert (paid.method, paid.amount) == ("qris", Decimal("72500"))
    assert summary["by_method"] == {"qris": Decimal("72500")}
    assert summary["expected_cash"] == Decimal("100000")  # QRIS money is not in the drawer
