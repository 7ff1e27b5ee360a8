"""Payments as a person finds and reads them (issue 21): the list is searched by an
invoice's number or a payment's reference, not by a raw ``sales.invoice:26``; payments'
own references read as "Pembayaran PAY-..."."""

from __future__ import annotations

from decimal import Decimal

import pytest

from niaga.documents import document_label
from niaga_payments.models import Payment, Refund

pytestmark = pytest.mark.plugins("sales", "payments")


def invoice(api, shop: str) -> dict:
    customer = api.post("/api/sales/customers", json={"shop_name": shop}).get_json()
    order = api.post(
        "/api/sales/orders",
        json={
            "customer_id": customer["id"],
            "lines": [{"description": "Beras 5 kg", "quantity": "1", "unit_price": "70000"}],
        },
    ).get_json()
    assert api.post(f"/api/sales/orders/{order['id']}/confirm", json={}).status_code == 200
    assert api.post(f"/api/sales/orders/{order['id']}/deliveries", json={"deliver": True})
    made = api.post(f"/api/sales/orders/{order['id']}/invoice")
    assert made.status_code == 201, made.get_json()
    return made.get_json()


def pay(db, target: str, reference: str) -> Payment:
    payment = Payment(
        target=target,
        gateway="manual",
        method="bank_transfer",
        reference=reference,
        amount=Decimal("70000"),
    )
    db.add(payment)
    db.commit()
    return payment


def rows(client, **args) -> str:
    response = client.get("/admin/payments/", query_string=args)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_list_is_searched_by_invoice_number_or_payment_reference(app, db, api, logged_in):
    first, second = invoice(api, "Toko Sejahtera"), invoice(api, "Warung Bu Sari")
    pay(db, f"sales.invoice:{first['id']}", "PAY-AAA111")
    pay(db, f"sales.invoice:{second['id']}", "PAY-BBB222")
    found = rows(logged_in, q=second["number"].lower())  # any case, as typed
    assert "PAY-BBB222" in found and "PAY-AAA111" not in found
    assert second["number"] in found  # the document by its name, not sales.invoice:N
    assert f"sales.invoice:{second['id']}" not in found
    found = rows(logged_in, q="aaa1")
    assert "PAY-AAA111" in found and "PAY-BBB222" not in found
    # a link written with the stored reference still works
    found = rows(logged_in, target=f"sales.invoice:{first['id']}")
    assert "PAY-AAA111" in found and "PAY-BBB222" not in found
    assert "PAY-" not in rows(logged_in, q="tidak ada")
    assert 'placeholder="sales.invoice' not in rows(logged_in)


def test_payments_references_read_as_words(app, db, api, logged_in):
    payment = pay(db, "sales.invoice:999", "PAY-CCC333")
    refund = Refund(payment_id=payment.id, amount=Decimal("1000"))
    db.add(refund)
    db.commit()
    with app.test_request_context("/admin/cashbank/journal"):  # read in Indonesian
        label = document_label(f"payments.payment:{payment.id}")
        assert label.text == "Pembayaran PAY-CCC333"
        assert label.url == f"/admin/payments/{payment.id}"
        assert document_label(f"payments.refund:{refund.id}").text == (
            f"Pengembalian dana pembayaran #{payment.id}"
        )
        assert document_label("payments.payment:0").text == "payments.payment:0"
