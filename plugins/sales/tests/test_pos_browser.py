"""A cashier sells 3 items at the POS in a real Chromium over real HTTP, then the same
screen keeps a sale while the server is unreachable and sends it once it is back."""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa

from niaga.testing import browser_login
from niaga_sales.models import PosSale

pytestmark = [pytest.mark.browser, pytest.mark.plugins("sales", "inventory")]

PRODUCTS = [
    ("AQ-600", "8991002101005", "Aqua 600 ml", "4000"),
    ("RT-SARI", "8996001600146", "Sari Roti Tawar", "16500"),
    ("IM-GRG", "089686010947", "Indomie Goreng", "3500"),
]


@pytest.fixture
def shelf(api):
    for sku, barcode, name, price in PRODUCTS:
        product = api.post(
            "/api/inventory/products",
            json={"sku": sku, "barcode": barcode, "name": name, "base_unit": "pcs", "price": price},
        ).get_json()
        api.post(
            "/api/inventory/receipts",
            json={"lines": [{"product_id": product["id"], "quantity": "50", "cost": "1000"}]},
        )


def test_cashier_sells_three_items(browser_page, make_user, shelf, db):
    from playwright.sync_api import expect

    page = browser_page
    cashier = make_user("cashier", email="kasir@toko.id", name="Dewi")
    browser_login(page, cashier)
    page.goto("/admin/sales/pos")
    page.fill("#pos-open-cash", "100000")
    page.click("#pos-open")
    search = page.locator("#pos-search")
    search.wait_for(state="visible")
    # scan two barcodes (a scanner types and presses Enter), search the third by name
    for code in ("8991002101005", "8991002101005", "8996001600146"):
        search.fill(code)
        search.press("Enter")
        expect(search).to_have_value("")  # no string evaluation: the page's CSP forbids it
    search.fill("indomie")
    search.press("Enter")
    page.locator("#pos-cart tbody tr").nth(2).wait_for()
    assert page.locator("#pos-total").inner_text() == "Rp 28.000"  # 2 × 4.000 + 16.500 + 3.500
    page.fill("#pos-received", "50000")
    assert page.locator("#pos-change").inner_text() == "Rp 22.000"
    page.press("#pos-received", "Enter")
    page.locator("#pos-status").filter(has_text="POS/").wait_for()
    assert page.locator("#receipt-total").inner_text() == "Rp 28.000"
    assert page.locator("#receipt-change").inner_text() == "Rp 22.000"
    assert page.locator("#pos-cart tbody tr").count() == 0
    db.expire_all()
    sales = db.scalars(sa.select(PosSale)).all()
    assert len(sales) == 1
    assert sales[0].invoice.total == Decimal("28000")
    assert sum(line.quantity for line in sales[0].invoice.lines) == 4


def test_offline_sale_is_kept_and_sent_once(browser_page, make_user, shelf, db):
    page = browser_page
    cashier = make_user("cashier", email="kasir2@toko.id", name="Rina")
    browser_login(page, cashier)
    page.goto("/admin/sales/pos")
    page.fill("#pos-open-cash", "0")
    page.click("#pos-open")
    page.locator("#pos-search").wait_for(state="visible")
    # the connection drops: every sale sent now fails at the network level
    page.route("**/api/sales/pos/sales", lambda route: route.abort("internetdisconnected"))
    page.click("#pos-quick summary")
    page.fill("#pos-quick-desc", "Es batu")
    page.fill("#pos-quick-price", "2000")
    page.click("#pos-quick-add")
    page.click("#pos-pay")
    page.locator("#pos-queue-count").filter(has_text="1").wait_for()
    db.expire_all()
    assert db.scalar(sa.select(sa.func.count()).select_from(PosSale)) == 0
    db.rollback()  # end the read: on SQLite it holds the write lock the server needs
    page.unroute("**/api/sales/pos/sales")
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.locator("#pos-queue-count").filter(has_text="0").wait_for()
    page.evaluate("window.dispatchEvent(new Event('online'))")  # a second flush sends nothing
    page.locator("#pos-status").filter(has_text="POS/").wait_for()
    db.expire_all()
    assert db.scalar(sa.select(sa.func.count()).select_from(PosSale)) == 1
