"""The POS counter in a real Chromium, as a cashier uses it: a PKP shop's screen, receipt
and books agree; a double tap records one sale; an oversell is a refusal, not "offline";
quick cash buttons fill the amount."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
import sqlalchemy as sa

from niaga import settings
from niaga.testing import browser_login
from niaga_cashbank.models import Account, JournalEntry, JournalLine
from niaga_sales.models import PosSale

pytestmark = [pytest.mark.browser, pytest.mark.plugins("sales", "inventory", "cashbank")]

#: name, barcode, price (PPN excluded), units on the shelf
SHELF = [
    ("Kopi Kapal Api 65 g", "8991002101111", "2350", 50),
    ("Gula Pasir 1 kg", "8991002102222", "17999", 50),
    ("Minyak Goreng 2 L", "8991002103333", "38450", 1),
]


@pytest.fixture
def shelf(api):
    for name, barcode, price, units in SHELF:
        product = api.post(
            "/api/inventory/products",
            json={
                "sku": barcode[-4:],
                "barcode": barcode,
                "name": name,
                "base_unit": "pcs",
                "price": price,
            },
        ).get_json()
        api.post(
            "/api/inventory/receipts",
            json={"lines": [{"product_id": product["id"], "quantity": str(units), "cost": "1000"}]},
        )


def rupiah(amount: Decimal) -> str:
    return "Rp " + f"{int(amount):,}".replace(",", ".")


def ppn(net: Decimal) -> Decimal:
    """PPN on a line as DOMAIN.md states it: 12 % of a tax base of 11/12, to the rupiah."""
    return (net * Decimal(11) / Decimal(12) * Decimal("0.12")).quantize(
        Decimal("1"), rounding=ROUND_HALF_UP
    )


def open_counter(page, make_user, email):
    browser_login(page, make_user("cashier", email=email, name="Dewi"))
    page.goto("/admin/sales/pos")
    page.fill("#pos-open-cash", "100000")
    page.click("#pos-open")
    page.locator("#pos-search").wait_for(state="visible")


def scan(page, barcode, rows):
    from playwright.sync_api import expect

    page.fill("#pos-search", barcode)
    page.press("#pos-search", "Enter")
    expect(page.locator("#pos-search")).to_have_value("")  # the page's CSP forbids eval
    page.locator("#pos-cart tbody tr").nth(rows - 1).wait_for()


def sales(db) -> list[PosSale]:
    db.expire_all()
    found = db.scalars(sa.select(PosSale)).all()
    db.rollback()  # end the read: on SQLite it holds the lock the server needs
    return list(found)


def test_pkp_sale_screen_receipt_and_books_agree(browser_page, make_user, shelf, db):
    settings.put(db, "core.vat_registered", True)
    db.commit()
    page = browser_page
    open_counter(page, make_user, "kasir@toko.id")
    scan(page, "8991002101111", 1)
    scan(page, "8991002101111", 1)  # a second scan adds one to the same line
    scan(page, "8991002102222", 2)
    nets = [Decimal("2350") * 2, Decimal("17999")]
    tax = sum(ppn(net) for net in nets)
    total = sum(nets) + tax
    assert page.locator("#pos-total").inner_text() == rupiah(total)
    page.click("[data-cash='50000']")
    assert page.locator("#pos-received").input_value() == "50.000"
    assert page.locator("#pos-change").inner_text() == rupiah(Decimal(50000) - total)
    page.click("#pos-pay")
    page.locator("#pos-status").filter(has_text="POS/").wait_for()
    assert page.locator("#receipt-total").inner_text() == rupiah(total)
    assert page.locator("#receipt-tax").inner_text() == rupiah(tax)
    assert page.locator("#receipt-net").inner_text() == rupiah(sum(nets))
    assert page.locator("#receipt-change").inner_text() == rupiah(Decimal(50000) - total)
    [sale] = sales(db)
    assert (sale.invoice.total, sale.invoice.tax) == (total, tax)
    reference = f"sales.invoice:{sale.invoice.id}"
    booked = db.execute(
        sa.select(Account.code, sa.func.sum(JournalLine.credit) - sa.func.sum(JournalLine.debit))
        .join(Account, JournalLine.account_id == Account.id)
        .join(JournalEntry, JournalLine.entry_id == JournalEntry.id)
        .where(JournalEntry.reference == reference)
        .group_by(Account.code)
    ).all()
    db.rollback()
    by_code = dict(booked)
    assert by_code["2-1200"] == tax  # PPN Keluaran
    assert sum(v for v in by_code.values() if v > 0) == total  # revenue + PPN = the sale
    assert by_code["1-1100"] == -total  # Kas received the whole sale


def test_a_double_tap_records_one_sale(browser_page, make_user, shelf, db):
    from playwright.sync_api import expect

    page = browser_page
    open_counter(page, make_user, "kasir2@toko.id")
    scan(page, "8991002101111", 1)
    page.fill("#pos-received", "10000")
    page.evaluate("const b = document.getElementById('pos-pay'); b.click(); b.click(); b.click()")
    page.locator("#pos-status").filter(has_text="POS/").wait_for()
    expect(page.locator("#pos-pay")).to_be_enabled()
    assert len(sales(db)) == 1
    assert page.locator("#pos-queue-count").inner_text() == "0"


def test_an_oversell_is_a_refusal_naming_the_item(browser_page, make_user, shelf, db):
    page = browser_page
    open_counter(page, make_user, "kasir3@toko.id")
    scan(page, "8991002103333", 1)
    scan(page, "8991002103333", 1)  # 2 wanted, 1 on the shelf
    page.click("[data-cash='exact']")  # "Uang pas" fills the total and pays
    refusal = page.locator("#pos-status").filter(has_text="Tidak tercatat")
    refusal.wait_for()
    assert "Minyak Goreng 2 L" in refusal.inner_text()
    assert "Offline" not in refusal.inner_text()
    assert page.locator("#pos-queue-count").inner_text() == "0"  # nothing waits to be resent
    assert page.locator("#pos-cart tbody tr").count() == 1  # the cashier can fix the cart
    assert not page.locator("#pos-receipt").is_visible()
    assert sales(db) == []
