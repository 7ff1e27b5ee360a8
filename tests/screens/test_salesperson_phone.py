"""Issue 22 on a phone, in Chromium, 390 px wide, in Bahasa Indonesia: a salesperson at a
retailer's shop takes an order sent from the branch warehouse, and the owner moves stock
from the main warehouse to the branch on the transfer screen. Nothing scrolls sideways;
the order is the salesperson's and reserves stock only in the branch."""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa

from niaga.testing import browser_login
from niaga.testing_pages import sideways

pytestmark = [pytest.mark.browser, pytest.mark.plugins("inventory", "sales")]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def shop(app, api, make_user):
    from niaga.db import session
    from niaga.models import Role

    product = api.post(
        "/api/inventory/products",
        json={"sku": "KKA-65", "name": "Kopi Kapal Api 65 g", "base_unit": "pcs", "price": "2500"},
    ).get_json()
    branch = api.post(
        "/api/inventory/warehouses", json={"code": "DGL", "name": "Cabang Donggala"}
    ).get_json()
    api.post(
        "/api/inventory/receipts",
        json={
            "lines": [
                {"product_id": product["id"], "quantity": "100", "cost": "2000"},
                {
                    "product_id": product["id"],
                    "quantity": "10",
                    "cost": "2000",
                    "warehouse_id": branch["id"],
                },
            ]
        },
    )
    seller = make_user("cashier", email="sari@toko.id", name="Sari")
    person = api.post(
        "/api/sales/salespeople", json={"code": "SRI", "name": "Sari Dewi", "user_id": seller.id}
    ).get_json()
    customer = api.post(
        "/api/sales/customers",
        json={"shop_name": "Warung Bu Sri", "area": "Donggala", "salesperson_id": person["id"]},
    ).get_json()
    api.post("/api/sales/customers", json={"shop_name": "Toko Lain", "area": "Palu"})
    with app.app_context():
        db = session()
        role = db.scalar(sa.select(Role).where(Role.name == "cashier"))
        role.permissions = sorted({*role.permissions, "sales.take_orders"})
        db.commit()
    return {
        "seller": seller,
        "person": person["id"],
        "customer": customer["id"],
        "product": product["id"],
        "branch": branch["id"],
    }


def stock(api, product_id: int) -> dict[str, tuple[Decimal, Decimal]]:
    rows = api.get(f"/api/inventory/products/{product_id}/stock").get_json()["warehouses"]
    return {r["warehouse"]: (Decimal(r["on_hand"]), Decimal(r["reserved"])) for r in rows}


def test_a_salesperson_takes_an_order_and_the_owner_transfers_stock_on_a_phone(
    niaga_browser, live_server, app, api, owner, shop
):
    from playwright.sync_api import expect

    from niaga.db import session
    from niaga_sales.models import Order

    context = niaga_browser.new_context(base_url=live_server, viewport=PHONE, locale="id-ID")
    context.set_default_timeout(15_000)
    page = context.new_page()
    browser_login(page, shop["seller"])
    page.goto("/admin/sales/take-order")
    expect(page.locator("main")).to_contain_text("Mengambil pesanan sebagai Sari Dewi")
    # her own retailer comes first and is chosen already
    expect(page.locator("#customer_id option").first).to_contain_text("Warung Bu Sri — Donggala ★")
    page.get_by_label("Kirim dari gudang").select_option(label="Cabang Donggala")
    page.locator("#product_0").select_option(label="Kopi Kapal Api 65 g (pcs)")
    page.locator("#quantity_0").fill("6")
    page.wait_for_load_state("load")  # measured with the style sheet applied
    assert sideways(page)[0] <= 0, sideways(page)
    page.get_by_role("button", name="Konfirmasi pesanan").click()
    expect(page.locator("#taken")).to_contain_text("sudah dikonfirmasi")
    expect(page.locator("#taken")).to_contain_text("Rp 15.000")
    assert sideways(page)[0] <= 0, sideways(page)
    context.close()

    with app.app_context():
        order = session().scalars(sa.select(Order)).one()
        assert (order.state, order.salesperson_id, order.warehouse_id) == (
            "confirmed",
            shop["person"],
            shop["branch"],
        )
        assert order.customer_id == shop["customer"]
        session().rollback()
    assert stock(api, shop["product"])["Cabang Donggala"] == (Decimal(10), Decimal(6))

    context = niaga_browser.new_context(base_url=live_server, viewport=PHONE, locale="id-ID")
    context.set_default_timeout(15_000)
    page = context.new_page()
    browser_login(page, owner)
    page.goto("/admin/inventory/transfers")
    page.get_by_label("Produk").select_option(label="Kopi Kapal Api 65 g (KKA-65)")
    page.get_by_label("Jumlah (satuan dasar)").fill("20")
    page.get_by_label("Dari gudang").select_option(label="Gudang Utama")
    page.get_by_label("Ke gudang").select_option(label="Cabang Donggala")
    page.get_by_label("Alasan").fill("Isi stok cabang")
    page.wait_for_load_state("load")
    assert sideways(page)[0] <= 0, sideways(page)
    page.get_by_role("button", name="Pindahkan").click()
    expect(page.locator(".flash.success")).to_contain_text("Stok dipindahkan")
    expect(page.locator("#transfers")).to_contain_text("Isi stok cabang")
    assert sideways(page)[0] <= 0, sideways(page)
    context.close()
    assert stock(api, shop["product"]) == {
        "Gudang Utama": (Decimal(80), Decimal(0)),
        "Cabang Donggala": (Decimal(30), Decimal(6)),
    }
