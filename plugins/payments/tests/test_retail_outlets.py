"""Pay codes for Indomaret and Alfamart counters, end to end against the stand-ins: through
Midtrans (Core API ``cstore`` charge) and iPaymu (direct payment, ``cstore`` channel). The
customer gets a code, pays at the counter, the gateway notifies, its status API confirms,
the document is paid once; a pending code re-posted as settled pays nothing; an outlet the
gateway has no counter at is refused and stores nothing."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
import sqlalchemy as sa

from niaga_payments import states
from niaga_payments.models import Payment
from niaga_payments.testing import Harness, prepare
from niaga_payments.testing.ipaymu import IpaymuStandIn
from niaga_payments.testing.standin import Notification

pytestmark = pytest.mark.plugins("payments")

OUTLETS = ["indomaret", "alfamart"]


@pytest.fixture
def ipaymu(app, db, api):
    with IpaymuStandIn() as standin:
        yield prepare(app, db, api, "ipaymu", standin)


@pytest.mark.parametrize("outlet", OUTLETS)
def test_midtrans_pay_code_at_the_counter(midtrans: Harness, outlet: str):
    target = midtrans.order("87500")
    payment = midtrans.start(target, method="retail_outlet", customer={"channel": outlet})
    txn = midtrans.sim.transaction(payment["reference"])
    assert (txn["payment_type"], txn["store"], txn["sent_amount"]) == ("cstore", outlet, 87500)
    shown = payment["instructions"]
    assert shown["channel"] == outlet and shown["payment_code"] == txn["payment_code"]
    assert len(shown["payment_code"]) >= 10
    assert payment["status"] == states.PENDING and payment["method"] == "retail_outlet"
    assert midtrans.payment(payment["id"]).external_id == txn["transaction_id"]

    # the customer has not paid yet: a pending code re-posted as settled is not believed
    pending = json.loads(midtrans.sim.notification(payment["reference"], "pending").body)
    claim = {**pending, "transaction_status": "settlement"}
    midtrans.deliver(Notification({"Content-Type": "application/json"}, json.dumps(claim).encode()))
    assert midtrans.payment(payment["id"]).status == states.PENDING
    assert midtrans.heard("paid") == []

    midtrans.pay(payment)  # paid at the counter; Midtrans notifies, its status API agrees
    paid = midtrans.payment(payment["id"])
    assert paid.status == states.PAID and paid.amount == Decimal("87500")
    assert paid.method == "retail_outlet"
    assert len(midtrans.heard("paid")) == 1
    assert midtrans.notify(payment, "paid") == 200  # the same notification again
    assert len(midtrans.transitions(payment["id"], states.PAID)) == 1


@pytest.mark.parametrize("outlet", OUTLETS)
def test_ipaymu_pay_code_at_the_counter(ipaymu: Harness, outlet: str):
    payment = ipaymu.start(
        ipaymu.order("60000"), method="retail_outlet", customer={"channel": outlet}
    )
    txn = ipaymu.sim.transaction(payment["reference"])
    assert txn["via"] == "cstore" and txn["channel"] == outlet
    assert payment["instructions"]["payment_code"] == txn["payment_no"]
    ipaymu.pay(payment)
    assert ipaymu.payment(payment["id"]).status == states.PAID
    assert len(ipaymu.heard("paid")) == 1


def test_an_outlet_midtrans_has_no_counter_at_is_refused(midtrans: Harness):
    target = midtrans.order("50000")
    body = {
        "target": target,
        "gateway": "midtrans",
        "method": "retail_outlet",
        "customer": {"channel": "warung-sebelah"},
    }
    answer = midtrans.api.post("/api/payments/", json=body, headers={"Accept-Language": "id"})
    midtrans.db.rollback()  # the request's uncommitted work, discarded as a server does
    assert answer.status_code == 422, answer.json
    assert "Indomaret atau Alfamart" in answer.json["error"]["message"]
    assert midtrans.sim.transactions == {}
    stored = midtrans.db.scalars(sa.select(Payment).where(Payment.target == target)).all()
    midtrans.db.commit()
    assert stored == []


def test_a_retailer_takes_an_indomaret_code_from_the_pay_screen(app, midtrans, make_user):
    from niaga.testing import csrf_token, login

    retailer = make_user("retailer")
    target = midtrans.order("64000", owner=retailer)
    client = app.test_client()
    login(client, retailer)
    url = f"/portal/payments/pay?target={target}"
    page = client.get(url, headers={"Accept-Language": "id"}).get_data(as_text=True)
    assert "Bayar di kasir Indomaret (Midtrans)" in page and 'value="midtrans:alfamart"' in page
    chosen = {"gateway": "midtrans:indomaret", "csrf_token": csrf_token(client, url)}
    assert client.post(url, data=chosen).status_code == 302
    midtrans.db.commit()
    [payment] = midtrans.db.scalars(sa.select(Payment).where(Payment.target == target)).all()
    code = payment.instructions["payment_code"]
    midtrans.db.commit()
    assert (payment.method, payment.instructions["channel"]) == ("retail_outlet", "indomaret")
    assert midtrans.sim.transaction(payment.reference)["payment_code"] == code
    shown = client.get(url, headers={"Accept-Language": "id"}).get_data(as_text=True)
    assert "kode bayar" in shown and code in shown and "Rp 64.000" in shown
