"""Hundreds of buyers confirm orders for the last N units at once through the real HTTP
stack (sales order confirm → inventory reservation; the drafts are made beforehand):
exactly N succeed, the others hear "insufficient stock", and nothing is reserved twice."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from workload import ALL_PLUGINS, confirm, order_lines, seed_shop

from niaga_sales import orders

pytestmark = pytest.mark.plugins(*ALL_PLUGINS)


@pytest.mark.parametrize(("units", "buyers"), [(1, 100), (100, 150)])
def test_exactly_n_buyers_get_the_last_n_units(api, db, post, http, units, buyers):
    shop = seed_shop(post, products=1, stock=units, customers=4)
    product = shop.products[0]
    drafts = [
        orders.create_order(db, shop.customers[n % 4], order_lines([product]), source="api").id
        for n in range(buyers)
    ]
    db.commit()

    def buy(http_post, n):
        status, body = confirm(http_post, drafts[n])
        return status, (body or {}).get("error", {}).get("code") if status != 200 else "ok"

    outcomes = http(buy, buyers)
    assert sorted(set(outcomes)) <= [(200, "ok"), (409, "insufficient_stock")], set(outcomes)
    assert outcomes.count((200, "ok")) == units
    figures = api.get(f"/api/inventory/products/{product}/stock").get_json()
    assert Decimal(figures["on_hand"]) == units
    assert Decimal(figures["reserved"]) == units
    assert Decimal(figures["available"]) == 0
    confirmed = api.get("/api/sales/orders?state=confirmed&page_size=1")
    assert json.loads(confirmed.headers["X-Pagination"])["total"] == units
    drafts = api.get("/api/sales/orders?state=draft&page_size=1")
    assert json.loads(drafts.headers["X-Pagination"])["total"] == buyers - units
