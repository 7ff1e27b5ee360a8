"""Sales with inventory: a retailer orders, the distributor confirms, delivers in two parts,
invoices, gets paid, takes a return; stock and receivables follow at every step."""

from __future__ import annotations

from decimal import Decimal

import pytest

pytestmark = pytest.mark.plugins("sales", "inventory")


@pytest.fixture
def product(api):
    """Rokok Surya 12: sold per bungkus, 10 per slop; 200 bungkus on hand at Rp 26.800."""
    created = api.post(
        "/api/inventory/products",
        json={
            "sku": "RK-GGS12",
            "barcode": "8998989100120",
            "name": "Gudang Garam Surya 12",
            "base_unit": "bungkus",
            "units": {"slop": "10"},
            "price": "28500",
            "cost": "26800",
        },
    )
    assert created.status_code == 201, created.get_json()
    product = created.get_json()
    received = api.post(
        "/api/inventory/receipts",
        json={"lines": [{"product_id": product["id"], "quantity": "200", "cost": "26800"}]},
    )
    assert received.status_code == 201, received.get_json()
    return product


def stock(api, product):
    figures = api.get(f"/api/inventory/products/{product['id']}/stock").get_json()
    return Decimal(str(figures["on_hand"])), Decimal(str(figures["reserved"]))


@pytest.fixture
def retailer(api, api_as, make_user):
    """A retailer login linked to a customer in the grosir group with a slop price break."""
    user = make_user("retailer", phone="081355500001", name="Bu Sri")
    price_list = api.post(
        "/api/sales/price-lists",
        json={
            "name": "Grosir",
            "items": [
                {"product_id": 1, "unit": "slop", "price": "280000"},
                {"product_id": 1, "unit": "slop", "min_quantity": "5", "price": "275000"},
            ],
        },
    ).get_json()
    group = api.post(
        "/api/sales/groups",
        json={"code": "GROSIR", "name": "Grosir", "price_list_id": price_list["id"]},
    ).get_json()
    customer = api.post(
        "/api/sales/customers",
        json={
            "shop_name": "Toko Sri Rejeki",
            "owner_name": "Sri",
            "phone": "081355500001",
            "area": "Tatanga",
            "group_id": group["id"],
            "credit_limit": "10000000",
            "payment_terms_days": 7,
            "user_id": user.id,
        },
    )
    assert customer.status_code == 201, customer.get_json()
    return api_as(user), customer.get_json()


def test_retailer_order_to_payment_with_stock(api, product, retailer):
    portal, customer = retailer
    catalogue = portal.get("/api/sales/my/catalogue?q=surya").get_json()
    assert catalogue[0]["name"] == "Gudang Garam Surya 12"
    assert Decimal(catalogue[0]["available"]) == 200
    assert {b["min_quantity"] for b in catalogue[0]["breaks"]} == {"1.0000", "5.0000"}

    placed = portal.post(
        "/api/sales/my/orders",
        json={"lines": [{"product_id": product["id"], "quantity": "6", "unit": "slop"}]},
    )
    assert placed.status_code == 201, placed.get_json()
    order = placed.get_json()
    assert order["source"] == "portal"
    line = order["lines"][0]
    assert Decimal(line["base_quantity"]) == 60
    assert Decimal(line["unit_price"]) == Decimal("275000")  # the 5-slop break
    assert Decimal(order["total"]) == Decimal("1650000")
    # retailers cannot set their own price
    priced = portal.post(
        "/api/sales/my/orders",
        json={"lines": [{"product_id": product["id"], "quantity": "1", "unit_price": "1"}]},
    )
    assert priced.status_code == 422

    assert api.post(f"/api/sales/orders/{order['id']}/confirm", json={}).status_code == 200
    assert stock(api, product) == (200, 60)

    first = api.post(
        f"/api/sales/orders/{order['id']}/deliveries",
        json={"lines": [{"order_line_id": line["id"], "quantity": "2"}], "deliver": True},
    )
    assert first.status_code == 201, first.get_json()
    assert stock(api, product) == (180, 40)
    assert portal.get(f"/api/sales/my/orders/{order['id']}").get_json()["state"] == (
        "partially_delivered"
    )
    second = api.post(f"/api/sales/orders/{order['id']}/deliveries", json={"deliver": True})
    assert Decimal(second.get_json()["lines"][0]["quantity"]) == 4
    assert stock(api, product) == (140, 0)

    invoice = api.post(f"/api/sales/orders/{order['id']}/invoice").get_json()
    assert Decimal(invoice["open_amount"]) == Decimal("1650000")
    balance = portal.get("/api/sales/my/balance").get_json()
    assert Decimal(balance["open"]) == Decimal("1650000")
    assert Decimal(balance["credit_available"]) == Decimal("8350000")
    assert [i["number"] for i in portal.get("/api/sales/my/invoices").get_json()] == [
        invoice["number"]
    ]
    api.post(
        f"/api/sales/invoices/{invoice['id']}/payments",
        json={"amount": "1650000", "method": "bank_transfer"},
    )
    assert portal.get(f"/api/sales/my/orders/{order['id']}").get_json()["state"] == "paid"
    assert Decimal(portal.get("/api/sales/my/balance").get_json()["open"]) == 0

    # a return of one slop brings 10 bungkus back and credits the customer
    note = api.post(
        f"/api/sales/invoices/{invoice['id']}/returns",
        json={"lines": [{"invoice_line_id": invoice["lines"][0]["id"], "quantity": "1"}]},
    )
    assert note.status_code == 201, note.get_json()
    assert Decimal(note.get_json()["total"]) == Decimal("275000")
    assert stock(api, product) == (150, 0)

    again = portal.post(f"/api/sales/my/orders/{order['id']}/reorder")
    assert again.status_code == 201
    assert again.get_json()["state"] == "draft"
    assert Decimal(again.get_json()["lines"][0]["quantity"]) == 6


def test_cancel_releases_the_reservation(api, product, customer):
    order = api.post(
        "/api/sales/orders",
        json={
            "customer_id": customer["id"],
            "lines": [{"product_id": product["id"], "quantity": "50"}],
        },
    ).get_json()
    api.post(f"/api/sales/orders/{order['id']}/confirm", json={})
    assert stock(api, product) == (200, 50)
    api.post(f"/api/sales/orders/{order['id']}/cancel")
    assert stock(api, product) == (200, 0)


def test_not_enough_stock_refuses_confirmation(api, product, customer):
    order = api.post(
        "/api/sales/orders",
        json={
            "customer_id": customer["id"],
            "lines": [{"product_id": product["id"], "quantity": "201"}],
        },
    ).get_json()
    refused = api.post(
        f"/api/sales/orders/{order['id']}/confirm", json={"approve_over_limit": True}
    )
    assert refused.status_code == 409
    assert refused.get_json()["error"]["code"] == "insufficient_stock"
    assert api.get(f"/api/sales/orders/{order['id']}").get_json()["state"] == "draft"


def test_an_unknown_product_among_several_lines_is_named_and_nothing_is_saved(
    api, product, customer
):
    """The lines' products are fetched together; one that does not exist is still refused
    by its id, and no order is written."""
    before = len(api.get("/api/sales/orders").get_json())
    refused = api.post(
        "/api/sales/orders",
        json={
            "customer_id": customer["id"],
            "lines": [
                {"product_id": product["id"], "quantity": "1"},
                {"product_id": 987654, "quantity": "1"},
            ],
        },
    )
    assert refused.status_code == 422, refused.get_json()
    assert "987654" in refused.get_json()["error"]["message"]
    assert len(api.get("/api/sales/orders").get_json()) == before


def test_pos_sale_by_barcode_issues_stock_once(api, product):
    api.post("/api/sales/pos/sessions", json={"opening_cash": "0"})
    found = api.get("/api/sales/products?q=8998989100120").get_json()
    assert found[0]["id"] == product["id"]
    sale = {
        "client_ref": "counter1-000001",
        "lines": [{"barcode": "8998989100120", "quantity": "3"}],
        "received": "100000",
    }
    for _ in range(3):
        answer = api.post("/api/sales/pos/sales", json=sale, headers={"Idempotency-Key": "k-1"})
        assert answer.status_code in (200, 201)
    assert Decimal(answer.get_json()["change"]) == Decimal("14500")
    assert stock(api, product) == (197, 0)
