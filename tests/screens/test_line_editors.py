"""Order lines are entered the way a person thinks of them, in a real Chromium, in Bahasa
Indonesia: type part of a product's name or its SKU, choose it from the list, choose the
unit (pcs or karton) from the product's own units. No SKU to remember, no ``karton=24``."""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa

from niaga.testing import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.plugins("inventory", "purchasing", "sales")]


@pytest.fixture
def kopi(api):
    return api.post(
        "/api/inventory/products",
        json={
            "sku": "KKA-65",
            "name": "Kopi Kapal Api 65 g",
            "base_unit": "pcs",
            "units": {"karton": "24"},
            "purchase_unit": "karton",
            "price": "2500",
            "cost": "2000",
        },
    ).get_json()


@pytest.fixture
def page_id(niaga_browser, live_server):
    context = niaga_browser.new_context(base_url=live_server, locale="id-ID")
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def saved(app, model):
    """The one line the form stored (read in a session of its own, closed at once)."""
    from niaga.db import session

    with app.app_context():
        (line,) = session().scalars(sa.select(model)).all()
        session().expunge(line)
        session().rollback()
    return line


def choose_product(page, row: int, typed: str, shown: str) -> None:
    from playwright.sync_api import expect

    line = page.locator("tbody tr").nth(row)
    line.locator("[data-product-picker]").press_sequentially(typed)
    option = line.locator("[data-picker-results] button", has_text=shown)
    expect(option).to_be_visible()
    option.click()
    expect(line.locator("[data-product-picker]")).to_have_value("Kopi Kapal Api 65 g")


def test_purchase_order_line_by_name_in_its_purchase_unit(page_id, owner, api, kopi, app):
    from playwright.sync_api import expect

    from niaga_purchasing.models import PurchaseOrderLine

    supplier = api.post("/api/purchasing/suppliers", json={"name": "CV Sumber Rejeki"}).get_json()
    page = page_id
    browser_login(page, owner)
    page.goto("/admin/purchasing/orders/new")
    expect(page.locator("h1")).to_have_text("Pesanan pembelian baru")
    page.select_option("#supplier_id", str(supplier["id"]))
    choose_product(page, 0, "kapal", "Kopi Kapal Api 65 g · KKA-65")
    unit = page.locator("tbody tr").first.locator("select[data-unit-picker]")
    expect(unit).to_have_value("karton")  # the product's purchase unit comes first
    assert unit.locator("option").all_inner_texts() == ["pcs", "karton (24 pcs)"]
    page.locator("tbody tr").first.locator("input[name$=quantity]").fill("2")
    page.get_by_role("button", name="Simpan draf").click()
    expect(page.locator(".flash").first).to_contain_text("Tersimpan")

    line = saved(app, PurchaseOrderLine)
    assert (line.product_id, line.unit, line.quantity) == (kopi["id"], "karton", Decimal(2))
    assert line.unit_price == Decimal(2000) * 24  # the cost per pcs, times 24 for a karton


def test_sales_order_line_by_sku_in_a_chosen_unit(page_id, owner, api, kopi, app):
    from playwright.sync_api import expect

    from niaga_sales.models import OrderLine

    customer = api.post("/api/sales/customers", json={"shop_name": "Warung Bu Sri"}).get_json()
    page = page_id
    browser_login(page, owner)
    page.goto("/admin/sales/orders/new")
    page.select_option("#customer_id", str(customer["id"]))
    choose_product(page, 0, "KKA", "Kopi Kapal Api 65 g · KKA-65")
    unit = page.locator("tbody tr").first.locator("select[data-unit-picker]")
    expect(unit).to_have_value("pcs")
    unit.select_option("karton")
    page.locator("input[name=quantity_0]").fill("3")
    page.get_by_role("button", name="Simpan draf").click()
    expect(page.locator("h1")).to_contain_text("SO")

    line = saved(app, OrderLine)
    assert (line.product_id, line.unit, line.quantity) == (kopi["id"], "karton", Decimal(3))
    assert line.unit_price == Decimal(2500) * 24
