"""The counter (sessions, sales replayed offline) and returns against invoices."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
import sqlalchemy as sa

from niaga.contracts import PaymentInfo
from niaga.runtime import hooks
from niaga_sales.models import Invoice, Payment, PosSale

pytestmark = pytest.mark.plugins("sales")

SALE = {
    "client_ref": "dev1-20261123-0001",
    "lines": [
        {"description": "Aqua 600 ml", "quantity": "3", "unit_price": "4000"},
        {"description": "Roti", "quantity": "1", "unit_price": "7500"},
    ],
    "method": "cash",
    "received": "50000",
}


def open_session(api, cash="200000"):
    response = api.post("/api/sales/pos/sessions", json={"opening_cash": cash})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_pos_sale_needs_an_open_session(api):
    refused = api.post("/api/sales/pos/sales", json=SALE)
    assert refused.status_code == 422
    assert refused.get_json()["error"]["code"] == "no_session"


def test_pos_sale_with_change_and_session_close(api, db):
    session = open_session(api)
    assert api.post("/api/sales/pos/sessions", json={}).status_code == 409
    response = api.post("/api/sales/pos/sales", json=SALE)
    assert response.status_code == 201, response.get_json()
    sale = response.get_json()
    assert Decimal(sale["invoice"]["total"]) == Decimal("19500")
    assert Decimal(sale["change"]) == Decimal("30500")
    assert sale["invoice"]["state"] == "paid"
    assert sale["invoice"]["number"].startswith("POS/")
    card = api.post(
        "/api/sales/pos/sales",
        json={**SALE, "client_ref": "dev1-20261123-0002", "method": "qris", "received": None},
    )
    assert card.status_code == 201
    short = api.post(
        "/api/sales/pos/sales", json={**SALE, "client_ref": "dev1-0003", "received": "1000"}
    )
    assert short.status_code == 422
    assert short.get_json()["error"]["code"] == "not_enough_cash"
    closed = api.post(
        f"/api/sales/pos/sessions/{session['id']}/close", json={"counted_cash": "219000"}
    ).get_json()
    assert Decimal(closed["expected_cash"]) == Decimal("219500")
    assert Decimal(closed["difference"]) == Decimal("-500")
    assert closed["state"] == "closed"
    # a sale kept offline during the session still lands in it after the close
    late = api.post(
        "/api/sales/pos/sales",
        json={**SALE, "client_ref": "dev1-late-0004", "session_id": session["id"]},
    )
    assert late.status_code == 201


def test_same_pos_sale_three_times_is_recorded_once(api, db):
    open_session(api)
    key = {"Idempotency-Key": "7d1c0b8e-sale-0001"}
    answers = [api.post("/api/sales/pos/sales", json=SALE, headers=key) for _ in range(3)]
    assert answers[0].status_code == 201
    assert all(a.status_code in (200, 201) for a in answers)
    assert len({a.get_json()["id"] for a in answers}) == 1
    # and without the key (the device lost it): client_ref alone protects
    again = api.post("/api/sales/pos/sales", json=SALE)
    assert again.status_code == 200
    assert again.get_json()["id"] == answers[0].get_json()["id"]
    db.expire_all()
    assert db.scalar(sa.select(sa.func.count()).select_from(PosSale)) == 1
    assert db.scalar(sa.select(sa.func.count()).select_from(Invoice)) == 1
    assert db.scalar(sa.select(sa.func.count()).select_from(Payment)) == 1


def test_concurrent_replays_of_one_sale_record_it_once(app, api, db, live_server):
    import requests

    open_session(api)
    body = {**SALE, "client_ref": "dev9-concurrent-0001"}

    def send(_: int) -> int:
        return requests.post(
            f"{live_server}/api/sales/pos/sales",
            json=body,
            headers={"Authorization": f"Bearer {api.token}"},
            timeout=60,
        ).status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        codes = list(pool.map(send, range(6)))
    assert sorted(set(codes)) in ([200, 201], [201]), codes
    assert codes.count(201) == 1
    db.expire_all()
    assert db.scalar(sa.select(sa.func.count()).select_from(PosSale)) == 1


def invoiced_order(api, customer, lines):
    order = api.post(
        "/api/sales/orders", json={"customer_id": customer["id"], "lines": lines}
    ).get_json()
    api.post(f"/api/sales/orders/{order['id']}/confirm", json={})
    api.post(f"/api/sales/orders/{order['id']}/deliveries", json={"deliver": True})
    return order, api.post(f"/api/sales/orders/{order['id']}/invoice").get_json()


def test_return_issues_credit_note_and_lowers_receivable(api, customer, line):
    _, invoice = invoiced_order(api, customer, [line("Sabun", "3", "3333")])
    line_id = invoice["lines"][0]["id"]
    for expected_net in ("3333", "3333", "3333"):
        note = api.post(
            f"/api/sales/invoices/{invoice['id']}/returns",
            json={"lines": [{"invoice_line_id": line_id, "quantity": "1"}], "reason": "rusak"},
        )
        assert note.status_code == 201, note.get_json()
        assert Decimal(note.get_json()["subtotal"]) == Decimal(expected_net)
    over = api.post(
        f"/api/sales/invoices/{invoice['id']}/returns",
        json={"lines": [{"invoice_line_id": line_id, "quantity": "1"}]},
    )
    assert over.status_code == 422
    assert over.get_json()["error"]["code"] == "over_return"
    after = api.get(f"/api/sales/invoices/{invoice['id']}").get_json()
    assert Decimal(after["credited_amount"]) == Decimal("9999")
    assert Decimal(after["open_amount"]) == 0


def test_returns_add_up_to_the_line_exactly(api, customer, line):
    _, invoice = invoiced_order(
        api, customer, [line("Kerupuk", "3", "1000", discount_percent="3.3")]
    )
    line_id = invoice["lines"][0]["id"]
    total = Decimal("0")
    for _ in range(3):
        note = api.post(
            f"/api/sales/invoices/{invoice['id']}/returns",
            json={"lines": [{"invoice_line_id": line_id, "quantity": "1"}]},
        ).get_json()
        total += Decimal(note["total"])
    assert total == Decimal(invoice["total"])


def test_payments_plugin_payment_applied_exactly_once(app, api, db, customer, line):
    order, invoice = invoiced_order(api, customer, [line("Gula", "2", "15000")])
    payment = PaymentInfo(
        id=77,
        target=f"sales.order:{order['id']}",
        amount=Decimal("30000"),
        method="virtual_account",
        status="paid",
        occurred_at=dt.datetime.now(dt.UTC),
        fee=Decimal("4000"),
        gateway="midtrans",
    )
    assert hooks().payments_amount_due(session=db, reference=f"sales.order:{order['id']}") == 30000
    for _ in range(2):
        hooks().payments_paid(session=db, payment=payment)
        db.commit()
    db.expire_all()
    assert db.get(Invoice, invoice["id"]).state == "paid"
    assert hooks().payments_amount_due(session=db, reference=f"sales.invoice:{invoice['id']}") == 0
    assert hooks().payments_amount_due(session=db, reference="purchasing.bill:1") is None


def test_payment_before_invoice_waits_on_the_order(app, api, db, customer, line):
    order = api.post(
        "/api/sales/orders",
        json={"customer_id": customer["id"], "lines": [line("Teh", "2", "5000")]},
    ).get_json()
    api.post(f"/api/sales/orders/{order['id']}/confirm", json={})
    payment = PaymentInfo(
        id=5,
        target=f"sales.order:{order['id']}",
        amount=Decimal("10000"),
        method="qris",
        status="paid",
        occurred_at=dt.datetime.now(dt.UTC),
    )
    hooks().payments_paid(session=db, payment=payment)
    db.commit()
    assert hooks().payments_amount_due(session=db, reference=f"sales.order:{order['id']}") == 0
    api.post(f"/api/sales/orders/{order['id']}/deliveries", json={"deliver": True})
    invoice = api.post(f"/api/sales/orders/{order['id']}/invoice").get_json()
    assert invoice["state"] == "paid"
    assert api.get(f"/api/sales/orders/{order['id']}").get_json()["state"] == "paid"
