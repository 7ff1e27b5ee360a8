"""A POS replay at small scale: offline sales sent twice each by several counters at once
(the first of them racing to create the walk-in customer) are recorded exactly once."""

from __future__ import annotations

import json

import pytest
from workload import ALL_PLUGINS, expect, order_lines, seed_shop

pytestmark = pytest.mark.plugins(*ALL_PLUGINS)
COUNTERS = 8
SALES = 6  # per counter


def test_sales_sent_twice_from_several_counters_are_recorded_once(api, post, http):
    shop = seed_shop(post, products=3, stock=1000)
    session_id = expect(*post("/api/sales/pos/sessions", {}, None), 201)["id"]

    def sale(http_post, n):
        counter, number = n % COUNTERS, (n // COUNTERS) % SALES
        body = {
            "client_ref": f"till-{counter}-{number:04d}",
            "session_id": session_id,
            "lines": order_lines(shop.products, 1),
        }
        return http_post("/api/sales/pos/sales", body, None)[0]

    statuses = http(sale, COUNTERS * SALES * 2, threads=COUNTERS)
    assert sorted(set(statuses)) <= [200, 201], statuses
    assert statuses.count(201) == COUNTERS * SALES
    listed = api.get("/api/sales/pos/sales?page_size=1")
    assert json.loads(listed.headers["X-Pagination"])["total"] == COUNTERS * SALES
    figures = api.get(f"/api/inventory/products/{shop.products[0]}/stock").get_json()
    assert float(figures["on_hand"]) == 1000 - COUNTERS * SALES
