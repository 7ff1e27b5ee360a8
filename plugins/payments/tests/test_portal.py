"""The retailer's pay screen: "Bayar sekarang" with the enabled methods, the transfer
instructions and proof upload for their own document; 404 for anyone else's."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from niaga.testing import csrf_token, login
from niaga_payments.models import Payment, TransferProof
from niaga_payments.testing import Harness, prepare

pytestmark = pytest.mark.plugins("payments")

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 64


@pytest.fixture
def transfer(app, db, api) -> Harness:
    settings = {"bank_name": "BCA", "account_number": "1234567890", "account_holder": "Toko"}
    return prepare(app, db, api, "bank_transfer", gateway_settings=settings)


def test_a_retailer_pays_by_transfer_with_proof(app, transfer: Harness, make_user):
    alice, bob = make_user("retailer"), make_user("retailer")
    target = transfer.order("125000", owner=alice)
    bobs = transfer.order("90000", owner=bob)
    client = app.test_client()
    login(client, alice)
    url = f"/portal/payments/pay?target={target}"
    page = client.get(url, headers={"Accept-Language": "id"}).get_data(as_text=True)
    assert "Bayar sekarang" in page and "125.000" in page and 'value="bank_transfer"' in page
    token = csrf_token(client, url)
    started = client.post(url, data={"gateway": "bank_transfer", "csrf_token": token})
    assert started.status_code == 302
    transfer.db.commit()
    payment = transfer.db.scalar(sa.select(Payment).where(Payment.target == target))
    transfer.db.commit()
    page = client.get(url).get_data(as_text=True)
    assert "1234567890" in page and 'name="file"' in page
    sent = client.post(
        f"/portal/payments/proof/{payment.id}?target={target}",
        data={"file": (io.BytesIO(PNG), "bukti.png", "image/png"), "csrf_token": token},
        content_type="multipart/form-data",
    )
    assert sent.status_code == 302
    transfer.db.commit()
    assert [p.filename for p in transfer.db.scalars(sa.select(TransferProof))] == ["bukti.png"]
    transfer.db.commit()
    assert client.get(f"/portal/payments/pay?target={bobs}").status_code == 404
    assert client.get("/portal/payments/pay?target=purchasing.bill:1").status_code == 404
    refused = client.post(
        f"/portal/payments/pay?target={bobs}",
        data={"gateway": "bank_transfer", "csrf_token": token},
    )
    assert refused.status_code == 302  # refused with a message: nothing started
    transfer.db.commit()
    assert transfer.db.scalar(sa.select(sa.func.count()).select_from(Payment)) == 1
    transfer.db.commit()
