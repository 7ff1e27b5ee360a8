"""Hostile numbers found by the API fuzzer: ids and page numbers beyond the database's
64-bit integers are bad input (4xx with the error envelope), never a 500."""

from __future__ import annotations

import pytest

HUGE = 10**30

pytestmark = pytest.mark.plugins("inventory", "sales")


@pytest.mark.parametrize(
    "url",
    [
        f"/api/sales/orders/{HUGE}",
        f"/api/sales/orders?page={HUGE}",
        f"/api/inventory/products?page_size=10&page={2**62}",
        f"/api/sales/orders?customer_id={HUGE}",
    ],
)
def test_numbers_too_large_for_the_database_are_refused(api, url):
    answer = api.get(url)
    assert 400 <= answer.status_code < 500, answer.get_data(as_text=True)[:300]
    assert "error" in answer.get_json()


def test_an_id_too_large_in_a_body_is_refused(api):
    answer = api.post("/api/sales/orders", json={"customer_id": HUGE, "lines": []})
    assert answer.status_code == 422
    answer = api.post(
        "/api/sales/orders",
        json={"customer_id": HUGE, "lines": [{"product_id": HUGE, "quantity": "1"}]},
    )
    assert 400 <= answer.status_code < 500, answer.get_data(as_text=True)[:300]


@pytest.mark.parametrize(
    ("url", "body"),
    [
        (
            "/api/inventory/reservations",
            {"reference": "x:1", "lines": [{"product_id": 1, "quantity": 9.2e209}]},
        ),
        (
            "/api/sales/orders",
            {"customer_id": 1, "lines": [{"product_id": 1, "quantity": "1e200"}]},
        ),
    ],
)
def test_quantities_beyond_any_precision_are_refused(api, url, body):
    product = {"sku": "A-1", "name": "Beras", "base_unit": "kg", "price": "15000"}
    assert api.post("/api/inventory/products", json=product).status_code == 201
    customer = api.post("/api/sales/customers", json={"shop_name": "Toko A"})
    assert customer.status_code == 201
    answer = api.post(url, json=body)
    assert 400 <= answer.status_code < 500, answer.get_data(as_text=True)[:300]
