"""Payments with the real sales plugin: an invoice paid through Midtrans (stand-in, real
HTTP, a duplicated and out-of-order storm) is applied to the invoice exactly once."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest

from niaga.testing import login
from niaga_payments import states
from niaga_payments.registry import use_standin
from niaga_payments.testing import Harness, configure, live_server
from niaga_payments.testing.midtrans import MidtransStandIn
from niaga_payments.testing.standin import deliver


@pytest.fixture
def midtrans() -> Iterator[MidtransStandIn]:
    with MidtransStandIn() as standin:
        yield standin


def delivered_order(api, customer_id: int | None = None) -> dict:
    """A confirmed order, delivered in full (of a new customer unless ``customer_id``)."""
    if customer_id is None:
        customer = api.post("/api/sales/customers", json={"shop_name": "Toko Uji"}).get_json()
        customer_id = customer["id"]
    order = api.post(
        "/api/sales/orders",
        json={
            "customer_id": customer_id,
            "lines": [{"description": "Beras 5 kg", "quantity": "3", "unit_price": "70000"}],
        },
    ).get_json()
    assert api.post(f"/api/sales/orders/{order['id']}/confirm", json={}).status_code == 200
    assert api.post(f"/api/sales/orders/{order['id']}/deliveries", json={"deliver": True})
    return order


def invoice_for(api, order: dict | None = None) -> dict:
    order = order or delivered_order(api)
    invoice = api.post(f"/api/sales/orders/{order['id']}/invoice")
    assert invoice.status_code == 201, invoice.get_json()
    return invoice.get_json()


@pytest.mark.plugins("sales", "payments")
def test_invoice_paid_through_midtrans_once(app, db, api, midtrans):
    configure(db, "midtrans", {"enabled": True, **midtrans.settings})
    use_standin(app, "midtrans", midtrans.base_url)
    invoice = invoice_for(api)
    target = f"sales.invoice:{invoice['id']}"
    harness = Harness(app, db, api, "midtrans", midtrans)
    payment = harness.start(target, method="virtual_account")
    assert Decimal(payment["amount"]) == Decimal(invoice["total"])
    midtrans.settle(payment["reference"], "paid")
    paid = midtrans.notification(payment["reference"], "paid")
    pending = midtrans.notification(payment["reference"], "pending")
    storm = [paid, pending, paid, pending, paid, pending]
    with live_server(app) as url, ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(lambda n: deliver(url, harness.webhook, n), storm))
    assert answers == [200] * 6
    assert harness.payment(payment["id"]).status == states.PAID
    assert len(harness.transitions(payment["id"], states.PAID)) == 1
    after = api.get(f"/api/sales/invoices/{invoice['id']}").get_json()
    db.commit()
    assert Decimal(after["open_amount"]) == 0, after
    assert after["state"] == "paid"
    again = api.post("/api/payments/", json={"target": target, "gateway": "midtrans"})
    assert again.status_code == 422  # nothing left to pay
    assert again.get_json()["error"]["code"] == "refused"


@pytest.mark.plugins("sales", "payments")
def test_a_retailer_pays_only_their_own_invoices_and_orders(app, db, api, make_user, api_as):
    configure(db, "bank_transfer", {"enabled": True})
    alice, bob = make_user("retailer"), make_user("retailer")
    shops = {}
    for user, name in ((alice, "Toko Alice"), (bob, "Toko Bob")):
        made = api.post("/api/sales/customers", json={"shop_name": name, "user_id": user.id})
        assert made.status_code == 201, made.get_json()
        shops[name] = made.get_json()["id"]
    delivered_order(api, shops["Toko Alice"])  # Alice has an order of her own
    order = delivered_order(api, shops["Toko Bob"])
    invoice = invoice_for(api, order)
    db.commit()
    targets = [f"sales.invoice:{invoice['id']}", f"sales.order:{order['id']}"]
    as_alice, as_bob = api_as(alice), api_as(bob)
    for target in [*targets, "sales.invoice:99999", "purchasing.bill:1"]:
        body = {"target": target, "gateway": "bank_transfer"}
        answer = as_alice.post("/api/payments/", json=body)
        assert answer.status_code == 404, (target, answer.get_json())
    db.commit()
    started = as_bob.post("/api/payments/", json={"target": targets[0], "gateway": "bank_transfer"})
    assert started.status_code == 201, started.get_json()
    assert Decimal(started.get_json()["amount"]) == Decimal(invoice["total"])
    assert as_alice.get(f"/api/payments/{started.get_json()['id']}").status_code == 404
    db.commit()
    browser = app.test_client()
    login(browser, bob)
    page = browser.get("/portal/sales/invoices", headers={"Accept-Language": "id"})
    assert "/portal/payments/pay?target=sales.invoice" in page.get_data(as_text=True)
    assert "Bayar sekarang" in page.get_data(as_text=True)
    db.commit()
