"""Payments with the real sales plugin: an invoice paid through Midtrans (stand-in, real
HTTP, a duplicated and out-of-order storm) is applied to the invoice exactly once."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest

from niaga_payments import states
from niaga_payments.testing import Harness, configure, live_server
from niaga_payments.testing.midtrans import MidtransStandIn
from niaga_payments.testing.standin import deliver


@pytest.fixture
def midtrans() -> Iterator[MidtransStandIn]:
    with MidtransStandIn() as standin:
        yield standin


def invoice_for(api) -> dict:
    customer = api.post("/api/sales/customers", json={"shop_name": "Toko Uji"}).get_json()
    order = api.post(
        "/api/sales/orders",
        json={
            "customer_id": customer["id"],
            "lines": [{"description": "Beras 5 kg", "quantity": "3", "unit_price": "70000"}],
        },
    ).get_json()
    assert api.post(f"/api/sales/orders/{order['id']}/confirm", json={}).status_code == 200
    assert api.post(f"/api/sales/orders/{order['id']}/deliveries", json={"deliver": True})
    invoice = api.post(f"/api/sales/orders/{order['id']}/invoice")
    assert invoice.status_code == 201, invoice.get_json()
    return invoice.get_json()


@pytest.mark.plugins("sales", "payments")
def test_invoice_paid_through_midtrans_once(app, db, api, midtrans):
    configure(db, "midtrans", {"enabled": True, **midtrans.settings})
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
