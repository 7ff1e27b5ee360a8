"""Orders without inventory: numbering, pricing and PPN, states, credit limit, errors."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from niaga import settings

pytestmark = pytest.mark.plugins("sales")


def make_order(api, customer, lines, **extra):
    response = api.post(
        "/api/sales/orders", json={"customer_id": customer["id"], "lines": lines, **extra}
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def pay(api, invoice, amount, method):
    paid = api.post(
        f"/api/sales/invoices/{invoice['id']}/payments", json={"amount": amount, "method": method}
    )
    assert paid.status_code == 201, paid.get_json()


def test_order_numbering_and_totals_without_ppn(api, customer, line):
    order = make_order(
        api,
        customer,
        [line("Beras 5 kg", "3", "72500"), line("Minyak 1 L", "2", "18333", discount_percent="5")],
        discount_amount="1000",
    )
    day = dt.date.fromisoformat(order["order_date"])  # the shop's day, numbered by its month
    assert order["number"] == f"SO/{day:%Y}/{day:%m}/0001"
    assert order["state"] == "draft"
    items = [x for x in order["lines"] if x["kind"] == "item"]
    assert [Decimal(x["net"]) for x in items] == [Decimal("217500"), Decimal("34833")]
    assert Decimal(items[1]["discount"]) == Decimal("1833")
    assert all(Decimal(x["tax"]) == 0 for x in order["lines"])
    assert Decimal(order["discount"]) == Decimal("1000")
    assert Decimal(order["total"]) == Decimal("251333")
    assert Decimal(order["total"]) == sum(Decimal(x["total"]) for x in order["lines"])
    second = make_order(api, customer, [line("Gula", "1", "15000")])
    assert second["number"].endswith("/0002")


def test_ppn_12_percent_on_11_12_base_adds_up(api, db, customer, line):
    settings.put(db, "core.vat_registered", True)
    db.commit()
    with_tax = api.post(
        "/api/sales/orders",
        json={
            "customer_id": customer["id"],
            "lines": [line("Kopi", "3", "3333"), line("Teh", "7", "1499")],
        },
    )
    order = with_tax.get_json()
    assert [x["tax_base"] for x in order["lines"]] == ["11/12", "11/12"]
    # 9999 × 12% × 11/12 = 1099.89 → 1100; 10493 × 0.11 = 1154.23 → 1154
    assert [Decimal(x["tax"]) for x in order["lines"]] == [Decimal("1100"), Decimal("1154")]
    assert Decimal(order["total"]) == Decimal("9999") + Decimal("10493") + Decimal("2254")


def test_confirm_deliver_in_two_parts_invoice_and_pay(api, customer, line):
    order = make_order(api, customer, [line("Beras 5 kg", "10", "70000")])
    confirmed = api.post(f"/api/sales/orders/{order['id']}/confirm", json={}).get_json()
    assert confirmed["state"] == "confirmed"
    line_id = order["lines"][0]["id"]
    first = api.post(
        f"/api/sales/orders/{order['id']}/deliveries",
        json={"lines": [{"order_line_id": line_id, "quantity": "4"}], "driver": "Andi"},
    )
    assert first.status_code == 201, first.get_json()
    assert first.get_json()["state"] == "picking"
    assert api.post(f"/api/sales/deliveries/{first.get_json()['id']}/pack").status_code == 200
    done = api.post(f"/api/sales/deliveries/{first.get_json()['id']}/deliver")
    assert done.get_json()["state"] == "delivered"
    assert api.get(f"/api/sales/orders/{order['id']}").get_json()["state"] == "partially_delivered"
    # too early to invoice
    assert api.post(f"/api/sales/orders/{order['id']}/invoice").status_code == 409
    over = api.post(
        f"/api/sales/orders/{order['id']}/deliveries",
        json={"lines": [{"order_line_id": line_id, "quantity": "7"}]},
    )
    assert over.status_code == 422
    assert over.get_json()["error"]["code"] == "over_delivery"
    rest = api.post(f"/api/sales/orders/{order['id']}/deliveries", json={"deliver": True})
    assert rest.status_code == 201
    assert Decimal(rest.get_json()["lines"][0]["quantity"]) == 6
    assert api.get(f"/api/sales/orders/{order['id']}").get_json()["state"] == "delivered"
    # cancelling after delivery is refused
    refused = api.post(f"/api/sales/orders/{order['id']}/cancel")
    assert refused.status_code == 422
    assert refused.get_json()["error"]["code"] == "cannot_cancel"

    invoice = api.post(f"/api/sales/orders/{order['id']}/invoice")
    assert invoice.status_code == 201
    invoice = invoice.get_json()
    assert invoice["number"].startswith("INV/")
    assert Decimal(invoice["open_amount"]) == Decimal("700000")
    # due 14 days after the invoice, which is dated on the shop's day (not the machine's:
    # from 17:00 UTC the shop in Jakarta is a day ahead)
    issued = dt.date.fromisoformat(invoice["invoice_date"])
    assert invoice["due_date"] == (issued + dt.timedelta(days=14)).isoformat()
    balance = api.get(f"/api/sales/customers/{customer['id']}/balance").get_json()
    assert Decimal(balance["open"]) == Decimal("700000")
    aged = api.get("/api/sales/receivables").get_json()
    assert Decimal(aged[0]["current"]) == Decimal("700000")

    too_much = api.post(f"/api/sales/invoices/{invoice['id']}/payments", json={"amount": "800000"})
    assert too_much.status_code == 409
    for amount in ("300000", "400000"):
        pay(api, invoice, amount, "bank_transfer")
    assert api.get(f"/api/sales/invoices/{invoice['id']}").get_json()["state"] == "paid"
    assert api.get(f"/api/sales/orders/{order['id']}").get_json()["state"] == "paid"
    assert (
        Decimal(api.get(f"/api/sales/customers/{customer['id']}/balance").get_json()["open"]) == 0
    )


def test_credit_limit_refused_unless_approved(api, customer, line, make_user, api_as):
    order = make_order(api, customer, [line("Rokok karton", "5", "1200000")])
    refused = api.post(f"/api/sales/orders/{order['id']}/confirm", json={})
    assert refused.status_code == 422
    assert refused.get_json()["error"]["code"] == "credit_limit_exceeded"
    cashier = api_as(make_user("cashier"))
    assert (
        cashier.post(
            f"/api/sales/orders/{order['id']}/confirm", json={"approve_over_limit": True}
        ).status_code
        == 403
    )
    approved = api.post(
        f"/api/sales/orders/{order['id']}/confirm", json={"approve_over_limit": True}
    )
    assert approved.status_code == 200
    # the first order now uses the credit: a small second one is refused too
    small = make_order(api, customer, [line("Gula", "1", "15000")])
    assert api.post(f"/api/sales/orders/{small['id']}/confirm", json={}).status_code == 422


def test_cancel_confirmed_order(api, customer, line):
    order = make_order(api, customer, [line("Gula", "1", "15000")])
    api.post(f"/api/sales/orders/{order['id']}/confirm", json={})
    cancelled = api.post(f"/api/sales/orders/{order['id']}/cancel")
    assert cancelled.get_json()["state"] == "cancelled"
    again = api.post(f"/api/sales/orders/{order['id']}/cancel")
    assert again.status_code == 422


@pytest.mark.parametrize(
    "body",
    [
        {"lines": []},
        {"lines": [{"description": "x", "quantity": "0", "unit_price": "1"}]},
        {"lines": [{"description": "x", "quantity": "-1", "unit_price": "1"}]},
        {"lines": [{"description": "x", "quantity": "abc", "unit_price": "1"}]},
        {"lines": [{"description": "x", "quantity": "NaN", "unit_price": "1"}]},
        {"lines": [{"quantity": "1"}]},
        {"lines": [{"product_id": 999, "quantity": "1"}]},
        {"lines": [{"description": "x", "quantity": "1", "unit_price": "1"}], "bogus": 1},
        {
            "lines": [
                {"description": "x", "quantity": "1", "unit_price": "1", "discount_percent": "120"}
            ]
        },
    ],
)
def test_bad_order_input_is_4xx(api, customer, body):
    response = api.post("/api/sales/orders", json={"customer_id": customer["id"], **body})
    assert 400 <= response.status_code < 500, response.get_json()
    assert "error" in response.get_json()


def test_unknown_customer_and_permissions(api, client, make_user, api_as, line):
    missing = api.post(
        "/api/sales/orders", json={"customer_id": 999, "lines": [line("x", "1", "1")]}
    )
    assert missing.status_code == 404
    assert client.get("/api/sales/orders").status_code == 401
    retailer = api_as(make_user("retailer", phone="0811"))
    assert retailer.get("/api/sales/orders").status_code == 403


@pytest.mark.plugins()
def test_disabled_plugin_answers_404(api):
    assert api.get("/api/sales/orders").status_code == 404


def test_two_payments_in_the_same_instant_are_both_recorded(api, customer, line, shop_clock):
    """A manual payment's key is unique by itself, not by the clock: with the clock
    stopped, the second instalment on an invoice is recorded, not refused as a repeat."""
    shop_clock(dt.datetime(2026, 12, 31, 18, 0, tzinfo=dt.UTC))
    order = make_order(api, customer, [line("Beras 5 kg", "2", "70000")])
    api.post(f"/api/sales/orders/{order['id']}/confirm", json={})
    api.post(f"/api/sales/orders/{order['id']}/deliveries", json={"deliver": True})
    invoice = api.post(f"/api/sales/orders/{order['id']}/invoice").get_json()
    for amount in ("60000", "80000"):
        pay(api, invoice, amount, "cash")
    assert api.get(f"/api/sales/invoices/{invoice['id']}").get_json()["state"] == "paid"
