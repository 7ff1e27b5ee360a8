"""Sales works with each of inventory, payments, loyalty and cash/bank disabled (and the
others enabled): the whole order flow and a POS sale go through every time."""

from __future__ import annotations

from decimal import Decimal

import pytest

from niaga.runtime import enabled_plugins

OTHERS = ("inventory", "payments", "loyalty", "cashbank")


def run_the_day(api) -> None:
    customer = api.post(
        "/api/sales/customers", json={"shop_name": "Toko Uji", "payment_terms_days": 7}
    ).get_json()
    order = api.post(
        "/api/sales/orders",
        json={
            "customer_id": customer["id"],
            "lines": [{"description": "Beras 5 kg", "quantity": "2", "unit_price": "70000"}],
        },
    ).get_json()
    assert api.post(f"/api/sales/orders/{order['id']}/confirm", json={}).status_code == 200
    part = order["lines"][0]["id"]
    first = api.post(
        f"/api/sales/orders/{order['id']}/deliveries",
        json={"lines": [{"order_line_id": part, "quantity": "1"}], "deliver": True},
    )
    assert first.status_code == 201, first.get_json()
    second = api.post(f"/api/sales/orders/{order['id']}/deliveries", json={"deliver": True})
    assert second.status_code == 201, second.get_json()
    invoice = api.post(f"/api/sales/orders/{order['id']}/invoice")
    assert invoice.status_code == 201, invoice.get_json()
    invoice = invoice.get_json()
    paid = api.post(f"/api/sales/invoices/{invoice['id']}/payments", json={"amount": "140000"})
    assert paid.status_code == 201, paid.get_json()
    note = api.post(
        f"/api/sales/invoices/{invoice['id']}/returns",
        json={"lines": [{"invoice_line_id": invoice["lines"][0]["id"], "quantity": "1"}]},
    )
    assert note.status_code == 201, note.get_json()
    assert api.post("/api/sales/pos/sessions", json={}).status_code == 201
    sale = api.post(
        "/api/sales/pos/sales",
        json={
            "client_ref": "combo-till-0001",
            "lines": [{"description": "Kopi", "quantity": "3", "unit_price": "2500"}],
            "received": "10000",
        },
    )
    assert sale.status_code == 201, sale.get_json()
    assert Decimal(sale.get_json()["change"]) == Decimal("2500")
    cancelled = api.post(
        "/api/sales/orders",
        json={
            "customer_id": customer["id"],
            "lines": [{"description": "Gula", "quantity": "1", "unit_price": "16000"}],
        },
    ).get_json()
    api.post(f"/api/sales/orders/{cancelled['id']}/confirm", json={})
    assert api.post(f"/api/sales/orders/{cancelled['id']}/cancel").status_code == 200


@pytest.mark.parametrize("disabled", OTHERS)
def test_sales_works_with_one_plugin_disabled(request, disabled):
    enabled = ["sales", *[name for name in OTHERS if name != disabled]]
    request.node.add_marker(pytest.mark.plugins(*enabled))
    api = request.getfixturevalue("api")
    with request.getfixturevalue("app").app_context():
        assert enabled_plugins() == set(enabled)
    run_the_day(api)


@pytest.mark.plugins("sales")
def test_sales_works_alone(api):
    run_the_day(api)
