"""A retailer starts, reads and uploads proof only for their own documents: anyone else's
invoice, order, payment or a supplier bill answers 404, exactly as a document that does
not exist, so neither existence nor amounts are revealed."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
import sqlalchemy as sa

from niaga_payments.models import Payment, TransferProof
from niaga_payments.testing import Harness, prepare

pytestmark = pytest.mark.plugins("payments")

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 64


@pytest.fixture
def transfer(app, db, api) -> Harness:
    settings = {"bank_name": "BCA", "account_number": "1234567890", "account_holder": "Toko"}
    return prepare(app, db, api, "bank_transfer", gateway_settings=settings)


def proof(client, payment_id: int):
    return client.post(
        f"/api/payments/{payment_id}/proof",
        data={"file": (io.BytesIO(PNG), "bukti.png", "image/png")},
        content_type="multipart/form-data",
    )


def test_a_retailer_reaches_only_their_own_documents(transfer, make_user, api_as):
    alice, bob = make_user("retailer"), make_user("retailer")
    as_alice, as_bob = api_as(alice), api_as(bob)
    bobs_order = transfer.order("90000", owner=bob)
    bobs = as_bob.post("/api/payments/", json={"target": bobs_order, "gateway": "bank_transfer"})
    assert bobs.status_code == 201, bobs.json
    transfer.db.commit()
    unowned = transfer.order("50000")  # a document no retailer owns (a staff sale)
    foreign = [bobs_order, unowned, "purchasing.bill:1", "sales.invoice:1", "test.order:999"]
    answers = [
        as_alice.post("/api/payments/", json={"target": target, "gateway": "bank_transfer"})
        for target in foreign
    ]
    assert {a.status_code for a in answers} == {404}
    # the same answer whether the document exists or not: no amount, no payment
    assert len({a.json["error"]["message"].split(" ")[0] for a in answers}) == 1
    assert all("90000" not in str(a.json) for a in answers)
    transfer.db.commit()
    assert as_alice.get(f"/api/payments/{bobs.json['id']}").status_code == 404
    assert as_alice.get("/api/payments/999999").status_code == 404
    assert proof(as_alice, bobs.json["id"]).status_code == 404
    transfer.db.commit()
    assert transfer.db.scalars(sa.select(TransferProof)).all() == []
    assert transfer.db.scalar(sa.select(sa.func.count()).select_from(Payment)) == 1
    transfer.db.commit()
    # and Bob reaches his own
    assert as_bob.get(f"/api/payments/{bobs.json['id']}").status_code == 200
    assert proof(as_bob, bobs.json["id"]).status_code == 201
    mine = as_alice.post(
        "/api/payments/",
        json={"target": transfer.order("70000", owner=alice), "gateway": "bank_transfer"},
    )
    assert mine.status_code == 201 and Decimal(mine.json["amount"]) == Decimal("70000")
    transfer.db.commit()


def test_staff_reach_every_document(transfer, make_user, api_as):
    cashier = api_as(make_user("cashier"))
    started = cashier.post(
        "/api/payments/", json={"target": transfer.order(), "gateway": "bank_transfer"}
    )
    assert started.status_code == 201
    assert cashier.get(f"/api/payments/{started.json['id']}").status_code == 200
    transfer.db.commit()
