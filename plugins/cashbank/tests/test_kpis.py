"""Issue 22: the owner's gross margin and stock cover come from the books. Expected figures
are worked out here from the quantities, prices and costs."""

from __future__ import annotations

from decimal import Decimal

import pytest

from niaga.clock import month_bounds, shop_today
from niaga_cashbank import kpis
from niaga_cashbank.reports import Period

pytestmark = pytest.mark.plugins("inventory", "sales", "cashbank")

COST, PRICE, RECEIVED, SOLD = Decimal(6000), Decimal(10000), 100, 10


@pytest.fixture
def sold(api):
    """100 pcs in stock at Rp 6.000, 10 sold at Rp 10.000, delivered and invoiced."""
    product = api.post(
        "/api/inventory/products",
        json={"sku": "KOPI", "name": "Kopi bubuk", "base_unit": "pcs", "price": str(PRICE)},
    ).get_json()
    line = {"product_id": product["id"], "quantity": str(RECEIVED), "cost": str(COST)}
    assert api.post("/api/inventory/receipts", json={"lines": [line]}).status_code == 201
    customer = api.post("/api/sales/customers", json={"shop_name": "Toko Jaya"}).get_json()
    order = api.post(
        "/api/sales/orders",
        json={
            "customer_id": customer["id"],
            "lines": [
                {"product_id": product["id"], "quantity": str(SOLD), "unit_price": str(PRICE)}
            ],
        },
    ).get_json()
    assert api.post(f"/api/sales/orders/{order['id']}/confirm", json={}).status_code == 200
    api.post(f"/api/sales/orders/{order['id']}/deliveries", json={"deliver": True})
    assert api.post(f"/api/sales/orders/{order['id']}/invoice").status_code == 201


def test_margin_and_stock_cover_agree_with_what_was_bought_and_sold(db, sold):
    today = shop_today(db)
    margin = kpis.gross_margin(db, Period(month_bounds(today)[0], today))
    assert (margin.revenue, margin.cost) == (SOLD * PRICE, SOLD * COST)
    assert margin.amount == Decimal(40000) and margin.percent == Decimal("40.0")
    # 90 pcs left at Rp 6.000 = 540.000; 60.000 of cost in 30 days is 2.000 a day
    left, per_day = (RECEIVED - SOLD) * COST, SOLD * COST / kpis.PACE_DAYS
    assert kpis.stock_cover_days(db, today) == int(left / per_day) == 270


def test_the_dashboard_shows_them_in_indonesian(logged_in, sold):
    page = logged_in.get("/admin/").get_data(as_text=True)
    assert "Rp 40.000" in page and "40,0 % dari penjualan" in page
    assert "sekitar 270 hari" in page


def test_without_sales_there_is_no_cover_to_speak_of(db):
    assert kpis.stock_cover_days(db, shop_today(db)) is None
    assert kpis.gross_margin(db, Period(shop_today(db), shop_today(db))).percent is None
