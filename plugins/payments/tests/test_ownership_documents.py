"""Retailer A against retailer B's real documents, with sales and purchasing enabled: B's
invoice, B's order, B's payment and a supplier bill of the shop (all existing, all with
money owed) answer A with 404 on start, read and proof upload, through the API and the
portal's pay screen, exactly as a document that does not exist; nothing is stored."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
import sqlalchemy as sa

from niaga.testing import csrf_token, login
from niaga_payments.models import Payment, TransferProof
from niaga_payments.testing import configure
from niaga_sales.testing import invoiced

pytestmark = pytest.mark.plugins("sales", "purchasing", "payments")

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64


def supplier_bill(api) -> dict:
    """A posted bill the shop owes its supplier Rp 40.000 on."""
    supplier = api.post("/api/purchasing/suppliers", json={"name": "CV Sumber Rejeki"})
    assert supplier.status_code == 201, supplier.get_json()
    line = {"description": "Kopi", "quantity": "1", "unit": "dus", "unit_price": "40000"}
    order = api.post(
        "/api/purchasing/orders", json={"supplier_id": supplier.get_json()["id"], "lines": [line]}
    ).get_json()
    for action in ("send", "confirm"):
        api.post(f"/api/purchasing/orders/{order['id']}/{action}")
    received = [{"order_line_id": order["lines"][0]["id"], "quantity": "1"}]
    api.post("/api/purchasing/receipts", json={"order_id": order["id"], "lines": received})
    bill = api.post("/api/purchasing/bills", json={"order_id": order["id"], "post": True})
    assert bill.status_code == 201, bill.get_json()
    return bill.get_json()


def test_retailer_a_gets_404_for_b_s_documents_and_a_supplier_bill(app, db, api, api_as, make_user):
    configure(db, "bank_transfer", {"enabled": True, "account_number": "1234567890"})
    alice, bob = make_user("retailer"), make_user("retailer")
    shop_b = api.post("/api/sales/customers", json={"shop_name": "Toko B", "user_id": bob.id})
    line = {"description": "Beras 5 kg", "quantity": "1", "unit_price": "90000"}
    invoice = invoiced(api, shop_b.get_json()["id"], [line])
    order = api.post(
        "/api/sales/orders", json={"customer_id": shop_b.get_json()["id"], "lines": [line]}
    ).get_json()
    bill = supplier_bill(api)
    db.commit()
    as_alice, as_bob = api_as(alice), api_as(bob)
    b_pays = as_bob.post(
        "/api/payments/",
        json={"target": f"sales.invoice:{invoice['id']}", "gateway": "bank_transfer"},
    )
    assert b_pays.status_code == 201, b_pays.get_json()
    db.commit()
    payment_id = b_pays.get_json()["id"]
    targets = [
        f"sales.invoice:{invoice['id']}",
        f"sales.order:{order['id']}",
        f"purchasing.bill:{bill['id']}",
    ]
    missing = as_alice.post(
        "/api/payments/", json={"target": "sales.invoice:99999", "gateway": "bank_transfer"}
    )
    db.rollback()
    assert missing.status_code == 404

    # start
    for target in targets:
        answer = as_alice.post(
            "/api/payments/", json={"target": target, "gateway": "bank_transfer"}
        )
        db.rollback()
        assert answer.status_code == 404, (target, answer.get_json())
        assert answer.get_json()["error"]["code"] == missing.get_json()["error"]["code"]
        assert "90.000" not in str(answer.get_json()) and "40.000" not in str(answer.get_json())
    # read
    assert as_alice.get(f"/api/payments/{payment_id}").status_code == 404
    assert as_alice.get(f"/api/payments/{payment_id}/events").status_code in (403, 404)
    db.rollback()
    # proof upload
    upload = as_alice.post(
        f"/api/payments/{payment_id}/proof",
        data={"file": (io.BytesIO(PNG), "bukti.png", "image/png")},
        content_type="multipart/form-data",
    )
    db.rollback()
    assert upload.status_code == 404

    # the same through the portal's pay screen
    client = app.test_client()
    login(client, alice)
    for target in targets:
        url = f"/portal/payments/pay?target={target}"
        assert client.get(url).status_code == 404, target
        db.rollback()
    b_invoice = f"/portal/payments/pay?target=sales.invoice:{invoice['id']}"
    token = csrf_token(client, "/portal/")
    started = client.post(
        b_invoice, data={"gateway": "bank_transfer", "csrf_token": token}, follow_redirects=True
    )
    db.rollback()
    assert started.status_code == 404
    sent = client.post(
        f"/portal/payments/proof/{payment_id}?target=sales.invoice:{invoice['id']}",
        data={"file": (io.BytesIO(PNG), "bukti.png"), "csrf_token": token},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    db.rollback()
    assert sent.status_code == 404

    # nothing of Alice's was stored: one payment (Bob's), no proof
    payments = db.scalars(sa.select(Payment)).all()
    proofs = db.scalars(sa.select(TransferProof)).all()
    db.rollback()
    assert [p.id for p in payments] == [payment_id] and proofs == []
    assert Decimal(b_pays.get_json()["amount"]) == Decimal(invoice["total"])
